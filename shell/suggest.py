"""Context-aware completion as a pure function: the text before the cursor (and optionally the
whole buffer) plus a `CatalogSnapshot` -> a ranked list of `Suggestion`s. No prompt_toolkit, no
I/O; `completer.py` adapts it to prompt_toolkit.

Public API:
  suggest(text_before_cursor, snapshot, recency=None, meta_commands=(), full_text=None)
      -> list[Suggestion]   never raises; [] inside strings, comments and on garbage
  Suggestion(text, kind, display, display_meta, start_position)   frozen
  prepare(snapshot)   builds the per-snapshot lookups ahead of the first keystroke (optional)
  MAX_SUGGESTIONS     how many suggestions one call returns at most

How (pgcli's shape, reference/sql_shells.md §3): cut the statement under the cursor out of the
buffer (`split_script`), lex it with a small tolerant lexer, classify the position from the
tokens before the word being typed, then collect candidates for that position (keywords from
the grammar's LALR state via `expected_keywords`, names from the snapshot), match them (keywords
by prefix, names by fuzzy subsequence) and rank them.

Ranking key: match tier (0 prefix, 1 subsequence along word boundaries `_ . $ blank`, so `sd`
finds `sales_data`, 2 any subsequence), then the length of the matched span (compact first),
then the kind's priority in that position (the current project's tables before projects before
other projects' tables; columns before functions before keywords), then recency (higher counter
first), then shorter names, then an explicit order (a table's column order, partition values
newest first), then the name. With nothing typed yet: priority, recency, order, name. Where
more than MAX_SUGGESTIONS names match in one tier, the scan stops once it has that many and
ranks what it found (recent names are always looked at), which keeps a keystroke over 10,000
tables in a few milliseconds.

`recency` maps lower-case names (a column, a bare table name or `project.table`, a keyword, ...)
to a use counter or time stamp: the bigger, the more recently used.

Speed: the lookups derived from a snapshot (tables by name, one pre-sorted candidate pool per
kind of position with its keys joined for regex scans) are built once per snapshot and kept for
the last two snapshots seen (by identity); `prepare()` builds them ahead of time. The keywords
valid after a given text are memoized, since that text does not change while a word is typed.
"""

from __future__ import annotations

import functools
import heapq
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Literal, NamedTuple

from cloneshell.engine import function_names
from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry
from cloneshell.grammar.keywords import KEYWORDS, NON_RESERVED, expected_keywords
from cloneshell.grammar.records import record
from cloneshell.grammar.split import split_script

_log = logging.getLogger(__name__)

Kind = Literal[
    "keyword",
    "project",
    "table",
    "column",
    "partition_column",
    "partition_value",
    "principal",
    "privilege",
    "role",
    "flag",
    "meta",
    "function",
]

MAX_SUGGESTIONS = 200
"""At most this many suggestions per call (best first): a menu longer than a screen is not read,
and building 10,000 completion objects per keystroke would cost more than the matching."""

# Statements longer than this after the cursor are not scanned for their FROM clause: a huge
# paste must not slow down every keystroke.
_MAX_AFTER = 20_000


@record(frozen=True, slots=True)
class Suggestion:
    """One completion: insert `text` in place of the `-start_position` characters before the
    cursor; show `display` in the menu with `display_meta` beside it (a column's type, 'table')."""

    text: str
    kind: Kind
    display: str
    display_meta: str
    start_position: int


def suggest(
    text_before_cursor: str,
    snapshot: CatalogSnapshot,
    recency: Mapping[str, int] | None = None,
    meta_commands: Sequence[str] = (),
    full_text: str | None = None,
) -> list[Suggestion]:
    """What may be typed at the cursor, best first.

    `full_text` is the whole buffer (it must start with `text_before_cursor`); with it, the
    statement's text after the cursor is read too, so `SELECT | FROM t` offers t's columns.
    `meta_commands` are the `\\` command names (without the backslash). Never raises: on any
    internal failure it logs and returns [].
    """
    try:
        after = ""
        if full_text is not None and full_text.startswith(text_before_cursor):
            after = full_text[len(text_before_cursor) : len(text_before_cursor) + _MAX_AFTER]
        return _Suggester(snapshot, recency or {}, meta_commands).run(text_before_cursor, after)
    except Exception:  # the one boundary: completion must never break typing
        _log.exception("completion failed for %r", text_before_cursor[-200:])
        return []


def prepare(snapshot: CatalogSnapshot) -> None:
    """Build the lookups `suggest` needs for `snapshot` now (e.g. in the refresh thread), so the
    first keystroke after a refresh does not pay for them."""
    index = _index_for(snapshot)
    index.table_pool().warm()
    for project in snapshot.projects:
        pool = index.qualified_pool([project])
        if pool is not None:
            pool.warm()


# ---------------------------------------------------------------------------------------------
# Lexing: a tolerant scanner (the grammar's lexer rejects what a half-typed statement holds)


class _Tok(NamedTuple):
    kind: str  # word principal number string qident op other | open_string open_qident
    text: str
    start: int
    end: int

    @property
    def up(self) -> str:
        """Upper-cased text (keywords compare this way)."""
        return self.text.upper()


_TOKEN = re.compile(
    r"""
     (?P<ws>\s+)
    |(?P<comment>--[^\n]*|/\*[\s\S]*?\*/)
    |(?P<open_comment>/\*[\s\S]*)
    |(?P<string>'(?:[^'\\]|\\[\s\S]|'')*')
    |(?P<open_string>'[\s\S]*)
    |(?P<qident>`(?:[^`]|``)*`|"(?:[^"\\]|\\[\s\S]|"")*")
    |(?P<open_qident>[`"][\s\S]*)
    |(?P<principal>[A-Za-z][A-Za-z0-9_]*\$[^\s;,()`'"]*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    |(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[A-Za-z]*)
    |(?P<op>=>|::|<=>|<=|>=|<>|!=|==|\|\||[-+*/%<>=!~^&|(),.;:\[\]])
    |(?P<other>[\s\S])
    """,
    re.X,
)


