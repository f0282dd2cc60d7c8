"""The change counter's triggers on the 组织生活 tables (stats.triggers)."""

from django.db import migrations

from dangjian.stats import triggers

LIFE_TABLES = [
    "life_attendance",
    "life_frequencyrule",
    "life_meeting",
    "life_meeting_files",
    "life_reviewgrade",
    "life_series",
    "life_seriesitem",
]


def install(apps, schema_editor):
    # 0001 installs on every counted table its state knows: life's too when life migrated
    # first. Dropping (IF EXISTS) then creating gives the same triggers either way.
    triggers.uninstall(schema_editor, LIFE_TABLES)
    triggers.install(schema_editor, LIFE_TABLES)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, LIFE_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0006_integrity_triggers"),
        ("life", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
