"""Snowflake function families added for real SQL (issue 14): context functions
(contextfns.py), bitwise functions on numbers and BINARY, MAP_* and the ARRAY_* gaps, named
arguments, format arguments — each against its docs.snowflake.com page's examples (the value
SnowSQL shows), or, where a page gives none, the documented rule the case names."""

from __future__ import annotations

import json

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.render.snowflake import sf_value_text


def _value(s: Session, sql: str) -> str:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    ((value,),) = result.rows
    return sf_value_text(value, result.columns[0].type)


def test_context_functions_describe_this_warehouse_and_session(sf: Session) -> None:
    sf.execute("CREATE DATABASE test_db1")
    sf.execute("CREATE SCHEMA billing")
    # CURRENT_SCHEMAS docs: the search path, the current schema then PUBLIC.
    assert _value(sf, "CURRENT_SCHEMAS()") == '["TEST_DB1.BILLING", "TEST_DB1.PUBLIC"]'
    assert _value(sf, "CURRENT_ACCOUNT()") == "CLONESHELL"
    assert _value(sf, "CURRENT_ACCOUNT_NAME()") == "CLONESHELL"
    assert _value(sf, "CURRENT_ROLE_TYPE()") == "ROLE"
    assert _value(sf, "CURRENT_REGION()") == "LOCAL"
    assert _value(sf, "CURRENT_IP_ADDRESS()") == "127.0.0.1"
    assert _value(sf, "CURRENT_CLIENT()").startswith("cloneshell ")
    roles = json.loads(_value(sf, "CURRENT_AVAILABLE_ROLES()"))
    assert "ACCOUNTADMIN" in roles and "PUBLIC" in roles
    assert json.loads(_value(sf, "CURRENT_SECONDARY_ROLES()")) == {"roles": "", "value": ""}
    session = _value(sf, "CURRENT_SESSION()")
    assert session.isdigit() and _value(sf, "CURRENT_SESSION()") == session
    assert _value(sf, "CURRENT_STATEMENT()") == "SELECT CURRENT_STATEMENT()"


def test_current_schemas_without_a_database_is_empty(sf: Session) -> None:
    assert _value(sf, "CURRENT_SCHEMAS()") == "[]"


def test_context_functions_take_no_arguments(sf: Session) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT CURRENT_ACCOUNT(1)")
    assert info.value.code == "002000"


BITWISE = [
    # BITAND / BITOR / BITXOR docs: integers (their bits table) and BINARY values
    ("BITAND(11, 1)", "1"),
    ("BITOR(24, 16)", "24"),
    ("BITXOR(42, 13)", "39"),
    ("BITAND(42, 37)", "32"),
    ("BIT_AND(11, 1)", "1"),  # the alias
    ("BITAND(NULL, 1)", "NULL"),
    ("BITAND(X'FF', X'0F')", "0F"),
    ("BITOR(X'F0', X'0F')", "FF"),
    ("BITXOR(X'FF', X'0F')", "F0"),
    # padside: the shorter value is padded with zeros on that side
    ("BITAND(X'0F', X'F0FF', 'LEFT')", "000F"),
    ("BITOR(X'0F', X'F000', 'RIGHT')", "FF00"),
    ("BIT_XOR(X'FF', X'00FF', 'left')", "0000"),
    # BITNOT, BITSHIFTLEFT, BITSHIFTRIGHT (the BINARY keeps its length)
    ("BITNOT(0)", "-1"),
    ("BITNOT(X'F00F')", "0FF0"),
    ("BITSHIFTLEFT(1, 4)", "16"),
    ("BITSHIFTLEFT(-1, 2)", "-4"),
    ("BITSHIFTRIGHT(-8, 1)", "-4"),
    ("BITSHIFTLEFT(X'002A'::BINARY, 1)", "0054"),
    ("BITSHIFTRIGHT(X'002A'::BINARY, 1)", "0015"),
    ("BITSHIFTLEFT(X'FF', 4)", "F0"),
    ("BIT_SHIFTLEFT(1, 63)", "9223372036854775808"),  # a 128-bit result
]