def _lex(text: str, stop_at_semicolon: bool = False) -> Iterator[_Tok]:
    """Significant tokens of `text`, plus the comment token that ends it (if it does), so the
    caller can tell the cursor is inside a comment."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        if kind == "comment" and m.end() < len(text):
            continue
        if kind == "op" and stop_at_semicolon and m.group() == ";":
            return
        yield _Tok(kind, m.group(), m.start(), m.end())


# ---------------------------------------------------------------------------------------------
# Names

_RESERVED = frozenset(KEYWORDS - NON_RESERVED)
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_$]*\Z")


def _ident(name: str, quote: str = "`") -> str:
    """`name` as the dialect reads it: bare when it is a plain identifier and no reserved word,
    else quoted (MaxCompute's backquotes; Snowflake passes `"`)."""
    if _PLAIN_NAME.match(name) and name.upper() not in _RESERVED:
        return name
    return quote + name.replace(quote, quote * 2) + quote


def _unident(tok: _Tok) -> str:
    """The name a word or quoted identifier token stands for."""
    if tok.kind == "qident":
        return tok.text[1:-1].replace(tok.text[0] * 2, tok.text[0])
    return tok.text


def _literal(value: str) -> str:
    """A partition value as a string literal (quotes doubled, as the grammar reads them)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


_NUMERIC_TYPES = ("tinyint", "smallint", "int", "bigint", "integer")
_INTEGER = re.compile(r"-?\d+\Z")


def _partition_literal(value: str, type_name: str) -> str:
    if type_name.lower().split("(")[0].strip() in _NUMERIC_TYPES and _INTEGER.match(value):
        return value
    return _literal(value)


# ---------------------------------------------------------------------------------------------
# Candidates, pools and matching


@record(frozen=True, slots=True)
class _Cand:
    key: str  # lower-case text the typed word is matched against
    text: str  # inserted
    kind: Kind
    display: str
    meta: str
    prio: int = 0  # kind priority in its position, lower first
    order: int = 0  # explicit order among equal matches
    alias: str = ""  # a second recency key (a qualified table's bare name)


_SortKey = tuple[int, int, int, int, int, int, str]
_Ranked = tuple[_SortKey, _Cand]

# A name with more separators than this is matched by prefix or loose subsequence only: the
# word-boundary regex backtracks over separators. Same for typed words longer than the limit.
_MAX_SEGMENTS = 12
_MAX_BOUNDARY_WORD = 24


class _Pool:
    """Candidates for one kind of position (e.g. every table offered after FROM), matched as a
    whole: their keys are joined by newlines into one string and the prefix and loose tiers
    are one regex scan over it each; the word-boundary tier only looks at the candidates with
    a segment starting with the typed word's first character. So the work in Python is only
    for candidates that match.

    The candidates are kept sorted by (priority, length, order, key), the ranking among equal
    prefix matches without recency, so a scan for prefix matches can stop after `limit` hits.
    """

    __slots__ = ("cands", "_hay", "_line_of", "_starts", "_plain_order", "_by_key", "_head_sets")

    def __init__(self, cands: Iterable[_Cand]) -> None:
        self.cands = tuple(sorted(cands, key=lambda c: (c.prio, len(c.key), c.order, c.key)))
        self._hay = ""
        self._line_of: dict[int, int] = {}
        self._starts: dict[str, list[int]] = {}
        self._plain_order: tuple[_Cand, ...] | None = None
        self._by_key: dict[str, list[_Cand]] | None = None
        self._head_sets: dict[str, frozenset[int]] = {}

    def _haystack(self) -> tuple[str, dict[int, int], dict[str, list[int]]]:
        """ "\\n" + the keys joined by "\\n"; the line of each "\\n"; per character, the
        candidates with a segment starting with it (names with too many segments left out)."""
        if not self._line_of and self.cands:
            keys = [c.key.replace("\n", " ") for c in self.cands]
            line_of: dict[int, int] = {}
            starts: dict[str, list[int]] = {}
            pos = 0
            for i, k in enumerate(keys):
                line_of[pos] = i
                pos += len(k) + 1
                if _few_segments(k):
                    for ch in set(_SEGMENT_HEADS.findall(k)):
                        starts.setdefault(ch, []).append(i)
            self._hay = "\n" + "\n".join(keys)
            self._starts = starts
            self._line_of = line_of  # last: other threads test it to see the rest is built
        return self._hay, self._line_of, self._starts

    def _recent(self, recency: Mapping[str, int]) -> list[_Cand]:
        """Candidates whose key or alias has a recency entry."""
        if not recency:
            return []
        if self._by_key is None:
            by_key: dict[str, list[_Cand]] = {}
            for c in self.cands:
                by_key.setdefault(c.key, []).append(c)
                if c.alias:
                    by_key.setdefault(c.alias, []).append(c)
            self._by_key = by_key
        by_key = self._by_key
        if len(recency) > len(by_key):
            return [c for c in self.cands if c.key in recency or c.alias in recency]
        found: list[_Cand] = []
        for name in recency:
            found.extend(by_key.get(name, ()))
        return found

    def rank(self, word: str, recency: Mapping[str, int], out: list[_Ranked], limit: int) -> None:
        """Append (sort key, candidate) for every candidate that may be among the best `limit`
        matches of `word` (prefix, then word-boundary subsequence, then any subsequence)."""
        w = word.lower()
        cands = self.cands
        get = recency.get

        def rec(c: _Cand) -> int:
            r = get(c.key, 0)
            return max(r, get(c.alias, 0)) if c.alias else r

        if not w:
            if self._plain_order is None:
                self._plain_order = tuple(sorted(cands, key=lambda c: (c.prio, c.order, c.key)))
            chosen = {id(c): c for c in self._plain_order[:limit]}
            chosen.update((id(c), c) for c in self._recent(recency))
            for c in chosen.values():
                out.append(((0, 0, c.prio, -rec(c), 0, c.order, c.key), c))
            return
        hay, line_of, starts = self._haystack()
        matched: set[int] = set()
        size = len(w)

        def add(tier: int, span: int, c: _Cand) -> None:
            out.append(((tier, span, c.prio, -rec(c), len(c.key), c.order, c.key), c))

        for m in _prefix_re(w).finditer(hay):
            i = line_of[m.start()]
            matched.add(i)
            add(0, size, cands[i])
            if len(matched) >= limit:
                break
        boundary = _boundary_re(w) if size <= _MAX_BOUNDARY_WORD else None
        if len(matched) < limit:
            if size >= 3:
                self._rank_loose_first(w, boundary, matched, add, limit)
            else:
                self._rank_heads_first(w, boundary, matched, add, limit)
        if len(matched) >= limit:
            # The scans stopped early: recent candidates may outrank the ones left unseen.
            for c in self._recent(recency):
                if c.key.startswith(w):
                    add(0, size, c)
                elif boundary is not None and _few_segments(c.key):
                    bm = boundary.match(c.key)
                    if bm is not None:
                        add(1, bm.end(), c)

    def _rank_loose_first(
        self,
        w: str,
        boundary: re.Pattern[str] | None,
        matched: set[int],
        add: Callable[[int, int, _Cand], None],
        limit: int,
    ) -> None:
        """A longer word matches few names loosely: find those with one scan, then sort them
        into the boundary and loose tiers. Past 4 x `limit` hits the rest is left unseen."""
        hay, line_of, _ = self._haystack()
        heads = self._head_set(w[0])
        cands = self.cands
        hits = 0
        for m in _loose_re(w).finditer(hay):
            i = line_of[m.start()]
            if i in matched:
                continue
            matched.add(i)
            c = cands[i]
            bm = boundary.match(c.key) if boundary is not None and i in heads else None
            if bm is not None:
                add(1, bm.end(), c)
            else:
                add(2, m.end() - m.start(1), c)
            hits += 1
            if hits >= 4 * limit:
                return

    def _rank_heads_first(
        self,
        w: str,
        boundary: re.Pattern[str] | None,
        matched: set[int],
        add: Callable[[int, int, _Cand], None],
        limit: int,
    ) -> None:
        """A word of one or two characters matches most names loosely: take the boundary tier
        from the names with a segment starting with its first character, then loose matches,
        each in pool order and only until `limit` names matched."""
        hay, line_of, starts = self._haystack()
        cands = self.cands
        if boundary is not None:
            for i in starts.get(w[0], ()):
                if i in matched:
                    continue
                c = cands[i]
                bm = boundary.match(c.key)
                if bm is not None:
                    matched.add(i)
                    add(1, bm.end(), c)
                    if len(matched) >= limit:
                        return
        for m in _loose_re(w).finditer(hay):
            i = line_of[m.start()]
            if i not in matched:
                matched.add(i)
                add(2, m.end() - m.start(1), cands[i])
                if len(matched) >= limit:
                    return

    def _head_set(self, ch: str) -> frozenset[int]:
        heads = self._head_sets.get(ch)
        if heads is None:
            heads = frozenset(self._haystack()[2].get(ch, ()))
            self._head_sets[ch] = heads
        return heads

    def warm(self) -> None:
        """Build the lookups now rather than on the first keystroke."""
        self._haystack()
        if self._plain_order is None:
            self._plain_order = tuple(sorted(self.cands, key=lambda c: (c.prio, c.order, c.key)))


_SEGMENT_HEADS = re.compile(r"(?:^|(?<=[_.$ ]))[^_.$ ]")
_SEPARATOR = re.compile(r"[_.$ ]")


def _few_segments(key: str) -> bool:
    """Whether the boundary regex may run on `key` (it backtracks over separators)."""
    return len(_SEPARATOR.findall(key)) <= _MAX_SEGMENTS


@functools.lru_cache(maxsize=64)
def _prefix_re(word: str) -> re.Pattern[str]:
    # A literal first character lets the regex engine skip ahead with a fast string search.
    return re.compile("\n" + re.escape(word))


@functools.lru_cache(maxsize=64)
def _boundary_re(word: str) -> re.Pattern[str]:
    # Each typed character continues the previous match or starts a later segment of the name.
    skip = "(?:.*?[_.$ ])?"
    return re.compile("".join(skip + re.escape(c) for c in word), re.S)


@functools.lru_cache(maxsize=64)
def _loose_re(word: str) -> re.Pattern[str]:
    # Leftmost occurrence of each character in turn: negated classes never backtrack, so a
    # failing line costs one pass whatever the word.
    first = re.escape(word[0])
    rest = "".join(f"[^\n{re.escape(c)}]*{re.escape(c)}" for c in word[1:])
    return re.compile(f"\n[^\n{first}]*({first}{rest})")


def _rank(
    out: list[_Ranked], cands: Iterable[_Cand], word: str, recency: Mapping[str, int]
) -> None:
    """Rank a small, one-off candidate list (columns, roles, ...)."""
    _Pool(cands).rank(word, recency, out, MAX_SUGGESTIONS)


def _rank_keywords(
    out: list[_Ranked], words: Iterable[str], typed: str, recency: Mapping[str, int], prio: int
) -> None:
    """Keywords match by prefix only; they are inserted in the case the user types (upper when
    nothing is typed yet or the word has capitals)."""
    upper = typed.upper()
    lower = bool(typed) and typed.islower()
    for kw in words:
        if not kw.startswith(upper):
            continue
        text = kw.lower() if lower else kw
        key = kw.lower()
        c = _Cand(key, text, "keyword", text, "keyword", prio)
        size = len(key) if typed else 0
        out.append(((0, len(typed), prio, -recency.get(key, 0), size, 0, key), c))


# ---------------------------------------------------------------------------------------------
# Per-snapshot lookups


class _Index:
    """Lookups derived from one snapshot, built lazily and kept while the snapshot is current.

    Names: MaxCompute tables are `project.table` (the current project's bare). A Snowflake
    snapshot (tables with a schema) names them `db.schema.table`, `schema.table` in the current
    database and bare in the current schema (PUBLIC unless the snapshot says otherwise).
    """

    def __init__(self, snap: CatalogSnapshot) -> None:
        self.snap = snap
        self.current = (snap.current_project or "").lower()
        self.snowflake = getattr(snap, "dialect", "maxcompute") == "snowflake"
        self.quote = '"' if self.snowflake else "`"
        self.container_word = "database" if self.snowflake else "project"
        self.current_schema = str(getattr(snap, "current_schema", None) or "PUBLIC").lower()
        self.projects = {p.lower(): p for p in snap.projects}
        self.tables: dict[tuple[str, ...], TableEntry] = {}
        self.by_name: dict[str, TableEntry] = {}
        self.by_container: dict[tuple[str, ...], list[TableEntry]] = {}
        for t in snap.tables:
            key = self.path(t)
            self.tables.setdefault(key, t)
            self.by_name.setdefault(key[-1], t)
            self.by_container.setdefault(key[:1], []).append(t)
            if len(key) == 3:
                self.by_container.setdefault(key[:2], []).append(t)
        # (database, schema) as written, by their lower-case forms
        schemas: dict[tuple[str, str], tuple[str, str]] = {}
        for db, schema in getattr(snap, "schemas", ()):
            schemas.setdefault((str(db).lower(), str(schema).lower()), (str(db), str(schema)))
        for t in snap.tables:
            schema = str(getattr(t, "schema", "") or "")
            if schema:
                schemas.setdefault((t.project.lower(), schema.lower()), (t.project, schema))
        self._table_pool: _Pool | None = None
        self._qualified_pools: dict[tuple[str, ...], _Pool] = {}
        self.project_cands = tuple(
            _Cand(p.lower(), _ident(p, self.quote), "project", p, self.container_word, 1)
            for p in snap.projects
        )
        self.principal_cands = tuple(
            _Cand(p.lower(), p, "principal", p, "user") for p in snap.principals
        )
        self.role_cands = tuple(
            _Cand(r.lower(), _ident(r, self.quote), "role", r, "role") for r in snap.roles
        )
        self.flag_cands = tuple(_Cand(f.lower(), f, "flag", f, "flag") for f in snap.flags)
        self.schema_cands = tuple(
            _Cand(key[1], _ident(schema, self.quote), "project", schema, f"schema in {db}", 1)
            for key, (db, schema) in sorted(schemas.items())
            if key[0] == self.current
        )
        seen: set[str] = set()
        privileges: list[_Cand] = []
        for names, meta in (
            (snap.table_actions, "table privilege"),
            (snap.project_actions, "project privilege"),
        ):
            for name in names:
                if name.lower() not in seen:  # `All` is both
                    seen.add(name.lower())
                    privileges.append(_Cand(name.lower(), name, "privilege", name, meta))
        self.privilege_cands = tuple(privileges)

    @staticmethod
    def path(t: TableEntry) -> tuple[str, ...]:
        """(project, table) or, for a Snowflake table, (database, schema, table), lower case."""
        schema = str(getattr(t, "schema", "") or "")
        if schema:
            return (t.project.lower(), schema.lower(), t.name.lower())
        return (t.project.lower(), t.name.lower())

    def relative(self, t: TableEntry) -> tuple[list[str], int]:
        """The parts a table is written with from the current project/schema, and its
        priority (0 in the current project or schema, 2 in another project or schema of the
        current database, 3 in another database)."""
        schema = str(getattr(t, "schema", "") or "")
        if schema:
            if t.project.lower() != self.current:
                return [t.project, schema, t.name], 3
            if schema.lower() != self.current_schema:
                return [schema, t.name], 2
            return [t.name], 0
        if t.project.lower() != self.current:
            return [t.project, t.name], 2
        return [t.name], 0

    def table_pool(self) -> _Pool:
        """Tables offered where any table may go, each written relative to the current project
        (and schema), the current ones first."""
        if self._table_pool is None:
            cands: list[_Cand] = []
            for t in self.snap.tables:
                parts, prio = self.relative(t)
                text = ".".join(_ident(p, self.quote) for p in parts)
                shown = ".".join(parts)
                alias = t.name.lower() if len(parts) > 1 else ""
                cands.append(_Cand(shown.lower(), text, "table", shown, "table", prio, 0, alias))
            self._table_pool = _Pool(cands)
        return self._table_pool

    def qualified_pool(self, qualifier: Sequence[str]) -> _Pool | None:
        """What may follow `qualifier.` where a table goes: a project's (a schema's) tables
        bare; after a Snowflake database, `schema.table`. None for an unknown qualifier."""
        q = tuple(part.lower() for part in qualifier)
        pool = self._qualified_pools.get(q)
        if pool is not None:
            return pool
        if len(q) == 1 and q[0] not in self.projects and self.snowflake:
            q = (self.current, q[0])  # schema.table in the current database
        tables = self.by_container.get(q)
        if tables is None:
            return None
        cands: list[_Cand] = []
        for t in tables:
            parts = self.path(t)[len(q) :]
            raw = [t.name] if len(parts) == 1 else [str(getattr(t, "schema", "")), t.name]
            text = ".".join(_ident(p, self.quote) for p in raw)
            where = ".".join(qualifier)
            shown = ".".join(raw)
            cands.append(_Cand(".".join(parts), text, "table", shown, f"table in {where}"))
        pool = _Pool(cands)
        self._qualified_pools[tuple(part.lower() for part in qualifier)] = pool
        return pool

    def columns(
        self, table: TableEntry, with_partitions: bool = True, order: int = 0
    ) -> list[_Cand]:
        """A table's columns in table order (`order` ranks whole tables: the first FROM
        table's columns before the second's)."""
        columns = [(c, t) for c, t in table.columns]
        if with_partitions:
            columns += [(c, f"{t} (partition)") for c, t in table.partition_columns]
        base = order * 10_000
        return [
            _Cand(c.lower(), _ident(c, self.quote), "column", c, t, 0, base + i)
            for i, (c, t) in enumerate(columns)
        ]

    def resolve(self, parts: Sequence[str]) -> TableEntry | None:
        """A visible table named by 1 to 3 parts as written in a statement, case-insensitively."""
        p = tuple(part.lower() for part in parts)
        if not p:
            return None
        if self.snowflake:
            if len(p) == 1:
                return self.tables.get((self.current, self.current_schema, p[0]))
            if len(p) == 2:
                return self.tables.get((self.current, *p))
            return self.tables.get(p[-3:])
        if len(p) == 1:
            found = self.tables.get((self.current, p[0]))
            if found is None and not self.current:
                found = self.by_name.get(p[0])
            return found
        return self.tables.get((p[0], p[-1]))  # project.table, project.schema.table


class _IndexCache:
    """The lookups of the last two snapshots seen, compared by identity. This is the one cache
    that outlives a call: a snapshot is immutable and replaced whole on refresh, so an entry
    never goes stale, and two slots cover the swap from old to new."""

    def __init__(self) -> None:
        self._entries: tuple[tuple[CatalogSnapshot, _Index], ...] = ()

    def get(self, snap: CatalogSnapshot) -> _Index:
        entries = self._entries  # one read: another thread may replace the tuple meanwhile
        for s, index in entries:
            if s is snap:
                return index
        index = _Index(snap)
        self._entries = ((snap, index), *entries[:1])
        return index


_INDEXES = _IndexCache()


def _index_for(snap: CatalogSnapshot) -> _Index:
    return _INDEXES.get(snap)


@functools.cache
def _function_pool() -> _Pool:
    """Every function the engine translates (a fixed list, so built once)."""
    return _Pool(_Cand(f, f, "function", f"{f}()", "function", 5) for f in function_names())


# ---------------------------------------------------------------------------------------------
# Classification


# Keywords after which an expression starts (a column may be typed).
_EXPR_START = frozenset(
    {
        "SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR", "NOT", "ON", "BY", "HAVING",
        "QUALIFY", "WHEN", "THEN", "ELSE", "CASE", "BETWEEN", "LIKE", "ILIKE", "RLIKE",
        "REGEXP", "DIV", "SET",
    }
)  # fmt: skip
_EXPR_OPS = frozenset(
    {"=", "==", "<>", "!=", "<", "<=", ">", ">=", "<=>", "+", "-", "*", "/", "%", "||", "|",
     "&", "^", "~", ",", "(", "=>"}
)  # fmt: skip
# Words that open a clause; the nearest one before the cursor tells what the position is.
_CLAUSES = frozenset(
    {
        "SELECT", "FROM", "JOIN", "ON", "USING", "WHERE", "BY", "HAVING", "QUALIFY", "LIMIT",
        "VALUES", "WITH", "UNION", "INTERSECT", "EXCEPT", "MINUS", "TABLE", "INTO", "SET",
    }
)  # fmt: skip
_COLUMN_CLAUSES = frozenset({"SELECT", "WHERE", "ON", "BY", "HAVING", "QUALIFY", "USING"})
# Words before `(` that start something other than an expression.
_SPECIAL_PARENS = frozenset({"VALUES", "PARTITION", "TBLPROPERTIES", "TABLE", "BUCKETS"})
_DDL_BY = frozenset({"PARTITIONED", "CLUSTERED", "SORTED"})
# Where a statement names its one table (DESC t, ALTER TABLE t, INSERT INTO t, ...).
_TARGET_AFTER = frozenset({"TABLE", "INTO", "DESC", "DESCRIBE", "EXTENDED", "PARTITIONS"})
_NAME_TOKENS = ("word", "qident")


def _is_name(tok: _Tok) -> bool:
    return tok.kind in _NAME_TOKENS


def _is_op(tok: _Tok, *ops: str) -> bool:
    return tok.kind == "op" and tok.text in ops


@record(slots=True)
class _Position:
    """The tokens around the cursor, cut into: what comes before the word being typed (`ctx`),
    the word's qualifier (`proj.` / `alias.`) and the word itself."""

    text: str  # the statement up to the cursor
    ctx: list[_Tok]
    word: str
    word_start: int  # offset of `word` in `text`
    qualifier: list[str]
    first: str  # the statement's first word, upper case
    keywords: set[str] = field(default_factory=set)  # keywords to offer with the names

    @property
    def start_position(self) -> int:
        """How far back from the cursor the inserted text starts (<= 0)."""
        return self.word_start - len(self.text)


