"""Parse SQL text into AST statements with the one cached LALR parser; Lark's errors become
SqlSyntaxError.

Usage: `parse(text)` for a script of `;`-separated statements, `parse_statement(text)` for exactly
one. Positions in spans and errors are relative to `text`.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
import threading
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, ValuesView
from pathlib import Path
from typing import cast

import lark
from lark import Lark, Token, Tree
from lark.exceptions import (
    UnexpectedInput,
    UnexpectedToken,
)
from lark.lark import PostLex
from lark.lexer import (
    BasicLexer,
    CallChain,
    ContextualLexer,
    PatternStr,
    Scanner,
    TerminalDef,
    UnlessCallback,
    _create_unless,
)
from lark.parsers.lalr_analysis import Reduce, Shift

from cloneshell.grammar import ast
from cloneshell.grammar.errors import Span, SqlSyntaxError
from cloneshell.grammar.transformer import build_statements, token_span

GRAMMAR_PATH = Path(__file__).with_name("dialect.lark")
"""The grammar file, shipped as package data next to this module."""
DIALECTS = ("maxcompute", "snowflake")
"""Dialect names parse() accepts."""
MAX_PAREN_DEPTH = 200
"""Deepest nesting of parentheses accepted; real statements stay far below it."""

_SHOWN = 40  # longest offending text quoted in an error message
_MAX_REREADS = 16  # keywords re-read as names in one script before the error stands
# Terminals lexed only in one parser state; elsewhere they would swallow the rest of the line.
_CONTEXT_ONLY = frozenset({"SET_KEY", "SET_VALUE", "PRINCIPAL", "WS", "UNCLOSED_COMMENT"})

# Human names of the regex terminals, for the `expected` list of a syntax error. Keyword and
# punctuation terminals are named by their own text.
_TERMINAL_NAMES = {
    "NAME": "identifier",
    "BQ_IDENT": "identifier",
    "SQ_STRING": "string",
    "NUMBER": "number",
    "BINARY_STRING": "binary literal",
    "PRINCIPAL": "user name",
    "SET_KEY": "flag name",
    "SET_VALUE": "flag value",
    "$END": "<EOF>",
}


class _TokenFilter(PostLex):
    """Keeps NAME lexable in every parser state and bounds the nesting of parentheses."""

    # The contextual lexer only tries the terminals a state accepts; were NAME missing, a state
    # expecting TABLE would read `tables` as TABLE plus a stray `s`. With NAME always tried, a word
    # is read whole and the error names the word the user wrote.
    always_accept = ("NAME",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        for token in stream:
            if token.type == "LPAR":
                depth += 1
                if depth > MAX_PAREN_DEPTH:
                    raise SqlSyntaxError("statement too deeply nested", token_span(token), "(")
            elif token.type == "RPAR":
                depth -= 1
            yield token


def _unclosed_comment(token: Token) -> Token:
    word = str(token).split("\n", 1)[0][:_SHOWN]
    raise SqlSyntaxError(f"invalid token '{word}'", token_span(token), word)


# Lark options of the run-time parser (part of the snapshot's key: see _snapshot_path()).
_OPTIONS: dict[str, object] = {
    "parser": "lalr",
    "propagate_positions": True,
    "maybe_placeholders": False,
}


def build_parser(*, strict: bool = False, cache: bool = True) -> Lark:
    """Build the LALR parser of dialect.lark. `strict=True` (tests) also fails on any grammar
    conflict or terminal collision; the run-time parser is the cached one of get_parser()."""
    return Lark.open(
        str(GRAMMAR_PATH),
        postlex=_TokenFilter(),
        lexer_callbacks={"UNCLOSED_COMMENT": _unclosed_comment},
        strict=strict,
        cache=cache,
        **_OPTIONS,  # type: ignore[arg-type]
    )


def get_parser() -> Lark:
    """The process-wide parser: read from its snapshot (see _read_snapshot), else built (from
    Lark's own cache when it has one) and snapshotted for the next process. Thread-safe: the
    shell loads it on one thread while another opens the session (which may parse too)."""
    with _PARSER_LOCK:
        return _load_parser()


_PARSER_LOCK = threading.Lock()


@functools.cache
def _load_parser() -> Lark:
    path = _snapshot_path()
    parser = _read_snapshot(path) if path is not None else None
    if parser is None:
        parser = build_parser()
        if path is not None:
            _write_snapshot(parser, path)
    return parser


# ---------------------------------------------------------------------------------------------
# The parser snapshot
#
# Loading Lark's own cache re-creates the parser from a generic serialized form: ~22,000
# deserialize() calls, a parse table rebuilt entry by entry and 340 contextual lexers set up,
# ~100 ms of every `cloneshell -e` run. A snapshot is a pickle of the finished parser object,
# which loads in ~20 ms. Lark compares parse actions by identity with its `Shift`/`Reduce`
# singletons and keeps the `re` module on the lexer configuration, so those are pickled as
# references to the running process's objects. The snapshot lives in the user's cache
# directory (never a shared temporary directory: a pickle runs code when loaded), keyed by the
# grammar, Lark's version, the Python version and this module's options; any problem reading
# it means building the parser again.

_SNAPSHOT_FORMAT = "3"  # bump when what the snapshot holds changes in a way the key cannot see


def _snapshot_path() -> Path | None:
    """`$XDG_CACHE_HOME/cloneshell/parser-<key>.pickle` (default `~/.cache`), or None when
    there is no home to put it in."""
    digest = hashlib.sha256()
    for part in (
        _SNAPSHOT_FORMAT,
        lark.__version__,
        sys.implementation.cache_tag or sys.version,
        repr(sorted(_OPTIONS.items())),
    ):
        digest.update(part.encode() + b"\0")
    try:
        for grammar in sorted(GRAMMAR_PATH.parent.glob("*.lark")):
            digest.update(grammar.read_bytes() + b"\0")
        base = os.environ.get("XDG_CACHE_HOME", "")
        root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    return root / "cloneshell" / f"parser-{digest.hexdigest()[:32]}.pickle"


def _read_snapshot(path: Path) -> Lark | None:
    """The parser pickled at `path`, if the file is there, ours and not writable by others."""
    try:
        with path.open("rb") as f:
            status = os.fstat(f.fileno())
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return None
            data = f.read()
    except OSError:
        return None
    # Unpickling makes ~100,000 objects at once; generational collections over them in the
    # middle of the load would only find nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        parser = _SnapshotUnpickler(io.BytesIO(data)).load()
    except Exception:  # stale, truncated or foreign: build the parser instead
        return None
    finally:
        if enabled:
            gc.enable()
    return parser if isinstance(parser, Lark) else None


def _write_snapshot(parser: Lark, path: Path) -> None:
    """Save `parser` at `path` (atomically; a directory we cannot write is not an error)."""
    try:
        buffer = io.BytesIO()
        with _pickling(parser):
            _SnapshotPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parser)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".parser-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(buffer.getvalue())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except Exception:  # a cache that cannot be written only costs the next start-up time
        pass


@contextlib.contextmanager
def _pickling(parser: Lark) -> Iterator[None]:
    """`parser` as it is pickled: its parse table rows in the compact form of _LazyStates, and
    without the tree builder Lark keeps only to make its callbacks (already made). Restored
    afterwards; a parser whose insides are not as expected is pickled as it is."""
    saved: list[tuple[object, str, object]] = []
    _precompute_keywords(parser)
    try:
        table = parser.parser.parser.parser.parse_table
        if not isinstance(table.states, _LazyStates):
            saved.append((table, "states", table.states))
            table.states = _LazyStates.encode(table.states)
        if getattr(parser, "_parse_tree_builder", None) is not None:
            saved.append((parser, "_parse_tree_builder", parser._parse_tree_builder))
            setattr(parser, "_parse_tree_builder", None)  # noqa: B010 - Lark types it as set
    except AttributeError:
        pass
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


class _LazyStates(dict[int, dict[str, tuple[object, object]]]):
    """The LALR parse table's `states` ({state: {terminal: (Shift, state) or (Reduce, rule)}}),
    each row decoded from a flat tuple on first use.

    The table has ~1,400 rows and ~27,000 actions, but a statement visits a few dozen rows:
    unpickling the rows as flat tuples instead of ~27,000 action tuples and their dicts is most
    of what makes the snapshot load fast. Lark only indexes `states` when parsing; whatever
    iterates it gets every row decoded first."""

    def __init__(self, rows: dict[int, tuple[object, ...]], rules: list[object]) -> None:
        super().__init__()
        self._rows = rows  # state -> (terminal, code, terminal, code, ...)
        self._rules = rules  # code -1 - i is (Reduce, rules[i]); a code >= 0 is (Shift, code)

    @classmethod
    def encode(cls, states: dict[int, dict[str, tuple[object, object]]]) -> _LazyStates:
        """The compact form of a parse table's `states`."""
        rules: list[object] = []
        index: dict[int, int] = {}
        rows: dict[int, tuple[object, ...]] = {}
        for state, actions in states.items():
            flat: list[object] = []
            for terminal, (action, arg) in actions.items():
                if action is Shift:
                    code = arg
                else:
                    if id(arg) not in index:
                        index[id(arg)] = len(rules)
                        rules.append(arg)
                    code = -1 - index[id(arg)]
                flat += (terminal, code)
            rows[state] = tuple(flat)
        return cls(rows, rules)

    def __missing__(self, state: int) -> dict[str, tuple[object, object]]:
        flat = self._rows[state]  # KeyError for a state that does not exist, as from a dict
        rules = self._rules
        row: dict[str, tuple[object, object]] = {}
        for i in range(0, len(flat), 2):
            code = flat[i + 1]
            assert isinstance(code, int)
            row[str(flat[i])] = (Shift, code) if code >= 0 else (Reduce, rules[-1 - code])
        self[state] = row
        return row

    def _decode_all(self) -> None:
        for state in self._rows:
            if not dict.__contains__(self, state):
                self.__missing__(state)

    def __reduce__(self) -> tuple[object, ...]:
        return (_LazyStates, (self._rows, self._rules))

    def __contains__(self, state: object) -> bool:
        return state in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[int]:
        self._decode_all()
        return super().__iter__()

    def keys(self) -> KeysView[int]:  # type: ignore[override]
        self._decode_all()
        return super().keys()

    def values(self) -> ValuesView[dict[str, tuple[object, object]]]:  # type: ignore[override]
        self._decode_all()
        return super().values()

    def items(self) -> ItemsView[int, dict[str, tuple[object, object]]]:  # type: ignore[override]
        self._decode_all()
        return super().items()

    def get(self, state: int, default: object = None) -> object:  # type: ignore[override]
        return self[state] if state in self._rows else default


def _precompute_keywords(parser: Lark) -> None:
    """Make every contextual lexer of `parser` a _KeywordLexer (what it lexes is unchanged)."""
    connector = getattr(parser.parser, "lexer", None)
    contextual = getattr(connector, "lexer", None)
    if not isinstance(contextual, ContextualLexer):
        return
    lexers = {id(lexer): lexer for lexer in contextual.lexers.values()}
    lexers[id(contextual.root_lexer)] = contextual.root_lexer
    shared: dict[tuple[str, ...], object] = {}  # equal tables are one object in the pickle
    for lexer in lexers.values():
        if type(lexer) is BasicLexer:
            _KeywordLexer.convert(lexer, shared)


class _KeywordLexer(BasicLexer):
    """A Lark BasicLexer whose keyword table was worked out when the snapshot was made.

    Lark builds the scanner of a contextual lexer state on first use. Most of that work is
    finding which keywords NAME (and other regex terminals) also match, by trying every pair
    with re.match, and compiling those keywords into one more regular expression that looks a
    NAME up (lark.lexer._create_unless and UnlessCallback): ~2 ms per state, and a statement
    visits several states. Here that pairing is done once, before pickling, and the lookup is a
    dict, for a NAME of ASCII text (which a case-insensitive keyword fully matches exactly when
    they are equal in lower case); other text goes through Lark's own regular expression. The
    tokens are the same (tests/grammar/test_parser_snapshot.py)."""

    _scanner_of: _SharedScanner  # the terminals left once keywords are looked up
    _keywords: dict[str, _KeywordLookup]

    @classmethod
    def convert(cls, lexer: BasicLexer, shared: dict[tuple[str, ...], object]) -> None:
        """Turn `lexer` into a _KeywordLexer, unless its keywords are not all plain
        case-insensitive strings (then it stays as it is). Tables equal to one in `shared` are
        taken from there."""
        flags, re_module, use_bytes = lexer.g_regex_flags, lexer.re, lexer.use_bytes
        terminals, callbacks = _create_unless(lexer.terminals, flags, re_module, use_bytes)  # type: ignore[no-untyped-call]
        keywords: dict[str, _KeywordLookup] = {}
        for name, callback in callbacks.items():
            words = callback.scanner.terminals
            if flags or use_bytes or not all(_plain_keyword(t) for t in words):
                return
            key = ("keywords", name, *(t.name for t in words))
            keywords[name] = cast(
                _KeywordLookup, shared.setdefault(key, _KeywordLookup(words, re_module))
            )
        lexer.__class__ = cls
        assert isinstance(lexer, _KeywordLexer)
        key = ("terminals", *(t.name for t in terminals))
        lexer._scanner_of = cast(_SharedScanner, shared.setdefault(key, _SharedScanner(terminals)))
        lexer._keywords = keywords

    def _build_scanner(self) -> Scanner:
        # BasicLexer._build_scanner with the keyword work done (lark/lexer.py).
        callback: dict[str, Callable[[Token], Token]] = dict(self._keywords)
        for type_, f in self.user_callbacks.items():
            if type_ in callback:
                callback[type_] = CallChain(  # type: ignore[no-untyped-call]
                    callback[type_], f, lambda t, k=type_: t.type == k
                )
            else:
                callback[type_] = f
        self.callback = callback
        return self._scanner_of.scanner(self.re)


class _SharedScanner:
    """The scanner of a list of terminals, built on first use; lexers of several parser states
    scan for the same terminals, and share it."""

    def __init__(self, terminals: list[TerminalDef]) -> None:
        self._terminals = terminals
        self._scanner: Scanner | None = None

    def scanner(self, re_module: object) -> Scanner:
        """The scanner (a lexer that has one has no global regex flags, nor bytes)."""
        if self._scanner is None:
            self._scanner = Scanner(self._terminals, 0, re_module, False)  # type: ignore[no-untyped-call]
        return self._scanner

    def __getstate__(self) -> dict[str, object]:
        return {"_terminals": self._terminals, "_scanner": None}


def _plain_keyword(terminal: TerminalDef) -> bool:
    pattern = terminal.pattern
    return (
        isinstance(pattern, PatternStr) and set(pattern.flags) == {"i"} and pattern.value.isascii()
    )


class _KeywordLookup:
    """lark.lexer.UnlessCallback over case-insensitive ASCII keywords, with a dict."""

    def __init__(self, words: list[TerminalDef], re_module: object) -> None:
        self._words: dict[str, str] = {}
        for t in words:  # the first of equal words wins, as in the regular expression
            self._words.setdefault(str(t.pattern.value).lower(), t.name)
        self._terminals = words
        self._re = re_module
        self._regex: UnlessCallback | None = None

    def __call__(self, token: Token) -> Token:
        value = str(token)
        if value.isascii():
            name = self._words.get(value.lower())
            if name is not None:
                token.type = name
            return token
        if self._regex is None:  # e.g. a SET value; Lark's case folding is Unicode's
            scanner = Scanner(self._terminals, 0, self._re, False)  # type: ignore[no-untyped-call]
            self._regex = UnlessCallback(scanner)
        result: Token = self._regex(token)
        return result

    def __getstate__(self) -> dict[str, object]:
        return {"_words": self._words, "_terminals": self._terminals, "_re": self._re}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._regex = None


def _snapshot_references() -> dict[str, object]:
    """The objects a snapshot refers to instead of copying, by name."""
    return {"Shift": Shift, "Reduce": Reduce, "re": re}


class _SnapshotPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol)
        self._names = {id(obj): name for name, obj in _snapshot_references().items()}

    def persistent_id(self, obj: object) -> str | None:
        return self._names.get(id(obj))


