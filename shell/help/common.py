"""The shape of one dialect's `\\help` (a `HelpBook`) and how a topic finds its page; the pages
themselves are in `maxcompute.py` and `snowflake.py`, and each dialect's `ShellDialect.help`
(shell/dialect.py) hands its book to `meta.py`."""

from __future__ import annotations

from collections.abc import Mapping

from cloneshell.grammar.records import record

# Words skipped when a topic is read (`CREATE OR REPLACE TRANSIENT TABLE`, `SHOW TERSE TABLES`).
_FILLER = frozenset({"OR", "REPLACE", "TRANSIENT", "TERSE", "IF", "NOT", "EXISTS"})


@record(frozen=True, slots=True)
class HelpBook:
    """One dialect's statement help.

    `summary` follows the meta-commands in `\\help`; `pages` are keyed by upper-case topic
    words; `aliases` map other words, and two-word openings (`CREATE ROLE`), to a page key;
    `kind_words` are words that decide the page wherever they stand among a statement's first
    words (`CREATE STAGE s`, `SHOW TASKS`, `CREATE TABLE t CLONE s`); `@` stands for a stage
    location. `kinds` maps every statement kind the dialect runs (the AST class name) to its
    page, so a test can check that none lacks one."""

    summary: str
    pages: Mapping[str, str]
    aliases: Mapping[str, str]
    kind_words: frozenset[str]
    kinds: Mapping[str, str]

    def lookup(self, topic: str) -> str | None:
        """The page for `topic` (`CLONE`, `clone table`, `describe`, `list @s`), or None."""
        words = [w for w in topic.strip().rstrip(";").upper().split() if w not in _FILLER]
        if not words:
            return None
        for word in words[1:5]:
            key = "@" if word.startswith("@") else word
            if key in self.kind_words:
                return self._page(key)
        if len(words) > 1 and (page := self._page(" ".join(words[:2]))) is not None:
            return page
        return self._page(words[0])

    def _page(self, word: str) -> str | None:
        key = word if word in self.pages else self.aliases.get(word)
        return self.pages.get(key) if key else None
