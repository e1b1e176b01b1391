"""Snowflake's SOUNDEX: American Soundex (the first letter, then three digits for the consonants
that follow, letters of one code written once, H and W not separating two of them, vowels
separating them), as the SOUNDEX docs describe it."""

from __future__ import annotations

from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast

# Letter -> Soundex code: vowels (and Y) 0, H and W 9 (dropped before runs are merged).
_LETTERS = "AEIOUYHWBFPVCGJKQSXZDTLMNR"
_CODES = "00000099111122222222334556"


def soundex(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    letters = f"upper(regexp_replace(CAST({args[0]} AS VARCHAR), '[^A-Za-z]', '', 'g'))"
    # Each value is bound once, as a lambda parameter: w the letters, d their codes without
    # H/W, r d's runs merged.
    codes = f"replace(translate(w, {t.param(_LETTERS)}, {t.param(_CODES)}), '9', '')"
    merged = "list_filter(str_split(d, ''), lambda c, i: i = 1 OR c <> str_split(d, '')[i - 1])"
    # The first letter's own code is not written again (unless it is H or W: never coded).
    rest = "(CASE WHEN left(w, 1) IN ('H', 'W') THEN r ELSE r[2:] END)"
    digits = f"left(rpad(replace(array_to_string({rest}, ''), '0', ''), 3, '0'), 3)"
    body = (
        f"list_transform([{letters}], lambda w: list_transform([{codes}], lambda d: "
        f"list_transform([{merged}], lambda r: CASE WHEN w = '' THEN '' "
        f"ELSE left(w, 1) || {digits} END)[1])[1])[1]"
    )
    return f"(CASE WHEN {args[0]} IS NULL THEN NULL ELSE {body} END)"


FUNCTIONS: dict[str, FunctionRule] = {"soundex": soundex}