@pytest.mark.parametrize(("sql", "expected"), BITWISE, ids=[c[0] for c in BITWISE])
def test_bitwise_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


def test_bitwise_aggregates_and_their_aliases(sf: Session) -> None:
    rows = "FROM (SELECT 1 AS x UNION ALL SELECT 3 UNION ALL SELECT 5 UNION ALL SELECT NULL)"
    (result,) = sf.execute(f"SELECT BITAND_AGG(x), BIT_OR_AGG(x), BITXORAGG(x) {rows}")
    assert isinstance(result, Rows)
    assert result.rows == [(1, 7, 7)]


def test_binary_values_of_two_lengths_need_a_pad_side(sf: Session) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT BITAND(X'FF', X'0FFF')")
    assert info.value.code == "100000" and "'BITAND'" in info.value.text
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT BITAND(X'FF', X'0FFF', 'MIDDLE')")
    assert info.value.code == "002000"


NAMED = [
    # ROUND docs: named arguments in any order
    ("ROUND(EXPR => 2.25, SCALE => 1, ROUNDING_MODE => 'HALF_AWAY_FROM_ZERO')", "2.3"),
    ("ROUND(EXPR => 2.25, SCALE => 1, ROUNDING_MODE => 'HALF_TO_EVEN')", "2.2"),
    ("ROUND(ROUNDING_MODE => 'HALF_TO_EVEN', EXPR => 2.25, SCALE => 1)", "2.2"),
    ("ROUND(SCALE => 1, EXPR => 2.25)", "2.3"),
    ("ROUND(EXPR => -2.5)", "-3"),
]


@pytest.mark.parametrize(("sql", "expected"), NAMED, ids=[c[0] for c in NAMED])
def test_named_arguments_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT ROUND(EXPR => 2.25, PRECISION => 1)", "invalid argument name PRECISION"),
        ("SELECT ROUND(SCALE => 1)", "missing argument EXPR"),
        ("SELECT ROUND(EXPR => 1, EXPR => 2)", "invalid argument name EXPR"),
        ("SELECT UPPER(S => 'a')", "named arguments"),
    ],
)
def test_bad_named_arguments_are_refused(sf: Session, sql: str, message: str) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute(sql)
    assert info.value.code == "002000" and message in info.value.text


def _json(s: Session, sql: str) -> object:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    ((value,),) = result.rows
    return value if value is None or not isinstance(value, str) else json.loads(value)