class _SnapshotUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self._objects = _snapshot_references()

    def persistent_load(self, pid: object) -> object:
        return self._objects[str(pid)]


def parse(text: str, dialect: str = "maxcompute") -> list[ast.Statement]:
    """Parse `text`: zero or more statements separated by `;` (a trailing `;` is optional).

    `dialect` is "maxcompute" (a lone "..." in an expression is a string) or "snowflake" (it is an
    identifier). Raises SqlSyntaxError for any text that is not valid; no other exception comes
    from the text (ValueError only for an unknown dialect, which is a caller's bug).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {DIALECTS}")
    try:
        tree = _parse_tree(text)
        return build_statements(tree, text, dialect)
    except SqlSyntaxError:
        raise
    except UnexpectedInput as e:
        raise _syntax_error(e, text) from None
    except RecursionError:
        raise SqlSyntaxError("statement too deeply nested") from None
    except Exception as e:
        # The promise is that bad text only ever yields SqlSyntaxError; the cause stays chained
        # for the log file.
        raise _internal_error(e) from e


def _parse_tree(text: str) -> Tree[Token]:
    """The parse tree of `text`; a keyword the parser refuses is read again as a name.

    LALR(1) merges the states reached just after a name, so the contextual lexer reads a word as
    a keyword after *any* name when that keyword may follow a name *somewhere* in the grammar:
    `clone` in `SELECT a clone FROM t` lexes as CLONE (it follows the table name of CREATE TABLE
    t CLONE s) and the implicit alias fails. When the parser refuses such a keyword token, the
    text is parsed again with that one word as a NAME. If that gets no further, the first error
    stands, so wrong keywords are still reported where they are.
    """
    parser = get_parser()
    try:
        tree: Tree[Token] = parser.parse(text)
        return tree
    except UnexpectedToken as e:
        error: UnexpectedInput = e
    as_names: set[int] = set()
    while isinstance(error, UnexpectedToken):
        keyword = _refused_keyword(error, text)
        if keyword is None or len(as_names) >= _MAX_REREADS:
            break
        as_names.add(keyword.start_pos or 0)
        try:
            return _parse_reading_as_names(parser, text, frozenset(as_names))
        except UnexpectedInput as again:
            if _error_offset(again, text) <= _error_offset(error, text):
                break
            error = again
    raise error


# Object kinds that are also common table names (`DESC task;` describes a table TASK). They are
# not soft keywords (each soft keyword grows the parse table); instead a statement that ends
# just after one, which only a longer statement could use (`DESC TASK k`), reads it as a name.
_NAME_AT_END = frozenset({"STAGE", "PIPE", "STREAM", "TASK"})


def _refused_keyword(error: UnexpectedToken, text: str) -> Token | None:
    """The keyword to read again as a name: the refused token itself, or one of _NAME_AT_END
    right before the end of the statement."""
    token: Token = error.token
    if _is_keyword(token):
        return token
    last: Token | None = None
    history = getattr(error, "token_history", None) or ()
    if token.type == "SEMICOLON" and history:
        last = history[-1]
    elif token.type == "$END" and token.start_pos is not None and token.end_pos is not None:
        # Lark places $END on the last token and keeps no history for it.
        word = text[token.start_pos : token.end_pos]
        last = Token.new_borrow_pos("NAME", word, token)
    if last is not None and str(last).upper() in _NAME_AT_END:
        return last
    return None


def _is_keyword(token: Token) -> bool:
    # keywords.py derives its tables from this module's parser, so it is imported on demand.
    from cloneshell.grammar.keywords import keyword_for_terminal

    return keyword_for_terminal(token.type) is not None


def _parse_reading_as_names(parser: Lark, text: str, offsets: frozenset[int]) -> Tree[Token]:
    """Parse `text`, turning the keyword tokens that start at `offsets` into NAME tokens."""
    interactive = parser.parse_interactive(text)
    token: Token | None = None
    for token in interactive.lexer_thread.lex(interactive.parser_state):  # type: ignore[no-untyped-call]
        if token.start_pos in offsets:
            token = Token.new_borrow_pos("NAME", str(token), token)
        interactive.feed_token(token)
    tree: Tree[Token] = interactive.feed_eof(token)  # type: ignore[no-untyped-call]
    return tree


def _error_offset(error: UnexpectedInput, text: str) -> int:
    """How far into `text` the parser got before `error`."""
    if isinstance(error, UnexpectedToken):
        if error.token.type == "$END":
            return len(text) + 1
        return error.token.start_pos or 0
    return error.pos_in_stream or 0


def parse_statement(text: str, dialect: str = "maxcompute") -> ast.Statement:
    """Parse exactly one statement (a trailing `;` is allowed)."""
    statements = parse(text, dialect)
    if len(statements) == 1:
        return statements[0]
    if not statements:
        end = len(text)
        line = text.count("\n") + 1
        column = end - (text.rfind("\n") + 1) + 1
        raise SqlSyntaxError("invalid token '<EOF>'", Span.point(end, line, column), None)
    extra = statements[1].span
    word = text[extra.start : extra.end].split(maxsplit=1)[0]
    raise SqlSyntaxError(f"invalid token '{word}'", extra, word)


def _internal_error(error: BaseException) -> SqlSyntaxError:
    return SqlSyntaxError(f"internal parser error ({type(error).__name__}: {error})")


def _syntax_error(error: UnexpectedInput, text: str) -> SqlSyntaxError:
    expected = _expected(_expected_terminals(error))
    if isinstance(error, UnexpectedToken) and error.token.type != "SET_VALUE":
        token = error.token
        if token.type == "$END":
            # Lark places $END at the last token; the error belongs just after it.
            offset = token.end_pos or 0
            point = Span.point(offset, token.end_line or 1, token.end_column or 1)
            return SqlSyntaxError("invalid token '<EOF>'", point, None, expected)
        return SqlSyntaxError(f"invalid token '{token}'", token_span(token), str(token), expected)
    if isinstance(error, UnexpectedInput) and error.pos_in_stream is not None:
        # Text no terminal of the parser state matches. (When Lark's fallback lexer reads it as
        # SET_VALUE, which matches almost anything, that token is no better a guess.)
        pos = error.pos_in_stream
        bad = _offending_text(text, pos)
        span = Span(
            pos, pos + len(bad), error.line, error.column, error.line, error.column + len(bad)
        )
        shown = bad if bad.isprintable() else bad.encode("unicode_escape").decode("ascii")
        return SqlSyntaxError(f"invalid token '{shown}'", span, bad, expected)
    # Lark's LALR parser reports the end of input as UnexpectedToken($END); anything else is odd.
    end = len(text)
    line = text.count("\n") + 1
    point = Span.point(end, line, end - (text.rfind("\n") + 1) + 1)
    return SqlSyntaxError("invalid token '<EOF>'", point, None, expected)


def _expected_terminals(error: UnexpectedInput) -> set[str]:
    if isinstance(error, UnexpectedToken) and error.interactive_parser is not None:
        return set(error.accepts)
    state = error.state
    if state is not None:  # the parse table's row; the lexer's set would also hold NAME always
        return {t for t in state.parse_conf.states[state.position] if t.isupper()}
    return set(getattr(error, "allowed", None) or ())


def _offending_text(text: str, pos: int) -> str:
    """The longest text at `pos` that some terminal of the grammar matches, else one character.
    An unterminated string shows its start, up to the end of the line."""
    if text[pos] in "'\"`":
        return text[pos:].split("\n", 1)[0][:_SHOWN]
    best = text[pos]
    for terminal in get_parser().terminals:
        if terminal.name in _CONTEXT_ONLY:
            continue
        match = re.compile(terminal.pattern.to_regexp()).match(text, pos)
        if match and len(match.group()) > len(best):
            best = match.group()
    return best[:_SHOWN]


def _expected(terminals: Iterable[str]) -> tuple[str, ...]:
    # keywords.py derives its tables from this module's parser, so it is imported on demand.
    from cloneshell.grammar.keywords import NON_RESERVED, keyword_for_terminal

    names = set(terminals)
    identifier = "NAME" in names
    result: set[str] = set()
    for name in names:
        keyword = keyword_for_terminal(name)
        if keyword is not None:
            if not (identifier and keyword in NON_RESERVED):  # there it is just an identifier
                result.add(keyword)
        elif name == "DQ_STRING":
            result.add("identifier" if identifier else "string")
        elif name in _TERMINAL_NAMES:
            result.add(_TERMINAL_NAMES[name])
        else:
            result.add(str(get_parser().get_terminal(name).pattern.value))
    return tuple(sorted(result))
