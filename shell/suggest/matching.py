"""Candidates and how they are matched and ranked: a `Pool` of candidates scanned as one string
per match tier (prefix, word-boundary subsequence, any subsequence), and keyword ranking. The
ranking key is described in the package docstring."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from cloneshell.grammar.records import record

MAX_SUGGESTIONS = 200
"""At most this many suggestions per call (best first): a menu longer than a screen is not read,
and building 10,000 completion objects per keystroke would cost more than the matching."""

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


@record(frozen=True, slots=True)
class Suggestion:
    """One completion: insert `text` in place of the `-start_position` characters before the
    cursor; show `display` in the menu with `display_meta` beside it (a column's type, 'table')."""

    text: str
    kind: Kind
    display: str
    display_meta: str
    start_position: int


# ---------------------------------------------------------------------------------------------
# Candidates, pools and matching


@record(frozen=True, slots=True)
class Cand:
    """A name or keyword that may be offered, with what its ranking reads."""

    key: str  # lower-case text the typed word is matched against
    text: str  # inserted
    kind: Kind
    display: str
    meta: str
    prio: int = 0  # kind priority in its position, lower first
    order: int = 0  # explicit order among equal matches
    alias: str = ""  # a second recency key (a qualified table's bare name)


SortKey = tuple[int, int, int, int, int, int, str]
Ranked = tuple[SortKey, Cand]

# A name with more separators than this is matched by prefix or loose subsequence only: the
# word-boundary regex backtracks over separators. Same for typed words longer than the limit.
_MAX_SEGMENTS = 12
_MAX_BOUNDARY_WORD = 24


class Pool:
    """Candidates for one kind of position (e.g. every table offered after FROM), matched as a
    whole: their keys are joined by newlines into one string and the prefix and loose tiers
    are one regex scan over it each; the word-boundary tier only looks at the candidates with
    a segment starting with the typed word's first character. So the work in Python is only
    for candidates that match.

    The candidates are kept sorted by (priority, length, order, key), the ranking among equal
    prefix matches without recency, so a scan for prefix matches can stop after `limit` hits.
    """

    __slots__ = ("cands", "_hay", "_line_of", "_starts", "_plain_order", "_by_key", "_head_sets")

    def __init__(self, cands: Iterable[Cand]) -> None:
        self.cands = tuple(sorted(cands, key=lambda c: (c.prio, len(c.key), c.order, c.key)))
        self._hay = ""
        self._line_of: dict[int, int] = {}
        self._starts: dict[str, list[int]] = {}
        self._plain_order: tuple[Cand, ...] | None = None
        self._by_key: dict[str, list[Cand]] | None = None
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

    def _recent(self, recency: Mapping[str, int]) -> list[Cand]:
        """Candidates whose key or alias has a recency entry."""
        if not recency:
            return []
        if self._by_key is None:
            by_key: dict[str, list[Cand]] = {}
            for c in self.cands:
                by_key.setdefault(c.key, []).append(c)
                if c.alias:
                    by_key.setdefault(c.alias, []).append(c)
            self._by_key = by_key
        by_key = self._by_key
        if len(recency) > len(by_key):
            return [c for c in self.cands if c.key in recency or c.alias in recency]
        found: list[Cand] = []
        for name in recency:
            found.extend(by_key.get(name, ()))
        return found

    def rank(self, word: str, recency: Mapping[str, int], out: list[Ranked], limit: int) -> None:
        """Append (sort key, candidate) for every candidate that may be among the best `limit`
        matches of `word` (prefix, then word-boundary subsequence, then any subsequence)."""
        w = word.lower()
        cands = self.cands
        get = recency.get

        def rec(c: Cand) -> int:
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

        def add(tier: int, span: int, c: Cand) -> None:
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
        add: Callable[[int, int, Cand], None],
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
        add: Callable[[int, int, Cand], None],
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


def rank_cands(
    out: list[Ranked], cands: Iterable[Cand], word: str, recency: Mapping[str, int]
) -> None:
    """Rank a small, one-off candidate list (columns, roles, ...)."""
    Pool(cands).rank(word, recency, out, MAX_SUGGESTIONS)


def rank_keywords(
    out: list[Ranked], words: Iterable[str], typed: str, recency: Mapping[str, int], prio: int
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
        c = Cand(key, text, "keyword", text, "keyword", prio)
        size = len(key) if typed else 0
        out.append(((0, len(typed), prio, -recency.get(key, 0), size, 0, key), c))