class _Suggester:
    """One call of `suggest` (holds its inputs so the helpers need not pass them around)."""

    def __init__(
        self, snap: CatalogSnapshot, recency: Mapping[str, int], meta_commands: Sequence[str]
    ) -> None:
        self.snap = snap
        self.recency = recency
        self.meta_commands = meta_commands
        self.out: list[_Ranked] = []
        self.extra_keywords: set[str] = set()  # soft keywords the grammar leaves out here
        self._index: _Index | None = None

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _index_for(self.snap)
        return self._index

    # -- entry -----------------------------------------------------------------------------

    def run(self, before: str, after: str) -> list[Suggestion]:
        stmt_start = _statement_start(before)
        if stmt_start is None:  # a meta-command line
            return self._meta(before)
        text = before[stmt_start:]
        line = text[text.rfind("\n") + 1 :]
        if line.lstrip().startswith("\\") and _closed(text[: len(text) - len(line)]):
            return self._meta(before)  # the REPL runs a `\` line even inside a statement
        toks = list(_lex(text))
        if toks and toks[-1].end == len(text):
            last = toks[-1]
            if last.kind == "open_string":
                return self._finish(self._open_string_value(text, toks))
            if last.kind not in ("word", "principal", "number", "op"):
                return []  # in a comment, a quoted name, after a string or a stray character
        if toks and toks[0].up == "SET" and toks[0].end < len(text):
            return self._finish(self._flag(text, toks))
        pos = self._principal_position(text, toks)
        if pos is not None:
            return self._finish(pos)
        pos = _position(text, toks)
        if pos is None:
            return []
        full = list(_lex(text + after, stop_at_semicolon=True)) if after else toks
        self._classify(pos, full)
        return self._finish(pos)

    def _finish(self, pos: _Position | None) -> list[Suggestion]:
        if pos is None:
            return []
        if pos.keywords:
            _rank_keywords(self.out, pos.keywords, pos.word, self.recency, 9)
        best = heapq.nsmallest(MAX_SUGGESTIONS, self.out, key=lambda r: r[0])
        start = pos.start_position
        result: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()
        shout = pos.word.isupper()  # functions follow a word typed in capitals
        for _, c in best:
            if (c.text, c.kind) not in seen:
                seen.add((c.text, c.kind))
                if c.kind == "function" and shout:
                    c = _Cand(c.key, c.text.upper(), c.kind, c.display.upper(), c.meta)
                result.append(Suggestion(c.text, c.kind, c.display, c.meta, start))
        return result

    def _add(self, cands: Iterable[_Cand], word: str) -> None:
        _rank(self.out, cands, word, self.recency)

    # -- positions -------------------------------------------------------------------------

    def _classify(self, pos: _Position, full: list[_Tok]) -> None:
        """Add the names that fit `pos` to self.out and set the keywords to offer with them."""
        ctx = pos.ctx
        if not ctx:
            if not pos.qualifier:
                pos.keywords = _keywords_at(pos)  # statement start
            return
        first = pos.first
        paren = _open_paren(ctx)
        if pos.word[:1].isdigit():  # a number: only a partition value may be completed
            if paren is not None:
                self._paren_position(pos, paren)
            return
        prev = _skip_if_exists(ctx)
        if pos.qualifier:
            self._qualified(pos, prev, full)
            return
        if first in ("GRANT", "REVOKE") and self._privilege_list(pos, prev):
            return
        if not (
            (paren is not None and self._paren_position(pos, paren))
            or self._table_position(pos, prev)
        ):
            self._expression_position(pos, full)
        pos.keywords = _keywords_at(pos) | self.extra_keywords

    def _flag(self, text: str, toks: list[_Tok]) -> _Position | None:
        """`SET odps.sql.al|`: flag names (dots and dashes are part of the word)."""
        if any(_is_op(t, "=") for t in toks):
            return None
        typed = text[toks[0].end :].lstrip()
        if any(ch.isspace() for ch in typed):
            return None
        self._add(self.index.flag_cands, typed)
        return _Position(text, toks[:1], typed, len(text) - len(typed), [], "SET")

    def _principal_position(self, text: str, toks: list[_Tok]) -> _Position | None:
        """USER/ROLE names: after ADD/REMOVE USER, TO/FROM/FOR USER, TO/FROM/FOR ROLE,
        `GRANT role TO`, `REVOKE role FROM`, SHOW GRANTS FOR, OWNER, DROP ROLE. A principal
        holds characters no name does (`RAM$acct:user@x.com`), so the word reaches back to the
        last blank."""
        match = _BROAD_WORD.search(text)
        broad = match.start() if match else len(text)
        ctx = [t for t in toks if t.end <= broad]
        if not ctx:
            return None
        ups = _ups(ctx[-3:])
        prev = ups[-1]
        prev2 = ups[-2] if len(ups) > 1 else ""
        first = ctx[0].up
        has_on = any(t.up == "ON" for t in ctx)
        users = roles = False
        extra: set[str] = set()
        # USER and ROLE are also valid table names: `SELECT * FROM user` is not about users.
        grants = first in ("GRANT", "REVOKE", "SHOW")
        if prev == "USER" and (
            (prev2 in ("ADD", "REMOVE") and len(ctx) == 2)
            or (prev2 in ("TO", "FROM", "FOR") and grants)
        ):
            users = True
        elif (
            (prev == "ROLE" and prev2 in ("TO", "FROM", "FOR") and grants)
            or (_ups(ctx[:2]) == ["DROP", "ROLE"] and prev in ("ROLE", "EXISTS"))
            or _ups(ctx) == ["USE", "ROLE"]
        ):
            roles = True
        elif _ups(ctx[:2]) == ["DROP", "USER"] and prev in ("USER", "EXISTS"):
            users = True
        elif (prev, first) in (("TO", "GRANT"), ("FROM", "REVOKE")) and not has_on:
            users, extra = True, {"USER"}  # GRANT role TO [USER] principal
        elif prev == "FOR" and first == "SHOW":
            users, extra = True, {"USER", "ROLE"}
        elif prev == "OWNER" and first == "CREATE":
            users = True
        else:
            return None
        word = text[broad:]
        if users:
            self._add(self.index.principal_cands, word)
        if roles:
            self._add(self.index.role_cands, word)
        pos = _Position(text, ctx, word, broad, [], first)
        if _NAME_CHARS.match(word):
            pos.keywords = extra
        return pos

    def _privilege_list(self, pos: _Position, prev: str) -> bool:
        """`GRANT |`, `GRANT Select, |`: privilege names and roles (one list holds either; once
        one name is typed, the list holds only its kind). No keywords: the grammar's SELECT,
        ALTER ... here are the privileges themselves."""
        ctx = pos.ctx
        if any(t.up in ("ON", "TO", "FROM") for t in ctx[1:]):
            return False
        if prev not in ("GRANT", "REVOKE", ","):
            return False
        index = self.index
        listed = {t.text.lower() for t in ctx[1:] if _is_name(t)}
        privileges = {c.key for c in index.privilege_cands}
        roles = {c.key for c in index.role_cands}
        if not listed & roles:
            self._add((c for c in index.privilege_cands if c.key not in listed), pos.word)
        if not listed & privileges:
            self._add((c for c in index.role_cands if c.key not in listed), pos.word)
        return True

    def _qualified(self, pos: _Position, prev: str, full: list[_Tok]) -> None:
        """`proj.|` where a table goes: proj's tables; `alias.|` in an expression: columns."""
        index = self.index
        qualifier = pos.qualifier
        if self._table_position(pos, prev, probe=True):
            pool = index.qualified_pool(qualifier)
            if pool is not None:
                pool.rank(pos.word, self.recency, self.out, MAX_SUGGESTIONS)
            return
        if _is_expression(pos.ctx):
            table = self._table_for_qualifier(qualifier, full, pos.first)
            if table is not None:
                self._add(self.index.columns(table), pos.word)

    def _paren_position(self, pos: _Position, paren: int) -> bool:
        """Inside `PARTITION (`: partition columns, and values after `col=`; inside the column
        list of `INSERT INTO t (`: t's columns. True when the position was one of these."""
        ctx = pos.ctx
        before = ctx[paren - 1].up if paren > 0 else ""
        inner = ctx[paren + 1 :]
        if before == "PARTITION":
            table = self._target_table(ctx)
            if table is None:
                return True
            if not inner or _is_op(inner[-1], ",", "("):
                used = {
                    _unident(t).lower()
                    for i, t in enumerate(inner)
                    if _is_name(t) and i + 1 < len(inner) and _is_op(inner[i + 1], "=")
                }
                cands = _partition_column_cands(table)
                self._add((c for c in cands if c.key not in used), pos.word)
            elif _is_op(inner[-1], "=") and len(inner) >= 2 and _is_name(inner[-2]):
                self._add(_partition_value_cands(table, _unident(inner[-2])), pos.word)
            return True
        if pos.first == "INSERT" and _depth(ctx, paren) == 0:
            if any(t.up in ("SELECT", "VALUES", "WITH") for t in ctx[:paren]):
                return False
            table = self._target_table(ctx)
            if table is not None and (not inner or _is_op(inner[-1], ",", "(")):
                used = {_unident(t).lower() for t in inner if _is_name(t)}
                cands = self.index.columns(table, with_partitions=False)
                self._add((c for c in cands if c.key not in used), pos.word)
            return True
        return False

    def _table_position(self, pos: _Position, prev: str, probe: bool = False) -> bool:
        """Where a table (or a project) name goes. Adds the candidates unless `probe`; returns
        whether the position takes a table (or, unless probing, a project)."""
        ctx = pos.ctx
        first = pos.first
        tables = projects = schemas = False
        extra: set[str] = set()
        if prev in ("FROM", "JOIN"):
            projects = first == "SHOW"  # SHOW TABLES FROM project
            tables = not projects
        elif prev == ",":
            tables = _clause(ctx) in ("FROM", "JOIN")
        elif prev == "TABLE":
            tables = first != "CREATE"
        elif prev == "INTO":
            tables = first == "INSERT"
        elif prev in ("DESC", "DESCRIBE"):
            tables = len(ctx) == 1
            extra = {"EXTENDED"}
        elif prev == "EXTENDED":
            tables = first in ("DESC", "DESCRIBE")
        elif prev == "PARTITIONS":
            tables = first == "SHOW"
        elif prev == "LIKE":
            tables = first == "CREATE" and _clause(ctx) == "TABLE"
        elif prev == "TO":
            tables = first == "CLONE"
        elif prev == "ON":
            tables = first in ("GRANT", "REVOKE")
            extra = {"PROJECT"}
        elif prev == "USE" or (prev == "DATABASE" and first in ("USE", "DROP", "ALTER", "UNDROP")):
            projects = True
        elif prev == "SCHEMA" and first in ("USE", "DROP", "ALTER", "UNDROP"):
            schemas = True
        elif prev in ("UPDATE", "TRUNCATE"):
            tables = len(ctx) == 1
        elif prev == "CLONE" and first == "CREATE":
            kind = next((t.up for t in ctx if t.up in ("TABLE", "SCHEMA", "DATABASE")), "")
            tables, schemas, projects = kind == "TABLE", kind == "SCHEMA", kind == "DATABASE"
        elif prev == "IN":
            projects = first == "SHOW"
        elif prev == "PROJECT":
            projects = first == "DROP" or _skip_if_exists(ctx, 2) == "ON"
        if probe or not (tables or projects or schemas):
            return tables
        index = self.index
        if schemas:
            self._add(index.schema_cands, pos.word)
        if tables:
            index.table_pool().rank(pos.word, self.recency, self.out, MAX_SUGGESTIONS)
            self.extra_keywords = extra
        self._add(index.project_cands, pos.word)
        return True

    def _expression_position(self, pos: _Position, full: list[_Tok]) -> bool:
        """Columns of the statement's tables, and functions, where an expression starts."""
        if pos.first in ("GRANT", "REVOKE", "SHOW") or not _is_expression(pos.ctx):
            return False
        if _clause(pos.ctx) != "VALUES":
            seen: set[str] = set()
            for i, table in enumerate(self._from_tables(full, pos.first)):
                cands = [c for c in self.index.columns(table, order=i) if c.key not in seen]
                seen.update(c.key for c in cands)
                self._add(cands, pos.word)
        _function_pool().rank(pos.word, self.recency, self.out, MAX_SUGGESTIONS)
        return True

    # -- helpers over the statement --------------------------------------------------------

    def _from_tables(self, toks: list[_Tok], first: str) -> list[TableEntry]:
        found: list[TableEntry] = []
        for parts, _ in _table_refs(toks, first):
            table = self.index.resolve(parts)
            if table is not None and table not in found:
                found.append(table)
        return found

    def _table_for_qualifier(
        self, qualifier: list[str], toks: list[_Tok], first: str
    ) -> TableEntry | None:
        refs = _table_refs(toks, first)
        q = [part.lower() for part in qualifier]
        if len(q) == 1:
            for parts, alias in refs:
                if alias is not None and alias.lower() == q[0]:
                    return self.index.resolve(parts)
        for parts, _ in refs:
            if [part.lower() for part in parts[-len(q) :]] == q:
                return self.index.resolve(parts)
        if len(q) >= 2:  # project.table.| written in full
            return self.index.resolve(q)
        return None

    def _target_table(self, ctx: list[_Tok]) -> TableEntry | None:
        """The table a DESC/ALTER/TRUNCATE/CLONE/INSERT/SHOW PARTITIONS statement names."""
        for i, t in enumerate(ctx):
            if t.kind == "word" and t.up in _TARGET_AFTER:
                j = i + 1
                while j < len(ctx) and ctx[j].up in ("IF", "NOT", "EXISTS", "TABLE", "EXTENDED"):
                    j += 1
                found = _qname(ctx, j)
                if found is not None:
                    return self.index.resolve(found[0])
        return None

    def _open_string_value(self, text: str, toks: list[_Tok]) -> _Position | None:
        """`PARTITION (ds='2024|`: the partition values of ds, replacing the typed quote too."""
        quote = toks[-1]
        ctx = toks[:-1]
        paren = _open_paren(ctx)
        if paren is None or paren == 0 or ctx[paren - 1].up != "PARTITION":
            return None
        inner = ctx[paren + 1 :]
        if len(inner) < 2 or not _is_op(inner[-1], "=") or not _is_name(inner[-2]):
            return None
        table = self._target_table(ctx)
        if table is None:
            return None
        typed = quote.text[1:]
        self._add(_partition_value_cands(table, _unident(inner[-2])), typed)
        return _Position(text, ctx, typed, quote.start, [], ctx[0].up)

    # -- meta-commands ---------------------------------------------------------------------

    def _meta(self, before: str) -> list[Suggestion]:
        """`\\lo|`: meta-command names; `\\login |`: principals."""
        line = before[before.rfind("\n") + 1 :].lstrip()
        command, space, rest = line.partition(" ")
        if not space:
            typed = command[1:]
            names = sorted({m.lstrip("\\") for m in self.meta_commands})
            cands = [_Cand(n.lower(), "\\" + n, "meta", "\\" + n, "meta-command") for n in names]
            self._add(cands, typed)
            return self._finish(_Position(before, [], typed, len(before) - len(line), [], ""))
        if command[1:].lower() == "login":
            word = rest.lstrip()
            if any(ch.isspace() for ch in word):
                return []
            self._add(self.index.principal_cands, word)
            return self._finish(_Position(before, [], word, len(before) - len(word), [], ""))
        return []


