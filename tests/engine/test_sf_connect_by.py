"""Snowflake CONNECT BY: the CONNECT BY page's examples (employees, the parts explosion,
CONNECT_BY_ROOT, SYS_CONNECT_BY_PATH), LEVEL, PRIOR in the select list, cycles and errors."""

from __future__ import annotations

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Session

EMPLOYEES = """
CREATE DATABASE d;
CREATE OR REPLACE TABLE employees (title VARCHAR, employee_ID INTEGER, manager_ID INTEGER);
INSERT INTO employees (title, employee_ID, manager_ID) VALUES
    ('President', 1, NULL),
        ('Vice President Engineering', 10, 1),
            ('Programmer', 100, 10),
            ('QA Engineer', 101, 10),
        ('Vice President HR', 20, 1),
            ('Health Insurance Analyst', 200, 20);
"""


@pytest.fixture
def emp(sf: Session) -> Session:
    run(sf, EMPLOYEES)
    return sf


def test_doc_employees_hierarchy(emp: Session) -> None:
    got = rows(
        emp,
        "SELECT employee_ID, manager_ID, title FROM employees START WITH title = 'President' "
        "CONNECT BY manager_ID = PRIOR employee_id ORDER BY employee_ID",
    )
    assert got == [
        (1, None, "President"),
        (10, 1, "Vice President Engineering"),
        (20, 1, "Vice President HR"),
        (100, 10, "Programmer"),
        (101, 10, "QA Engineer"),
        (200, 20, "Health Insurance Analyst"),
    ]


def test_level_and_start_with_after_connect_by(emp: Session) -> None:
    got = rows(
        emp,
        "SELECT employee_ID, LEVEL FROM employees CONNECT BY PRIOR employee_id = manager_ID "
        "START WITH manager_ID IS NULL ORDER BY employee_ID",
    )
    assert got == [(1, 1), (10, 2), (20, 2), (100, 3), (101, 3), (200, 3)]


def test_doc_connect_by_root(emp: Session) -> None:
    got = rows(
        emp,
        "SELECT employee_ID, manager_ID, title, CONNECT_BY_ROOT title AS root_title "
        "FROM employees START WITH title = 'President' CONNECT BY manager_ID = PRIOR employee_id "
        "ORDER BY employee_ID",
    )
    assert [r[3] for r in got] == ["President"] * 6
    # Two roots: the engineering rows appear once under each.
    got = rows(
        emp,
        "SELECT employee_ID, CONNECT_BY_ROOT title FROM employees "
        "START WITH title IN ('President', 'Vice President Engineering') "
        "CONNECT BY manager_ID = PRIOR employee_id ORDER BY 2, 1",
    )
    assert got == [
        (1, "President"),
        (10, "President"),
        (20, "President"),
        (100, "President"),
        (101, "President"),
        (200, "President"),
        (10, "Vice President Engineering"),
        (100, "Vice President Engineering"),
        (101, "Vice President Engineering"),
    ]


def test_doc_sys_connect_by_path_of_titles(emp: Session) -> None:
    got = rows(
        emp,
        "SELECT SYS_CONNECT_BY_PATH(title, ' -> ') AS path FROM employees "
        "START WITH title = 'President' CONNECT BY manager_ID = PRIOR employee_id "
        "ORDER BY employee_ID",
    )
    assert [r[0] for r in got] == [
        " -> President",
        " -> President -> Vice President Engineering",
        " -> President -> Vice President HR",
        " -> President -> Vice President Engineering -> Programmer",
        " -> President -> Vice President Engineering -> QA Engineer",
        " -> President -> Vice President HR -> Health Insurance Analyst",
    ]


