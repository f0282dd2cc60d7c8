"""The change counter's triggers on the 廉政建设 tables (stats.triggers: COUNTED_APPS)."""

from django.db import migrations

from dangjian.stats import triggers


def _tables(apps):
    config = apps.get_app_config("integrity")
    return sorted(
        model._meta.db_table
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )


def install(apps, schema_editor):
    # stats.0001 may have run after integrity.0001 and counted these tables already
    # (it installs on every table of COUNTED_APPS it finds): drop, then install once.
    triggers.uninstall(schema_editor, _tables(apps))
    triggers.install(schema_editor, _tables(apps))


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0005_assessment_triggers"),
        ("integrity", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
