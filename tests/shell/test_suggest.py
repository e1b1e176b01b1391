"""suggest() as a pure function: every completion position, matching and ranking, aliases,
visibility and robustness, over a hand-built snapshot (no engine, no terminal)."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry
from cloneshell.engine.maxcompute.snapshot import KNOWN_FLAGS
from cloneshell.grammar.keywords import PROJECT_ACTIONS, TABLE_ACTIONS
from cloneshell.shell.suggest import MAX_SUGGESTIONS, Suggestion, suggest

OWNER = "ALIYUN$owner@aliyun.com"
ALICE = "RAM$owner@aliyun.com:alice"
BOB = "RAM$owner@aliyun.com:bob"

SNAP = CatalogSnapshot(
    project_actions=PROJECT_ACTIONS,
    table_actions=TABLE_ACTIONS,
    principal=OWNER,
    current_project="sales_proj",
    projects=("sales_proj", "hr_proj", "archive"),
    tables=(
        TableEntry(
            "sales_proj",
            "sales_data",
            (("id", "bigint"), ("amount", "double"), ("region", "string")),
            (("ds", "string"),),
            ({"ds": "20240101"}, {"ds": "20240102"}, {"ds": "20231231"}),
        ),
        TableEntry("sales_proj", "sales", (("id", "bigint"), ("total", "double")), ()),
        TableEntry(
            "sales_proj",
            "orders",
            (("order_id", "bigint"), ("customer", "string")),
            (("ds", "string"), ("hh", "bigint")),
            ({"ds": "20240101", "hh": "1"}, {"ds": "20240101", "hh": "2"}),
        ),
        TableEntry("sales_proj", "daily report", (("day", "date"),), ()),
        TableEntry(
            "hr_proj",
            "emp",
            (("emp_id", "bigint"), ("name", "string"), ("dept_id", "bigint")),
            (),
        ),
        TableEntry("hr_proj", "dept", (("dept_id", "bigint"), ("dept_name", "string")), ()),
        TableEntry("archive", "old_sales", (("id", "bigint"),), ()),
    ),
    principals=(OWNER, ALICE, BOB),
    roles=("admin", "analyst", "super_administrator"),
    flags=KNOWN_FLAGS,
)
META = ("login", "whoami", "format", "q", "quit", "help")


def run(before: str, after: str = "", **kw: object) -> list[Suggestion]:
    return suggest(before, SNAP, full_text=before + after, **kw)  # type: ignore[arg-type]


def texts(before: str, after: str = "", **kw: object) -> list[str]:
    return [s.text for s in run(before, after, **kw)]


def of_kind(before: str, kind: str, after: str = "", **kw: object) -> list[str]:
    return [s.text for s in run(before, after, **kw) if s.kind == kind]


LOCAL_TABLES = {"sales_data", "sales", "orders", "`daily report`"}
OTHER_TABLES = {"hr_proj.emp", "hr_proj.dept", "archive.old_sales"}
ALL_TABLES = LOCAL_TABLES | OTHER_TABLES
SALES_DATA_COLUMNS = {"id", "amount", "region", "ds"}


# --------------------------------------------------------------------------------- keywords


def test_statement_start_offers_the_grammars_statement_keywords() -> None:
    got = set(of_kind("", "keyword"))
    assert {"SELECT", "CLONE", "GRANT", "USE", "SET"} <= got
    assert not got & {"WHERE", "TABLE"}  # (FROM may: a MaxCompute multi-insert)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("sel", ["select"]), ("SEL", ["SELECT"]), ("Sel", ["SELECT"]), ("cl", ["clone"])],
)
def test_keywords_match_by_prefix_in_the_users_case(typed: str, expected: list[str]) -> None:
    assert texts(typed) == expected


def test_keywords_are_those_valid_at_the_cursor() -> None:
    got = of_kind("SELECT id FROM sales ", "keyword")
    assert {"WHERE", "JOIN", "GROUP", "ORDER", "LIMIT"} <= set(got)
    assert "SELECT" not in got and "VALUES" not in got
    assert texts("SELECT id FROM sales wh") == ["where"]


def test_keywords_are_not_fuzzy() -> None:
    # "wr" is a subsequence of WHERE, but keywords match by prefix only.
    assert of_kind("SELECT id FROM sales wr", "keyword") == []


def test_after_grant_on_to_the_grantee_keywords() -> None:
    assert set(texts("GRANT Select ON TABLE sales TO ")) == {"USER", "ROLE"}


# --------------------------------------------------------------------------------- projects


@pytest.mark.parametrize(
    "before", ["USE ", "SHOW TABLES IN ", "SHOW TABLES FROM ", "GRANT List ON PROJECT "]
)
def test_project_positions(before: str) -> None:
    assert set(of_kind(before, "project")) == {"sales_proj", "hr_proj", "archive"}
    assert of_kind(before, "table") == []


def test_project_names_match_fuzzily() -> None:
    assert texts("USE hp") == ["hr_proj"]


# ----------------------------------------------------------------------------------- tables


@pytest.mark.parametrize(
    "before",
    [
        "SELECT * FROM ",
        "SELECT * FROM sales s JOIN ",
        "SELECT * FROM sales s LEFT OUTER JOIN ",
        "SELECT * FROM sales s, ",
        "CLONE TABLE ",
        "CLONE TABLE sales_data TO ",
        "GRANT Select ON TABLE ",
        "GRANT Select ON ",
        "CREATE TABLE copy_of LIKE ",
        "DESC ",
        "DESCRIBE ",
        "DESC EXTENDED ",
        "INSERT INTO ",
        "INSERT INTO TABLE ",
        "INSERT OVERWRITE TABLE ",
        "SHOW PARTITIONS ",
        "DROP TABLE ",
        "DROP TABLE IF EXISTS ",
        "ALTER TABLE ",
        "TRUNCATE TABLE ",
    ],
)
def test_table_positions_offer_every_visible_table(before: str) -> None:
    assert set(of_kind(before, "table")) == ALL_TABLES


def test_current_projects_tables_come_first_bare_then_projects_then_others() -> None:
    got = run("SELECT * FROM ")
    kinds = [s.kind for s in got if s.kind != "keyword"]
    assert kinds == ["table"] * 4 + ["project"] * 3 + ["table"] * 3
    assert [s.text for s in got[7:10]] == ["archive.old_sales", "hr_proj.dept", "hr_proj.emp"]


def test_qualified_project_offers_that_projects_tables_bare() -> None:
    assert texts("SELECT * FROM hr_proj.") == ["dept", "emp"]
    assert texts("CLONE TABLE sales_data TO hr_proj.e") == ["emp", "dept"]  # d-e-p-t: loose
    assert run("CLONE TABLE sales_data TO hr_proj.e")[0].start_position == -1


def test_unknown_qualifier_offers_nothing() -> None:
    assert texts("SELECT * FROM secret_proj.") == []


def test_new_table_name_is_not_completed() -> None:
    assert of_kind("CREATE TABLE ", "table") == []
    assert texts("CREATE TABLE ") == ["IF"]


def test_other_projects_tables_match_by_their_name_too() -> None:
    assert texts("SELECT * FROM emp") == ["hr_proj.emp"]


def test_names_needing_quotes_are_inserted_in_backquotes() -> None:
    got = run("SELECT * FROM dr")  # d and r start words of "daily report"; o-r-d-e-r-s: loose
    assert [(s.text, s.display) for s in got] == [
        ("`daily report`", "daily report"),
        ("orders", "orders"),
    ]


def test_user_is_a_table_name_after_from_not_a_principal() -> None:
    assert of_kind("SELECT * FROM user ", "principal") == []


# ---------------------------------------------------------------------------------- matching


RANKING = CatalogSnapshot(
    principal=OWNER,
    current_project="p_one",
    projects=("p_one",),
    tables=tuple(
        TableEntry("p_one", name, (), ())
        for name in ("birds", "daily_sales", "ds_main", "ds", "dst_archive_sync")
    ),
    principals=(),
    roles=(),
    flags=(),
)


def ranked(before: str, recency: dict[str, int] | None = None) -> list[str]:
    return [s.text for s in suggest(before, RANKING, recency) if s.kind == "table"]


def test_rank_prefix_then_word_boundary_then_loose_subsequence() -> None:
    # ds, ds_main, dst_archive_sync: prefix (shorter first); daily_sales: d + s at the start of
    # segments; birds: d and s only somewhere.
    assert ranked("SELECT * FROM ds") == [
        "ds",
        "ds_main",
        "dst_archive_sync",
        "daily_sales",
        "birds",
    ]


def test_fuzzy_subsequence_matches_and_non_matches() -> None:
    assert texts("SELECT * FROM sd") == ["sales_data"]
    assert texts("SELECT * FROM xyz") == []


def test_recency_ranks_a_recently_used_name_first_within_its_tier() -> None:
    assert ranked("SELECT * FROM ds", {"dst_archive_sync": 7})[:3] == [
        "dst_archive_sync",
        "ds",
        "ds_main",
    ]
    # ... but never above a better match.
    assert ranked("SELECT * FROM ds", {"birds": 99})[-1] == "birds"


def test_more_recent_ranks_higher() -> None:
    recency = {"ds_main": 5, "ds": 3}
    assert ranked("SELECT * FROM ds", recency)[:2] == ["ds_main", "ds"]


def test_start_position_replaces_the_typed_word_only() -> None:
    got = run("SELECT * FROM sal")
    assert got and all(s.start_position == -3 for s in got)
    assert got[0].text == "sales"


def test_at_most_max_suggestions() -> None:
    many = CatalogSnapshot(
        principal=OWNER,
        current_project="big",
        projects=("big",),
        tables=tuple(TableEntry("big", f"t_{i:04d}", (), ()) for i in range(1000)),
        principals=(),
        roles=(),
        flags=(),
    )
    got = suggest("SELECT * FROM t_0", many)
    assert len(got) == MAX_SUGGESTIONS
    assert got[0].text == "t_0000"
    assert suggest("SELECT * FROM t_0999", many)[0].text == "t_0999"
    assert suggest("SELECT * FROM t_09", many, {"t_0999": 1})[0].text == "t_0999"


# ---------------------------------------------------------------------------------- columns


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("SELECT ", " FROM sales_data"),
        ("SELECT id, ", " FROM sales_data"),
        ("SELECT DISTINCT ", " FROM sales_data"),
        ("SELECT count(", ") FROM sales_data"),
        ("SELECT * FROM sales_data WHERE ", ""),
        ("SELECT * FROM sales_data WHERE id = 1 AND ", ""),
        ("SELECT * FROM sales_data WHERE amount > ", ""),
        ("SELECT region, count(*) FROM sales_data GROUP BY ", ""),
        ("SELECT region, count(*) FROM sales_data GROUP BY region HAVING ", ""),
        ("SELECT * FROM sales_data ORDER BY ", ""),
        ("SELECT * FROM sales_data ORDER BY id, ", ""),
        ("SELECT * FROM sales_data WHERE ds IN (", ")"),
    ],
)
def test_column_positions(before: str, after: str) -> None:
    assert set(of_kind(before, "column", after)) == SALES_DATA_COLUMNS


def test_from_after_the_cursor_is_read_from_the_full_text() -> None:
    assert of_kind("SELECT ", "column", " FROM sales") == ["id", "total"]
    assert of_kind("SELECT ", "column") == []  # no FROM anywhere: no columns


def test_columns_come_in_table_order_then_functions_then_keywords() -> None:
    got = run("SELECT ", " FROM sales_data")
    assert [s.text for s in got[:4]] == ["id", "amount", "region", "ds"]
    assert got[0].display_meta == "bigint"
    assert got[3].display_meta == "string (partition)"
    kinds = [s.kind for s in got]
    assert kinds.index("function") > 3
    assert kinds.index("keyword") > max(i for i, k in enumerate(kinds) if k == "function")


def test_alias_resolves_to_its_table() -> None:
    assert texts("SELECT e.", " FROM hr_proj.emp e") == ["emp_id", "name", "dept_id"]
    assert texts("SELECT e.na", " FROM hr_proj.emp AS e") == ["name"]


def test_table_name_as_qualifier() -> None:
    assert texts("SELECT sales.", " FROM sales") == ["id", "total"]


def test_join_on_offers_both_tables_columns_and_aliases() -> None:
    before = "SELECT * FROM hr_proj.emp e JOIN hr_proj.dept d ON "
    assert set(of_kind(before, "column")) == {"emp_id", "name", "dept_id", "dept_name"}
    assert texts(before + "d.") == ["dept_id", "dept_name"]


def test_unqualified_columns_of_all_from_tables_deduplicated() -> None:
    got = of_kind("SELECT ", "column", " FROM sales s, sales_data d")
    assert got == ["id", "total", "amount", "region", "ds"]


def test_columns_match_fuzzily() -> None:
    assert of_kind("SELECT * FROM sales_data WHERE rgn", "column") == ["region"]


def test_insert_column_list_offers_the_target_tables_columns() -> None:
    assert of_kind("INSERT INTO sales (", "column") == ["id", "total"]
    assert of_kind("INSERT INTO sales (id, ", "column") == ["total"]


def test_columns_of_a_table_not_in_the_snapshot_are_never_offered() -> None:
    assert of_kind("SELECT ", "column", " FROM secret_proj.payroll") == []
    assert texts("SELECT p.", " FROM secret_proj.payroll p") == []


def test_no_columns_after_a_complete_operand() -> None:
    got = run("SELECT * FROM sales_data WHERE amount ")
    assert {s.kind for s in got} == {"keyword"}


def test_functions_in_expressions_follow_the_typed_case() -> None:
    # (regexp_count matches too, after the prefix match: MaxCompute has it since issue 14)
    assert of_kind("SELECT cou", "function") == ["count", "regexp_count", "char_matchcount"]
    assert of_kind("SELECT COU", "function") == ["COUNT", "REGEXP_COUNT", "CHAR_MATCHCOUNT"]
    assert of_kind("SELECT * FROM sales WHERE ", "function")


# ------------------------------------------------------------------------------- partitions


@pytest.mark.parametrize(
    "before",
    [
        "INSERT INTO sales_data PARTITION (",
        "INSERT OVERWRITE TABLE sales_data PARTITION (",
        "ALTER TABLE sales_data ADD PARTITION (",
        "ALTER TABLE sales_data DROP IF EXISTS PARTITION (",
        "CLONE TABLE sales_data PARTITION (",
        "DESC sales_data PARTITION (",
        "SHOW PARTITIONS sales_data PARTITION (",
        "TRUNCATE TABLE sales_data PARTITION (",
    ],
)
def test_partition_columns_inside_partition_spec(before: str) -> None:
    got = run(before)
    columns = [(s.text, s.kind, s.display_meta) for s in got if s.kind != "keyword"]
    assert columns == [("ds", "partition_column", "string")]
    # DROP PARTITION (…) also takes a filter expression, so expression keywords may follow
    assert got[0].kind == "partition_column" or "DROP" in before


def test_partition_columns_already_given_are_left_out() -> None:
    assert texts("INSERT INTO orders PARTITION (") == ["ds", "hh"]
    assert texts("INSERT INTO orders PARTITION (ds='20240101', ") == ["hh"]


def test_partition_values_are_quoted_newest_first() -> None:
    got = run("INSERT INTO sales_data PARTITION (ds=")
    assert [s.text for s in got] == ["'20240102'", "'20240101'", "'20231231'"]
    assert {s.kind for s in got} == {"partition_value"}
    assert got[0].display == "20240102"


def test_partition_value_inside_an_open_quote_replaces_the_quote() -> None:
    got = run("CLONE TABLE sales_data PARTITION (ds='2024")
    assert [s.text for s in got] == ["'20240102'", "'20240101'"]
    assert got[0].start_position == -5


def test_numeric_partition_values_are_not_quoted() -> None:
    assert texts("INSERT INTO orders PARTITION (ds='20240101', hh=") == ["2", "1"]
    assert texts("INSERT INTO orders PARTITION (ds='20240101', hh=2") == ["2"]


# -------------------------------------------------------------------- principals and grants


@pytest.mark.parametrize(
    "before",
    [
        "ADD USER ",
        "REMOVE USER ",
        "GRANT Select ON TABLE sales TO USER ",
        "REVOKE Select ON TABLE sales FROM USER ",
        "GRANT analyst TO ",
        "GRANT analyst TO USER ",
        "REVOKE analyst FROM ",
        "SHOW GRANTS FOR ",
        "SHOW GRANTS FOR USER ",
        "CREATE PROJECT new_proj OWNER ",
    ],
)
def test_principal_positions(before: str) -> None:
    assert set(of_kind(before, "principal")) == {OWNER, ALICE, BOB}


def test_principal_word_spans_dollar_colon_and_at() -> None:
    got = run("REMOVE USER RAM$owner@aliyun.com:b")
    assert [s.text for s in got] == [BOB]
    assert got[0].start_position == -len("RAM$owner@aliyun.com:b")


def test_grant_role_to_also_offers_the_user_keyword() -> None:
    assert "USER" in of_kind("GRANT analyst TO ", "keyword")
    assert {"USER", "ROLE"} <= set(of_kind("SHOW GRANTS FOR ", "keyword"))


def test_login_meta_command_offers_principals() -> None:
    got = run("\\login RAM$owner@aliyun.com:a", meta_commands=META)
    assert [s.text for s in got] == [ALICE]


@pytest.mark.parametrize("before", ["GRANT ", "REVOKE "])
def test_privileges_and_roles_after_grant(before: str) -> None:
    got = run(before)
    privileges = {s.text for s in got if s.kind == "privilege"}
    assert {"Select", "Describe", "CreateTable", "List", "All"} <= privileges
    assert {s.text for s in got if s.kind == "role"} == {"admin", "analyst", "super_administrator"}
    assert not [s for s in got if s.kind == "keyword"]


def test_privilege_comma_list_offers_the_remaining_privileges() -> None:
    got = run("GRANT Select, ")
    assert {s.kind for s in got} == {"privilege"}
    assert "Select" not in [s.text for s in got]
    assert texts("GRANT Select, desc") == ["Describe"]
    assert texts("GRANT sel") == ["Select"]


def test_role_positions() -> None:
    assert set(texts("GRANT Select ON TABLE sales TO ROLE ")) == {
        "admin",
        "analyst",
        "super_administrator",
    }
    assert texts("DROP ROLE an")[0] == "analyst"
    assert of_kind("GRANT analyst, ", "role") == ["admin", "super_administrator"]


# ---------------------------------------------------------------- Snowflake-style names

_HAS_SCHEMAS = "schema" in TableEntry.__dataclass_fields__
needs_schemas = pytest.mark.skipif(not _HAS_SCHEMAS, reason="snapshot without schemas")


def sf_snapshot() -> CatalogSnapshot:
    def table(db: str, schema: str, name: str) -> TableEntry:
        return TableEntry(db, name, (("ID", "NUMBER"), ("NOTE", "VARCHAR")), (), (), schema=schema)

    return CatalogSnapshot(
        principal="ALICE",
        current_project="SALES_DB",
        projects=("SALES_DB", "HR_DB"),
        tables=(
            table("SALES_DB", "PUBLIC", "ORDERS"),
            table("SALES_DB", "STAGING", "ORDERS_RAW"),
            table("HR_DB", "PUBLIC", "EMP"),
        ),
        principals=("ALICE", "BOB"),
        roles=("SYSADMIN", "ANALYST"),
        flags=(),
        schemas=(("SALES_DB", "PUBLIC"), ("SALES_DB", "STAGING"), ("HR_DB", "PUBLIC")),
        dialect="snowflake",
    )


@needs_schemas
def test_snowflake_tables_are_written_relative_to_the_current_schema() -> None:
    got = [s.text for s in suggest("SELECT * FROM ", sf_snapshot()) if s.kind == "table"]
    assert got == ["ORDERS", "STAGING.ORDERS_RAW", "HR_DB.PUBLIC.EMP"]


@needs_schemas
def test_snowflake_qualifiers_database_schema_and_both() -> None:
    snap = sf_snapshot()

    def names(before: str) -> list[str]:
        return [s.text for s in suggest(before, snap)]

    assert names("SELECT * FROM HR_DB.") == ["PUBLIC.EMP"]
    assert names("SELECT * FROM HR_DB.PUBLIC.") == ["EMP"]
    assert names("SELECT * FROM STAGING.") == ["ORDERS_RAW"]
    got = suggest("SELECT ", snap, full_text="SELECT  FROM HR_DB.PUBLIC.EMP e")
    assert [s.text for s in got[:2]] == ["ID", "NOTE"]
    assert names("SELECT e.") == []  # no FROM yet
    got = suggest("SELECT e.", snap, full_text="SELECT e. FROM STAGING.ORDERS_RAW e")
    assert [s.text for s in got] == ["ID", "NOTE"]


def test_functions_are_the_snapshots_dialects() -> None:
    # IFF and ZEROIFNULL are Snowflake functions MaxCompute queries do not accept.
    snowflake = {s.text for s in suggest("SELECT ", sf_snapshot()) if s.kind == "function"}
    maxcompute = {s.text for s in suggest("SELECT ", SNAP) if s.kind == "function"}
    assert {"iff", "zeroifnull"} <= {
        s.text for s in suggest("SELECT zer", sf_snapshot()) + suggest("SELECT if", sf_snapshot())
    }
    assert not {"iff", "zeroifnull"} & maxcompute
    assert snowflake


@needs_schemas
def test_snowflake_use_positions() -> None:
    snap = sf_snapshot()
    assert {s.text for s in suggest("USE DATABASE ", snap)} == {"SALES_DB", "HR_DB"}
    assert {s.text for s in suggest("USE SCHEMA ", snap) if s.kind == "project"} >= {
        "PUBLIC",
        "STAGING",
    }
    assert {s.text for s in suggest("USE ROLE ", snap)} == {"SYSADMIN", "ANALYST"}


@pytest.mark.parametrize(
    "before",
    ["UPDATE ", "TRUNCATE ", "DELETE FROM ", "CREATE TABLE sales_copy CLONE "],
)
def test_more_table_positions(before: str) -> None:
    assert set(of_kind(before, "table")) == ALL_TABLES


def test_update_set_and_where_offer_the_updated_tables_columns() -> None:
    assert set(of_kind("UPDATE sales_data SET ", "column")) == SALES_DATA_COLUMNS
    assert set(of_kind("UPDATE sales_data SET amount = ", "column")) == SALES_DATA_COLUMNS
    assert set(of_kind("UPDATE sales SET total = 1 WHERE ", "column")) == {"id", "total"}
    assert of_kind("ALTER TABLE sales SET ", "column") == []


def test_drop_user_offers_principals() -> None:
    assert set(of_kind("DROP USER ", "principal")) == {OWNER, ALICE, BOB}


# -------------------------------------------------------------------------- flags and meta


def test_set_offers_flag_keys_dots_included() -> None:
    got = run("SET odps.sql.allow")
    assert [s.text for s in got] == ["odps.sql.allow.fullscan"]
    assert got[0].start_position == -len("odps.sql.allow")
    assert "odps.namespace.schema" in texts("SET ")
    assert texts("SET odps.sql.allow.fullscan=") == []


def test_meta_commands_after_backslash_at_line_start() -> None:
    got = run("\\lo", meta_commands=META)
    assert [(s.text, s.kind, s.start_position) for s in got] == [("\\login", "meta", -3)]
    assert set(texts("\\", meta_commands=META)) == {f"\\{m}" for m in META}
    assert texts("SELECT 1;\n\\wh", meta_commands=META) == ["\\whoami"]


# ------------------------------------------------------------------------------ statements


def test_only_the_current_statement_counts() -> None:
    before = "SELECT * FROM hr_proj.emp; SELECT * FROM sales WHERE "
    assert of_kind(before, "column", " ; DROP x") == ["id", "total"]
    assert texts("SELECT 1; ") == []  # no menu right after a finished statement (issue 16.17)
    assert "SELECT" in texts("SELECT 1; S")


def test_text_after_the_cursor_past_the_semicolon_is_ignored() -> None:
    assert of_kind("SELECT ", "column", " FROM sales; SELECT * FROM hr_proj.emp") == [
        "id",
        "total",
    ]


# ------------------------------------------------------------------------------ robustness


@pytest.mark.parametrize(
    "before",
    [
        "SELECT 'abc",
        'SELECT "abc',
        "SELECT * FROM `sal",
        "SELECT /* FROM ",
        "SELECT -- FROM ",
        "SELECT * FROM sales WHERE name = 'x'",
        "SELECT a::",
        "?? ## !!",
        "SELECT 12",
        "SELECT * FROM sales).",
        "\x00\x01",
    ],
)
def test_inside_strings_comments_and_garbage_nothing(before: str) -> None:
    assert texts(before) == []


def test_empty_snapshot_still_offers_keywords() -> None:
    empty = CatalogSnapshot("", None, (), (), (), (), ())
    assert [s.text for s in suggest("SELECT * FROM ", empty)] == ["LATERAL", "TABLE", "VALUES"]
    assert suggest("sel", empty)[0].text == "select"


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


SQL_BITS = st.sampled_from(
    [
        "SELECT ", "FROM ", "sales", "e.", "hr_proj.", " ", ",", "(", ")", "'", '"', "`", "--",
        "/*", "*/", ";", "\\", "\n", "PARTITION (", "ds=", "GRANT ", "TO ", "USER ", "ON ",
        "TABLE ", "SET ", "=", "$", ":", "@", "x", "1", "WHERE ", "JOIN ", "AS ", "CLONE ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(SQL_BITS, max_size=14).map("".join) | st.text(max_size=40),
    st.text(max_size=10),
    st.booleans(),
)
def test_never_raises_and_positions_stay_in_the_text(
    before: str, after: str, snowflake: bool
) -> None:
    snap = sf_snapshot() if snowflake and _HAS_SCHEMAS else SNAP
    logger = logging.getLogger("cloneshell.shell.suggest")
    handler = _Recorder()
    logger.addHandler(handler)
    try:
        got = suggest(before, snap, {"sales": 1}, META, full_text=before + after)
    finally:
        logger.removeHandler(handler)
    assert handler.records == []  # suggest() swallowed no exception either
    assert isinstance(got, list)
    for s in got:
        assert -len(before) <= s.start_position <= 0
        assert s.text
