"""Snowflake recursive WITH: the WITH page's examples (Fibonacci, the managers hierarchy), with
and without the RECURSIVE keyword, and a WITH query named like a table that does not recur."""

from __future__ import annotations

from engine_helpers import rows, run

from cloneshell.engine import Session

FIB = """{kw} current_f (current_val, previous_val) AS
  (SELECT 0, 1
   UNION ALL
   SELECT current_val + previous_val, current_val FROM current_f
   WHERE current_val + previous_val < 100)
SELECT current_val FROM current_f ORDER BY current_val"""

FIBONACCI = [(v,) for v in (0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89)]


def test_doc_fibonacci_with_recursive(sf: Session) -> None:
    assert rows(sf, FIB.format(kw="WITH RECURSIVE")) == FIBONACCI


def test_doc_fibonacci_without_the_keyword(sf: Session) -> None:
    assert rows(sf, FIB.format(kw="WITH")) == FIBONACCI


def test_doc_managers(sf: Session) -> None:
    run(
        sf,
        """
        CREATE DATABASE d;
        CREATE TABLE employees (title VARCHAR, employee_ID INTEGER, manager_ID INTEGER);
        INSERT INTO employees (title, employee_ID, manager_ID) VALUES
            ('President', 1, NULL), ('Vice President Engineering', 10, 1),
            ('Programmer', 100, 10), ('QA Engineer', 101, 10), ('Vice President HR', 20, 1),
            ('Health Insurance Analyst', 200, 20);
        """,
    )
    got = rows(
        sf,
        """WITH RECURSIVE managers (indent, employee_ID, manager_ID, employee_title) AS (
          SELECT '' AS indent, employee_ID, manager_ID, title AS employee_title
            FROM employees WHERE title = 'President'
          UNION ALL
          SELECT indent || '--- ', employees.employee_ID, employees.manager_ID, employees.title
            FROM employees JOIN managers ON employees.manager_ID = managers.employee_ID)
        SELECT indent || employee_title AS Title, employee_ID, manager_ID FROM managers
        ORDER BY employee_ID""",
    )
    assert got == [
        ("President", 1, None),
        ("--- Vice President Engineering", 10, 1),
        ("--- Vice President HR", 20, 1),
        ("--- --- Programmer", 100, 10),
        ("--- --- QA Engineer", 101, 10),
        ("--- --- Health Insurance Analyst", 200, 20),
    ]


def test_a_with_query_named_like_its_table_reads_the_table(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2);")
    assert rows(sf, "WITH t AS (SELECT a * 10 AS a FROM t) SELECT a FROM t ORDER BY a") == [
        (10,),
        (20,),
    ]
