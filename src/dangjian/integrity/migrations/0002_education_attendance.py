"""廉政教育 attendance person by person: the typed 参加人数 goes (it is counted from the
records), the attendance table comes, with the statistics' change-counting triggers like
every integrity table (stats.triggers: COUNTED_APPS). The triggers are dropped and put back
on every counted table there is at this point, not only the new one: depending on
stats.0001 moves it earlier in a fresh database's plan, before tables (recruitment's
ballots) that it would otherwise have found, so this migration counts them instead."""

import django.db.models.deletion
from django.db import migrations, models

from dangjian.stats import triggers

TABLES = ["integrity_educationattendance"]


def install(apps, schema_editor):
    tables = sorted(set(triggers.counted_tables(apps)) | set(TABLES))
    triggers.uninstall(schema_editor, tables)
    triggers.install(schema_editor, tables)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor, TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ('integrity', '0001_initial'),
        ('members', '0007_lifecycle'),
        ('recruitment', '0003_vote_outcome_reason_and_observers'),
        ('stats', '0001_change_counter'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='education',
            name='attendance',
        ),
        migrations.CreateModel(
            name='EducationAttendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('list', '名单登记'), ('import', 'Excel导入')], default='list', max_length=10, verbose_name='登记方式')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('education', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendees', to='integrity.education', verbose_name='廉政教育')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member', verbose_name='党员')),
            ],
            options={
                'verbose_name': '廉政教育参加人员',
                'verbose_name_plural': '廉政教育参加人员',
                'constraints': [models.UniqueConstraint(fields=('education', 'member'), name='integrity_attendance_once')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
