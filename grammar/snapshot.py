"""The parser's snapshot: the finished Lark parser pickled in the user's cache directory, so a
new process loads it instead of building it.

Loading Lark's own cache re-creates the parser from a generic serialized form: ~22,000
deserialize() calls, a parse table rebuilt entry by entry and 340 contextual lexers set up,
~100 ms of every `cloneshell -e` run. A snapshot is a pickle of the finished parser object,
with its parse table rows kept compact until used (_LazyStates) and its lexers' keyword work
done in advance (_KeywordLexer). Lark compares parse actions by identity with its
`Shift`/`Reduce` singletons and keeps the `re` module on the lexer configuration, so those are
pickled as references to the running process's objects. The snapshot lives in the user's cache
directory (never a shared temporary directory: a pickle runs code when loaded) and is used only
when it is ours and not writable by others; it is keyed by the grammar, Lark's version, the
Python version and the parser's options. Any problem reading it means building the parser
again (grammar/parser.py).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, ValuesView
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

import lark.grammar
import lark.lexer
from lark.lexer import BasicLexer, ContextualLexer, PatternStr, Scanner, TerminalDef, Token
from lark.parsers import lalr_analysis

from cloneshell.grammar.larkpkg import lark_version_key

if TYPE_CHECKING:
    from lark import Lark
    from lark.grammar import Rule
    from lark.parser_frontends import ParsingFrontend
    from lark.parsers.lalr_interactive_parser import InteractiveParser
    from lark.tree import ParseTree

_SNAPSHOT_FORMAT = "6"  # bump when what the snapshot holds changes in a way the key cannot see

# What the snapshot reaches into, as Lark 1.3 has it (pyproject.toml pins that minor version):
# for each function (module, class, name), its parameters and the attributes it sets or reads
# (Python's `co_names`).
_RULE_OPTIONS = ("keep_all_tokens", "expand1", "priority", "template_source", "empty_indices")
_LARK_INTERNALS: tuple[tuple[ModuleType, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (lark.lexer, "", "_create_unless", ("terminals", "g_regex_flags", "re_", "use_bytes"), ()),
    (
        lark.lexer,
        "Scanner",
        "__init__",
        ("self", "terminals", "g_regex_flags", "re_", "use_bytes"),
        ("terminals",),
    ),
    (lark.lexer, "UnlessCallback", "__init__", ("self", "scanner"), ("scanner",)),
    (lark.lexer, "CallChain", "__init__", ("self", "callback1", "callback2", "cond"), ()),
    (lark.lexer, "BasicLexer", "_build_scanner", ("self",), ("callback", "user_callbacks")),
    (
        lark.lexer,
        "BasicLexer",
        "__init__",
        ("self", "conf", "comparator"),
        ("re", "terminals", "g_regex_flags", "use_bytes", "newline_types", "ignore_types"),
    ),
    (
        lark.lexer,
        "ContextualLexer",
        "__init__",
        ("self", "conf", "states", "always_accept"),
        ("lexers", "root_lexer"),
    ),
    (lark.grammar, "RuleOptions", "__init__", ("self", *_RULE_OPTIONS), _RULE_OPTIONS),
)


def lark_as_expected() -> bool:
    """Whether the Lark internals snapshots use are the ones they were written for: the keyword
    pairing of its lexers (`_create_unless`, `UnlessCallback`, `CallChain`, `Scanner`,
    `BasicLexer._build_scanner`), its lexers' attributes, its rule options and its `Shift` and
    `Reduce` actions. Where they differ, no snapshot is read or written (`snapshot_path` is
    None) and the parser is built by Lark, from Lark's own cache: slower, and nothing else
    changes."""
    for module, owner_name, name, parameters, names in _LARK_INTERNALS:
        owner = getattr(module, owner_name, None) if owner_name else module
        code = getattr(getattr(owner, name, None), "__code__", None)
        if code is None or code.co_varnames[: code.co_argcount] != parameters:
            return False
        if not set(names) <= set(code.co_names):
            return False
    return isinstance(getattr(BasicLexer, "scanner", None), property) and all(
        hasattr(lalr_analysis, action) for action in ("Shift", "Reduce")
    )


SNAPSHOTS = lark_as_expected()
"""Whether this process reads and writes snapshots (checked once, at import)."""


def snapshot_path(grammars: Iterable[Path], options: dict[str, object]) -> Path | None:
    """`$XDG_CACHE_HOME/cloneshell/parser-<key>.pickle` (default `~/.cache`) for a parser of
    the grammar files `grammars` built with Lark `options`; None when there is no home, or when
    the installed Lark is not the one snapshots are made for (SNAPSHOTS)."""
    if not SNAPSHOTS:
        return None
    digest = hashlib.sha256()
    for part in (
        _SNAPSHOT_FORMAT,
        sys.implementation.cache_tag or sys.version,
        repr(sorted(options.items())),
    ):
        digest.update(part.encode() + b"\0")
    digest.update(lark_version_key() + b"\0")
    try:
        for grammar in sorted(grammars):
            digest.update(grammar.read_bytes() + b"\0")
        base = os.environ.get("XDG_CACHE_HOME", "")
        root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    return root / "cloneshell" / f"parser-{digest.hexdigest()[:32]}.pickle"


def read_snapshot(path: Path) -> LoadedParser | None:
    """The parser pickled at `path`, if the file is there, ours and not writable by others."""
    try:
        with path.open("rb") as f:
            status = os.fstat(f.fileno())
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return None
            data = f.read()
    except OSError:
        return None
    # Unpickling makes tens of thousands of objects at once; generational collections over them
    # in the middle of the load would only find nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        parser = _SnapshotUnpickler(io.BytesIO(data)).load()
    except Exception:  # stale, truncated or foreign: build the parser instead
        return None
    finally:
        if enabled:
            gc.enable()
    return parser if isinstance(parser, LoadedParser) else None


def write_snapshot(parser: Lark, path: Path) -> None:
    """Save `parser` at `path` (atomically; a directory we cannot write is not an error). Its
    contextual lexers become _KeywordLexers for good (they lex the same, faster)."""
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
    without the tree builder Lark keeps only to make its callbacks (already made); both are
    restored afterwards. Its equal symbols and rule options become shared, and its lexers
    _KeywordLexers, for good (nothing else changes). A parser whose insides are not as
    expected is pickled as it is."""
    saved: list[tuple[object, str, object]] = []
    _share_equal_parts(parser)
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
                if action is lalr_analysis.Shift:
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
            shift, reduce = lalr_analysis.Shift, lalr_analysis.Reduce
            row[str(flat[i])] = (shift, code) if code >= 0 else (reduce, rules[-1 - code])
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


