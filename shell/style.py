"""The REPL's colours: one table from style class to style string, for the syntax tokens of
`cloneshell.shell.lexer` and the REPL's own elements, turned into a prompt_toolkit `Style`.

Colours are the terminal's 16 ANSI colours (`ansiblue`, ...), so they follow the user's theme,
light or dark. The module imports nothing heavy: prompt_toolkit is imported inside
`repl_style()`, which only the REPL calls.

Class names the REPL can use in formatted text (`[("class:prompt.user", "odps@ "), ...]`):

- `prompt`, `prompt.user`, `prompt.project`, `prompt.arrow`: the prompt `odps@ project>`;
- `continuation`: the indent shown on the second and later lines of a statement;
- `bottom-toolbar`, `bottom-toolbar.key`, `bottom-toolbar.value`, `bottom-toolbar.off`;
- `error` (a failed statement's message), `error.caret` (the `^` under the failing column),
  `error.position` (`[1,15]`), `warning`, `notice` (status lines such as `OK`);
- `pygments.*`: the lexer's token types, lower case (`pygments.name.principal`).

Pass the style with `include_default_pygments_style=False`, so that these rules alone colour the
input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prompt_toolkit.styles import Style

SYNTAX_RULES: tuple[tuple[str, str], ...] = (
    ("pygments.keyword", "bold ansiblue"),
    ("pygments.keyword.constant", "ansimagenta"),
    ("pygments.keyword.pseudo", "bold ansimagenta"),  # \login, \format, ...
    ("pygments.name.principal", "ansicyan"),
    ("pygments.name.privilege", "bold ansiyellow"),
    ("pygments.name.quoted", ""),
    ("pygments.literal.string", "ansigreen"),
    ("pygments.literal.number", "ansimagenta"),
    ("pygments.comment", "italic ansibrightblack"),
    ("pygments.operator", ""),
    ("pygments.punctuation", ""),
    ("pygments.error", "underline ansired"),
)
"""Syntax colours, keyed by the class prompt_toolkit's PygmentsLexer gives each token type."""

UI_RULES: tuple[tuple[str, str], ...] = (
    ("prompt", ""),
    ("prompt.user", "ansigreen"),
    ("prompt.project", "bold ansicyan"),
    ("prompt.arrow", "bold"),
    ("continuation", "ansibrightblack"),
    ("bottom-toolbar", "noreverse bg:ansibrightblack ansiwhite"),
    ("bottom-toolbar.key", "bold"),
    ("bottom-toolbar.value", "ansiyellow"),
    ("bottom-toolbar.off", "ansiblack"),
    ("error", "ansired"),
    ("error.caret", "bold ansired"),
    ("error.position", "bold"),
    ("warning", "ansiyellow"),
    ("notice", "ansigreen"),
    ("completion-menu", "bg:ansiblack ansiwhite"),
    ("completion-menu.completion.current", "reverse"),
    ("completion-menu.meta.completion", "bg:ansiblack ansibrightblack"),
    ("matching-bracket.cursor", "bold ansiyellow"),
    ("matching-bracket.other", "bold ansiyellow"),
)
"""The REPL's own elements (prompt, toolbar, errors, completion menu)."""

# Style words that set a colour; without colour only the other attributes (bold, reverse...) stay.
_COLOUR_WORDS = ("ansi", "bg:", "fg:", "#")


def _without_colour(spec: str) -> str:
    return " ".join(w for w in spec.split() if not w.startswith(_COLOUR_WORDS) and w != "noreverse")


def style_rules(*, color: bool = True) -> list[tuple[str, str]]:
    """All rules, syntax then UI; with `color=False` (`--no-color`, NO_COLOR) only the
    attributes that are not colours remain, and the toolbar keeps prompt_toolkit's reverse."""
    rules = [*SYNTAX_RULES, *UI_RULES]
    if color:
        return rules
    return [(name, _without_colour(spec)) for name, spec in rules]


def repl_style(*, color: bool = True) -> Style:
    """The prompt_toolkit `Style` for the REPL (`PromptSession(style=repl_style(), ...)`)."""
    from prompt_toolkit.styles import Style

    return Style(style_rules(color=color))