def _keywords_at(pos: _Position) -> set[str]:
    """Keywords the grammar accepts where the word starts (none after a qualifier)."""
    if pos.qualifier or not _NAME_CHARS.match(pos.word):
        return set()
    return set(_expected_keywords(pos.text[: pos.word_start]))


@functools.lru_cache(maxsize=256)
def _expected_keywords(text: str) -> frozenset[str]:
    # The text before the word stays the same while the word is typed: parse it once.
    return frozenset(expected_keywords(text))


def _position(text: str, toks: list[_Tok]) -> _Position | None:
    """Cut `toks` into what is before the word being typed, its qualifier and the word."""
    ctx = toks
    word, word_start = "", len(text)
    if ctx and ctx[-1].end == len(text):
        last = ctx[-1]
        if last.kind in ("word", "principal", "number"):
            word, word_start = last.text, last.start
            ctx = ctx[:-1]
        elif last.text not in _EXPR_OPS and last.text not in (".", ")"):
            return None  # right after `::`, `;` ...
    qualifier: list[str] = []
    edge = word_start
    while len(ctx) >= 2 and _is_op(ctx[-1], ".") and ctx[-1].end == edge:
        name = ctx[-2]
        if not _is_name(name) or name.end != ctx[-1].start:
            break
        qualifier.insert(0, _unident(name))
        edge = name.start
        ctx = ctx[:-2]
    if ctx and _is_op(ctx[-1], ".") and ctx[-1].end == edge:
        return None  # `).` : nothing to offer
    first = ctx[0].up if ctx else ""
    return _Position(text, ctx, word, word_start, qualifier, first)


