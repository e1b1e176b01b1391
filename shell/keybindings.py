"""The REPL's keys, on top of prompt_toolkit's emacs/vi bindings: Enter runs the buffer once it
holds complete statements (else a new line), Alt-Enter / Esc Enter / Ctrl-J always add a line,
a paste is inserted whole (and run if it ends with a newline), F2 switches emacs/vi, Tab on a
blank line indents. Imported by the REPL only."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.enums import DEFAULT_BUFFER, EditingMode
from prompt_toolkit.filters import Condition, completion_is_selected, has_focus
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys

from cloneshell.grammar.split import is_complete, split_script
from cloneshell.shell.batch import ends_statement_vertically
from cloneshell.shell.context import OutputState

_QUIT_WORDS = frozenset({"q", "quit", "exit", "q;", "quit;", "exit;"})

INDENT = "    "


def should_submit(text: str) -> bool:
    """Whether Enter runs the buffer (True) or starts a new line (False): the buffer holds only
    complete statements and meta-commands, or ends with a statement terminated by `\\G`, or is
    empty, or its last line is a meta-command (`\\q` must work even in the middle of a
    statement), or it is a bare `quit`/`exit`/`q`."""
    stripped = text.strip()
    if not stripped or stripped.lower() in _QUIT_WORDS:
        return True
    if text.rstrip().rsplit("\n", 1)[-1].lstrip().startswith("\\"):
        return True
    return is_complete(text) or ends_statement_vertically(text)


def submittable_part(text: str) -> tuple[str, str]:
    """(`run`, `keep`): a pasted text that ends with an unfinished statement runs the complete
    statements before it and keeps the unfinished one for further editing. `keep` is empty
    when everything can run."""
    if should_submit(text):
        return text, ""
    items = split_script(text)
    if len(items) < 2:
        return "", text
    last = items[-1]
    head = text[: last.offset]
    if head.strip() and should_submit(head):
        return head, text[last.offset :]
    return "", text


def build_key_bindings(
    state: OutputState,
    *,
    typed_ahead: Callable[[], bool],
) -> KeyBindings:
    """The bindings. `typed_ahead()` is True for keys that arrived in the first instant of a
    prompt: text typed while a statement ran, when the terminal turned Enter into Ctrl-J."""
    kb = KeyBindings()
    in_input = has_focus(DEFAULT_BUFFER)

    def enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if should_submit(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    @kb.add("enter", filter=in_input & ~completion_is_selected)
    def _enter(event: KeyPressEvent) -> None:
        enter(event)

    @kb.add("enter", filter=in_input & completion_is_selected)
    def _close_menu(event: KeyPressEvent) -> None:
        # The highlighted completion is already in the text: Enter only closes the menu, so a
        # statement is never run by picking a name.
        event.current_buffer.complete_state = None

    @kb.add("escape", "enter", filter=in_input)
    def _newline(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text("\n")

    @kb.add("c-j", filter=in_input)
    def _ctrl_j(event: KeyPressEvent) -> None:
        # While a statement runs the terminal is in cooked mode, which turns a typed Enter into
        # Ctrl-J; keys typed ahead like that must still run what they end. A Ctrl-J pressed at
        # the prompt is a newline, as in the Snowflake CLI.
        if typed_ahead():
            enter(event)
        else:
            event.current_buffer.insert_text("\n")

    @kb.add(Keys.BracketedPaste, filter=in_input)
    def _paste(event: KeyPressEvent) -> None:
        # Inserted whole: no line is run on its own, no completion fires per character. Pasted
        # text ending in a newline runs, as it would without bracketed paste; an unfinished
        # last statement stays in the buffer (the REPL keeps it, see `submittable_part`).
        data = event.data.replace("\r\n", "\n").replace("\r", "\n")
        buffer = event.current_buffer
        buffer.insert_text(data, fire_event=False)
        if data.endswith("\n") and buffer.document.is_cursor_at_the_end:
            run, _ = submittable_part(buffer.text)
            if run:
                text = buffer.text
                buffer.delete_before_cursor(len(text) - len(text.rstrip()))  # not in history
                buffer.validate_and_handle()

    @kb.add("f2")
    def _toggle_mode(event: KeyPressEvent) -> None:
        vi = event.app.editing_mode == EditingMode.VI
        event.app.editing_mode = EditingMode.EMACS if vi else EditingMode.VI
        state.editing_mode = "emacs" if vi else "vi"

    @Condition
    def at_blank_line_start() -> bool:
        from prompt_toolkit.application import get_app

        document = get_app().current_buffer.document
        return document.current_line_before_cursor.strip() == "" and bool(document.text)

    @kb.add("tab", filter=in_input & at_blank_line_start & ~completion_is_selected)
    def _indent(event: KeyPressEvent) -> None:
        # Tab at the start of a continuation line indents (as in pgcli) instead of listing
        # every keyword.
        event.current_buffer.insert_text(INDENT)

    return kb
