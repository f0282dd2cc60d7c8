"""The change-counting triggers (stats.triggers) on the 责任与考核 tables, which the
`assessment` statistics key reads."""

from django.db import migrations

from dangjian.stats import triggers


def _tables(apps):
    config = apps.get_app_config("assessment")
    return sorted(
        {
            model._meta.db_table
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def install(apps, schema_editor):
    # stats.0001 installs them itself when it runs after the app's tables exist.
    done = triggers.installed(schema_editor.connection)
    triggers.install(schema_editor, [table for table in _tables(apps) if table not in done])


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_lifecycle_triggers"),
        ("assessment", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
