"""Photos of exemplars (through the upload store), and the statistics' change counter on
the new table, as on every table of the counted apps (stats.triggers)."""

import django.db.models.deletion
from django.db import migrations, models

from dangjian.stats import triggers

TABLES = ["excellence_exemplarphoto"]


def install(apps, schema_editor):
    # Before stats.0001 has run (a new database), it installs them on every counted table
    # there, this one included; after it (an upgrade), they are installed here.
    if "stats_dataversion" in schema_editor.connection.introspection.table_names():
        triggers.uninstall(schema_editor, TABLES)
        triggers.install(schema_editor, TABLES)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_stored_file'),
        ('excellence', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ExemplarPhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('caption', models.CharField(blank=True, max_length=100, verbose_name='照片说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('exemplar', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='excellence.exemplar', verbose_name='先进典型')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile', verbose_name='照片')),
            ],
            options={
                'verbose_name': '先进典型照片',
                'verbose_name_plural': '先进典型照片',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
