"""The Pygments lexer: token types of the seed statements, every grammar keyword, principals,
privileges, literals, meta-commands, no Error tokens on the golden scripts, the `pygmentize`
entry point, and the REPL style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pygments.lexers
import pytest
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from cloneshell.grammar.keywords import KEYWORDS, PROJECT_ACTIONS, TABLE_ACTIONS
from cloneshell.shell.lexer import (
    CloneshellLexer,
    MetaCommand,
    Principal,
    Privilege,
)

GOLDEN = Path(__file__).parent.parent / "golden"


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    """Significant tokens (whitespace dropped)."""
    return [
        (t, v) for t, v in CloneshellLexer().get_tokens(text) if v.strip() and t not in Whitespace
    ]


def test_add_user() -> None:
    assert tokens("ADD USER ALIYUN$destination_owner@aliyunid.com;") == [
        (Keyword, "ADD"),
        (Keyword, "USER"),
        (Principal, "ALIYUN$destination_owner@aliyunid.com"),
        (Punctuation, ";"),
    ]


def test_grant_actions_on_project() -> None:
    assert tokens(
        "GRANT CreateTable, CreateInstance ON PROJECT project_analytics "
        "TO USER ALIYUN$destination_owner@aliyunid.com;"
    ) == [
        (Keyword, "GRANT"),
        (Privilege, "CreateTable"),
        (Punctuation, ","),
        (Privilege, "CreateInstance"),
        (Keyword, "ON"),
        (Keyword, "PROJECT"),
        (Name, "project_analytics"),
        (Keyword, "TO"),
        (Keyword, "USER"),
        (Principal, "ALIYUN$destination_owner@aliyunid.com"),
        (Punctuation, ";"),
    ]


def test_clone_table() -> None:
    assert tokens("CLONE TABLE a.b TO c.d IF EXISTS OVERWRITE;") == [
        (Keyword, "CLONE"),
        (Keyword, "TABLE"),
        (Name, "a"),
        (Punctuation, "."),
        (Name, "b"),
        (Keyword, "TO"),
        (Name, "c"),
        (Punctuation, "."),
        (Name, "d"),
        (Keyword, "IF"),
        (Keyword, "EXISTS"),
        (Keyword, "OVERWRITE"),
        (Punctuation, ";"),
    ]


@pytest.mark.parametrize("keyword", sorted(KEYWORDS))
def test_every_grammar_keyword_is_a_keyword(keyword: str) -> None:
    for spelling in (keyword, keyword.lower(), keyword.capitalize()):
        [(ttype, value)] = tokens(spelling)
        assert value == spelling
        assert ttype in Keyword and ttype is not MetaCommand


def test_constants_are_keyword_constants() -> None:
    assert tokens("NULL true False") == [(Keyword.Constant, w) for w in ("NULL", "true", "False")]


def test_word_containing_a_keyword_is_a_name() -> None:
    assert tokens("selected tables_x _from from$1") == [
        (Name, "selected"),
        (Name, "tables_x"),
        (Name, "_from"),
        (Name, "from$1"),
    ]


def test_keyword_after_a_dot_is_a_name() -> None:
    assert tokens("t.date, p.t.comment") == [
        (Name, "t"),
        (Punctuation, "."),
        (Name, "date"),
        (Punctuation, ","),
        (Name, "p"),
        (Punctuation, "."),
        (Name, "t"),
        (Punctuation, "."),
        (Name, "comment"),
    ]


@pytest.mark.parametrize(
    "principal",
    [
        "ALIYUN$owner@aliyunid.com",
        "aliyun$owner@aliyunid.com",
        "RAM$owner@aliyunid.com:migrator",
        "RAM$owner@aliyunid.com:role/admin",
        "`RAM$owner@aliyunid.com:role/x`",
        "`ALIYUN$a b`",
    ],
)
def test_principals(principal: str) -> None:
    assert tokens(f"REMOVE USER {principal};") == [
        (Keyword, "REMOVE"),
        (Keyword, "USER"),
        (Principal, principal),
        (Punctuation, ";"),
    ]


def test_name_with_dollar_is_not_a_principal() -> None:
    assert tokens("SELECT col$1 FROM t") == [
        (Keyword, "SELECT"),
        (Name, "col$1"),
        (Keyword, "FROM"),
        (Name, "t"),
    ]


def test_grant_and_revoke_on_table_every_engine_action() -> None:
    actions = sorted({a.lower() for a in PROJECT_ACTIONS + TABLE_ACTIONS})
    got = tokens(f"REVOKE {', '.join(actions)} ON TABLE t FROM USER x;")
    assert [v for t, v in got if t is Privilege] == actions
    assert got[-7:] == [
        (Keyword, "ON"),
        (Keyword, "TABLE"),
        (Name, "t"),
        (Keyword, "FROM"),
        (Keyword, "USER"),
        (Name, "x"),
        (Punctuation, ";"),
    ]


def test_grant_role_lists_role_names() -> None:
    assert tokens("GRANT analyst, Select TO RAM$a:u;") == [
        (Keyword, "GRANT"),
        (Name, "analyst"),
        (Punctuation, ","),
        (Privilege, "Select"),
        (Keyword, "TO"),
        (Principal, "RAM$a:u"),
        (Punctuation, ";"),
    ]


def test_action_names_outside_grant_are_ordinary() -> None:
    # `select` is a privilege only in a GRANT's list; `CreateTable` elsewhere is a name.
    assert tokens("SELECT CreateTable FROM t") == [
        (Keyword, "SELECT"),
        (Name, "CreateTable"),
        (Keyword, "FROM"),
        (Name, "t"),
    ]
    assert tokens("SHOW GRANTS FOR ALIYUN$x")[1] == (Keyword, "GRANTS")


def test_importing_the_lexer_does_not_import_duckdb() -> None:
    code = "import sys, cloneshell.shell.lexer; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "ttype"),
    [
        ("1", Number),
        ("1L", Number),
        ("3.5BD", Number),
        ("1.5e-3", Number),
        (".5", Number),
        ("'it''s'", String.Single),
        (r"'a\'b'", String.Single),
        ('"dq"', String.Double),
        ("x'0F'", String),
        ("`weird name`", Name.Quoted),
        ("-- to the end", Comment.Single),
    ],
)
def test_literals(text: str, ttype: _TokenType) -> None:
    assert tokens(text) == [(ttype, text)]


def test_block_comment_and_operators() -> None:
    got = tokens("a /* c\n d */ <=> b :: c != d || e")
    assert [t for t, _ in got] == [
        Name,
        Comment.Multiline,
        Comment.Multiline,
        Comment.Multiline,
        Operator,
        Name,
        Operator,
        Name,
        Operator,
        Name,
        Operator,
        Name,
    ]
    assert [v for t, v in got if t is Operator] == ["<=>", "::", "!=", "||"]


@pytest.mark.parametrize(
    "text", ["SELECT 'unfinished", 'SELECT "unfinished', "SELECT `unfinished", "SELECT 1 /* open"]
)
def test_unfinished_input_has_no_error_tokens(text: str) -> None:
    assert not [v for t, v in CloneshellLexer().get_tokens(text) if t in Error]


def test_meta_commands() -> None:
    text = "SELECT 1;\n  \\login RAM$a@b.com:role/x\n\\format csv\n\\q\nSELECT 2;"
    assert tokens(text) == [
        (Keyword, "SELECT"),
        (Number, "1"),
        (Punctuation, ";"),
        (MetaCommand, "\\login"),
        (Principal, "RAM$a@b.com:role/x"),
        (MetaCommand, "\\format"),
        (Text, "csv"),
        (MetaCommand, "\\q"),
        (Keyword, "SELECT"),
        (Number, "2"),
        (Punctuation, ";"),
    ]


def test_unknown_characters_are_errors() -> None:
    assert (Error, "?") in tokens("SELECT ? FROM t")


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.sql")), ids=lambda p: p.name)
def test_no_error_tokens_in_golden_scripts(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    bad = [v for t, v in CloneshellLexer().get_tokens(text) if t in Error]
    assert bad == []
    # Lexing loses nothing: the tokens spell the script (Pygments adds a final newline).
    assert "".join(v for _, v in CloneshellLexer().get_tokens(text)).rstrip("\n") == text.rstrip(
        "\n"
    )


def test_found_by_name_alias_and_file_pattern() -> None:
    assert isinstance(pygments.lexers.get_lexer_by_name("cloneshell"), CloneshellLexer)
    assert isinstance(pygments.lexers.get_lexer_by_name("odps"), CloneshellLexer)
    assert isinstance(pygments.lexers.get_lexer_for_filename("demo.odps.sql"), CloneshellLexer)
    # Plain .sql files keep Pygments' own SQL lexers.
    assert not isinstance(pygments.lexers.get_lexer_for_filename("demo.sql"), CloneshellLexer)


def test_pygmentize_entry_point(tmp_path: Path) -> None:
    script = tmp_path / "demo.sql"
    script.write_text("GRANT Select ON TABLE t TO USER ALIYUN$x@y.com;\n", encoding="utf-8")
    pygmentize = Path(sys.executable).with_name("pygmentize")
    out = subprocess.run(
        [str(pygmentize), "-l", "cloneshell", "-f", "raw", str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Token.Name.Privilege\t'Select'" in out.stdout
    assert "Token.Name.Principal\t'ALIYUN$x@y.com'" in out.stdout
    coloured = subprocess.run(
        [str(pygmentize), "-l", "cloneshell", "-f", "terminal", str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "\x1b[" in coloured.stdout and "GRANT" in coloured.stdout


def test_prompt_toolkit_adapter_highlights_a_buffer() -> None:
    from prompt_toolkit.document import Document
    from prompt_toolkit.lexers import PygmentsLexer

    lexer = PygmentsLexer(CloneshellLexer)  # as the REPL wraps it
    line = lexer.lex_document(Document("GRANT Select ON t TO USER RAM$a:u;"))(0)
    styles = {fragment[1]: fragment[0] for fragment in line}
    assert styles["GRANT"] == "class:pygments.keyword"
    assert styles["Select"] == "class:pygments.name.privilege"
    assert styles["RAM$a:u"] == "class:pygments.name.principal"


def test_repl_style_colours_every_token_type_the_lexer_makes() -> None:
    from prompt_toolkit.styles import Attrs

    from cloneshell.shell.style import repl_style, style_rules

    style = repl_style()
    for cls in ("pygments.keyword", "pygments.name.principal", "pygments.name.privilege"):
        attrs: Attrs = style.get_attrs_for_style_str(f"class:{cls}")
        assert attrs.color, cls
    assert style.get_attrs_for_style_str("class:error.caret").color == "ansired"
    assert style.get_attrs_for_style_str("class:pygments.literal.string.single").color
    plain = dict(style_rules(color=False))
    assert plain["pygments.keyword"] == "bold"
    assert not any("ansi" in spec or "bg:" in spec for spec in plain.values())


def test_style_module_imports_no_terminal_library() -> None:
    code = (
        "import sys, cloneshell.shell.style; "
        "print(any(m in sys.modules for m in ('prompt_toolkit', 'pygments')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
