"""MaxCompute views: CREATE [OR REPLACE] VIEW [IF NOT EXISTS] (the CREATE VIEW doc's example),
DESC showing VirtualView and the text, SHOW TABLES/VIEWS, DROP VIEW, ALTER VIEW RENAME, writes
refused, and reading a view with Select on the view only."""

from __future__ import annotations

from collections.abc import Callable

from engine_helpers import OWNER_A, RAM_A, fails, lines, rows, run, snapshot

from cloneshell.engine import Session, TableDescription

DOC_EXAMPLE = """create view if not exists sale_detail_view
(store_name, customer_id, price)
comment 'a view for table sale_detail'
as select shop_name, customer_id, total_price from sale_detail"""


def _project(open_session: Callable[..., Session]) -> Session:
    s = open_session()
    run(
        s,
        """CREATE TABLE sale_detail (shop_name STRING, customer_id STRING, total_price DOUBLE);
        INSERT INTO sale_detail VALUES ('s1', 'c1', 100.1), ('s2', 'c2', 50.5);""",
    )
    return s


def test_doc_example_and_desc(open_session: Callable[..., Session]) -> None:
    s = _project(open_session)
    run(s, DOC_EXAMPLE)
    assert rows(s, "SELECT * FROM sale_detail_view ORDER BY price LIMIT 10") == [
        ("s2", "c2", 50.5),
        ("s1", "c1", 100.1),
    ]
    (desc,) = s.execute("DESC sale_detail_view")
    assert isinstance(desc, TableDescription)
    assert desc.view_text == "select shop_name, customer_id, total_price from sale_detail"
    assert desc.comment == "a view for table sale_detail"
    assert [(c.name, c.type) for c in desc.columns] == [
        ("store_name", "string"),
        ("customer_id", "string"),
        ("price", "double"),
    ]
    (same,) = s.execute("DESC VIEW sale_detail_view")
    assert isinstance(same, TableDescription) and same.view_text == desc.view_text
    # IF NOT EXISTS leaves the view; OR REPLACE replaces it.
    run(s, DOC_EXAMPLE)
    run(s, "CREATE OR REPLACE VIEW sale_detail_view AS SELECT count(*) AS n FROM sale_detail")
    assert rows(s, "SELECT n FROM sale_detail_view") == [(2,)]
    err = fails(s, "CREATE VIEW sale_detail_view AS SELECT 1 AS x")
    assert "Table or view already exists" in err.text


def test_show_tables_lists_views(open_session: Callable[..., Session]) -> None:
    s = _project(open_session)
    run(s, DOC_EXAMPLE)
    assert lines(s, "SHOW TABLES") == (
        f"{OWNER_A}:sale_detail",
        f"{OWNER_A}:sale_detail_view",
    )
    assert lines(s, "SHOW VIEWS") == (f"{OWNER_A}:sale_detail_view",)


def test_writes_refused_and_drop_rename(open_session: Callable[..., Session]) -> None:
    s = _project(open_session)
    run(s, DOC_EXAMPLE)
    before = snapshot(s)
    for sql in (
        "INSERT INTO sale_detail_view VALUES ('x', 'y', 1.0)",
        "DROP TABLE sale_detail_view",
        "TRUNCATE TABLE sale_detail_view",
    ):
        err = fails(s, sql)
        assert err.code == "ODPS-0130071", sql
        assert "sale_detail_view is a view, not a table" in err.text, sql
    assert "is a table, not a view" in fails(s, "DROP VIEW sale_detail").text
    assert snapshot(s) == before
    run(s, "ALTER VIEW sale_detail_view RENAME TO v2")
    assert rows(s, "SELECT count(*) FROM v2") == [(2,)]
    run(s, "DROP VIEW v2; DROP VIEW IF EXISTS v2")
    assert fails(s, "SELECT * FROM v2").code == "ODPS-0130131"


def test_column_count_must_match(open_session: Callable[..., Session]) -> None:
    s = _project(open_session)
    err = fails(s, "CREATE VIEW v (a) AS SELECT shop_name, customer_id FROM sale_detail")
    assert "has 1 column names but its query returns 2 columns" in err.text


def test_select_on_the_view_suffices(open_session: Callable[..., Session]) -> None:
    s = _project(open_session)
    run(
        s,
        f"""{DOC_EXAMPLE};
        ADD USER {RAM_A};
        GRANT CreateInstance ON PROJECT my_project TO USER {RAM_A};""",
    )
    s.login(RAM_A)
    assert "Select" in fails(s, "SELECT * FROM sale_detail_view").text
    s.login(OWNER_A)
    run(s, f"GRANT Select ON TABLE sale_detail_view TO USER {RAM_A}")
    s.login(RAM_A)
    assert len(rows(s, "SELECT * FROM sale_detail_view")) == 2
    assert "Select" in fails(s, "SELECT * FROM sale_detail").text
