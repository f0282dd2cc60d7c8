"""The member list at a province's scale (issue 20): on PostgreSQL the (org, status) index
also carries the columns the list filters, searches and orders by, so counting a search's
matches in a city and finding a page's ids read the index alone (an index-only scan of the
city's entries) instead of every member row of the city from the table. The key columns
stay those of the model's `member_org_status`; SQLite keeps the plain index."""

from django.db import migrations

COVERED = (
    "person_type, sex, education, converted_on, birth_date,"
    " name, name_pinyin, name_initials, id_suffix, id"
)


def covering(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS member_org_status")
    schema_editor.execute(
        f"CREATE INDEX member_org_status ON members_member (org_id, status) INCLUDE ({COVERED})"
    )


def plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS member_org_status")
    schema_editor.execute("CREATE INDEX member_org_status ON members_member (org_id, status)")


class Migration(migrations.Migration):
    dependencies = [("members", "0009_spell_joined_on")]

    operations = [migrations.RunPython(covering, plain, elidable=False)]