def _share_equal_parts(parser: Lark) -> None:
    """Make the grammar symbols and rule options of `parser`'s rules one object per value.

    Lark gives every occurrence of a symbol in a rule its own object (~3,300 for ~500
    symbols) and every rule its own options (867 objects, 3 values); the pickle stores each
    object, and loading made them all again: ~16 Mi of instructions (valgrind) of a snapshot
    load. Symbols and options compare by value, so sharing them changes nothing else."""
    symbols: dict[tuple[object, ...], Any] = {}
    options: dict[tuple[object, ...], Any] = {}

    def one(symbol: Any) -> Any:
        key = (type(symbol), symbol.name, getattr(symbol, "filter_out", None))
        return symbols.setdefault(key, symbol)

    for rule in parser.rules:
        rule.origin = one(rule.origin)
        rule.expansion = [one(symbol) for symbol in rule.expansion]
        o = rule.options
        key = (o.keep_all_tokens, o.expand1, o.priority, o.template_source, o.empty_indices)
        rule.options = options.setdefault(key, o)


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
        terminals, callbacks = lark.lexer._create_unless(  # type: ignore[no-untyped-call]
            lexer.terminals, flags, re_module, use_bytes
        )
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
        for name in ("newline_types", "ignore_types"):  # equal sets, one object
            value = getattr(lexer, name)
            setattr(lexer, name, shared.setdefault((name, *sorted(value)), value))

    def _build_scanner(self) -> Scanner:
        # BasicLexer._build_scanner with the keyword work done (lark/lexer.py).
        callback: dict[str, Callable[[Token], Token]] = dict(self._keywords)
        for type_, f in self.user_callbacks.items():
            if type_ in callback:
                callback[type_] = lark.lexer.CallChain(  # type: ignore[no-untyped-call]
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
        self._regex: lark.lexer.UnlessCallback | None = None

    def __call__(self, token: Token) -> Token:
        value = str(token)
        if value.isascii():
            name = self._words.get(value.lower())
            if name is not None:
                token.type = name
            return token
        if self._regex is None:  # e.g. a SET value; Lark's case folding is Unicode's
            scanner = Scanner(self._terminals, 0, self._re, False)  # type: ignore[no-untyped-call]
            self._regex = lark.lexer.UnlessCallback(scanner)
        result: Token = self._regex(token)
        return result

    def __getstate__(self) -> dict[str, object]:
        return {"_words": self._words, "_terminals": self._terminals, "_re": self._re}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._regex = None


def _snapshot_references() -> dict[str, object]:
    """The objects a snapshot refers to instead of copying, by name."""
    return {"Shift": lalr_analysis.Shift, "Reduce": lalr_analysis.Reduce, "re": re}


class _SnapshotPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol)
        self._names = {id(obj): name for name, obj in _snapshot_references().items()}

    def persistent_id(self, obj: object) -> str | None:
        return self._names.get(id(obj))


