"""Every denial of reference/maxcompute.md §3 and the seed: each asserts the code, the text, and
that nothing changed; with the grant, the same statement works."""

from __future__ import annotations

import pytest
from engine_helpers import OWNER_A, OWNER_B, RAM_A, fails, lines, rows, run, snapshot

from cloneshell.engine import Session

RAM_OTHER = "RAM$bob@aliyun.com:dev"


@pytest.fixture
def s(two_projects: Session) -> Session:
    """alice owns both projects; the RAM user `dev` of alice's account is a member of both with
    no privileges; bob (another account) is a member of project_analytics only."""
    run(
        two_projects,
        f"""CREATE TABLE parts (id BIGINT) PARTITIONED BY (ds STRING);
        ALTER TABLE parts ADD PARTITION (ds='a');
        ADD USER {RAM_A};
        ADD USER {OWNER_B};
        USE project_reporting;
        ADD USER {RAM_A};
        USE project_analytics;""",
    )
    return two_projects


def denied(s: Session, statement: str, code: str, text: str) -> None:
    before = snapshot(s)
    err = fails(s, statement)
    assert err.code == code, err.text
    assert text in err.text, err.text
    assert snapshot(s) == before


def as_user(s: Session, who: str, script: str) -> None:
    s.login(who)
    run(s, script)


def test_not_a_member(s: Session) -> None:
    s.login("ALIYUN$mallory@aliyun.com")
    denied(
        s, "USE project_analytics", "ODPS-0420095", "You don't exist in project project_analytics."
    )
    denied(
        s,
        "SELECT * FROM project_analytics.sales_data",
        "ODPS-0420095",
        "You don't exist in project project_analytics.",
    )
    assert fails(s, "USE project_analytics").text == (
        "ODPS-0420095: Access Denied - You don't exist in project project_analytics."
    )


def test_create_instance_needed_for_a_query(s: Session) -> None:
    as_user(s, OWNER_A, f"GRANT Select ON TABLE sales_data TO USER {RAM_A};")
    s.login(RAM_A)
    denied(
        s,
        "SELECT * FROM sales_data",
        "ODPS-0420095",
        "You have no privilege 'odps:CreateInstance' on {acs:odps:*:projects/project_analytics}",
    )
    as_user(s, OWNER_A, f"GRANT CreateInstance ON PROJECT project_analytics TO USER {RAM_A};")
    s.login(RAM_A)
    assert len(rows(s, "SELECT * FROM sales_data")) == 3


SELECT_PATHS = [
    "SELECT * FROM sales_data",
    "SELECT * FROM (SELECT id FROM sales_data) x",
    "WITH c AS (SELECT * FROM sales_data) SELECT count(*) FROM c",
    "SELECT * FROM parts p JOIN sales_data s ON p.id = s.id",
    "SELECT * FROM parts WHERE id IN (SELECT id FROM sales_data)",
    "SELECT (SELECT max(id) FROM sales_data) AS m",
    "SELECT * FROM parts WHERE EXISTS (SELECT 1 FROM sales_data)",
    "SELECT id FROM parts UNION ALL SELECT id FROM sales_data",
    "CREATE TABLE stolen AS SELECT * FROM sales_data",
    "INSERT INTO parts PARTITION (ds='a') SELECT id FROM sales_data",
    "CLONE TABLE sales_data TO project_reporting.stolen",
]


@pytest.mark.parametrize("statement", SELECT_PATHS)
def test_select_needed_on_every_path(s: Session, statement: str) -> None:
    as_user(
        s,
        OWNER_A,
        f"""GRANT CreateInstance, CreateTable ON PROJECT project_analytics TO USER {RAM_A};
        GRANT Select, Update ON TABLE parts TO USER {RAM_A};
        USE project_reporting;
        GRANT CreateInstance, CreateTable ON PROJECT project_reporting TO USER {RAM_A};
        USE project_analytics;""",
    )
    s.login(RAM_A)
    denied(
        s,
        statement,
        "ODPS-0130013",
        "You have NO privilege 'odps:Select' on "
        "{acs:odps:*:projects/project_analytics/tables/sales_data}.",
    )
    as_user(s, OWNER_A, f"GRANT Select ON TABLE sales_data TO USER {RAM_A};")
    s.login(RAM_A)
    s.execute(statement)  # with the grant, every path works