SEMI = [
    # MAP_* docs (a MAP holds the OBJECT it is cast from)
    (
        "MAP_CAT({'a': 1}::MAP(VARCHAR, NUMBER), {'a': 2, 'b': 3}::MAP(VARCHAR, NUMBER))",
        {"a": 2, "b": 3},
    ),
    ("MAP_CONTAINS_KEY('k1', {'k1': 'v1', 'k2': 'v2'}::MAP(VARCHAR, VARCHAR))", True),
    ("MAP_CONTAINS_KEY('k3', {'k1': 'v1', 'k2': 'v2'}::MAP(VARCHAR, VARCHAR))", False),
    ("MAP_DELETE({'a': 1, 'b': 2, 'c': 3}::MAP(VARCHAR, NUMBER), 'a', 'b')", {"c": 3}),
    ("MAP_INSERT({'a': 1, 'b': 2}::MAP(VARCHAR, NUMBER), 'c', 3)", {"a": 1, "b": 2, "c": 3}),
    ("MAP_KEYS({'a': 1, 'b': 2, 'c': 3}::MAP(VARCHAR, NUMBER))", ["a", "b", "c"]),
    ("MAP_PICK({'a': 1, 'b': 2, 'c': 3}::MAP(VARCHAR, NUMBER), 'a', 'b')", {"a": 1, "b": 2}),
    ("MAP_SIZE({'a': 1, 'b': 2, 'c': 3}::MAP(VARCHAR, NUMBER))", 3),
    # ARRAY_REMOVE docs: numbers compare by value, '5' is text, NULL stays
    ("ARRAY_REMOVE([1, 5, 5.00, 5.00::DOUBLE, '5', 5, NULL], 5)", [1, "5", None]),
    ("ARRAY_REMOVE([1, 2], NULL)", None),
    # ARRAY_REMOVE_AT / ARRAY_INSERT docs: 0-based, negative from the end
    ("ARRAY_REMOVE_AT([2, 5, 7], 0)", [5, 7]),
    ("ARRAY_REMOVE_AT([2, 5, 7], -1)", [2, 5]),
    ("ARRAY_REMOVE_AT([2, 5, 7], 10)", [2, 5, 7]),
    ("ARRAY_INSERT(ARRAY_CONSTRUCT(0, 1, 2, 3), 2, 'hello')", [0, 1, "hello", 2, 3]),
    ("ARRAY_INSERT(ARRAY_CONSTRUCT(0, 1, 2, 3), 5, 'hello')", [0, 1, 2, 3, None, "hello"]),
    ("ARRAY_INSERT(ARRAY_CONSTRUCT(0, 1, 2, 3), -1, 'hello')", [0, 1, 2, "hello", 3]),
    # ARRAYS_ZIP docs
    ("ARRAYS_ZIP([1, 2, 3])", [{"$1": 1}, {"$1": 2}, {"$1": 3}]),
    (
        "ARRAYS_ZIP([1, 2, 3], ['first', 'second'])",
        [{"$1": 1, "$2": "first"}, {"$1": 2, "$2": "second"}, {"$1": 3, "$2": None}],
    ),
    ("ARRAYS_ZIP([1, 2], NULL)", None),
    # ARRAYS_TO_OBJECT docs
    (
        "ARRAYS_TO_OBJECT(['key1', 'key2', 'key3'], [10, 20, 30])",
        {"key1": 10, "key2": 20, "key3": 30},
    ),
]


@pytest.mark.parametrize(("sql", "expected"), SEMI, ids=[c[0] for c in SEMI])
def test_map_and_array_documented_result(sf: Session, sql: str, expected: object) -> None:
    assert _json(sf, sql) == expected


def test_array_union_agg_is_a_multiset_union(sf: Session) -> None:
    # ARRAY_UNION_AGG docs: [1, 1, 2] and [1, 2, 3] give [1, 1, 2, 3].
    rows = "(SELECT [1, 1, 2] AS a UNION ALL SELECT [1, 2, 3])"
    assert _json(sf, f"ARRAY_UNION_AGG(a) FROM {rows}") == [1, 1, 2, 3]


def test_an_unknown_function_is_named_in_upper_case(sf: Session) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT no_such_function(1)")
    assert info.value.text.endswith("Unknown function NO_SUCH_FUNCTION")


_TIMES = "'It was the best of times, it was the worst of times'"
_DIGITS = "'a1_a2a3_a4A5a6'"

REGEX = [
    # REGEXP_SUBSTR docs
    (f"REGEXP_SUBSTR({_TIMES}, 'the\\\\W+\\\\w+')", "the best"),
    (f"REGEXP_SUBSTR({_TIMES}, 'the\\\\W+\\\\w+', 1, 2)", "the worst"),
    (f"REGEXP_SUBSTR({_TIMES}, 'the\\\\W+(\\\\w+)', 1, 2, 'e', 1)", "worst"),
    (f"REGEXP_SUBSTR({_TIMES}, 'the\\\\W+(\\\\w+)', 1, 1, 'e')", "best"),  # 'e': group 1
    (f"REGEXP_SUBSTR({_TIMES}, 'zebra')", "NULL"),
    (f"REGEXP_SUBSTR({_TIMES}, 'THE', 1, 1, 'i')", "the"),
    # REGEXP_LIKE / RLIKE docs: the whole subject matches; 'i' ignores case
    ("REGEXP_LIKE('San Francisco', 'san.*', 'i')", "True"),
    ("REGEXP_LIKE('San Francisco', 'san.*')", "False"),
    ("RLIKE('San Francisco', 'San.*')", "True"),
    ("REGEXP_LIKE('a' || CHR(10) || 'b', 'a.b', 's')", "True"),
    # REGEXP_REPLACE docs: every match, or one occurrence from a position
    (
        "REGEXP_REPLACE('firstname middlename lastname', '(.*) (.*) (.*)', '\\\\3, \\\\1 \\\\2')",
        "lastname, firstname middlename",
    ),
    ("REGEXP_REPLACE('aXbXcX', 'X', 'Y', 1, 2)", "aXbYcX"),
    ("REGEXP_REPLACE('aXbXcX', 'X', 'Y', 3, 1)", "aXbYcX"),
    ("REGEXP_REPLACE('abcabc', '(b)', '<\\\\1>', 1, 2)", "abca<b>c"),
    ("REGEXP_REPLACE('aXbX', 'X', '')", "ab"),
]


