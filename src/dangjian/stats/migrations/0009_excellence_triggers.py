"""The change counter's triggers on the 创先争优与示范 tables (stats.triggers)."""

from django.db import migrations

from dangjian.stats import triggers

TABLES = [
    "excellence_fivegoodchecklist",
    "excellence_fivegoodcheck",
    "excellence_demonstrationpoint",
    "excellence_demonstrationreview",
    "excellence_starcriteria",
    "excellence_starrating",
    "excellence_commitment",
    "excellence_post",
    "excellence_exemplar",
    "excellence_campaign",
]


def create(apps, schema_editor):
    # stats.0001 installs on the counted apps' tables present when it runs: on a new
    # database these may already be there, so drop before (re)installing.
    triggers.uninstall(schema_editor, TABLES)
    triggers.install(schema_editor, TABLES)


def drop(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0008_outreach_training_triggers"),
        ("excellence", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
