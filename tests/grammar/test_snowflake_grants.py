"""Snowflake roles, users and grants; MaxCompute's GRANT/REVOKE/SHOW GRANTS keep their nodes."""

from __future__ import annotations

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse, parse_statement

SF = "snowflake"
MC = "maxcompute"


def ident(name: str, quoted: bool = False) -> ast.Ident:
    return ast.Ident(name=name, quoted=quoted)


def qn(*parts: str) -> ast.QualifiedName:
    return ast.QualifiedName(parts=tuple(ident(p) for p in parts))


def who(name: str, quoted: bool = False) -> ast.Principal:
    return ast.Principal(name=name, quoted=quoted)


def sf(sql: str) -> ast.Statement:
    return parse_statement(sql, SF)


def refused(sql: str, dialect: str = SF) -> SqlSyntaxError:
    with pytest.raises(SqlSyntaxError) as info:
        parse(sql, dialect)
    return info.value


def spanned(sql: str, error: SqlSyntaxError) -> str:
    assert error.span is not None
    return sql[error.span.start : error.span.end]


# ----------------------------------------------------------------------------- roles and users


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("CREATE ROLE analyst", ast.CreateRole(name=ident("analyst"))),
        (
            "CREATE OR REPLACE ROLE analyst COMMENT = 'reads sales'",
            ast.CreateRole(name=ident("analyst"), or_replace=True, comment="reads sales"),
        ),
        (
            'create role if not exists "Mixed"',
            ast.CreateRole(name=ident("Mixed", True), if_not_exists=True),
        ),
    ],
)
def test_create_role(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_create_role_in_maxcompute() -> None:
    assert parse_statement("CREATE ROLE IF NOT EXISTS r", MC) == ast.CreateRole(
        name=ident("r"), if_not_exists=True
    )
    for sql, clause, head in [
        ("CREATE OR REPLACE ROLE r", "OR REPLACE", "OR REPLACE"),
        ("CREATE ROLE r COMMENT 'c'", "COMMENT 'c'", "COMMENT"),
    ]:
        e = refused(sql, MC)
        assert spanned(sql, e) == clause
        assert e.message == f"{head} is not valid in MaxCompute CREATE ROLE"


def test_create_user() -> None:
    sql = (
        "CREATE OR REPLACE USER bob DEFAULT_ROLE = analyst PASSWORD = 'p@ss;word' "
        "MUST_CHANGE_PASSWORD = FALSE DEFAULT_WAREHOUSE = compute_wh comment = 'x' DAYS = -1"
    )
    assert sf(sql) == ast.CreateUser(
        name=who("bob"),
        or_replace=True,
        default_role=ident("analyst"),
        properties=(
            ("PASSWORD", "p@ss;word"),
            ("MUST_CHANGE_PASSWORD", "FALSE"),
            ("DEFAULT_WAREHOUSE", "compute_wh"),
            ("COMMENT", "x"),
            ("DAYS", "-1"),
        ),
    )
    assert sf("CREATE USER IF NOT EXISTS alice") == ast.CreateUser(
        name=who("alice"), if_not_exists=True
    )


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        (
            "GRANT ROLE analyst TO USER bob",
            ast.GrantRoleTo(role=ident("analyst"), grantee_kind="USER", grantee=who("bob")),
        ),
        (
            "GRANT ROLE analyst TO ROLE sysadmin",
            ast.GrantRoleTo(role=ident("analyst"), grantee_kind="ROLE", grantee=who("sysadmin")),
        ),
        (
            "revoke role analyst from user bob",
            ast.GrantRoleTo(
                role=ident("analyst"), grantee_kind="USER", grantee=who("bob"), revoke=True
            ),
        ),
        (
            "REVOKE ROLE analyst FROM ROLE sysadmin",
            ast.GrantRoleTo(
                role=ident("analyst"), grantee_kind="ROLE", grantee=who("sysadmin"), revoke=True
            ),
        ),
    ],
)
def test_grant_and_revoke_roles(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_maxcompute_role_grants_keep_their_nodes() -> None:
    assert parse_statement("GRANT r1, r2 TO USER RAM$a:b", MC) == ast.GrantRoles(
        roles=(ident("r1"), ident("r2")), grantee=who("RAM$a:b")
    )
    assert parse_statement("REVOKE role FROM bob", MC) == ast.RevokeRoles(
        roles=(ident("role"),), grantee=who("bob")
    )


def test_snowflake_role_grants_need_the_role_keyword() -> None:
    sql = "GRANT analyst TO USER bob"
    e = refused(sql)
    assert e.message == (
        "Snowflake grants one role at a time: GRANT ROLE <role> TO USER|ROLE <name>"
    )
    assert spanned(sql, e) == "analyst"


# ----------------------------------------------------------------------------- privileges


@pytest.mark.parametrize(
    ("privileges", "expected"),
    [
        ("SELECT", ("SELECT",)),
        (
            "select, Insert, UPDATE, delete, TRUNCATE, references",
            ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"),
        ),
        ("USAGE, MONITOR, OPERATE, MODIFY", ("USAGE", "MONITOR", "OPERATE", "MODIFY")),
        (
            "CREATE TABLE, create  schema, CREATE VIEW",
            ("CREATE TABLE", "CREATE SCHEMA", "CREATE VIEW"),
        ),
        (
            "CREATE STAGE, CREATE PIPE, CREATE STREAM, CREATE TASK",
            ("CREATE STAGE", "CREATE PIPE", "CREATE STREAM", "CREATE TASK"),
        ),
        (
            "CREATE DATABASE, CREATE ROLE, CREATE USER",
            ("CREATE DATABASE", "CREATE ROLE", "CREATE USER"),
        ),
        ("ALL", ("ALL",)),
        ("ALL PRIVILEGES", ("ALL PRIVILEGES",)),
        ("APPLY MASKING POLICY", ("APPLY MASKING POLICY",)),
    ],
)
def test_privilege_words(privileges: str, expected: tuple[str, ...]) -> None:
    stmt = sf(f"GRANT {privileges} ON SCHEMA db.s TO ROLE r")
    assert stmt == ast.GrantToRole(
        privileges=expected, object_type="SCHEMA", object_name=qn("db", "s"), role=ident("r")
    )


@pytest.mark.parametrize(
    ("target", "object_type", "name"),
    [
        ("DATABASE sales", "DATABASE", qn("sales")),
        ("SCHEMA sales.public", "SCHEMA", qn("sales", "public")),
        ("schema public", "SCHEMA", qn("public")),
        ("TABLE sales.public.t_sales", "TABLE", qn("sales", "public", "t_sales")),
        ("VIEW v", "VIEW", qn("v")),
        ("WAREHOUSE compute_wh", "WAREHOUSE", qn("compute_wh")),
        ("ALL TABLES IN SCHEMA sales.public", "ALL TABLES IN SCHEMA", qn("sales", "public")),
        ("FUTURE TABLES IN SCHEMA s", "FUTURE TABLES IN SCHEMA", qn("s")),
        ("ALL SCHEMAS IN DATABASE sales", "ALL SCHEMAS IN DATABASE", qn("sales")),
        ("future tables in database sales", "FUTURE TABLES IN DATABASE", qn("sales")),
        ("ACCOUNT", "ACCOUNT", None),
    ],
)
def test_grant_targets(target: str, object_type: str, name: ast.QualifiedName | None) -> None:
    assert sf(f"GRANT USAGE ON {target} TO ROLE r WITH GRANT OPTION") == ast.GrantToRole(
        privileges=("USAGE",),
        object_type=object_type,
        object_name=name,
        role=ident("r"),
        grant_option=True,
    )


def test_revoke_privileges() -> None:
    assert sf("REVOKE GRANT OPTION FOR SELECT ON TABLE t FROM ROLE r CASCADE") == ast.GrantToRole(
        privileges=("SELECT",),
        object_type="TABLE",
        object_name=qn("t"),
        role=ident("r"),
        revoke=True,
        grant_option=True,
        cascade=True,
    )
    assert sf("revoke select, insert on all tables in schema s from role r") == ast.GrantToRole(
        privileges=("SELECT", "INSERT"),
        object_type="ALL TABLES IN SCHEMA",
        object_name=qn("s"),
        role=ident("r"),
        revoke=True,
    )


@pytest.mark.parametrize(
    ("tail", "current_grants"),
    [("", None), (" COPY CURRENT GRANTS", "COPY"), (" revoke current grants", "REVOKE")],
)
def test_grant_ownership(tail: str, current_grants: str | None) -> None:
    assert sf(f"GRANT OWNERSHIP ON SCHEMA sales.public TO ROLE sysadmin{tail}") == (
        ast.GrantOwnership(
            object_type="SCHEMA",
            object_name=qn("sales", "public"),
            role=ident("sysadmin"),
            current_grants=current_grants,  # type: ignore[arg-type]
        )
    )


@pytest.mark.parametrize(
    ("sql", "message", "clause"),
    [
        (
            "GRANT SELECT ON TABLE t TO USER bob",
            "Snowflake grants privileges to a ROLE",
            "USER bob",
        ),
        (
            "GRANT OWNERSHIP, SELECT ON TABLE t TO ROLE r",
            "OWNERSHIP is granted on its own",
            "OWNERSHIP, SELECT",
        ),
        (
            "GRANT OWNERSHIP ON ACCOUNT TO ROLE r",
            "ACCOUNT is not valid in Snowflake GRANT OWNERSHIP",
            "ACCOUNT",
        ),
        (
            "GRANT OWNERSHIP ON TABLE t TO ROLE r WITH GRANT OPTION",
            "WITH GRANT OPTION is not valid in Snowflake GRANT OWNERSHIP",
            "WITH GRANT OPTION",
        ),
        (
            "GRANT SELECT ON TABLE t TO ROLE r COPY CURRENT GRANTS",
            "COPY CURRENT GRANTS is only valid in GRANT OWNERSHIP",
            "COPY CURRENT GRANTS",
        ),
    ],
)
def test_snowflake_grant_errors(sql: str, message: str, clause: str) -> None:
    e = refused(sql)
    assert e.message == message
    assert spanned(sql, e) == clause


def test_maxcompute_privilege_grants_keep_their_nodes() -> None:
    assert parse_statement("GRANT Select, Describe ON TABLE t TO ROLE r", MC) == (
        ast.GrantPrivileges(
            actions=("Select", "Describe"),
            object_type="TABLE",
            object_name=qn("t"),
            grantee_kind="ROLE",
            grantee=who("r"),
        )
    )
    assert parse_statement("REVOKE Update ON PROJECT p FROM USER ALIYUN$a@b.com", MC) == (
        ast.RevokePrivileges(
            actions=("Update",),
            object_type="PROJECT",
            object_name=qn("p"),
            grantee_kind="USER",
            grantee=who("ALIYUN$a@b.com"),
        )
    )


@pytest.mark.parametrize(
    ("sql", "clause"),
    [
        ("GRANT Select ON ACCOUNT TO ROLE r", "ACCOUNT"),
        ("GRANT Select ON ALL TABLES IN SCHEMA s TO ROLE r", "ALL TABLES IN SCHEMA s"),
        ("GRANT Select ON TABLE t TO ROLE r WITH GRANT OPTION", "WITH GRANT OPTION"),
        ("REVOKE GRANT OPTION FOR Select ON TABLE t FROM ROLE r", "GRANT OPTION FOR"),
        ("REVOKE Select ON TABLE t FROM ROLE r CASCADE", "CASCADE"),
    ],
)
def test_snowflake_grant_clauses_are_refused_in_maxcompute(sql: str, clause: str) -> None:
    e = refused(sql, MC)
    assert spanned(sql, e) == clause
    assert " is not valid in MaxCompute " in e.message


def test_maxcompute_actions_are_one_word() -> None:
    sql = "GRANT CREATE TABLE ON PROJECT p TO USER bob"
    e = refused(sql, MC)
    assert e.message == "invalid token 'TABLE'"
    assert spanned(sql, e) == "TABLE"


# ----------------------------------------------------------------------------- SHOW GRANTS


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("SHOW GRANTS", ast.ShowGrants()),
        ("SHOW GRANTS ON ACCOUNT", ast.ShowGrants(on_type="ACCOUNT")),
        (
            "SHOW GRANTS ON TABLE db.s.t",
            ast.ShowGrants(on_type="TABLE", on_name=qn("db", "s", "t")),
        ),
        ("SHOW GRANTS ON SCHEMA s", ast.ShowGrants(on_type="SCHEMA", on_name=qn("s"))),
        (
            "SHOW GRANTS TO ROLE analyst",
            ast.ShowGrants(to_kind="ROLE", name=who("analyst")),
        ),
        ("show grants to user bob", ast.ShowGrants(to_kind="USER", name=who("bob"))),
        ("SHOW GRANTS OF ROLE analyst", ast.ShowGrants(of_role=ident("analyst"))),
    ],
)
def test_show_grants(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node


def test_show_grants_per_dialect() -> None:
    assert parse_statement("SHOW GRANTS", MC) == ast.ShowGrants()
    assert parse_statement("SHOW GRANTS FOR ROLE r", MC) == ast.ShowGrants(
        for_kind="ROLE", for_name=who("r")
    )
    sql = "SHOW GRANTS FOR bob"
    e = refused(sql, SF)
    assert e.message == "FOR is not valid in Snowflake SHOW GRANTS"
    assert spanned(sql, e) == "FOR bob"
    sql = "SHOW GRANTS TO ROLE r"
    e = refused(sql, MC)
    assert e.message == "TO ROLE is not valid in MaxCompute SHOW GRANTS"
    assert spanned(sql, e) == "TO ROLE r"


def test_role_is_an_object_of_ownership_and_show_grants() -> None:
    assert sf("GRANT OWNERSHIP ON ROLE loader TO ROLE sysadmin") == ast.GrantOwnership(
        object_type="ROLE", object_name=qn("loader"), role=ident("sysadmin")
    )
    assert sf("SHOW GRANTS ON ROLE loader") == ast.ShowGrants(on_type="ROLE", on_name=qn("loader"))