@pytest.mark.parametrize(("sql", "expected"), REGEX, ids=[c[0] for c in REGEX])
def test_regex_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


REGEX_ALL = [
    # REGEXP_SUBSTR_ALL docs
    (f"REGEXP_SUBSTR_ALL({_DIGITS}, 'a[[:digit:]]')", ["a1", "a2", "a3", "a4", "a6"]),
    (f"REGEXP_SUBSTR_ALL({_DIGITS}, 'a[[:digit:]]', 2)", ["a2", "a3", "a4", "a6"]),
    (f"REGEXP_SUBSTR_ALL({_DIGITS}, 'a[[:digit:]]', 1, 3)", ["a3", "a4", "a6"]),
    (
        f"REGEXP_SUBSTR_ALL({_DIGITS}, 'a[[:digit:]]', 1, 1, 'i')",
        ["a1", "a2", "a3", "a4", "A5", "a6"],
    ),
    (
        f"REGEXP_SUBSTR_ALL({_DIGITS}, '(a)([[:digit:]])', 1, 1, 'ie')",
        ["a", "a", "a", "a", "A", "a"],
    ),
    (
        f"REGEXP_EXTRACT_ALL({_DIGITS}, '(a)([[:digit:]])', 1, 1, 'ie', 2)",
        ["1", "2", "3", "4", "5", "6"],
    ),
    (f"REGEXP_SUBSTR_ALL({_DIGITS}, 'b')", []),
]


@pytest.mark.parametrize(("sql", "expected"), REGEX_ALL, ids=[c[0] for c in REGEX_ALL])
def test_regex_all_documented_result(sf: Session, sql: str, expected: object) -> None:
    assert _json(sf, sql) == expected


def test_regexp_replace_takes_a_computed_position(sf: Session) -> None:
    (result,) = sf.execute(
        "SELECT REGEXP_REPLACE(s, 'X', 'Y', p) FROM (SELECT 'aXbX' AS s, 3 AS p)"
    )
    assert isinstance(result, Rows) and result.rows == [("aXbY",)]


BINARY = [
    # REVERSE / RIGHT / LPAD / RPAD docs: BINARY values work on bytes
    ("REVERSE(TO_BINARY('414243', 'HEX'))", "434241"),
    ("REVERSE('Hello, world!')", "!dlrow ,olleH"),
    ("RIGHT(TO_BINARY('SNOWIKOPN', 'utf-8'), ABS(-3))", "4F504E"),
    ("LEFT(X'010203', 2)", "0102"),
    ("RIGHT('ABCDEFG', 3)", "EFG"),
    ("RPAD(TO_BINARY('Hi', 'UTF8'), 5, TO_BINARY('_', 'UTF8'))", "48695F5F5F"),
    ("LPAD(X'AB', 3, X'00')", "0000AB"),
    ("LPAD('ab', 5)", "   ab"),
    ("RPAD('abcdef', 3)", "abc"),
    # REPEAT: the count is converted to an integer (rounded)
    ("REPEAT('xy', 3.7)", "xyxyxyxy"),
    ("REPEAT('xy', 0)", ""),
]


