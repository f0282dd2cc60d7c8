"""Statistics speed (issue 4): indexes the statistics queries read alone (the changes of a
whole tree, admissions and members per year) or that keep a small subtree's changes from
reading every event of the period."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_stats_spell_attributes'),
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='memberevent',
            name='event_on',
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='from_org',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='原党组织'),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='org',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='党组织'),
        ),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['on', 'kind', 'from_org'], name='event_on_kind_from'),
        ),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['kind', 'on'], name='event_kind_on'),
        ),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['org', 'on'], name='event_org_on'),
        ),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['from_org', 'on'], name='event_from_org_on'),
        ),
        migrations.AddIndex(
            model_name='membership',
            index=models.Index(fields=['start_on', 'end_on'], name='spell_dates'),
        ),
    ]
