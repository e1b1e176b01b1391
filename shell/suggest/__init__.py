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

Modules: `tokens` (the tolerant lexer and token-level reading of a statement), `matching`
(candidates, pools, ranking), `index` (per-snapshot lookups), `suggester` (classifying the
position and collecting candidates for it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from cloneshell.engine import CatalogSnapshot
from cloneshell.shell.suggest.index import index_for
from cloneshell.shell.suggest.matching import MAX_SUGGESTIONS, Suggestion
from cloneshell.shell.suggest.suggester import Suggester

__all__ = ["MAX_SUGGESTIONS", "Suggestion", "prepare", "suggest"]

_log = logging.getLogger(__name__)

# Statements longer than this after the cursor are not scanned for their FROM clause: a huge
# paste must not slow down every keystroke.
_MAX_AFTER = 20_000


def suggest(
    text_before_cursor: str,
    snapshot: CatalogSnapshot,
    recency: Mapping[str, int] | None = None,
    meta_commands: Sequence[str] | Mapping[str, str] = (),
    full_text: str | None = None,
) -> list[Suggestion]:
    """What may be typed at the cursor, best first.

    `full_text` is the whole buffer (it must start with `text_before_cursor`); with it, the
    statement's text after the cursor is read too, so `SELECT | FROM t` offers t's columns.
    `meta_commands` are the `\\` command names (without the backslash), or a mapping of them to
    the line the menu shows beside each. Never raises: on any
    internal failure it logs and returns [].
    """
    try:
        after = ""
        if full_text is not None and full_text.startswith(text_before_cursor):
            after = full_text[len(text_before_cursor) : len(text_before_cursor) + _MAX_AFTER]
        return Suggester(snapshot, recency or {}, meta_commands).run(text_before_cursor, after)
    except Exception:  # the one boundary: completion must never break typing
        _log.exception("completion failed for %r", text_before_cursor[-200:])
        return []


def prepare(snapshot: CatalogSnapshot) -> None:
    """Build the lookups `suggest` needs for `snapshot` now (e.g. in the refresh thread), so the
    first keystroke after a refresh does not pay for them."""
    index = index_for(snapshot)
    index.table_pool().warm()
    for project in snapshot.projects:
        pool = index.qualified_pool([project])
        if pool is not None:
            pool.warm()
