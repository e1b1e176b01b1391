"""Views: CREATE VIEW (DROP, ALTER … RENAME, DESC and SHOW VIEWS reuse the object statements of
ddl.py with the kind VIEW)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Node, Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName
    from cloneshell.grammar.ast.pipelines import ObjectOption
    from cloneshell.grammar.ast.queries import Query
    from cloneshell.grammar.ast.tags import Policy, TagAssignment


@node
class ViewColumn(Node):
    """One name of a view's column list, with its optional COMMENT."""

    name: Ident
    comment: str | None = None


@node
class CreateView(Statement):
    """`CREATE [OR REPLACE] [SECURE] [[LOCAL|GLOBAL] TEMP[ORARY]|VOLATILE] VIEW [IF NOT EXISTS]
    v [(col [COMMENT 'c'], ...)] [COPY GRANTS] [COMMENT [=] 'c'] AS query`; `query_text` is the
    query as written."""

    name: QualifiedName
    query: Query
    query_text: str
    columns: tuple[ViewColumn, ...] = ()
    or_replace: bool = False
    if_not_exists: bool = False
    secure: bool = False
    temporary: bool = False
    copy_grants: bool = False
    comment: str | None = None
    # Snowflake's MATERIALIZED, CHANGE_TRACKING = …, TAG (…) and policies (refused by name).
    materialized: bool = False
    options: tuple[ObjectOption, ...] = ()
    tags: tuple[TagAssignment, ...] = ()
    policies: tuple[Policy, ...] = ()
