"""snowflake-connector-python 5.x (the Rust `sf_core` generation), unmodified, against `cloneshell
serve`: the same seed procedures as the 4.x tests (walkthrough with BEFORE(STATEMENT => sfqid),
errors with errno/sqlstate/sfqid within 1 s, a second user denied, passwords, async results via
the doubled-slash monitoring path). 5.x cannot share a venv with 4.x: it runs from `.venv-sf5`
(scripts/test makes it) through tests/server/clients/sf5_procedures.py."""

from __future__ import annotations

from typing import Any

from clientvenv import run_client

SCRIPT = "sf5_procedures.py"


def _run(served: Any, name: str) -> dict[str, Any]:
    return run_client("sf5", SCRIPT, str(served.port), name)


def test_walkthrough_through_connector_5(served):
    seen = _run(served, "walkthrough")
    assert seen["version"].startswith("5.2.")
    assert seen["database"] == ["SALES"]
    assert (seen["inserted"], seen["deleted"], seen["updated"]) == (3, 1, 2)
    assert len(seen["delete_id"]) == 36
    assert seen["before"] == [
        [1, {"decimal": "10.50"}],
        [2, {"decimal": "20.00"}],
        [3, {"decimal": "5.25"}],
    ]
    assert seen["count_before"] == [[3]]
    assert seen["source_sum"] == [{"decimal": "15.75"}]
    assert (seen["dropped"]["errno"], seen["dropped"]["sqlstate"]) == (2003, "42S02")
    assert seen["undrop"] == [["Table ORDERS successfully restored."]]
    assert seen["restored"] == [[1], [3]]


def test_errors_reach_connector_5_with_errno_sqlstate_sfqid_within_one_second(served):
    seen = _run(served, "errors")
    expected = {
        "missing": (2003, "42S02"),
        "syntax": (1003, "42000"),
        "unsupported": (2, "0A000"),
    }
    for name, (errno, sqlstate) in expected.items():
        err = seen[name]
        assert err["class"] == "ProgrammingError", (name, err)
        assert (err["errno"], err["sqlstate"]) == (errno, sqlstate), (name, err)
        assert err["sfqid"] and len(err["sfqid"]) == 36, (name, err)
        assert err["seconds"] < 1.0, (name, err)  # no retry loop
    assert "Object 'DB1.PUBLIC.NOPE' does not exist or not authorized." in seen["missing"]["msg"]


def test_second_user_denied_and_passwords_through_connector_5(served):
    seen = _run(served, "users")
    assert seen["bob"]["errno"] == 2003, seen  # Snowflake hides what a role may not see
    assert seen["bob"]["sfqid"]
    assert seen["carol"]["errno"] == 390100
    assert seen["dora_wrong"]["errno"] == 390100
    assert seen["dora"] == ["DORA"]


def test_async_query_through_connector_5(served):
    seen = _run(served, "async")
    assert seen == {"status": "SUCCESS", "rows": [[42]]}


def test_an_expired_token_is_renewed_by_connector_5(served_short_tokens):
    seen = _run(served_short_tokens, "renewal")
    assert seen == {"first": [1], "after": [2]}
