"""Statistics speed: the member's 入党日期 mirrored on the spells (MIRRORED_ATTNAMES), so the
training tally reads the members in force from the spells alone instead of joining a
million spells to the wide members table. Filled here from the members, as 0005 filled the
other mirrored attributes (UPDATE ... FROM: PostgreSQL, and SQLite since 3.33); the way
back drops the column."""

from django.db import migrations, models

FILL = (
    "UPDATE members_membership SET joined_on = m.joined_on"
    " FROM members_member AS m WHERE members_membership.member_id = m.id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_letter_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="joined_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