def test_doc_parts_explosion(sf: Session) -> None:
    run(
        sf,
        """
        CREATE DATABASE d;
        CREATE OR REPLACE TABLE components (description VARCHAR, quantity INTEGER,
            component_ID INTEGER, parent_component_ID INTEGER);
        INSERT INTO components (description, quantity, component_ID, parent_component_ID) VALUES
            ('car', 1, 1, 0), ('wheel', 4, 11, 1), ('tire', 1, 111, 11),
            ('#112 bolt', 5, 112, 11), ('brake', 1, 113, 11), ('brake pad', 1, 1131, 113),
            ('engine', 1, 12, 1), ('piston', 4, 121, 12), ('cylinder block', 1, 122, 12),
            ('#112 bolt', 16, 112, 12);
        """,
    )
    got = rows(
        sf,
        "SELECT description, quantity, component_id, parent_component_ID, "
        "SYS_CONNECT_BY_PATH(component_ID, ' -> ') AS path FROM components "
        "START WITH component_ID = 1 CONNECT BY parent_component_ID = PRIOR component_ID "
        "ORDER BY path",
    )
    assert got == [
        ("car", 1, 1, 0, " -> 1"),
        ("wheel", 4, 11, 1, " -> 1 -> 11"),
        ("tire", 1, 111, 11, " -> 1 -> 11 -> 111"),
        ("#112 bolt", 5, 112, 11, " -> 1 -> 11 -> 112"),
        ("brake", 1, 113, 11, " -> 1 -> 11 -> 113"),
        ("brake pad", 1, 1131, 113, " -> 1 -> 11 -> 113 -> 1131"),
        ("engine", 1, 12, 1, " -> 1 -> 12"),
        ("#112 bolt", 16, 112, 12, " -> 1 -> 12 -> 112"),
        ("piston", 4, 121, 12, " -> 1 -> 12 -> 121"),
        ("cylinder block", 1, 122, 12, " -> 1 -> 12 -> 122"),
    ]


def test_prior_in_the_select_list_and_star_hides_the_engines_columns(emp: Session) -> None:
    got = rows(
        emp,
        "SELECT e.*, PRIOR title AS boss FROM employees e WHERE LEVEL = 3 "
        "START WITH manager_ID IS NULL CONNECT BY manager_ID = PRIOR employee_ID "
        "ORDER BY employee_id",
    )
    assert got == [
        ("Programmer", 100, 10, "Vice President Engineering"),
        ("QA Engineer", 101, 10, "Vice President Engineering"),
        ("Health Insurance Analyst", 200, 20, "Vice President HR"),
    ]


def test_without_start_with_every_row_is_a_root(emp: Session) -> None:
    (count,) = rows(emp, "SELECT COUNT(*) FROM employees CONNECT BY manager_ID = PRIOR employee_id")
    # each row once per ancestor-or-self: 1 + 2 + 2 + 3 + 3 + 3
    assert count == (14,)


def test_a_cycle_stops_its_branch(sf: Session) -> None:
    run(
        sf,
        "CREATE DATABASE d; CREATE TABLE t (id INT, parent_id INT);"
        "INSERT INTO t VALUES (1, 3), (2, 1), (3, 2);",
    )
    got = rows(
        sf,
        "SELECT id, LEVEL FROM t START WITH id = 1 CONNECT BY NOCYCLE PRIOR id = parent_id "
        "ORDER BY LEVEL",
    )
    assert got == [(1, 1), (2, 2), (3, 3)]


def test_level_in_the_condition_counts_rows(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE one (x INT); INSERT INTO one VALUES (0);")
    got = rows(sf, "SELECT LEVEL FROM one CONNECT BY LEVEL <= 4 ORDER BY 1")
    assert got == [(1,), (2,), (3,), (4,)]


def test_errors(emp: Session) -> None:
    err = fails(emp, "SELECT PRIOR title FROM employees")
    assert "PRIOR" in str(err)
    err = fails(
        emp,
        "SELECT SYS_CONNECT_BY_PATH(title, title) FROM employees "
        "CONNECT BY manager_ID = PRIOR employee_id",
    )
    assert "separator" in str(err)
    err = fails(
        emp,
        "SELECT 1 FROM employees a JOIN employees b ON a.title = b.title "
        "CONNECT BY a.manager_ID = PRIOR a.employee_id",
    )
    assert "CONNECT BY over a join" in str(err)
    err = fails(
        emp,
        "SELECT 1 FROM employees START WITH PRIOR title = 'x' "
        "CONNECT BY manager_ID = PRIOR employee_id",
    )
    assert "START WITH" in str(err)