@pytest.mark.parametrize(("sql", "expected"), BINARY, ids=[c[0] for c in BINARY])
def test_binary_and_string_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


def test_sum_reads_text_as_numbers(sf: Session) -> None:
    # Snowflake converts VARCHAR to a number implicitly in SUM / AVG.
    (result,) = sf.execute("SELECT SUM(x), AVG(x) FROM (SELECT '1.5' AS x UNION ALL SELECT '2.5')")
    assert isinstance(result, Rows) and result.rows == [(4.0, 2.0)]
    (result,) = sf.execute("SELECT SUM(x) FROM (SELECT 1.5 AS x UNION ALL SELECT 2.5)")
    assert isinstance(result, Rows) and str(result.rows[0][0]) == "4.0"  # a NUMBER stays one


_LETTERS = (
    "(SELECT 'a' AS x UNION ALL SELECT 'b' UNION ALL SELECT 'a' UNION ALL SELECT 'c' "
    "UNION ALL SELECT 'a' UNION ALL SELECT 'b' UNION ALL SELECT NULL)"
)
_NUMBERS = "(SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)"


def test_approx_top_k_counts_exactly_on_small_data(sf: Session) -> None:
    # APPROX_TOP_K docs: [[value, count], …], most frequent first, k defaults to 1.
    assert _json(sf, f"APPROX_TOP_K(x) FROM {_LETTERS}") == [["a", 3]]
    assert _json(sf, f"APPROX_TOP_K(x, 2) FROM {_LETTERS}") == [["a", 3], ["b", 2]]
    assert _json(sf, f"APPROX_TOP_K(x, 5, 10) FROM {_LETTERS}") == [["a", 3], ["b", 2], ["c", 1]]


def test_states_estimate_what_the_direct_aggregate_gives(sf: Session) -> None:
    state = f"(SELECT APPROX_TOP_K_ACCUMULATE(x, 10) AS s FROM {_LETTERS})"
    assert _json(sf, f"APPROX_TOP_K_ESTIMATE(s, 2) FROM {state}") == [["a", 3], ["b", 2]]
    both = f"(SELECT s FROM {state} UNION ALL SELECT s FROM {state})"
    combined = f"(SELECT APPROX_TOP_K_COMBINE(s) AS c FROM {both})"
    assert _json(sf, f"APPROX_TOP_K_ESTIMATE(c, 1) FROM {combined}") == [["a", 6]]
    hll = f"(SELECT HLL_ACCUMULATE(x) AS h FROM {_LETTERS})"
    assert (
        _json(
            sf,
            f"HLL_ESTIMATE(HLL_COMBINE(h)) FROM (SELECT h FROM {hll} "
            f"UNION ALL SELECT h FROM {hll})",
        )
        == 3
    )
    assert _json(sf, f"HLL(x) FROM {_LETTERS}") == 3
    direct = _json(sf, f"APPROX_PERCENTILE(x, 0.5) FROM {_NUMBERS}")
    pct = f"(SELECT APPROX_PERCENTILE_ACCUMULATE(x) AS p FROM {_NUMBERS})"
    assert _json(sf, f"APPROX_PERCENTILE_ESTIMATE(p, 0.5) FROM {pct}") == direct == 2.5


@pytest.mark.parametrize(
    "sql",
    [
        "ENCRYPT('secret', 'passphrase')",
        "DECRYPT_RAW(X'00', X'00', X'00')",
        "AI_CLASSIFY('text', ['a', 'b'])",
        "TO_GEOGRAPHY('POINT(1 2)')",
        "ST_MAKEPOINT(1, 2)",
        "VECTOR_L2_DISTANCE([1, 2], [3, 4])",
        "XMLGET(PARSE_JSON('{}'), 'a')",
        "MINHASH(5, 1)",
        "BITMAP_COUNT(X'00')",
        "HLL_EXPORT(X'00')",
    ],
)
def test_functions_that_cannot_be_exact_are_refused_by_name(sf: Session, sql: str) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute(f"SELECT {sql}")
    name = sql.split("(")[0]
    assert info.value.text == f"000002 (0A000): Unsupported feature 'function {name}'."


