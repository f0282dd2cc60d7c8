"""Statistics speed (issue 4): the counted member attributes mirrored on the spells, filled
here from the members; an index on the events' date for the changes over a period."""

import django.db.models.deletion
from django.db import migrations, models

# Every spell gets its member's current values, as the services keep them from now on.
FILL = (
    "UPDATE members_membership SET backbone = m.backbone, birth_date = m.birth_date,"
    " converted_on = m.converted_on, education = m.education, ethnicity = m.ethnicity,"
    " person_type = m.person_type, sex = m.sex, work_unit_id = m.work_unit_id"
    " FROM members_member AS m WHERE members_membership.member_id = m.id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_drop_clear_id_number"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="backbone",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="membership",
            name="birth_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="membership",
            name="converted_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="membership",
            name="education",
            field=models.CharField(blank=True, default="", max_length=30),
        ),
        migrations.AddField(
            model_name="membership",
            name="ethnicity",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddField(
            model_name="membership",
            name="person_type",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="membership",
            name="sex",
            field=models.CharField(blank=True, default="", max_length=6),
        ),
        migrations.AddField(
            model_name="membership",
            name="work_unit",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="orgs.school",
            ),
        ),
        migrations.AddIndex(
            model_name="memberevent",
            index=models.Index(fields=["on"], name="event_on"),
        ),
        migrations.RunSQL(
            FILL,
            migrations.RunSQL.noop,
        ),
    ]