def test_create_table_needs_create_table(s: Session) -> None:
    as_user(s, OWNER_A, f"GRANT CreateInstance ON PROJECT project_analytics TO USER {RAM_A};")
    s.login(RAM_A)
    denied(
        s,
        "CREATE TABLE t2 (id BIGINT)",
        "ODPS-0130013",
        "'odps:CreateTable' on {acs:odps:*:projects/project_analytics}.",
    )


@pytest.mark.parametrize(
    ("statement", "action", "table"),
    [
        ("DESC sales_data", "Describe", "sales_data"),
        ("ALTER TABLE parts ADD PARTITION (ds='b')", "Alter", "parts"),
        ("ALTER TABLE parts DROP PARTITION (ds='a')", "Alter", "parts"),
        ("INSERT INTO sales_data VALUES (5, 'x', 1.0)", "Update", "sales_data"),
        ("INSERT OVERWRITE TABLE sales_data SELECT 1, 'x', 1.0", "Update", "sales_data"),
        ("TRUNCATE TABLE sales_data", "Update", "sales_data"),
        ("DROP TABLE sales_data", "Drop", "sales_data"),
    ],
)
def test_table_actions(s: Session, statement: str, action: str, table: str) -> None:
    as_user(s, OWNER_A, f"GRANT CreateInstance ON PROJECT project_analytics TO USER {RAM_A};")
    s.login(RAM_A)
    denied(
        s,
        statement,
        "ODPS-0130013",
        f"'odps:{action}' on {{acs:odps:*:projects/project_analytics/tables/{table}}}.",
    )
    as_user(s, OWNER_A, f"GRANT {action} ON TABLE {table} TO USER {RAM_A};")
    s.login(RAM_A)
    s.execute(statement)


def test_show_needs_list(s: Session) -> None:
    as_user(s, OWNER_A, f"GRANT CreateInstance ON PROJECT project_analytics TO USER {RAM_A};")
    s.login(RAM_A)
    denied(
        s, "SHOW TABLES", "ODPS-0130013", "'odps:List' on {acs:odps:*:projects/project_analytics}."
    )
    denied(s, "SHOW PARTITIONS parts", "ODPS-0130013", "'odps:List'")
    as_user(s, OWNER_A, f"GRANT List ON PROJECT project_analytics TO USER {RAM_A};")
    s.login(RAM_A)
    assert f"{OWNER_A}:sales_data" in lines(s, "SHOW TABLES")


def test_privileges_through_a_role(s: Session) -> None:
    as_user(
        s,
        OWNER_A,
        f"""CREATE ROLE reader;
        GRANT CreateInstance ON PROJECT project_analytics TO ROLE reader;
        GRANT Select ON TABLE sales_data TO ROLE reader;
        GRANT reader TO {RAM_A};""",
    )
    s.login(RAM_A)
    assert len(rows(s, "SELECT * FROM sales_data")) == 3
    as_user(s, OWNER_A, f"REVOKE reader FROM {RAM_A};")
    s.login(RAM_A)
    denied(s, "SELECT * FROM sales_data", "ODPS-0420095", "odps:CreateInstance")


def test_security_statements_need_admin(s: Session) -> None:
    s.login(RAM_A)
    for statement in (
        "ADD USER ALIYUN$carol@aliyun.com",
        f"REMOVE USER {OWNER_B}",
        "CREATE ROLE r1",
        f"GRANT Select ON TABLE sales_data TO USER {RAM_A}",
        f"GRANT CreateTable ON PROJECT project_analytics TO USER {RAM_A}",
    ):
        denied(s, statement, "ODPS-0130013", "only the project owner, super_administrator or admin")
    as_user(s, OWNER_A, f"GRANT admin TO {RAM_A};")
    s.login(RAM_A)
    run(s, "ADD USER ALIYUN$carol@aliyun.com; CREATE ROLE r1;")
    # an admin may not hand out admin
    denied(s, f"GRANT admin TO {OWNER_B}", "ODPS-0130013", "only the owner of project")


def test_grantee_must_be_a_member(s: Session) -> None:
    denied(
        s,
        "GRANT Select ON TABLE sales_data TO USER ALIYUN$stranger@aliyun.com",
        "ODPS-0420095",
        "You don't exist in project project_analytics.",
    )


def test_ram_users_of_other_accounts_cannot_be_added(s: Session) -> None:
    denied(
        s, f"ADD USER {RAM_OTHER}", "ODPS-0420061", "only RAM users of the project owner's account"
    )