_ROWS = "FROM TABLE(GENERATOR(ROWCOUNT => 2000))"


def test_normal_and_zipf_repeat_for_a_constant_gen(sf: Session) -> None:
    # NORMAL / ZIPF docs: the same gen gives the same value; RANDOM() a new one per row.
    (result,) = sf.execute(
        "SELECT NORMAL(0, 1, 1234), NORMAL(0, 1, 1234), ZIPF(1, 10, 7), ZIPF(1, 10, 7)"
    )
    assert isinstance(result, Rows)
    ((n1, n2, z1, z2),) = result.rows
    assert n1 == n2 and isinstance(n1, float) and z1 == z2 and 1 <= z1 <= 10
    (result,) = sf.execute(
        f"SELECT COUNT(DISTINCT NORMAL(0, 1, RANDOM())), AVG(NORMAL(5, 2, RANDOM())) {_ROWS}"
    )
    assert isinstance(result, Rows)
    ((distinct, mean),) = result.rows
    assert distinct == 2000 and 4.7 < mean < 5.3


def test_zipf_draws_small_values_most_often(sf: Session) -> None:
    # P(k) = (1 / k) / H(10) for s = 1: about 34% ones, 3.4% tens, nothing out of [1, 10].
    (result,) = sf.execute(
        f"SELECT MIN(z), MAX(z), COUNT_IF(z = 1), COUNT_IF(z = 10) FROM "
        f"(SELECT ZIPF(1, 10, RANDOM()) AS z {_ROWS})"
    )
    assert isinstance(result, Rows)
    ((low, high, ones, tens),) = result.rows
    assert low == 1 and high == 10 and 560 < ones < 800 and 30 < tens < 110


CONVERSIONS = [
    # TO_DOUBLE / TRY_TO_DOUBLE docs: a format model, EEEE for an exponent
    ("TRY_TO_DOUBLE('-4.56E-03', 'S9.99EEEE')", "-0.00456"),
    ("TRY_TO_DOUBLE('123.456', '999.99')", "NULL"),  # more decimals than the format holds
    ("TO_DOUBLE('123.45', '999.99')", "123.45"),
    ("TO_DOUBLE('1,234.5', '9,999.9')", "1234.5"),
    # the *FROMPARTS aliases
    ("TIMESTAMPNTZFROMPARTS(2013, 4, 5, 12, 0, 0)", "2013-04-05 12:00:00.000"),
]


@pytest.mark.parametrize(("sql", "expected"), CONVERSIONS, ids=[c[0] for c in CONVERSIONS])
def test_conversion_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


def test_to_double_with_a_format_names_the_value_it_cannot_read(sf: Session) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT TO_DOUBLE('abc', '999')")
    assert info.value.text == "100038 (22018): Numeric value 'abc' is not recognized"


SOUNDEX = [
    # SOUNDEX docs (American Soundex): homophones share a code
    ("SOUNDEX('I love rock and roll music.')", "I416"),
    ("SOUNDEX('Marks')", "M620"),
    ("SOUNDEX('Marx')", "M620"),
    ("SOUNDEX('Robert')", "R163"),
    ("SOUNDEX('Rupert')", "R163"),
    ("SOUNDEX('Ashcraft')", "A261"),  # H does not separate S and C
    ("SOUNDEX('Tymczak')", "T522"),  # a vowel separates the two Cs' code
    ("SOUNDEX('Pfister')", "P236"),  # F has the first letter's code
    ("SOUNDEX('Lee')", "L000"),
    ("SOUNDEX(NULL)", "NULL"),
]


@pytest.mark.parametrize(("sql", "expected"), SOUNDEX, ids=[c[0] for c in SOUNDEX])
def test_soundex_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected
