"""The change counter's triggers on the tables of 结对帮扶 and 培训与学习, whose figures are
statistics keys `outreach` and `training` (stats.triggers)."""

from django.db import migrations

from dangjian.stats import triggers

APPS = ("outreach", "training")


def tables(apps) -> list[str]:
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                found.append(model._meta.db_table)
    return sorted(set(found))


def install(apps, schema_editor):
    # stats.0001 may have run after these apps' tables existed and already counted them.
    triggers.uninstall(schema_editor, tables(apps))
    triggers.install(schema_editor, tables(apps))


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0007_life_triggers"),
        ("outreach", "0001_initial"),
        ("training", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
