"""Database triggers that count every write to the tables the statistics read.

PostgreSQL: a statement trigger inserts the writing transaction's id into
stats_datachange (once per transaction: ON CONFLICT DO NOTHING); the count of those rows
(plus what `stats.cache.fold` moved into base) changes exactly when a writing transaction
commits, and no writer waits for another. SQLite serialises writers anyway: a row trigger adds 1 to
base. Migrations call `install`/`uninstall` with the tables of their time, so a table
added later needs a migration calling `install` (tests/stats/test_cache.py checks that
every table of COUNTED_APPS has its triggers)."""

# Apps whose tables feed the statistics (orgs, schools, mass orgs, members, spells,
# events, the development pipeline).
COUNTED_APPS = (
    "orgs",
    "members",
    "recruitment",
    "assessment",
    "integrity",
    "life",
    "outreach",
    "training",
    "excellence",
    "dues",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION stats_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_datachange (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""
SQLITE_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def trigger_name(table: str, operation: str = "") -> str:
    return f"stats_change_{table}" + (f"_{operation.lower()}" if operation else "")


def install(schema_editor, tables) -> None:
    vendor, quote = schema_editor.connection.vendor, schema_editor.quote_name
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR"
                f" TRUNCATE ON {quote(table)} FOR EACH STATEMENT"
                " EXECUTE FUNCTION stats_note_change()"
            )
    elif vendor == "sqlite":
        for table in tables:
            for operation in SQLITE_OPERATIONS:
                schema_editor.execute(
                    f"CREATE TRIGGER {trigger_name(table, operation)} AFTER {operation} ON"
                    f" {quote(table)} FOR EACH ROW BEGIN"
                    " UPDATE stats_dataversion SET base = base + 1 WHERE id = 1; END"
                )
    else:  # pragma: no cover - the supported databases are the two above
        raise NotImplementedError(vendor)


def uninstall(schema_editor, tables) -> None:
    vendor, quote = schema_editor.connection.vendor, schema_editor.quote_name
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {quote(table)}")
        else:
            for operation in SQLITE_OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table, operation)}")


def installed(connection) -> set[str]:
    """Tables carrying the counting triggers (all of them, for SQLite's three kinds)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = 'stats_change_' || c.relname AND NOT t.tgisinternal"
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        names: dict[str, set] = {}
        for name, table in cursor.fetchall():
            names.setdefault(table, set()).add(name)
        return {
            table
            for table, found in names.items()
            if all(trigger_name(table, op) in found for op in SQLITE_OPERATIONS)
        }


def counted_tables(apps) -> list[str]:
    """Every table of COUNTED_APPS in `apps` (a migration's historical registry or the
    live one), many-to-many tables included."""
    tables = []
    for label in COUNTED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            # A migration's registry before that app's first migration: its own stats
            # migration installs the triggers later (e.g. stats.0003 for outreach).
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return sorted(set(tables))