def test_remove_user_keeps_grants_for_a_re_add(s: Session) -> None:
    run(s, f"GRANT CreateInstance ON PROJECT project_analytics TO USER {OWNER_B};")
    run(s, f"GRANT Select ON TABLE sales_data TO USER {OWNER_B};")
    s.login(OWNER_B)
    assert len(rows(s, "SELECT * FROM project_analytics.sales_data")) == 3
    as_user(s, OWNER_A, f"REMOVE USER {OWNER_B};")
    s.login(OWNER_B)
    denied(s, "SELECT * FROM project_analytics.sales_data", "ODPS-0420095", "You don't exist")
    as_user(s, OWNER_A, f"ADD USER {OWNER_B};")
    s.login(OWNER_B)
    assert len(rows(s, "SELECT * FROM project_analytics.sales_data")) == 3


def test_remove_user_with_roles_is_refused(s: Session) -> None:
    run(s, f"CREATE ROLE r; GRANT r TO {OWNER_B};")
    denied(s, f"REMOVE USER {OWNER_B}", "ODPS-0420061", "revoke them before REMOVE USER")


def test_drop_role_is_refused_while_a_user_holds_it(s: Session) -> None:
    """Issue 13 defect 4: "Before deleting a role, make sure no users are assigned to it"
    (MaxCompute DROP ROLE); it was dropped, and a role re-created later handed its grants on."""
    run(s, f"CREATE ROLE r; GRANT r TO {OWNER_B};")
    denied(s, "DROP ROLE r", "ODPS-0420061", f"role r is still granted to {OWNER_B}")
    run(s, f"REVOKE r FROM {OWNER_B}; DROP ROLE r")
    assert "r" not in lines(s, "LIST ROLES")


def test_ram_user_cannot_clone_across_accounts(s: Session) -> None:
    """Only an Alibaba Cloud account may clone from another account's project (the seed): bob's
    project can admit alice's account but never alice's RAM user, so the RAM user is refused
    even holding Select on the source, while alice's account succeeds."""
    run(
        s,
        f"""CREATE PROJECT bob_proj OWNER {OWNER_B};
        GRANT Select ON TABLE sales_data TO USER {RAM_A};""",
    )
    s.login(OWNER_B)
    run(s, f"USE bob_proj; ADD USER {OWNER_A};")
    run(s, f"GRANT CreateTable, CreateInstance ON PROJECT bob_proj TO USER {OWNER_A};")
    denied(s, f"ADD USER {RAM_A}", "ODPS-0420061", "only RAM users of the project owner's account")
    s.login(RAM_A)
    denied(
        s,
        "CLONE TABLE project_analytics.sales_data TO bob_proj.sales_data",
        "ODPS-0420095",
        "You don't exist in project bob_proj.",
    )
    s.login(OWNER_A)
    run(s, "CLONE TABLE project_analytics.sales_data TO bob_proj.sales_data;")
    assert len(rows(s, "SELECT * FROM bob_proj.sales_data")) == 3


def test_same_account_ram_user_with_exactly_the_seed_permissions(s: Session) -> None:
    """The seed's table: Select on the source, CreateTable + CreateInstance on the destination."""
    run(
        s,
        f"""GRANT Select ON TABLE sales_data TO USER {RAM_A};
        USE project_reporting;
        GRANT CreateTable, CreateInstance ON PROJECT project_reporting TO USER {RAM_A};
        USE project_analytics;""",
    )
    s.login(RAM_A)
    run(
        s,
        "CLONE TABLE project_analytics.sales_data TO project_reporting.sales_data "
        "IF EXISTS OVERWRITE;",
    )
    # missing any one of the three is denied
    for revoke, code, text in [
        (f"REVOKE Select ON TABLE sales_data FROM USER {RAM_A}", "ODPS-0130013", "odps:Select"),
        (
            f"REVOKE CreateTable ON PROJECT project_reporting FROM USER {RAM_A}",
            "ODPS-0130013",
            "odps:CreateTable",
        ),
        (
            f"REVOKE CreateInstance ON PROJECT project_reporting FROM USER {RAM_A}",
            "ODPS-0420095",
            "odps:CreateInstance",
        ),
    ]:
        s.login(OWNER_A)
        project = "project_reporting" if "PROJECT" in revoke else "project_analytics"
        run(s, f"USE {project}; {revoke}; USE project_analytics;")
        s.login(RAM_A)
        denied(s, "CLONE TABLE sales_data TO project_reporting.again", code, text)
        s.login(OWNER_A)
        grant = revoke.replace("REVOKE", "GRANT").replace(" FROM ", " TO ")
        run(s, f"USE {project}; {grant}; USE project_analytics;")
