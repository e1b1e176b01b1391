"""Classifying the position under the cursor and collecting the candidates that fit it: one
`Suggester` per `suggest()` call, over the tokens of the statement being typed."""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field

from cloneshell.engine import CatalogSnapshot, TableEntry
from cloneshell.grammar.keywords import expected_keywords
from cloneshell.grammar.records import record
from cloneshell.shell.dialect import shell_dialect
from cloneshell.shell.suggest.index import (
    Index,
    function_pool,
    index_for,
    partition_column_cands,
    partition_value_cands,
)
from cloneshell.shell.suggest.matching import (
    MAX_SUGGESTIONS,
    Cand,
    Ranked,
    Suggestion,
    rank_cands,
    rank_keywords,
)
from cloneshell.shell.suggest.tokens import (
    BROAD_WORD,
    EXPR_OPS,
    NAME_CHARS,
    TARGET_AFTER,
    Tok,
    clause_of,
    dotted_name,
    is_closed,
    is_expression,
    is_name,
    is_op,
    lex_tokens,
    open_paren,
    paren_depth,
    skip_if_exists,
    statement_start,
    table_refs,
    unident,
    upper_words,
)


@record(slots=True)
class Position:
    """The tokens around the cursor, cut into: what comes before the word being typed (`ctx`),
    the word's qualifier (`proj.` / `alias.`) and the word itself."""

    text: str  # the statement up to the cursor
    ctx: list[Tok]
    word: str
    word_start: int  # offset of `word` in `text`
    qualifier: list[str]
    first: str  # the statement's first word, upper case
    keywords: set[str] = field(default_factory=set)  # keywords to offer with the names

    @property
    def start_position(self) -> int:
        """How far back from the cursor the inserted text starts (<= 0)."""
        return self.word_start - len(self.text)


