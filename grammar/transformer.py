"""Turn Lark parse trees into the typed AST (grammar/ast/): one builder per dialect, composed
from the rule classes of grammar/builders/ (the only code, with this module, that reads
lark.Tree). Each dialect's builder carries its reading of the grammar (grammar/dialects.py):
the clauses it accepts in each statement, and its lexical facts.
"""

from __future__ import annotations

from lark.lexer import Token
from lark.tree import Tree

from cloneshell.grammar import ast
from cloneshell.grammar.builders.access import AccessRules
from cloneshell.grammar.builders.alter import AlterTableRules
from cloneshell.grammar.builders.base import BuilderBase
from cloneshell.grammar.builders.constraints import ConstraintRules
from cloneshell.grammar.builders.dml import DmlRules
from cloneshell.grammar.builders.expressions import ExpressionRules
from cloneshell.grammar.builders.functions import FunctionRules
from cloneshell.grammar.builders.hierarchy import HierarchyRules
from cloneshell.grammar.builders.hive import HiveRules
from cloneshell.grammar.builders.maxcompute import MaxComputeForms
from cloneshell.grammar.builders.merge import MergeRules
from cloneshell.grammar.builders.names import NameRules
from cloneshell.grammar.builders.pipelines import PipelineRules
from cloneshell.grammar.builders.pivots import PivotRules
from cloneshell.grammar.builders.queries import QueryRules
from cloneshell.grammar.builders.snowflake import SnowflakeForms
from cloneshell.grammar.builders.staged import StagedRules
from cloneshell.grammar.builders.tags import TagRules
from cloneshell.grammar.builders.views import ViewRules
from cloneshell.grammar.dialects import MAXCOMPUTE, SNOWFLAKE


class MaxComputeBuilder(
    TagRules,
    FunctionRules,
    MaxComputeForms,
    HiveRules,
    ViewRules,
    ConstraintRules,
    AlterTableRules,
    MergeRules,
    AccessRules,
    PipelineRules,
    DmlRules,
    QueryRules,
    HierarchyRules,
    PivotRules,
    StagedRules,
    ExpressionRules,
    NameRules,
):
    """The AST builder of MaxCompute."""

    dialect = MAXCOMPUTE


class SnowflakeBuilder(
    TagRules,
    FunctionRules,
    SnowflakeForms,
    HiveRules,
    ViewRules,
    ConstraintRules,
    AlterTableRules,
    MergeRules,
    AccessRules,
    PipelineRules,
    DmlRules,
    QueryRules,
    HierarchyRules,
    PivotRules,
    StagedRules,
    ExpressionRules,
    NameRules,
):
    """The AST builder of Snowflake."""

    dialect = SNOWFLAKE


BUILDERS: dict[str, type[BuilderBase]] = {
    b.dialect.name: b for b in (MaxComputeBuilder, SnowflakeBuilder)
}
"""Each dialect's builder, by dialect name."""


def build_statements(tree: Tree[Token], text: str, dialect: str) -> list[ast.Statement]:
    """Transform the parse tree of `text` into `dialect`'s statements.

    Raises SqlSyntaxError for statements too deeply nested, for a clause the dialect does not
    accept in its statement, and for tokens the grammar admits but the AST cannot hold (a
    non-integer LIFECYCLE, an odd-length X'..' literal, ...).
    """
    result: list[ast.Statement] = BUILDERS[dialect](text).build(tree)
    return result