def _is_expression(ctx: list[_Tok]) -> bool:
    """The end of `ctx` is where an expression (or one of its operands) starts, in a query
    clause or in VALUES."""
    if not ctx:
        return False
    last = ctx[-1]
    if last.kind == "op":
        if last.text not in _EXPR_OPS:
            return False
    elif last.kind != "word" or last.up not in _EXPR_START:
        return False
    clause = _clause(ctx)
    if clause == "SET":  # UPDATE t SET col = ...; elsewhere SET sets properties
        return ctx[0].up == "UPDATE"
    return clause in _COLUMN_CLAUSES or clause == "VALUES"


_BROAD_WORD = re.compile(r"[^\s;,()`'\"=]*\Z")


def _ups(toks: Sequence[_Tok]) -> list[str]:
    return [t.up for t in toks]


def _closed(text: str) -> bool:
    """True when `text` does not end inside a quote or a block comment."""
    return not any(t.kind in ("open_comment", "open_string", "open_qident") for t in _lex(text))


def _statement_start(text: str) -> int | None:
    """Offset of the statement the cursor is in (after the last complete `;`), or None when the
    cursor is on a meta-command line."""
    items = split_script(text)
    if not items:
        return 0
    last = items[-1]
    if last.kind == "meta":
        end = text.find("\n", last.offset)
        return None if end == -1 else end + 1
    if not last.terminated:
        return last.offset
    semi = text.find(";", last.offset + len(last.text))
    return len(text) if semi == -1 else semi + 1


