"""The change counter of the counted tables (stats.triggers) and its triggers."""

import uuid

from django.db import migrations, models

from dangjian.stats import triggers


def create(apps, schema_editor):
    apps.get_model("stats", "DataVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, base=0, epoch=uuid.uuid4().hex
    )
    triggers.install(schema_editor, triggers.counted_tables(apps))


def drop(apps, schema_editor):
    triggers.uninstall(schema_editor, triggers.counted_tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("members", "0005_stats_spell_attributes"),
        ("recruitment", "0002_rules_2014"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("base", models.BigIntegerField(default=0)),
                ("epoch", models.CharField(max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="DataChange",
            fields=[("txid", models.BigIntegerField(primary_key=True, serialize=False))],
        ),
        migrations.RunPython(create, drop),
    ]
