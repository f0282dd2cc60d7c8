"""PostgreSQL: how many (org, work unit) pairs the spells hold. Without it the planner
guesses a tenth of the rows, sorts a million spells on disk to group the dashboard's
per-org and per-school figures, and takes 2.5x longer than hashing them (docs/performance.md)."""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS membership_org_unit (ndistinct)"
    " ON org_id, work_unit_id FROM members_membership"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE members_membership")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS membership_org_unit")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_change_counter"),
        ("members", "0006_statistics_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
