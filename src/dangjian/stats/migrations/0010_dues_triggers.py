"""The change counter's triggers on the 党费 tables (stats.triggers). Dropped first: on a
fresh database stats.0001 may already have put them there (it installs on every table of
COUNTED_APPS that exists when it runs)."""

from django.db import migrations

from dangjian.stats import triggers

TABLES = ["dues_duesbase", "dues_duesmonth", "dues_duespayment", "dues_duesrate", "dues_duesreduction"]


def install(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)
    triggers.install(schema_editor, TABLES)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0009_excellence_triggers"),
        ("dues", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
