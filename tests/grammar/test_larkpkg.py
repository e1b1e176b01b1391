"""grammar/larkpkg.py: Lark's package registered without its __init__, completed on demand."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_run_time_modules_load_without_the_grammar_compiler() -> None:
    out = _run(
        """
        import sys
        import cloneshell.grammar
        import lark.lexer, lark.parsers.lalr_parser, lark.tree, lark.exceptions
        print(sorted(m for m in ("lark.lark", "lark.load_grammar") if m in sys.modules))
        """
    )
    assert out == ["[]"]


def test_the_package_is_complete_on_first_use_of_a_top_level_name() -> None:
    out = _run(
        """
        import importlib.metadata, sys
        import cloneshell.grammar
        import lark.lexer
        from lark import Lark, Token
        import lark
        print(lark.__version__ == importlib.metadata.version("lark"))
        print(Token is lark.lexer.Token, Lark.__module__, "__getattr__" in vars(lark))
        try:
            lark.no_such_name
        except AttributeError as e:
            print("AttributeError", e)
        """
    )
    assert out == [
        "True",
        "True lark.lark False",
        "AttributeError module 'lark' has no attribute 'no_such_name'",
    ]


def test_an_imported_lark_is_left_alone() -> None:
    out = _run(
        """
        import sys
        import lark
        before = sys.modules["lark"]
        import cloneshell.grammar
        print(sys.modules["lark"] is before, "__getattr__" in vars(lark))
        """
    )
    assert out == ["True False"]


def test_the_version_key_is_the_packages_init_file() -> None:
    from importlib.metadata import version

    from cloneshell.grammar.larkpkg import lark_version_key

    assert version("lark").encode() in lark_version_key()
