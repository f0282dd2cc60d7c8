"""The change counter's triggers on the member lifecycle's tables (transfers, letters,
流动党员, decisions): members is a counted app, so every one of its tables carries them."""

from django.db import migrations

from dangjian.stats import triggers

TABLES = [
    "members_flowing",
    "members_flowingreport",
    "members_letter",
    "members_statusdecision",
    "members_transfer",
]


def create(apps, schema_editor):
    # 0001 may already have put them there: it installs on every members table of its
    # migration state, which holds these when members.0007 happened to run before it.
    triggers.uninstall(schema_editor, TABLES)
    triggers.install(schema_editor, TABLES)


def drop(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_orgs_election_triggers"),
        ("members", "0007_lifecycle"),
    ]

    operations = [migrations.RunPython(create, drop)]
