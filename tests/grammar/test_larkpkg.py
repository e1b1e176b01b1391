"""grammar/larkpkg.py: Lark's package registered without its __init__, completed on demand."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


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


def test_the_installed_lark_is_the_tested_minor_version() -> None:
    # pyproject.toml pins it; the trick is relied on for that version only.
    from importlib.metadata import version

    from cloneshell.grammar.larkpkg import TESTED_MINOR

    assert version("lark").rsplit(".", 1)[0] == TESTED_MINOR


@pytest.mark.parametrize(
    ("text", "tested"),
    [
        ('__version__: str = "1.3.1"\n', True),
        ("__version__ = '1.3.0'\n", True),
        ('__version__: str = "1.4.0"\n', False),
        ('__version__ = "1.30.0"\n', False),
        ('__version__ = "2.0.0"\n', False),
        ("from .x import __version__\n", False),
    ],
)
def test_the_layout_is_known_by_the_version_in_the_init_file(
    tmp_path: Path, text: str, tested: bool
) -> None:
    from cloneshell.grammar.larkpkg import tested_layout

    init = tmp_path / "__init__.py"
    init.write_text('"""Lark."""\nfrom .tree import Tree\n' + text)
    assert tested_layout(init) is tested
    assert tested_layout(tmp_path / "missing.py") is False


@pytest.mark.parametrize(("version", "deferred"), [("1.3.7", True), ("1.4.0", False)])
def test_another_lark_version_is_imported_plainly(
    tmp_path: Path, version: str, deferred: bool
) -> None:
    package = tmp_path / "lark"
    package.mkdir()
    (package / "__init__.py").write_text(f'print("init ran")\n__version__ = "{version}"\n')
    (package / "tree.py").write_text("Tree = 1\n")
    out = _run(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import cloneshell.grammar
        print("lark" in sys.modules)
        import lark.tree
        print(lark.__version__)
        """
    )
    if deferred:  # registered at once; the __init__ runs on first use of a name
        assert out == ["True", "init ran", version]
    else:  # left alone: the import runs the __init__ first, as always
        assert out == ["False", "init ran", version]
