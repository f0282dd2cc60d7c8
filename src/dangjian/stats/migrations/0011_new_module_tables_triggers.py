"""The change counter's triggers after this release's schema changes to counted apps: new
tables (党小组 membership, election corrections, the photo links of assistance and training
records) and new columns. They are put back on every counted table, not only the new ones:
SQLite adds some columns by rebuilding the table (the pinyin keys of orgs and schools),
which drops the table's triggers (stats.triggers)."""

from django.db import migrations

from dangjian.stats import triggers


def install(apps, schema_editor):
    tables = triggers.counted_tables(apps)
    triggers.uninstall(schema_editor, tables)
    triggers.install(schema_editor, tables)


# The tables this release adds: their triggers go on the way back, before the tables (and,
# further back, stats_dataversion, which a trigger left behind would name) are dropped.
NEW_TABLES = [
    "life_groupmembership",
    "orgs_electioncorrection",
    "outreach_assistance_photos",
    "training_training_photos",
]


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, NEW_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0010_dues_triggers"),
        ("assessment", "0002_evidence_files"),
        ("excellence", "0002_exemplar_photos"),
        ("integrity", "0002_education_attendance"),
        ("life", "0002_group_membership"),
        ("orgs", "0005_election_corrections"),
        ("outreach", "0002_assistance_photos"),
        ("training", "0002_training_photos"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
