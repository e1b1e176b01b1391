"""MaxCompute's complex-type and encoding functions against their pages' examples
(alibabacloud.com/help/en/maxcompute, "Complex type functions", "Encryption functions",
"String functions"): ARRAY_CONTAINS, MAP_KEYS, MAP_VALUES, MD5/SHA/SHA1/SHA2 of 'abc' (the
digests every implementation shares), BASE64 and UNBASE64 of 'alibaba'."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    return open_session()


DOC_EXAMPLES = [
    ("array_contains(array('a', 'b'), 'a')", True),
    ("array_contains(array(1, 2), 3)", False),
    ("map_keys(map('a', 1, 'b', 2))", ["a", "b"]),
    ("map_values(map('a', 1, 'b', 2))", [1, 2]),
    ("md5('abc')", "900150983cd24fb0d6963f7d28e17f72"),
    ("sha('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("sha1('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("sha2('abc', 256)", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("base64(cast('alibaba' as binary))", "YWxpYmFiYQ=="),
    ("unbase64('YWxpYmFiYQ==')", b"alibaba"),
]


@pytest.mark.parametrize(("expr", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(s: Session, expr: str, expected: object) -> None:
    assert rows(s, f"SELECT {expr}") == [(expected,)]
