"""Syntax highlighting for the dialect: `CloneshellLexer`, a Pygments lexer used by the REPL
(through prompt_toolkit's `PygmentsLexer`) and by `pygmentize -l cloneshell` (entry point in
pyproject).

Its words and shapes come from the grammar, not from second lists kept by hand: every keyword of
`cloneshell.grammar.keywords.KEYWORDS`, and the patterns of the grammar's NAME, NUMBER, string,
quoted-identifier and operator terminals. Beyond what the grammar calls a keyword it marks:

- principals (`ALIYUN$acct`, `RAM$acct:user`, back-quoted `` `RAM$acct:role/x` ``) as
  `Name.Principal`;
- ACL action names in the list after GRANT/REVOKE (`CreateTable`, `Select`, ...) as
  `Name.Privilege` (other words there are role names: `Name`);
- `\\` meta-commands at the start of a line (`\\login ...`) as `Keyword.Pseudo`, as Pygments' psql
  lexer does, with their arguments as `Text` (principals still as `Name.Principal`);
- a word after `.` as a name even when it is a keyword (`t.date`).

Input being typed may be unfinished, so an unterminated string, quoted name or `/*` comment runs
to the end of the text rather than producing `Error` tokens; `Error` is left for characters no
grammar terminal uses (`?`, `#` outside principals, strings and comments).

The lexer claims the file pattern `*.odps.sql` only: plain `*.sql` files keep Pygments' own SQL
lexers (pass `-l cloneshell` to use this one). Importing this module loads the grammar (cached),
so only the REPL and `pygmentize` import it, never the batch path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from pygments.lexer import (  # type: ignore[import-untyped]
    RegexLexer,
    bygroups,
    default,
    include,
    words,
)
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

from cloneshell.grammar.keywords import (
    KEYWORDS,
    PROJECT_ACTIONS,
    TABLE_ACTIONS,
    symbols,
    terminal_regexp,
)

Principal = Name.Principal
"""`ALIYUN$acct`, `RAM$acct:user`, `` `RAM$acct:role/name` ``."""
Privilege = Name.Privilege
"""An ACL action granted or revoked: `CreateTable`, `Select`, `All`, ..."""
MetaCommand = Keyword.Pseudo
"""The `\\name` of a meta-command line."""

_ACTIONS = tuple(dict.fromkeys(PROJECT_ACTIONS + TABLE_ACTIONS))

_CONSTANTS = frozenset({"TRUE", "FALSE", "NULL"}) & KEYWORDS
# Grammar terminals whose characters group or separate rather than compute.
_PUNCTUATION = frozenset({";", ",", "(", ")", ".", ":"})
# Word boundaries as the grammar's NAME sees them: `$` is part of a name.
_BEFORE_WORD = r"(?<![A-Za-z0-9_$])"
_AFTER_WORD = r"(?![A-Za-z0-9_$])"
# The providers the engine accepts (engine.security.validate_principal). The grammar's PRINCIPAL
# terminal takes any `word$...`, but there it is only tried where a principal may stand; here a
# NAME such as `col$1` must stay a name.
_PRINCIPAL = r"(?:ALIYUN|RAM)\$[^\s;,()`'\"]+"
_QUOTED_PRINCIPAL = r"`(?:ALIYUN|RAM)\$[^`]*`"


_terminal = terminal_regexp


def _symbols() -> list[str]:
    """Operators and punctuation, longest first so that `<=` is not read as `<` and `=`."""
    return sorted(symbols(), key=lambda s: (-len(s), s))


def _symbol_rules() -> list[tuple[str, Any]]:
    return [(re.escape(s), Punctuation if s in _PUNCTUATION else Operator) for s in _symbols()]


def _words(items: Iterable[str]) -> Any:
    """A Pygments rule pattern for whole words (case-insensitive through the lexer's flags)."""
    return words(sorted(items), prefix=_BEFORE_WORD, suffix=_AFTER_WORD)


_NAME = _terminal("NAME")
_SQ_STRING = _terminal("SQ_STRING")
_DQ_STRING = _terminal("DQ_STRING")
_BQ_IDENT = _terminal("BQ_IDENT")
_BINARY_STRING = _terminal("BINARY_STRING")
_NUMBER = _terminal("NUMBER")
# Snowflake's stage locations (`@s/path`, `@%t`) and PUT's local files (`file:///tmp/x.csv`).
_STAGE_LOC = _terminal("STAGE_LOC")
_FILE_URI = _terminal("FILE_URI")


class CloneshellLexer(RegexLexer):  # type: ignore[misc]  # Pygments ships no type hints
    """The cloneshell dialect (MaxCompute/Snowflake-style SQL plus `\\` meta-commands)."""

    name = "cloneshell"
    aliases: ClassVar[list[str]] = ["cloneshell", "odps"]
    filenames: ClassVar[list[str]] = ["*.odps.sql"]
    mimetypes: ClassVar[list[str]] = ["text/x-cloneshell-sql"]
    # Outrank Pygments' SqlLexer for `x.odps.sql`, which its `*.sql` also matches.
    priority = 0.1

    flags = re.IGNORECASE | re.MULTILINE

    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            # A meta-command is a line of its own (grammar/split.py); the REPL also runs one typed
            # on the last line of an unfinished statement, so any line start qualifies.
            (r"^([ \t]*)(\\\S*)", bygroups(Whitespace, MetaCommand), "meta"),
            include("blank"),
            include("literals"),
            # `t.date`, `p.t.comment`: after a dot a word is a name, whatever it spells.
            (r"(?<=\.)" + _NAME, Name),
            # The action list of GRANT/REVOKE, up to ON, TO or FROM.
            (_words(("GRANT", "REVOKE")), Keyword, "acl"),
            (_words(_CONSTANTS), Keyword.Constant),
            (_words(KEYWORDS - _CONSTANTS), Keyword),
            (_NAME, Name),
            *_symbol_rules(),
        ],
        "blank": [
            # A newline ends a whitespace token, so the next line's start can be seen by the
            # meta-command rule (which allows indentation).
            (r"[^\S\n]*\n", Whitespace),
            (r"[^\S\n]+", Whitespace),
            (r"--[^\n]*", Comment.Single),
            (r"/\*", Comment.Multiline, "comment"),
        ],
        "comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
        "literals": [
            (_QUOTED_PRINCIPAL, Principal),
            (_BEFORE_WORD + _PRINCIPAL, Principal),
            (_BINARY_STRING, String),
            (_SQ_STRING, String.Single),
            (_DQ_STRING, String.Double),
            (_BQ_IDENT, Name.Quoted),
            (_STAGE_LOC, Name.Variable),
            (_BEFORE_WORD + _FILE_URI, String.Other),
            # Unfinished while typing: the grammar's pattern failed, so no closing quote follows.
            (r"'[\s\S]*", String.Single),
            (r'"[\s\S]*', String.Double),
            (r"`[\s\S]*", Name.Quoted),
            (_BEFORE_WORD + _NUMBER, Number),
        ],
        "acl": [
            include("blank"),
            (r",", Punctuation),
            (_words(("ON", "TO", "FROM")), Keyword, "#pop"),
            (_words(_ACTIONS), Privilege),
            (_BQ_IDENT, Name.Quoted),
            (_DQ_STRING, String.Double),
            (_NAME, Name),  # a role name (GRANT role TO USER ...)
            default("#pop"),
        ],
        "meta": [
            (r"\n", Whitespace, "#pop"),
            (r"[^\S\n]+", Whitespace),
            (_QUOTED_PRINCIPAL, Principal),
            (_PRINCIPAL + r"(?=\s|$)", Principal),
            (r"[^\s]+", Text),
        ],
    }
