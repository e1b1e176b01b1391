"""The parser snapshot (grammar/snapshot.py): a parser read back from it parses exactly as the
parser it was saved from, and a snapshot that is missing, damaged or not safely ours is never
used."""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path

import pytest
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput
from lark.lexer import Scanner, UnlessCallback

from cloneshell.grammar import parser as parser_module
from cloneshell.grammar import snapshot as snapshot_module
from cloneshell.grammar.split import split_script

GOLDEN = Path(__file__).resolve().parent.parent / "golden"

MORE = [
    "SELECT 1",
    "select a, count(*) AS n FROM p.t WHERE ds = '2024' AND x <=> NULL GROUP BY a ORDER BY n",
    "CREATE TABLE IF NOT EXISTS t (a BIGINT COMMENT 'x', b DECIMAL(10,2)) "
    "PARTITIONED BY (ds STRING) LIFECYCLE 7",
    "SET odps.sql.allow.fullscan=true",
    "GRANT Describe, Select ON TABLE t TO USER RAM$owner@aliyun.com:bob",
    "SELECT a clone FROM t",  # a keyword re-read as a name
    "/* unclosed",
    "SELECT (((1)",
    "SELECT 'unterminated",
    "CLONE TABLE a TO b IF EXISTS OVERWRITE",
]


def _statements() -> list[str]:
    texts = list(MORE)
    for script in sorted(GOLDEN.glob("*.sql")):
        items = split_script(script.read_text())
        texts += [item.text for item in items if item.kind == "sql"]
    return texts


def _outcome(parser: Lark, text: str) -> Tree[Token] | tuple[str, object]:
    try:
        tree: Tree[Token] = parser.parse(text)
        return tree
    except UnexpectedInput as e:
        expected = getattr(e, "expected", None) or getattr(e, "allowed", None)
        return (type(e).__name__, (e.line, e.column, sorted(expected or ())))
    except Exception as e:  # e.g. the SqlSyntaxError of the unclosed-comment callback
        return (type(e).__name__, str(e))


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "parser.pickle"


def test_a_snapshot_parses_like_the_parser_it_was_taken_from(snapshot: Path) -> None:
    built = parser_module.build_parser()
    snapshot_module.write_snapshot(built, snapshot)
    assert snapshot.exists() and snapshot.stat().st_mode & 0o077 == 0
    loaded = snapshot_module.read_snapshot(snapshot)
    assert loaded is not None and loaded is not built
    texts = _statements()
    assert len(texts) > 100
    for text in texts:
        assert _outcome(loaded, text) == _outcome(built, text), text


def test_interactive_parsing_works_on_a_snapshot(snapshot: Path) -> None:
    snapshot_module.write_snapshot(parser_module.build_parser(), snapshot)
    loaded = snapshot_module.read_snapshot(snapshot)
    assert loaded is not None
    interactive = loaded.parse_interactive("SELECT a FROM t ")
    interactive.exhaust_lexer()
    assert "WHERE" in interactive.accepts()  # type: ignore[no-untyped-call]


def test_a_damaged_snapshot_is_ignored(snapshot: Path) -> None:
    snapshot.parent.mkdir()
    snapshot.write_bytes(b"\x80\x05not a pickle")
    snapshot.chmod(0o600)
    assert snapshot_module.read_snapshot(snapshot) is None
    snapshot.write_bytes(b"")
    assert snapshot_module.read_snapshot(snapshot) is None
    assert snapshot_module.read_snapshot(snapshot.with_name("missing.pickle")) is None


def test_a_snapshot_others_may_write_is_ignored(snapshot: Path) -> None:
    snapshot_module.write_snapshot(parser_module.build_parser(), snapshot)
    snapshot.chmod(0o666)
    assert snapshot_module.read_snapshot(snapshot) is None


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    tmp_path.chmod(0o500)
    try:
        snapshot_module.write_snapshot(parser_module.build_parser(), tmp_path / "c" / "p.pickle")
    finally:
        tmp_path.chmod(0o700)
    assert not (tmp_path / "c").exists()


def test_the_snapshot_lives_in_the_xdg_cache_and_follows_the_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grammar = tmp_path / "g.lark"
    grammar.write_text("start: NAME\n")
    options: dict[str, object] = {"parser": "lalr"}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = snapshot_module.snapshot_path([grammar], options)
    assert path is not None and path.parent == tmp_path / "xdg" / "cloneshell"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # ignored, as the XDG spec says
    other = snapshot_module.snapshot_path([grammar], options)
    assert other is not None and other.parent == Path.home() / ".cache" / "cloneshell"
    assert other.name == path.name
    # Another grammar, other options or another format: another snapshot.
    grammar.write_text("start: NAME NAME\n")
    assert snapshot_module.snapshot_path([grammar], options) != other
    grammar.write_text("start: NAME\n")
    assert snapshot_module.snapshot_path([grammar], {"parser": "earley"}) != other
    monkeypatch.setattr(snapshot_module, "_SNAPSHOT_FORMAT", "another")
    assert snapshot_module.snapshot_path([grammar], options) != other


