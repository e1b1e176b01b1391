"""The REPL's statement history: prompt_toolkit's FileHistory under the XDG state directory,
shared by every run, kept to the newest N entries, loaded off the UI thread."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterable
from pathlib import Path

from prompt_toolkit.history import FileHistory, History, InMemoryHistory, ThreadedHistory

from cloneshell.shell.failures import state_dir


class BoundedFileHistory(FileHistory):
    """prompt_toolkit's FileHistory (shared by every run: each entry is appended as it is
    accepted), trimmed to the last `keep` entries when first loaded, because FileHistory
    itself grows without bound (prompt_toolkit issue 513)."""

    def __init__(self, filename: str, keep: int) -> None:
        super().__init__(filename)
        self.keep = keep

    def load_history_strings(self) -> Iterable[str]:
        trim_history(Path(str(self.filename)), self.keep)
        return super().load_history_strings()


def trim_history(path: Path, keep: int) -> None:
    """Keep the last `keep` entries of a FileHistory file (entries are runs of `+` lines, each
    after a `# timestamp` line); rewritten atomically, and only when it is too long."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    except OSError:
        return
    starts: list[int] = []
    block_start = 0
    in_entry = False
    for i, line in enumerate(lines):
        if line.startswith("+"):
            if not in_entry:
                starts.append(block_start)
            in_entry = True
        elif in_entry:
            block_start, in_entry = i, False
    if len(starts) <= keep:
        return
    kept = "".join(lines[starts[-keep] :]) if keep else ""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(kept, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


class EntryHistory(History):
    """Another history, storing `entry(text)` of each accepted input instead of the text."""

    def __init__(self, inner: History, entry: Callable[[str], str]) -> None:
        super().__init__()
        self._inner = inner
        self._entry = entry

    async def load(self) -> AsyncGenerator[str, None]:
        async for item in self._inner.load():
            yield item

    def get_strings(self) -> list[str]:
        return self._inner.get_strings()

    def append_string(self, string: str) -> None:
        self._inner.append_string(self._entry(string))

    def load_history_strings(self) -> Iterable[str]:
        return self._inner.load_history_strings()

    def store_string(self, string: str) -> None:
        self._inner.store_string(string)


def make_history(keep: int, entry: Callable[[str], str] = lambda text: text) -> History:
    """The history under `$XDG_STATE_HOME/cloneshell/history`, loaded in a background thread
    (a big file must not delay the prompt); in memory when that cannot be written or the
    settings keep no history. Each accepted input is stored as `entry(input)`."""
    path = state_dir() / "history"
    if keep <= 0:
        return EntryHistory(InMemoryHistory(), entry)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return EntryHistory(InMemoryHistory(), entry)
    return EntryHistory(ThreadedHistory(BoundedFileHistory(str(path), keep)), entry)
