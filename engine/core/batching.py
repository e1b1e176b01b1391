"""Running a script's statements in order, with consecutive single-row INSERTs batched.

A script of single-row `INSERT INTO t VALUES (…)` statements would otherwise pay a DuckDB
commit and half a dozen metadata queries per row. Where the dialect allows (its
`insert_batching`: MaxCompute), consecutive INSERTs into the same table run in one transaction
instead, optimistically: each still commits its own version with its own id, instant and text
(maxcompute/handlers/dml.py `insert_many`), so the warehouse ends exactly as if they had run one
at a time. If the batch cannot run whole — a statement fails, or reads a table
and so must see the rows written before it — it is rolled back and its statements run one at a
time: each error belongs to its own statement and no statement that succeeded is lost.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from cloneshell.engine.core.result import Result, Status
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session

# At most this many statements per transaction: bounds the rows held back from the output (the
# shell prints a batch's OK lines once it committed) and the work a failure makes replay.
MAX_BATCH = 1000


@record(frozen=True, slots=True)
class ManyOutcome:
    """What `execute_many` did: the results of the texts that succeeded, in order (one list per
    text) with the seconds each took (a batch's time shared equally), and the failure of the
    next text, if any: a `CloneshellError` in the dialect's format, an interrupt, or an
    internal error."""

    results: list[list[Result]]
    elapsed: list[float]
    error: BaseException | None = None


def execute_many(session: Session, texts: list[str]) -> ManyOutcome:
    """Run each text as `session.execute` would, in order, stopping at the first that fails:
    every text before it is applied, it and those after it are not."""
    results: list[list[Result]] = []
    elapsed: list[float] = []
    parsed: dict[int, list[ast.Statement]] = {}
    alone_until = 0  # the statements of a batch that was rolled back run one at a time
    i = 0
    while i < len(texts):
        try:
            if i >= alone_until:
                group = _insert_batch(session, texts, i, parsed)
                if len(group) > 1:
                    started = time.perf_counter()
                    ran = _run_batch(session, group, texts[i : i + len(group)])
                    if ran:
                        each = (time.perf_counter() - started) / ran
                        results.extend([Status(session.dialect.ok_message)] for _ in range(ran))
                        elapsed.extend([each] * ran)
                        i += ran
                        continue
                    # None: the batch failed, its statements run one at a time; 0: the first
                    # runs alone, then batching goes on
                    alone_until = i + (len(group) if ran is None else 1)
            started = time.perf_counter()
            statements = parsed.pop(i) if i in parsed else session.parse_text(texts[i])
            results.append([session.run(stmt, texts[i]) for stmt in statements])
            elapsed.append(time.perf_counter() - started)
        except BaseException as err:  # the caller reports it as this text's failure
            return ManyOutcome(results, elapsed, err)
        i += 1
    return ManyOutcome(results, elapsed)


def _insert_batch(
    session: Session, texts: list[str], start: int, parsed: dict[int, list[ast.Statement]]
) -> list[ast.Insert]:
    """The statements of the texts from `start` on that can share one INSERT transaction.
    Parsed texts stay in `parsed`, so none is parsed twice."""
    rules = session.dialect.insert_batching
    if rules is None:
        # e.g. Snowflake: its DML also purges history and reports row counts, so it runs
        # statement by statement.
        return []
    group: list[ast.Insert] = []
    key: object = None
    for i in range(start, min(len(texts), start + MAX_BATCH)):
        if i not in parsed:
            try:
                parsed[i] = session.parse_text(texts[i])
            except CloneshellError:
                break  # it fails on its own, after the statements before it ran
        statements = parsed[i]
        if len(statements) != 1:
            break
        stmt = statements[0]
        if not (isinstance(stmt, ast.Insert) and rules.batchable(stmt)):
            break
        this = rules.key(stmt, session.dialect.fold_ident)
        if group and this != key:
            break
        key = this
        group.append(stmt)
    return group


def _run_batch(session: Session, group: list[ast.Insert], texts: list[str]) -> int | None:
    """Run a batch in one transaction (the dialect's `insert_batching.run`): how many
    statements ran, or None when it failed and changed nothing."""
    rules = session.dialect.insert_batching
    assert rules is not None
    contexts = [session.context(stmt, text) for stmt, text in zip(group, texts, strict=True)]
    with session.running():
        return rules.run(contexts, group)