def _skip_if_exists(ctx: list[_Tok], back: int = 1) -> str:
    """The word `back` places before the cursor, reading past `IF [NOT] EXISTS`."""
    ups = _ups(ctx[-6:])
    if ups[-2:] == ["IF", "EXISTS"]:
        ups = ups[:-2]
    elif ups[-3:] == ["IF", "NOT", "EXISTS"]:
        ups = ups[:-3]
    return ups[-back] if len(ups) >= back else ""


def _open_paren(ctx: list[_Tok]) -> int | None:
    """Index of the innermost `(` still open at the end of `ctx`."""
    stack: list[int] = []
    for i, t in enumerate(ctx):
        if t.kind == "op":
            if t.text == "(":
                stack.append(i)
            elif t.text == ")" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _depth(ctx: list[_Tok], index: int) -> int:
    """How many parentheses are open just before ctx[index]."""
    depth = 0
    for t in ctx[:index]:
        if t.kind == "op":
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth = max(0, depth - 1)
    return depth


def _clause(ctx: list[_Tok]) -> str:
    """The clause keyword the end of `ctx` is in, reading back over closed parentheses and
    through open ones (a function's or a sub-expression's); an open `(` after VALUES,
    PARTITION ... or after `PARTITIONED BY` answers that word instead."""
    skip = 0
    for i in range(len(ctx) - 1, -1, -1):
        t = ctx[i]
        if t.kind == "op":
            if t.text == ")":
                skip += 1
            elif t.text == "(":
                if skip:
                    skip -= 1
                    continue
                before = ctx[i - 1].up if i > 0 else ""
                if before in _SPECIAL_PARENS:
                    return before
                if before == "BY" and i > 1 and ctx[i - 2].up in _DDL_BY:
                    return ctx[i - 2].up
            continue
        if skip or t.kind != "word":
            continue
        up = t.up
        if up in _CLAUSES:
            if up == "BY" and i > 0 and ctx[i - 1].up in _DDL_BY:
                return ctx[i - 1].up
            return up
    return ""


