"""Keywords and completions are derived from the grammar."""

from __future__ import annotations

import re

from cloneshell.grammar.keywords import (
    KEYWORDS,
    NON_RESERVED,
    expected_keywords,
    keyword_for_terminal,
)
from cloneshell.grammar.parser import GRAMMAR_PATH, parse


def test_keywords_are_every_case_insensitive_literal_of_the_grammar() -> None:
    source = GRAMMAR_PATH.read_text()
    literals = {m.upper() for m in re.findall(r'"([A-Za-z_]+)"i', source)}
    assert literals == KEYWORDS
    assert {"SELECT", "CLONE", "LIFECYCLE", "OVERWRITE", "TBLPROPERTIES", "WHOAMI"} <= KEYWORDS
    assert not {"(", "=", "STRING", "BIGINT"} & KEYWORDS  # terminals and type names are not
    # NAME is a keyword only after BEGIN TRANSACTION; everywhere else it is a name.
    assert parse("SELECT name FROM t WHERE name = 1", "snowflake")
    assert all(k.isupper() for k in KEYWORDS)


def test_non_reserved_is_a_subset_of_keywords() -> None:
    assert NON_RESERVED < KEYWORDS
    assert "COMMENT" in NON_RESERVED and "SELECT" not in NON_RESERVED


def test_keyword_for_terminal() -> None:
    assert keyword_for_terminal("SELECT") == "SELECT"
    assert keyword_for_terminal("LIFECYCLE") == "LIFECYCLE"
    assert keyword_for_terminal("NAME") is None
    assert keyword_for_terminal("LPAR") is None
    assert keyword_for_terminal("NO_SUCH_TERMINAL") is None


def test_expected_keywords_at_statement_start() -> None:
    first = expected_keywords("")
    assert {"SELECT", "CREATE", "CLONE", "GRANT", "SHOW", "WITH", "DESC", "SET"} <= first
    assert "FROM" in first  # a multi-insert: FROM src INSERT … SELECT …
    assert "WHERE" not in first
    assert expected_keywords("SHOW FLAGS; ") == first


# Snowflake object kinds that parse only to fail as unsupported (grammar: unsupported_stmt).
_NOT_EMULATED = {
    "AGGREGATION", "ALERT", "API", "APPLICATION", "AUTHENTICATION", "COMPUTE", "CONNECTION",
    "CORTEX", "DATASET", "DYNAMIC", "EVENT", "FAILOVER", "FILE", "GIT", "HYBRID", "ICEBERG",
    "IMAGE", "INTEGRATION", "MASKING", "MODEL", "NETWORK", "NOTEBOOK", "NOTIFICATION",
    "PASSWORD", "PROJECTION", "REPLICATION", "RESOURCE", "ROW", "SECRET", "SECURITY",
    "SEMANTIC", "SERVICE", "SESSION", "SHARE", "SNAPSHOT", "STORAGE", "STREAMLIT", "TYPE",
    "WAREHOUSE",
}  # fmt: skip


def test_expected_keywords_in_the_middle() -> None:
    assert expected_keywords("CLONE TABLE a TO b IF EXISTS ") == {"OVERWRITE", "IGNORE"}
    assert expected_keywords("CREATE ") == {
        "TABLE", "PROJECT", "ROLE", "OR", "EXTERNAL", "TRANSIENT", "TEMPORARY", "TEMP",
        "DATABASE", "SCHEMA", "USER", "STAGE", "PIPE", "STREAM", "TASK", "SECURE", "VIEW",
        "SEQUENCE", "LOCAL", "GLOBAL", "VOLATILE", "TAG", "FUNCTION", "PROCEDURE", "MATERIALIZED",
    } | _NOT_EMULATED  # fmt: skip
    assert expected_keywords("ALTER TABLE t ") == {
        "ADD", "DROP", "RENAME", "SET", "UNSET", "TOUCH", "CHANGE", "ALTER", "MODIFY", "SWAP",
        "CLUSTER", "SUSPEND", "RESUME", "MERGE", "PARTITION", "CHANGEOWNER", "ENABLE", "DISABLE",
    }  # fmt: skip
    after_from = expected_keywords("SELECT a FROM t ")
    assert {"WHERE", "GROUP", "ORDER", "LIMIT", "JOIN", "LEFT", "UNION", "AS"} <= after_from
    # Where a name may come, words that are only names there are left out.
    assert "COMMENT" not in after_from
    assert "COMMENT" in expected_keywords("CREATE TABLE t (a INT) ")


def test_expected_keywords_on_bad_text_is_empty() -> None:
    assert expected_keywords("SELECT 'abc") == set()
    assert expected_keywords("SELECT 1 + * ") == set()
    assert expected_keywords("(" * 500) == set()
