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
    triggers.install(schema_editor, TABLES)


def drop(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_membership_org_unit_statistics"),
        ("orgs", "0002_elections_leadership_rooms"),
    ]

    operations = [migrations.RunPython(create, drop)]
