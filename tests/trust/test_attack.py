"""Privileges under attack (issue 6): a principal lacking one privilege tries to reach a table by
every syntactic path - direct, qualified, quoted, subquery, CTE, join, IN (SELECT ...), set
operations, CTAS, INSERT ... SELECT, UPDATE/DELETE sources, CLONE, Time Travel, DESC, SHOW and
completion - and is denied every time with the right coded error, changing nothing; once the
privilege is granted, the same statement works. The cases are a matrix (path x principal, and
for Snowflake path x what is missing), so pytest reports their number.

MaxCompute: `sales_data` in project_analytics; the principals hold every other privilege they
need (CreateInstance, CreateTable, List on both projects; Describe, Alter, Update, Drop on
sales_data; everything on `parts`) as a RAM user, as another Alibaba Cloud account, or through a
role. Snowflake: table D.PUBLIC.T; role ANALYST works in D.WORK (table OTHER) and lacks SELECT
on T (holding INSERT, so T is visible), or holds nothing on T, or lacks USAGE on schema PUBLIC.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hostile_helpers import OWNER_A, OWNER_B, RAM_A, open_session, warehouse_files

from cloneshell.engine import Session
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.suggest import suggest

# ================================================================== MaxCompute

# Names of the tables a case's statement creates (`stolen_{n}`) are unique in the module.
_SERIAL = itertools.count(1)

RAM_VIA_ROLE = "RAM$alice@aliyun.com:viarole"
MC_PRINCIPALS = {
    "ram_user": ("USER", RAM_A, RAM_A),
    "account": ("USER", OWNER_B, OWNER_B),
    "via_role": ("ROLE", "reader", RAM_VIA_ROLE),
}
TABLE_ACTIONS = ("Select", "Describe", "Alter", "Update", "Drop")
SALES = "{acs:odps:*:projects/project_analytics/tables/sales_data}"


@dataclass(frozen=True)
class McPath:
    """One way of reaching sales_data; `withheld` is the privilege it needs that is missing."""

    name: str
    sql: str  # `{n}` becomes a number unique to the case (names of tables it creates)
    withheld: str = "Select"


MC_PATHS = [
    McPath("direct", "SELECT * FROM sales_data"),
    McPath("qualified", "SELECT * FROM project_analytics.sales_data"),
    McPath("backquoted", "SELECT * FROM `project_analytics`.`sales_data`"),
    McPath("upper_case", "SELECT * FROM SALES_DATA"),
    McPath(
        "from_other_project", "USE project_reporting; SELECT * FROM project_analytics.sales_data"
    ),
    McPath(
        "three_part_name",
        "SET odps.namespace.schema=true; SELECT * FROM project_analytics.default.sales_data",
    ),
    McPath("alias", "SELECT s.id FROM sales_data s"),
    McPath("count_only", "SELECT count(*) FROM sales_data"),
    McPath("no_columns", "SELECT 1 FROM sales_data"),
    McPath("subquery", "SELECT * FROM (SELECT id FROM sales_data) x"),
    McPath("nested_subquery", "SELECT * FROM (SELECT * FROM (SELECT id FROM sales_data) a) b"),
    McPath("scalar_subquery", "SELECT (SELECT max(id) FROM sales_data) AS m"),
    McPath("cte", "WITH c AS (SELECT * FROM sales_data) SELECT count(*) FROM c"),
    McPath(
        "cte_chain",
        "WITH a AS (SELECT id FROM sales_data), b AS (SELECT * FROM a) SELECT * FROM b",
    ),
    McPath("cte_unused", "WITH a AS (SELECT id FROM sales_data) SELECT 1"),
    McPath(
        "cte_shadowing_a_granted_name",
        "WITH parts AS (SELECT id FROM sales_data) SELECT * FROM parts",
    ),
    McPath("join", "SELECT * FROM parts p JOIN sales_data s ON p.id = s.id"),
    McPath("left_join", "SELECT * FROM parts p LEFT OUTER JOIN sales_data s ON p.id = s.id"),
    McPath("cross_join", "SELECT * FROM parts CROSS JOIN sales_data"),
    McPath("comma_join", "SELECT * FROM parts, sales_data"),
    McPath("semi_join", "SELECT * FROM parts p LEFT SEMI JOIN sales_data s ON p.id = s.id"),
    McPath("join_in_subquery", "SELECT * FROM (SELECT * FROM parts JOIN sales_data ON TRUE) x"),
    McPath("in_subquery", "SELECT * FROM parts WHERE id IN (SELECT id FROM sales_data)"),
    McPath("not_in_subquery", "SELECT * FROM parts WHERE id NOT IN (SELECT id FROM sales_data)"),
    McPath("exists", "SELECT * FROM parts WHERE EXISTS (SELECT 1 FROM sales_data)"),
    McPath("not_exists", "SELECT * FROM parts WHERE NOT EXISTS (SELECT 1 FROM sales_data)"),
    McPath(
        "having_subquery",
        "SELECT id FROM parts GROUP BY id HAVING count(*) < (SELECT count(*) FROM sales_data)",
    ),
    McPath("case_subquery", "SELECT CASE WHEN (SELECT count(*) FROM sales_data) > 0 THEN 1 END"),
    McPath("function_argument", "SELECT coalesce((SELECT max(id) FROM sales_data), 0)"),
    McPath("union_all", "SELECT id FROM parts UNION ALL SELECT id FROM sales_data"),
    McPath("union", "SELECT id FROM sales_data UNION SELECT id FROM parts"),
    McPath("intersect", "SELECT id FROM parts INTERSECT SELECT id FROM sales_data"),
    McPath("except", "SELECT id FROM parts EXCEPT SELECT id FROM sales_data"),
    McPath("parenthesized", "(SELECT id FROM sales_data)"),
    McPath("ctas", "CREATE TABLE stolen_{n} AS SELECT * FROM sales_data"),
    McPath(
        "ctas_elsewhere", "CREATE TABLE project_reporting.stolen_{n} AS SELECT * FROM sales_data"
    ),
    McPath(
        "ctas_subquery", "CREATE TABLE stolen_{n} AS SELECT * FROM (SELECT id FROM sales_data) x"
    ),
    McPath("insert_select", "INSERT INTO parts PARTITION (ds='a') SELECT id FROM sales_data"),
    McPath(
        "insert_overwrite",
        "INSERT OVERWRITE TABLE parts PARTITION (ds='a') SELECT id FROM sales_data",
    ),
    McPath(
        "insert_dynamic_partition",
        "INSERT INTO parts PARTITION (ds) SELECT id, order_date FROM sales_data",
    ),
    McPath(
        "insert_values_subquery",
        "INSERT INTO parts PARTITION (ds='a') VALUES ((SELECT max(id) FROM sales_data))",
    ),
    McPath("clone_new", "CLONE TABLE sales_data TO project_reporting.stolen_{n}"),
    McPath("clone_same_project", "CLONE TABLE project_analytics.sales_data TO stolen_{n}"),
    McPath(
        "clone_existing",
        "CLONE TABLE sales_data TO project_reporting.stolen_existing IF EXISTS OVERWRITE",
    ),
    McPath(
        "clone_existing_ignore",
        "CLONE TABLE sales_data TO project_reporting.stolen_existing IF EXISTS IGNORE",
    ),
    McPath("desc", "DESC sales_data", "Describe"),
    McPath("desc_qualified", "DESC project_analytics.sales_data", "Describe"),
    McPath("desc_extended", "DESC EXTENDED sales_data", "Describe"),
    McPath("show_tables", "SHOW TABLES", "List"),
    McPath("show_tables_in", "SHOW TABLES IN project_analytics", "List"),
    McPath("show_tables_like", "SHOW TABLES LIKE 'sales%'", "List"),
]


def _mc_expected(withheld: str) -> tuple[str, str]:
    if withheld == "List":
        return "ODPS-0130013", "'odps:List' on {acs:odps:*:projects/project_analytics}."
    return "ODPS-0130013", f"You have NO privilege 'odps:{withheld}' on {SALES}."


def _mc_setup(root: Path) -> Session:
    s = open_session(root, "maxcompute", OWNER_A)
    s.execute(
        "CREATE PROJECT project_analytics; CREATE PROJECT project_reporting; USE project_analytics;"
        "CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2));"
        "INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00), (2, '2024-01-16', 450.50),"
        " (3, '2024-01-17', 12.25);"
        "CREATE TABLE parts (id BIGINT) PARTITIONED BY (ds STRING);"
        "ALTER TABLE parts ADD PARTITION (ds='a');"
        "USE project_reporting;"
        "CREATE TABLE stolen_existing (id BIGINT, order_date STRING, amount DECIMAL(10,2))"
    )
    for project in ("project_analytics", "project_reporting"):
        s.execute(
            f"USE {project}; ADD USER {RAM_A}; ADD USER {OWNER_B}; ADD USER {RAM_VIA_ROLE};"
            f"CREATE ROLE reader; GRANT reader TO {RAM_VIA_ROLE}"
        )
        for kind, grantee, _ in MC_PRINCIPALS.values():
            s.execute(
                f"GRANT CreateInstance, CreateTable, List ON PROJECT {project} TO {kind} {grantee}"
            )
            if project == "project_analytics":
                s.execute(
                    f"GRANT Select, Update, Describe, Alter ON TABLE parts TO {kind} {grantee};"
                    f"GRANT {', '.join(TABLE_ACTIONS)} ON TABLE sales_data TO {kind} {grantee}"
                )
            else:
                s.execute(
                    "GRANT Select, Update, Describe, Alter ON TABLE stolen_existing "
                    f"TO {kind} {grantee}"
                )
    return s


@pytest.fixture(scope="module")
def mc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    s = _mc_setup(tmp_path_factory.mktemp("attack_mc") / "wh")
    yield s
    s.close()


def _mc_as_owner(s: Session, script: str) -> None:
    s.login(OWNER_A)
    s.flags.clear()
    s.execute("USE project_analytics; " + script)


# What each principal (MaxCompute) or the role (Snowflake) lacks right now, when known: a case
# that finds the state it needs skips setting it up, and puts it back after its granted run.
_WITHHELD: dict[str, str] = {}


def _revoking(grant: str) -> str:
    """The REVOKE that undoes `grant` (`GRANT x ON y TO z` -> `REVOKE x ON y FROM z`)."""
    return "REVOKE" + grant.removeprefix("GRANT").replace(" TO ", " FROM ")


def _mc_restore(kind: str, grantee: str, withheld: str) -> str:
    """The GRANT that gives `withheld` back."""
    if withheld == "List":
        return f"GRANT List ON PROJECT project_analytics TO {kind} {grantee}"
    return f"GRANT {withheld} ON TABLE sales_data TO {kind} {grantee}"


def _mc_withhold(s: Session, kind: str, grantee: str, withheld: str) -> None:
    """Give the grantee everything but `withheld`."""
    table = f"GRANT {', '.join(TABLE_ACTIONS)} ON TABLE sales_data TO {kind} {grantee}"
    project = f"GRANT List ON PROJECT project_analytics TO {kind} {grantee}"
    _mc_as_owner(s, f"{table}; {project}; {_revoking(_mc_restore(kind, grantee, withheld))}")


def _mc_enter(s: Session, who: str) -> None:
    s.login(who)
    s.flags.clear()
    s.execute("USE project_analytics")


MC_CASES = [(p, v) for v in MC_PRINCIPALS for p in MC_PATHS]


@pytest.mark.parametrize(
    ("path", "principal"), MC_CASES, ids=[f"{v}-{p.name}" for p, v in MC_CASES]
)
def test_maxcompute_every_path_is_denied_then_granted(
    mc: Session, path: McPath, principal: str
) -> None:
    kind, grantee, who = MC_PRINCIPALS[principal]
    restore = _mc_restore(kind, grantee, path.withheld)
    if _WITHHELD.pop(principal, None) != path.withheld:
        _mc_withhold(mc, kind, grantee, path.withheld)
    sql = path.sql.format(n=next(_SERIAL))
    _mc_enter(mc, who)
    before = warehouse_files(mc)
    with pytest.raises(CloneshellError) as info:
        mc.execute(sql)
    code, text = _mc_expected(path.withheld)
    assert info.value.code == code, info.value.text
    assert text in info.value.text, info.value.text
    assert warehouse_files(mc) == before
    _mc_as_owner(mc, restore)
    _mc_enter(mc, who)
    mc.execute(sql)  # with the grant, the same path works
    _mc_as_owner(mc, _revoking(restore))
    _WITHHELD[principal] = path.withheld


def test_maxcompute_matrix_size() -> None:
    assert len(MC_CASES) >= 150


MC_PROBES = [
    "SELECT * FROM ",
    "SELECT * FROM project_analytics.",
    "SELECT * FROM sa",
    "DESC ",
    "CLONE TABLE ",
    "GRANT Select ON TABLE ",
]


def _mc_offers_sales(s: Session) -> tuple[bool, bool]:
    snap = s.snapshot()
    tables = {x.text.lower() for p in MC_PROBES for x in suggest(p, snap) if x.kind == "table"}
    columns_text = "SELECT  FROM sales_data"
    columns = {x.text for x in suggest("SELECT ", snap, full_text=columns_text)}
    offered = any("sales_data" in t for t in tables)
    return offered, "order_date" in columns


@pytest.mark.parametrize("principal", list(MC_PRINCIPALS))
def test_maxcompute_completion_hides_the_table(mc: Session, principal: str) -> None:
    """Without Select or Describe on the table and List on the project, completion never offers
    the table or its columns; with Select, it does."""
    kind, grantee, who = MC_PRINCIPALS[principal]
    _WITHHELD.pop(principal, None)
    _mc_withhold(mc, kind, grantee, "List")
    _mc_as_owner(mc, f"REVOKE Select, Describe ON TABLE sales_data FROM {kind} {grantee}")
    _mc_enter(mc, who)
    assert _mc_offers_sales(mc) == (False, False)
    _mc_as_owner(mc, f"GRANT Select ON TABLE sales_data TO {kind} {grantee}")
    _mc_enter(mc, who)
    assert _mc_offers_sales(mc) == (True, True)


# ================================================================== Snowflake


@dataclass(frozen=True)
class SfMissing:
    """What the role lacks, what that costs, and the grant that fixes it."""

    setup: str  # grants on top of the baseline
    error: str  # the exact error text of a denied path
    fix: str


SF_MISSING = {
    # holds INSERT on T, so T is visible: reads are refused as such
    "no_select": SfMissing(
        "GRANT USAGE ON SCHEMA d.public TO ROLE analyst; "
        "GRANT INSERT ON TABLE d.public.t TO ROLE analyst",
        "003001 (42501): SQL access control error:\n"
        "Insufficient privileges to operate on table 'T'",
        "GRANT SELECT ON TABLE d.public.t TO ROLE analyst",
    ),
    # holds nothing on T: Snowflake hides it
    "nothing_on_table": SfMissing(
        "GRANT USAGE ON SCHEMA d.public TO ROLE analyst",
        "002003 (42S02): SQL compilation error:\n"
        "Object 'D.PUBLIC.T' does not exist or not authorized.",
        "GRANT SELECT ON TABLE d.public.t TO ROLE analyst",
    ),
    # holds SELECT on T, but not USAGE on its schema
    "no_schema_usage": SfMissing(
        "GRANT SELECT ON TABLE d.public.t TO ROLE analyst",
        "002003 (02000): SQL compilation error:\n"
        "Schema 'D.PUBLIC' does not exist or not authorized.",
        "GRANT USAGE ON SCHEMA d.public TO ROLE analyst",
    ),
}

SF_BASELINE = """GRANT USAGE ON DATABASE d TO ROLE analyst;
GRANT USAGE ON SCHEMA d.work TO ROLE analyst;
GRANT CREATE TABLE ON SCHEMA d.work TO ROLE analyst;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLE d.work.other TO ROLE analyst"""

SF_RESET = """REVOKE USAGE ON SCHEMA d.public FROM ROLE analyst;
REVOKE SELECT, INSERT ON TABLE d.public.t FROM ROLE analyst"""


@dataclass(frozen=True)
class SfPath:
    name: str
    sql: str
    # Paths that only need T to be visible (DESC): any privilege on T will do, so they are
    # denied only when T is invisible.
    visibility_only: bool = False


SF_PATHS = [
    SfPath("direct", "SELECT * FROM d.public.t"),
    SfPath("schema_qualified", "SELECT * FROM public.t"),
    SfPath("default_schema", "SELECT * FROM d..t"),
    SfPath("quoted", 'SELECT * FROM "D"."PUBLIC"."T"'),
    SfPath("lower_case", "SELECT * FROM D.Public.t"),
    SfPath("use_schema", "USE SCHEMA d.public; SELECT * FROM t"),
    SfPath("use_database", "USE DATABASE d; SELECT * FROM t"),
    SfPath("alias", "SELECT x.secret_v FROM d.public.t x"),
    SfPath("count_only", "SELECT count(*) FROM d.public.t"),
    SfPath("subquery", "SELECT * FROM (SELECT secret_v FROM d.public.t) s"),
    SfPath("scalar_subquery", "SELECT (SELECT max(secret_v) FROM d.public.t)"),
    SfPath("cte", "WITH c AS (SELECT * FROM d.public.t) SELECT * FROM c"),
    SfPath(
        "cte_chain",
        "WITH a AS (SELECT * FROM d.public.t), b AS (SELECT * FROM a) SELECT * FROM b",
    ),
    SfPath(
        "cte_shadowing_a_granted_name",
        "WITH other AS (SELECT * FROM d.public.t) SELECT * FROM other",
    ),
    SfPath("join", "SELECT * FROM other o JOIN d.public.t x ON o.v = x.secret_v"),
    SfPath("left_join", "SELECT * FROM other o LEFT JOIN d.public.t x ON o.v = x.secret_v"),
    SfPath("cross_join", "SELECT * FROM other CROSS JOIN d.public.t"),
    SfPath("comma_join", "SELECT * FROM other, d.public.t"),
    SfPath("in_subquery", "SELECT * FROM other WHERE v IN (SELECT secret_v FROM d.public.t)"),
    SfPath(
        "not_in_subquery", "SELECT * FROM other WHERE v NOT IN (SELECT secret_v FROM d.public.t)"
    ),
    SfPath("exists", "SELECT * FROM other WHERE EXISTS (SELECT 1 FROM d.public.t)"),
    SfPath("union_all", "SELECT v FROM other UNION ALL SELECT secret_v FROM d.public.t"),
    SfPath("intersect", "SELECT v FROM other INTERSECT SELECT secret_v FROM d.public.t"),
    SfPath("minus", "SELECT v FROM other MINUS SELECT secret_v FROM d.public.t"),
    SfPath("ctas", "CREATE TABLE stolen_{n} AS SELECT * FROM d.public.t"),
    SfPath("ctas_or_replace", "CREATE OR REPLACE TABLE stolen_{n} AS SELECT * FROM d.public.t"),
    SfPath("insert_select", "INSERT INTO other SELECT * FROM d.public.t"),
    SfPath("insert_overwrite", "INSERT OVERWRITE INTO other SELECT * FROM d.public.t"),
    SfPath(
        "insert_values_subquery",
        "INSERT INTO other VALUES ((SELECT max(secret_v) FROM d.public.t))",
    ),
    SfPath("update_subquery", "UPDATE other SET v = (SELECT max(secret_v) FROM d.public.t)"),
    SfPath(
        "update_from",
        "UPDATE other SET v = x.secret_v FROM d.public.t x WHERE other.v = x.secret_v",
    ),
    SfPath("delete_using", "DELETE FROM other USING d.public.t x WHERE other.v = x.secret_v"),
    SfPath("delete_in", "DELETE FROM other WHERE v IN (SELECT secret_v FROM d.public.t)"),
    SfPath("clone", "CREATE TABLE stolen_{n} CLONE d.public.t"),
    SfPath("clone_at_offset", "CREATE TABLE stolen_{n} CLONE d.public.t AT(OFFSET => -60*30)"),
    SfPath("clone_before", "CREATE TABLE stolen_{n} CLONE d.public.t BEFORE(OFFSET => -60)"),
    SfPath("time_travel_offset", "SELECT * FROM d.public.t AT(OFFSET => -60*30)"),
    SfPath(
        "time_travel_timestamp",
        "SELECT * FROM d.public.t AT(TIMESTAMP => '2024-01-15 10:30:00'::TIMESTAMP_NTZ)",
    ),
    SfPath("time_travel_before", "SELECT * FROM d.public.t BEFORE(OFFSET => -60)"),
    SfPath(
        "time_travel_in_join",
        "SELECT * FROM other o JOIN d.public.t AT(OFFSET => -60*30) x ON o.v = x.secret_v",
    ),
    SfPath(
        "time_travel_in_subquery", "SELECT * FROM (SELECT * FROM d.public.t AT(OFFSET => -60)) s"
    ),
    SfPath("desc", "DESC TABLE d.public.t", visibility_only=True),
    SfPath("describe", "DESCRIBE TABLE d.public.t", visibility_only=True),
    SfPath("show_grants_on", "SHOW GRANTS ON TABLE d.public.t", visibility_only=True),
]


def _sf_setup(root: Path) -> Session:
    s = open_session(root, "snowflake")  # CLONESHELL, ACCOUNTADMIN
    s.execute(
        "CREATE ROLE analyst; CREATE USER bob DEFAULT_ROLE = analyst;"
        "GRANT ROLE analyst TO USER bob;"
        "CREATE DATABASE d; CREATE TABLE d.public.t (secret_v INT);"
        "INSERT INTO d.public.t VALUES (41), (42);"
        "CREATE SCHEMA d.work; CREATE TABLE d.work.other (v INT);"
        "INSERT INTO d.work.other VALUES (1);" + SF_BASELINE
    )
    # an hour passes, so Time Travel into the last half hour finds the tables
    s.move_clock(timedelta(hours=1))
    return s


@pytest.fixture(scope="module")
def sf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    s = _sf_setup(tmp_path_factory.mktemp("attack_sf") / "wh")
    yield s
    s.close()


def _sf_as_admin(s: Session, script: str) -> None:
    s.login("cloneshell")
    s.execute(script)


def _sf_enter(s: Session) -> None:
    s.login("bob")
    s.execute("USE SCHEMA d.work")


SF_CASES = [
    (p, m) for m in SF_MISSING for p in SF_PATHS if not (p.visibility_only and m == "no_select")
]


@pytest.mark.parametrize(("path", "missing"), SF_CASES, ids=[f"{m}-{p.name}" for p, m in SF_CASES])
def test_snowflake_every_path_is_denied_then_granted(
    sf: Session, path: SfPath, missing: str
) -> None:
    lack = SF_MISSING[missing]
    if _WITHHELD.pop("analyst", None) != missing:
        _sf_as_admin(sf, f"{SF_RESET}; {lack.setup}")
    sql = path.sql.format(n=next(_SERIAL))
    _sf_enter(sf)
    before = warehouse_files(sf)
    with pytest.raises(CloneshellError) as info:
        sf.execute(sql)
    assert info.value.text == lack.error
    assert warehouse_files(sf) == before
    _sf_as_admin(sf, lack.fix)
    _sf_enter(sf)
    sf.execute(sql)  # with the grant, the same path works
    _sf_as_admin(sf, _revoking(lack.fix))
    _WITHHELD["analyst"] = missing


def test_snowflake_matrix_size() -> None:
    assert len(SF_CASES) >= 120


@pytest.mark.parametrize("missing", ["nothing_on_table", "no_schema_usage"])
def test_snowflake_show_and_completion_hide_the_table(sf: Session, missing: str) -> None:
    """SHOW TABLES never lists an invisible table and completion never offers it or its
    columns; with the grant, both do."""
    lack = SF_MISSING[missing]
    _WITHHELD.pop("analyst", None)
    _sf_as_admin(sf, f"{SF_RESET}; {lack.setup}")
    _sf_enter(sf)
    assert _sf_sees_t(sf) == (False, False, False)
    _sf_as_admin(sf, lack.fix)
    _sf_enter(sf)
    assert _sf_sees_t(sf) == (True, True, True)


def _sf_sees_t(s: Session) -> tuple[bool, bool, bool]:
    """Whether SHOW TABLES IN DATABASE d lists T, completion offers T, and offers its column."""
    try:
        (shown,) = s.execute("SHOW TABLES IN DATABASE d")
        listed = any(row[1] == "T" for row in shown.rows)  # type: ignore[attr-defined]
    except CloneshellError:
        listed = False
    snap = s.snapshot()
    probes = ["SELECT * FROM d.public.", "SELECT * FROM public.", "SELECT * FROM ", "DESC TABLE d."]
    offered = any(
        x.text.upper().rstrip('"').endswith("T") and x.kind == "table"
        for p in probes
        for x in suggest(p, snap)
        if x.text.upper() not in ("OTHER",)
    )
    columns = {
        x.text.lower() for x in suggest("SELECT ", snap, full_text="SELECT  FROM d.public.t")
    }
    return listed, offered, "secret_v" in columns


@pytest.mark.parametrize("missing", ["no_select", "nothing_on_table"])
@pytest.mark.parametrize("container", ["SCHEMA", "DATABASE"])
def test_snowflake_container_clone_leaves_out_what_the_role_cannot_read(
    sf: Session, missing: str, container: str
) -> None:
    """A schema or database clone includes only the tables the role may SELECT (Snowflake: "only
    objects the cloning role has the required privileges on are included"), so cloning the
    container is no way around the missing privilege; with the grant, T comes along."""
    lack = SF_MISSING[missing]
    _WITHHELD.pop("analyst", None)
    _sf_as_admin(
        sf,
        f"{SF_RESET}; {lack.setup}; GRANT CREATE SCHEMA ON DATABASE d TO ROLE analyst;"
        "GRANT CREATE DATABASE ON ACCOUNT TO ROLE analyst",
    )
    n = next(_SERIAL)
    clone, target = (
        (f"CREATE SCHEMA d.copy_{n} CLONE d.public", f"d.copy_{n}.t")
        if container == "SCHEMA"
        else (f"CREATE DATABASE copy_{n} CLONE d", f"copy_{n}.public.t")
    )
    _sf_enter(sf)
    sf.execute(clone)
    with pytest.raises(CloneshellError) as info:
        sf.execute(f"SELECT * FROM {target}")
    assert info.value.code == "002003", info.value.text
    _sf_as_admin(sf, lack.fix)
    _sf_enter(sf)
    sf.execute(clone.replace(f"copy_{n}", f"copy_{n}_granted"))
    (result,) = sf.execute(
        f"SELECT secret_v FROM {target.replace(f'copy_{n}', f'copy_{n}_granted')}"
    )
    assert sorted(result.rows) == [(41,), (42,)]  # type: ignore[attr-defined]
