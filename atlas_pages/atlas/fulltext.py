"""The Atlas's full-text search: words found whatever their accents and their number.

Each project keeps ``search_stems``: its searchable text (title, description, country,
authorities) folded (lower case, no accents: what PostgreSQL's ``unaccent`` does) and cut to
French stems by Snowball's algorithm, the one PostgreSQL's ``french`` configuration uses. A
query goes through the same steps, so "coopération" finds "cooperations" and "eaux" finds
"eau". The stems are computed in Python, so that SQLite and PostgreSQL find the same projects;
the search index (``index.Words``) holds each stem's projects for the searches, and each
database indexes them with its own full-text index, maintained on write by the database, for
the SQL search (``search.search``: the GeoJSON without zoom, and the tests' reference):

- PostgreSQL: a GIN index on ``to_tsvector('simple', search_stems)`` (already stemmed: the
  ``simple`` configuration only splits words);
- SQLite: an FTS5 table over the projects' ``search_stems`` (external content), kept in step by
  triggers. Django rebuilds a SQLite table to alter it, which drops its triggers: a migration
  that alters the projects' table must call ``install`` again (the tests of the search fail
  otherwise).
"""

import functools
import re
import threading
import unicodedata

import snowballstemmer
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+")
_local = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


def folded(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A word's stem (Snowball in pure Python costs ~20 µs a word; a vocabulary repeats)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer.stemWord(word)


def stems(text: str) -> str:
    """The text as the index keeps it: folded words, each cut to its French stem."""
    return " ".join(_stem(word) for word in WORD.findall(folded(text)))


def terms(query: str) -> list[str]:
    """The stems a query looks for, each once, in order."""
    return list(dict.fromkeys(stems(query).split()))


def _matching(vendor: str, wanted: list[str]) -> tuple[str, list[str]]:
    """The statement that selects the ids of the projects having every stem of ``wanted``. The
    stems are ``\\w+`` only and go as a parameter: nothing of the query is written into the SQL."""
    if vendor == "postgresql":
        return (
            "SELECT id FROM atlas_pages_project "
            "WHERE to_tsvector('simple', search_stems) @@ plainto_tsquery('simple', %s)",
            [" ".join(wanted)],
        )
    return (
        "SELECT rowid FROM atlas_pages_project_fts WHERE atlas_pages_project_fts MATCH %s",
        [" ".join(f'"{term}"' for term in wanted)],
    )


def having_words(qs: QuerySet, query: str) -> QuerySet:
    """``qs`` narrowed to the projects whose text has every word of ``query``."""
    wanted = terms(query)
    if not wanted:
        return qs
    return qs.filter(pk__in=RawSQL(*_matching(_vendor(qs), wanted)))  # noqa: S611 — constant SQL


def _vendor(qs: QuerySet) -> str:
    from django.db import connections

    return connections[qs.db].vendor


POSTGRESQL = [
    "CREATE INDEX IF NOT EXISTS atlas_project_stems_fts ON atlas_pages_project "
    "USING gin (to_tsvector('simple', search_stems))",
]
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS atlas_pages_project_fts USING fts5(search_stems, "
    "content='atlas_pages_project', content_rowid='id', tokenize='unicode61')",
    """CREATE TRIGGER IF NOT EXISTS atlas_pages_project_fts_inserted AFTER INSERT ON atlas_pages_project BEGIN
        INSERT INTO atlas_pages_project_fts(rowid, search_stems) VALUES (new.id, new.search_stems);
    END""",
    """CREATE TRIGGER IF NOT EXISTS atlas_pages_project_fts_deleted AFTER DELETE ON atlas_pages_project BEGIN
        INSERT INTO atlas_pages_project_fts(atlas_pages_project_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
    END""",
    """CREATE TRIGGER IF NOT EXISTS atlas_pages_project_fts_updated
    AFTER UPDATE OF search_stems ON atlas_pages_project BEGIN
        INSERT INTO atlas_pages_project_fts(atlas_pages_project_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
        INSERT INTO atlas_pages_project_fts(rowid, search_stems) VALUES (new.id, new.search_stems);
    END""",
    "INSERT INTO atlas_pages_project_fts(atlas_pages_project_fts) VALUES ('rebuild')",
]


def install(schema_editor) -> None:
    """Creates the database's full-text index over the projects' stems (idempotent)."""
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS atlas_project_stems_fts")
    elif vendor == "sqlite":
        for name in ("inserted", "deleted", "updated"):
            schema_editor.execute("DROP TRIGGER IF EXISTS atlas_pages_project_fts_" + name)
        schema_editor.execute("DROP TABLE IF EXISTS atlas_pages_project_fts")