class LoadedParser:
    """A Lark parser as the grammar and the shell use it: the finished `Lark` object's parts
    (its parsing frontend, terminals and rules) with the `Lark` methods they call.

    A snapshot holds a pickled `Lark`; loading it makes a LoadedParser instead (the unpickler
    maps the class), so that loading never imports lark.lark, Lark's grammar compiler and
    everything it brings (grammar/larkpkg.py). A parser built in this process is wrapped the
    same way (`of`)."""

    parser: ParsingFrontend
    terminals: list[TerminalDef]
    rules: list[Rule]
    _terminals_dict: dict[str, TerminalDef]

    @classmethod
    def of(cls, built: Lark) -> LoadedParser:
        """`built`'s parts, shared."""
        loaded = cls.__new__(cls)
        loaded.__dict__.update(built.__dict__)
        return loaded

    # Lark.parse, Lark.parse_interactive and Lark.get_terminal (lark/lark.py), for the LALR
    # parser this always is.
    def parse(self, text: str) -> ParseTree:
        """The parse tree of `text`."""
        tree: ParseTree = self.parser.parse(text)
        return tree

    def parse_interactive(self, text: str) -> InteractiveParser:
        """An interactive parser over `text`."""
        result: InteractiveParser = self.parser.parse_interactive(text)
        return result

    def get_terminal(self, name: str) -> TerminalDef:
        """The terminal called `name`."""
        return self._terminals_dict[name]


class _LoadedOptions:
    """lark.lark.LarkOptions as loaded from a snapshot: its values, read as attributes (the
    parsing frontend looks its plugins up there on every parse)."""

    options: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["options"][name]
        except KeyError:
            raise AttributeError(name) from None


# Classes of lark.lark in a pickled Lark parser, and what a snapshot loads them as.
_LOADED_AS: dict[tuple[str, str], type] = {
    ("lark.lark", "Lark"): LoadedParser,
    ("lark.lark", "LarkOptions"): _LoadedOptions,
}


class _SnapshotUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self._objects = _snapshot_references()

    def find_class(self, module: str, name: str) -> Any:
        loaded = _LOADED_AS.get((module, name))
        return loaded if loaded is not None else super().find_class(module, name)

    def persistent_load(self, pid: object) -> object:
        return self._objects[str(pid)]