class Suggester:
    """One call of `suggest` (holds its inputs so the helpers need not pass them around)."""

    def __init__(
        self,
        snap: CatalogSnapshot,
        recency: Mapping[str, int],
        meta_commands: Sequence[str] | Mapping[str, str],
    ) -> None:
        self.snap = snap
        self.recency = recency
        self.meta_commands = meta_commands
        self.out: list[Ranked] = []
        self.extra_keywords: set[str] = set()  # soft keywords the grammar leaves out here
        self._index: Index | None = None

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = index_for(self.snap)
        return self._index

    # -- entry -----------------------------------------------------------------------------

    def run(self, before: str, after: str) -> list[Suggestion]:
        stmt_start = statement_start(before)
        if stmt_start is None:  # a meta-command line
            return self._meta(before)
        text = before[stmt_start:]
        if not text.strip() and before[:stmt_start].rstrip().endswith(";"):
            return []  # right after a finished `…;`: no menu until a new word is started
        line = text[text.rfind("\n") + 1 :]
        if line.lstrip().startswith("\\") and is_closed(text[: len(text) - len(line)]):
            return self._meta(before)  # the REPL runs a `\` line even inside a statement
        toks = list(lex_tokens(text))
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
        pos = cut_position(text, toks)
        if pos is None:
            return []
        full = list(lex_tokens(text + after, stop_at_semicolon=True)) if after else toks
        self._classify(pos, full)
        return self._finish(pos)

    def _finish(self, pos: Position | None) -> list[Suggestion]:
        if pos is None:
            return []
        if pos.keywords:
            rank_keywords(self.out, pos.keywords, pos.word, self.recency, 9)
        best = heapq.nsmallest(MAX_SUGGESTIONS, self.out, key=lambda r: r[0])
        start = pos.start_position
        result: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()
        shout = pos.word.isupper()  # functions follow a word typed in capitals
        for _, c in best:
            if (c.text, c.kind) not in seen:
                seen.add((c.text, c.kind))
                if c.kind == "function" and shout:
                    c = Cand(c.key, c.text.upper(), c.kind, c.display.upper(), c.meta)
                result.append(Suggestion(c.text, c.kind, c.display, c.meta, start))
        return result

    def _add(self, cands: Iterable[Cand], word: str) -> None:
        rank_cands(self.out, cands, word, self.recency)

    # -- positions -------------------------------------------------------------------------

    def _classify(self, pos: Position, full: list[Tok]) -> None:
        """Add the names that fit `pos` to self.out and set the keywords to offer with them."""
        ctx = pos.ctx
        if not ctx:
            if not pos.qualifier:
                pos.keywords = keywords_at(pos)  # statement start
            return
        first = pos.first
        paren = open_paren(ctx)
        if pos.word[:1].isdigit():  # a number: only a partition value may be completed
            if paren is not None:
                self._paren_position(pos, paren)
            return
        prev = skip_if_exists(ctx)
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
        pos.keywords = keywords_at(pos) | self.extra_keywords
        if first == "USE" and len(ctx) == 1:  # `USE |`: only the kinds the dialect switches
            pos.keywords &= shell_dialect(self.index.dialect).use_keywords

    def _flag(self, text: str, toks: list[Tok]) -> Position | None:
        """`SET odps.sql.al|`: flag names (dots and dashes are part of the word)."""
        if any(is_op(t, "=") for t in toks):
            return None
        typed = text[toks[0].end :].lstrip()
        if any(ch.isspace() for ch in typed):
            return None
        self._add(self.index.flag_cands, typed)
        return Position(text, toks[:1], typed, len(text) - len(typed), [], "SET")

    def _principal_position(self, text: str, toks: list[Tok]) -> Position | None:
        """USER/ROLE names: after ADD/REMOVE USER, TO/FROM/FOR USER, TO/FROM/FOR ROLE,
        `GRANT role TO`, `REVOKE role FROM`, SHOW GRANTS FOR, OWNER, DROP ROLE. A principal
        holds characters no name does (`RAM$acct:user@x.com`), so the word reaches back to the
        last blank."""
        match = BROAD_WORD.search(text)
        broad = match.start() if match else len(text)
        ctx = [t for t in toks if t.end <= broad]
        if not ctx:
            return None
        ups = upper_words(ctx[-3:])
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
            or (upper_words(ctx[:2]) == ["DROP", "ROLE"] and prev in ("ROLE", "EXISTS"))
            or upper_words(ctx) == ["USE", "ROLE"]
        ):
            roles = True
        elif upper_words(ctx[:2]) == ["DROP", "USER"] and prev in ("USER", "EXISTS"):
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
        pos = Position(text, ctx, word, broad, [], first)
        if NAME_CHARS.match(word):
            pos.keywords = extra
        return pos

    def _privilege_list(self, pos: Position, prev: str) -> bool:
        """`GRANT |`, `GRANT Select, |`: privilege names and roles (one list holds either; once
        one name is typed, the list holds only its kind). No keywords: the grammar's SELECT,
        ALTER ... here are the privileges themselves."""
        ctx = pos.ctx
        if any(t.up in ("ON", "TO", "FROM") for t in ctx[1:]):
            return False
        if prev not in ("GRANT", "REVOKE", ","):
            return False
        index = self.index
        listed = {t.text.lower() for t in ctx[1:] if is_name(t)}
        privileges = {c.key for c in index.privilege_cands}
        roles = {c.key for c in index.role_cands}
        if not listed & roles:
            self._add((c for c in index.privilege_cands if c.key not in listed), pos.word)
        if not listed & privileges:
            self._add((c for c in index.role_cands if c.key not in listed), pos.word)
        return True

    def _qualified(self, pos: Position, prev: str, full: list[Tok]) -> None:
        """`proj.|` where a table goes: proj's tables; `alias.|` in an expression: columns."""
        index = self.index
        qualifier = pos.qualifier
        if self._table_position(pos, prev, probe=True):
            pool = index.qualified_pool(qualifier)
            if pool is not None:
                pool.rank(pos.word, self.recency, self.out, MAX_SUGGESTIONS)
            return
        if is_expression(pos.ctx):
            table = self._table_for_qualifier(qualifier, full, pos.first)
            if table is not None:
                self._add(self.index.columns(table), pos.word)

    def _paren_position(self, pos: Position, paren: int) -> bool:
        """Inside `PARTITION (`: partition columns, and values after `col=`; inside the column
        list of `INSERT INTO t (`: t's columns. True when the position was one of these."""
        ctx = pos.ctx
        before = ctx[paren - 1].up if paren > 0 else ""
        inner = ctx[paren + 1 :]
        if before == "PARTITION":
            table = self._target_table(ctx)
            if table is None:
                return True
            if not inner or is_op(inner[-1], ",", "("):
                used = {
                    unident(t).lower()
                    for i, t in enumerate(inner)
                    if is_name(t) and i + 1 < len(inner) and is_op(inner[i + 1], "=")
                }
                cands = partition_column_cands(table, self.index.quote)
                self._add((c for c in cands if c.key not in used), pos.word)
            elif is_op(inner[-1], "=") and len(inner) >= 2 and is_name(inner[-2]):
                self._add(partition_value_cands(table, unident(inner[-2])), pos.word)
            return True
        if pos.first == "INSERT" and paren_depth(ctx, paren) == 0:
            if any(t.up in ("SELECT", "VALUES", "WITH") for t in ctx[:paren]):
                return False
            table = self._target_table(ctx)
            if table is not None and (not inner or is_op(inner[-1], ",", "(")):
                used = {unident(t).lower() for t in inner if is_name(t)}
                cands = self.index.columns(table, with_partitions=False)
                self._add((c for c in cands if c.key not in used), pos.word)
            return True
        return False

    def _table_position(self, pos: Position, prev: str, probe: bool = False) -> bool:
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
            tables = clause_of(ctx) in ("FROM", "JOIN")
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
            tables = first == "CREATE" and clause_of(ctx) == "TABLE"
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
            projects = first == "DROP" or skip_if_exists(ctx, 2) == "ON"
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

    def _expression_position(self, pos: Position, full: list[Tok]) -> bool:
        """Columns of the statement's tables, and functions, where an expression starts."""
        if pos.first in ("GRANT", "REVOKE", "SHOW") or not is_expression(pos.ctx):
            return False
        if clause_of(pos.ctx) != "VALUES":
            seen: set[str] = set()
            for i, table in enumerate(self._from_tables(full, pos.first)):
                cands = [c for c in self.index.columns(table, order=i) if c.key not in seen]
                seen.update(c.key for c in cands)
                self._add(cands, pos.word)
        function_pool(self.index.dialect).rank(pos.word, self.recency, self.out, MAX_SUGGESTIONS)
        return True

    # -- helpers over the statement --------------------------------------------------------

    def _from_tables(self, toks: list[Tok], first: str) -> list[TableEntry]:
        found: list[TableEntry] = []
        for parts, _ in table_refs(toks, first):
            table = self.index.resolve(parts)
            if table is not None and table not in found:
                found.append(table)
        return found

    def _table_for_qualifier(
        self, qualifier: list[str], toks: list[Tok], first: str
    ) -> TableEntry | None:
        refs = table_refs(toks, first)
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

    def _target_table(self, ctx: list[Tok]) -> TableEntry | None:
        """The table a DESC/ALTER/TRUNCATE/CLONE/INSERT/SHOW PARTITIONS statement names."""
        for i, t in enumerate(ctx):
            if t.kind == "word" and t.up in TARGET_AFTER:
                j = i + 1
                while j < len(ctx) and ctx[j].up in ("IF", "NOT", "EXISTS", "TABLE", "EXTENDED"):
                    j += 1
                found = dotted_name(ctx, j)
                if found is not None:
                    return self.index.resolve(found[0])
        return None

    def _open_string_value(self, text: str, toks: list[Tok]) -> Position | None:
        """`PARTITION (ds='2024|`: the partition values of ds, replacing the typed quote too."""
        quote = toks[-1]
        ctx = toks[:-1]
        paren = open_paren(ctx)
        if paren is None or paren == 0 or ctx[paren - 1].up != "PARTITION":
            return None
        inner = ctx[paren + 1 :]
        if len(inner) < 2 or not is_op(inner[-1], "=") or not is_name(inner[-2]):
            return None
        table = self._target_table(ctx)
        if table is None:
            return None
        typed = quote.text[1:]
        self._add(partition_value_cands(table, unident(inner[-2])), typed)
        return Position(text, ctx, typed, quote.start, [], ctx[0].up)

    # -- meta-commands ---------------------------------------------------------------------

    def _meta(self, before: str) -> list[Suggestion]:
        """`\\lo|`: meta-command names; `\\login |`: principals."""
        line = before[before.rfind("\n") + 1 :].lstrip()
        command, space, rest = line.partition(" ")
        if not space:
            typed = command[1:]
            about = self.meta_commands if isinstance(self.meta_commands, Mapping) else {}
            names = sorted({m.lstrip("\\") for m in self.meta_commands})
            cands = [
                Cand(n.lower(), "\\" + n, "meta", "\\" + n, about.get(n) or "meta-command")
                for n in names
            ]
            self._add(cands, typed)
            return self._finish(Position(before, [], typed, len(before) - len(line), [], ""))
        if command[1:].lower() == "login":
            word = rest.lstrip()
            if any(ch.isspace() for ch in word):
                return []
            self._add(self.index.principal_cands, word)
            return self._finish(Position(before, [], word, len(before) - len(word), [], ""))
        return []


