"""先进典型 ↔ 表彰: the free-text `honour` becomes `honour_note` (kept as typed: a 表彰 kept
nowhere in the system, or one not yet linked), and `honour` is now a link to the
assessment.Honour record. The statistics' change counter goes back on the table in case
the database rebuilt it for the new column (SQLite does for some columns, dropping its
triggers; stats.triggers)."""

import django.db.models.deletion
from django.db import migrations, models

from dangjian.stats import triggers

TABLES = ["excellence_exemplar"]


def install(apps, schema_editor):
    # Before stats.0001 has run (a new database), it installs them on every counted table;
    # after it (an upgrade), they are put back here.
    if "stats_dataversion" in schema_editor.connection.introspection.table_names():
        triggers.uninstall(schema_editor, TABLES)
        triggers.install(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_evidence_files"),
        ("excellence", "0002_exemplar_photos"),
    ]

    operations = [
        # On the way back this runs last, after the column is gone.
        migrations.RunPython(migrations.RunPython.noop, install),
        migrations.RenameField(model_name="exemplar", old_name="honour", new_name="honour_note"),
        migrations.AlterField(
            model_name="exemplar",
            name="honour_note",
            field=models.CharField(blank=True, max_length=100, verbose_name="表彰说明"),
        ),
        migrations.AddField(
            model_name="exemplar",
            name="honour",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="exemplars",
                to="assessment.honour",
                verbose_name="对应表彰",
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
