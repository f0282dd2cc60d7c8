"""The change counter's triggers after this release's schema changes to counted apps: the
new 介绍信 requests table (members), the exemplar's 表彰 link (excellence) and the training
sign-in columns. Put back on every counted table, as 0011 does, because SQLite rebuilds a
table for some column changes and drops its triggers (stats.triggers)."""

from django.db import migrations

from dangjian.stats import triggers


def install(apps, schema_editor):
    tables = triggers.counted_tables(apps)
    triggers.uninstall(schema_editor, tables)
    triggers.install(schema_editor, tables)


# The table this release adds: its triggers go on the way back, before the table (and,
# further back, stats_dataversion, which a trigger left behind would name) are dropped.
# On a fresh database 0011 may have run after members.0008 and put them on already.
NEW_TABLES = ["members_letterrequest"]


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, NEW_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0011_new_module_tables_triggers"),
        ("members", "0008_letter_requests"),
        ("excellence", "0003_exemplar_honour_link"),
        ("training", "0003_training_signin"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