def keywords_at(pos: Position) -> set[str]:
    """Keywords the grammar accepts where the word starts (none after a qualifier)."""
    if pos.qualifier or not NAME_CHARS.match(pos.word):
        return set()
    return set(_expected_keywords(pos.text[: pos.word_start])) - _NEVER_OFFERED


# Snowflake's IDENTIFIER('name') may stand wherever a name does: offered there it would crowd
# every list of names.
_NEVER_OFFERED = frozenset({"IDENTIFIER"})


@functools.lru_cache(maxsize=256)
def _expected_keywords(text: str) -> frozenset[str]:
    # The text before the word stays the same while the word is typed: parse it once.
    return frozenset(expected_keywords(text))


def cut_position(text: str, toks: list[Tok]) -> Position | None:
    """Cut `toks` into what is before the word being typed, its qualifier and the word."""
    ctx = toks
    word, word_start = "", len(text)
    if ctx and ctx[-1].end == len(text):
        last = ctx[-1]
        if last.kind in ("word", "principal", "number"):
            word, word_start = last.text, last.start
            ctx = ctx[:-1]
        elif last.text not in EXPR_OPS and last.text not in (".", ")"):
            return None  # right after `::`, `;` ...
    qualifier: list[str] = []
    edge = word_start
    while len(ctx) >= 2 and is_op(ctx[-1], ".") and ctx[-1].end == edge:
        name = ctx[-2]
        if not is_name(name) or name.end != ctx[-1].start:
            break
        qualifier.insert(0, unident(name))
        edge = name.start
        ctx = ctx[:-2]
    if ctx and is_op(ctx[-1], ".") and ctx[-1].end == edge:
        return None  # `).` : nothing to offer
    first = ctx[0].up if ctx else ""
    return Position(text, ctx, word, word_start, qualifier, first)
