"""The counting triggers on the tables orgs added for 换届选举, 学校领导班子 and 阵地建设
(the statistics' `life.elections_held` reads the elections)."""

from django.db import migrations

from dangjian.stats import triggers

TABLES = (
    "orgs_election",
    "orgs_electionround",
    "orgs_electioncandidate",
    "orgs_schoolleader",
    "orgs_activityroom",
)


def create(apps, schema_editor):
    # 0001 installs on the tables of its time in the historical registry, which already
    # holds these when orgs' migration ran first: install only where missing.
    have = triggers.installed(schema_editor.connection)
    triggers.install(schema_editor, [table for table in TABLES if table not in have])


def drop(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_membership_org_unit_statistics"),
        ("orgs", "0002_elections_leadership_rooms"),
    ]

    operations = [migrations.RunPython(create, drop)]