def _qname(toks: Sequence[_Tok], i: int) -> tuple[list[str], int] | None:
    """The dotted name starting at toks[i]: (its parts, the index after it), or None."""
    if i >= len(toks) or not _is_name(toks[i]):
        return None
    parts = [_unident(toks[i])]
    j = i + 1
    while j + 1 < len(toks) and _is_op(toks[j], ".") and _is_name(toks[j + 1]):
        parts.append(_unident(toks[j + 1]))
        j += 2
    return parts, j


_ALIAS_STOP = _RESERVED | {"PARTITION"}


def _table_refs(toks: Sequence[_Tok], first: str) -> list[tuple[list[str], str | None]]:
    """(name parts, alias) of every table after FROM or JOIN in the statement (subqueries
    included, comma joins too), and of UPDATE's table."""
    if first in ("SHOW", "REVOKE", "GRANT"):
        return []
    refs: list[tuple[list[str], str | None]] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.kind != "word" or t.up not in ("FROM", "JOIN", "UPDATE"):
            i += 1
            continue
        i += 1
        while i < n:
            found = _qname(toks, i)
            if found is None:
                break
            parts, i = found
            if i < n and toks[i].up in ("AT", "BEFORE") and i + 1 < n and _is_op(toks[i + 1], "("):
                i = _skip_group(toks, i + 1)
            alias: str | None = None
            if i < n and toks[i].up == "AS" and i + 1 < n and _is_name(toks[i + 1]):
                alias, i = _unident(toks[i + 1]), i + 2
            elif i < n and _is_name(toks[i]) and toks[i].up not in _ALIAS_STOP:
                alias, i = _unident(toks[i]), i + 1
            refs.append((parts, alias))
            if i < n and _is_op(toks[i], ","):
                i += 1
                continue
            break
    return refs


def _skip_group(toks: Sequence[_Tok], i: int) -> int:
    """Index after the parenthesized group opening at toks[i]."""
    depth = 0
    while i < len(toks):
        if _is_op(toks[i], "("):
            depth += 1
        elif _is_op(toks[i], ")"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _partition_column_cands(table: TableEntry) -> list[_Cand]:
    return [
        _Cand(c.lower(), _ident(c), "partition_column", c, t, 0, i)
        for i, (c, t) in enumerate(table.partition_columns)
    ]


def _partition_value_cands(table: TableEntry, column: str) -> list[_Cand]:
    types = {c.lower(): t for c, t in table.partition_columns}
    type_name = types.get(column.lower())
    if type_name is None:
        return []
    values: set[str] = set()
    for spec in table.partitions:
        for key, value in spec.items():
            if key.lower() == column.lower():
                values.add(value)
    # Newest first: dates sort as text, integers as numbers.
    if all(_INTEGER.match(v) for v in values):
        ordered = sorted(values, key=int, reverse=True)
    else:
        ordered = sorted(values, reverse=True)
    return [
        _Cand(v.lower(), _partition_literal(v, type_name), "partition_value", v, column, 0, i)
        for i, v in enumerate(ordered)
    ]