def test_lazy_states_decode_rows_on_use_and_behave_as_the_table() -> None:
    table = parser_module.build_parser().parser.parser.parser.parse_table
    states = table.states
    lazy = snapshot_module._LazyStates.encode(states)
    assert dict.__len__(lazy) == 0  # nothing decoded yet
    start = next(iter(table.start_states.values()))
    assert lazy[start] == states[start]
    assert dict.__len__(lazy) == 1
    assert len(lazy) == len(states) and start in lazy and -1 not in lazy
    assert lazy.get(-1) is None
    with pytest.raises(KeyError):
        lazy[-1]
    again = pickle.loads(pickle.dumps(lazy))
    assert isinstance(again, snapshot_module._LazyStates) and dict.__len__(again) == 0
    assert dict(lazy.items()) == states  # iterating decodes every row


def test_writing_a_snapshot_leaves_the_parser_as_it_was(snapshot: Path) -> None:
    built = parser_module.build_parser()
    table = built.parser.parser.parser.parse_table
    states, builder = table.states, built._parse_tree_builder
    snapshot_module.write_snapshot(built, snapshot)
    assert table.states is states and built._parse_tree_builder is builder
    assert type(states) is dict


def test_every_lexer_of_a_snapshot_looks_keywords_up_in_a_table(snapshot: Path) -> None:
    snapshot_module.write_snapshot(parser_module.build_parser(), snapshot)
    loaded = snapshot_module.read_snapshot(snapshot)
    assert loaded is not None
    contextual = loaded.parser.lexer.lexer
    kinds = {type(lexer) for lexer in contextual.lexers.values()}
    assert kinds == {snapshot_module._KeywordLexer}
    assert type(contextual.root_lexer) is snapshot_module._KeywordLexer


@pytest.mark.parametrize(
    "word", ["select", "SELECT", "SeLeCt", "selects", "sel", "Comment", "x", "ſelect", "ſet", "ſ"]
)
def test_the_keyword_table_answers_as_lark_s_regular_expression(word: str) -> None:
    terminals = {t.name: t for t in parser_module.build_parser().terminals}
    words = [terminals[name] for name in ("SELECT", "COMMENT", "SET")]
    table = snapshot_module._KeywordLookup(words, re)
    regex = UnlessCallback(Scanner(words, 0, re, False))  # type: ignore[no-untyped-call]
    assert table(Token("NAME", word)).type == regex(Token("NAME", word)).type


def test_the_lark_internals_snapshots_use_are_the_installed_ones() -> None:
    # pyproject.toml pins Lark's minor version; this is the check that pin is for.
    assert snapshot_module.lark_as_expected() and snapshot_module.SNAPSHOTS


@pytest.mark.parametrize(
    "change",
    [
        # A parameter renamed (Lark still works: this stands in for any other change).
        "original = lark.lexer._create_unless\n"
        "def renamed(terminals, flags, re_, use_bytes):\n"
        "    return original(terminals, flags, re_, use_bytes)\n"
        "lark.lexer._create_unless = renamed",
        # No longer a property (a cached one does the same for Lark).
        "import functools\n"
        "scanner = functools.cached_property(lambda self: self._build_scanner())\n"
        "lark.lexer.BasicLexer.scanner = scanner\n"
        "scanner.__set_name__(lark.lexer.BasicLexer, 'scanner')",
    ],
    ids=["parameters", "kind"],
)
def test_where_lark_s_internals_differ_no_snapshot_is_used(tmp_path: Path, change: str) -> None:
    import subprocess
    import sys
    import textwrap

    from cloneshell.grammar.parser import parse

    sql = "SELECT a clone FROM t WHERE b IN (1, 2)"
    code = textwrap.dedent(
        """
        import lark.lexer
        {change}
        from cloneshell.grammar import parser, snapshot
        print(snapshot.SNAPSHOTS, snapshot.snapshot_path([parser.GRAMMAR_PATH], {{}}))
        print(repr(parser.parse({sql!r}, "snowflake")))
        """
    ).format(change=change, sql=sql)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["False None", repr(parse(sql, "snowflake"))]
    assert list(tmp_path.iterdir()) == []  # nothing written to the cache
