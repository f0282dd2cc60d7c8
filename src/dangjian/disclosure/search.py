"""Full-text search of the document library, by names and contents, on both databases.

Chinese has no spaces between words, so a word-splitting index (PostgreSQL's to_tsvector
with the built-in parsers) would index whole sentences as one token and miss a word inside
them. Both databases therefore index character trigrams, which find any substring:
- PostgreSQL: a GIN trigram index (pg_trgm) on `search_text`, which serves `ILIKE
  '%word%'` (Django's `icontains`) from the index;
- SQLite (the embedded default): an FTS5 table with the trigram tokenizer
  (`disclosure_document_fts`), kept by `index_document` whenever a document changes.
A query shorter than three characters cannot use trigrams: it is a plain substring match
over the (scoped, already narrowed) rows."""

from django.db import connection

FTS_TABLE = "disclosure_document_fts"


def _terms(text: str) -> list[str]:
    return [term for term in (text or "").replace("\x00", "").split() if term][:8]


def documents(queryset, text: str):
    terms = _terms(text)
    if not terms:
        return queryset
    if connection.vendor == "sqlite" and all(len(term) >= 3 for term in terms):
        match = " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)
        ids = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return queryset.extra(where=[f"disclosure_document.id IN ({ids})"], params=[match])
    if connection.vendor == "postgresql":
        # ILIKE on the column itself, the form the trigram index serves.
        for term in terms:
            pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            queryset = queryset.extra(
                where=["disclosure_document.search_text ILIKE %s"], params=[pattern]
            )
        return queryset
    for term in terms:
        queryset = queryset.filter(search_text__icontains=term)
    return queryset


def index_document(document) -> None:
    """Keep the SQLite FTS row of a document equal to its `search_text` (PostgreSQL's
    trigram index follows the column by itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)",
            [document.pk, document.search_text],
        )


def index_many(documents) -> None:
    """The FTS rows of many new documents at once (a bulk load)."""
    if connection.vendor != "sqlite" or not documents:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)",
            [(document.pk, document.search_text) for document in documents],
        )


def unindex_document(pk: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(body, tokenize='trigram')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS disclosure_document_search_trgm ON disclosure_document"
            " USING gin (search_text gin_trgm_ops)"
        )


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS disclosure_document_search_trgm")
