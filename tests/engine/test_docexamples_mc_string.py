"""MaxCompute's string functions against their pages' examples (alibabacloud.com/help/en/
maxcompute, "String functions" and each function's page): the documented value."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    return open_session()


DOC_EXAMPLES = [
    ("ascii('abcde')", 97),
    ("chr(100)", "d"),
    ("char_length('中文A')", 3),
    ("length('Tech on the net')", 15),
    ("lengthb('中国')", 6),
    ("instr('Tech on the net', 'h')", 4),
    ("instr('Tech on the net', 'on', 1, 1)", 6),
    ("locate('ab', 'abchelloabc')", 1),
    ("locate('hi', 'abc,hi,ab,hi,c', 6)", 11),
    ("ltrim(' yxabcxx ')", "yxabcxx "),
    ("ltrim('yxabcxx', 'xy')", "abcxx"),
    ("rtrim('yxabcxx', 'xy')", "yxabc"),
    ("trim(' yxabcxx ')", "yxabcxx"),
    ("trim('yxabcxx', 'xy')", "abc"),
    ("reverse('I love aliyun very much')", "hcum yrev nuyila evol I"),
    ("tolower('aBcd')", "abcd"),
    ("toupper('aBcd')", "ABCD"),
    ("initcap('oDps sql')", "Odps Sql"),
    ("initcap(null)", None),
    ("substr('abc', 2)", "bc"),
    ("substr('abc', 2, 1)", "b"),
    ("substr('abc', -2, 2)", "bc"),
    ("substring('abc', 2)", "bc"),
    ("repeat('abc', 5)", "abcabcabcabcabc"),
    ("length(space(5))", 5),
    ("lpad('abcdefgh', 10, '12')", "12abcdefgh"),
    ("lpad('abcdefgh', 5, '12')", "abcde"),
    ("rpad('abcdefgh', 10, '12')", "abcdefgh12"),
    ("replace('ababab', 'abab', '12')", "12ab"),
    ("concat()", None),
    ("to_json(named_struct('a', 1, 'b', 2))", '{"a":1,"b":2}'),
]


@pytest.mark.parametrize(("expr", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(s: Session, expr: str, expected: object) -> None:
    assert rows(s, f"SELECT {expr}") == [(expected,)]
