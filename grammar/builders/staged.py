"""Snowflake queries over staged files: `FROM @stage[/path] (FILE_FORMAT => …, PATTERN => …)`
and the `$n` columns."""

from __future__ import annotations

from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, meta_span
from cloneshell.grammar.errors import SqlSyntaxError

_ARGUMENTS = {"FILE_FORMAT": "file_format", "PATTERN": "pattern"}


class StagedRules(BuilderBase):
    """The rules of staged-file queries."""

    def staged_files(self, meta: Meta, children: list[Any]) -> ast.StagedFiles:
        stage, *rest = children
        fields: dict[str, Any] = {}
        for child in rest:
            if isinstance(child, Opts):
                fields.update(child)
            else:
                for arg in child:
                    key = _ARGUMENTS.get(arg.name)
                    if key is None:
                        raise SqlSyntaxError(
                            f"invalid argument {arg.name}: a staged file query takes "
                            "FILE_FORMAT => and PATTERN =>",
                            arg.span,
                        )
                    if key in fields:
                        raise SqlSyntaxError(f"{arg.name} is given twice", arg.span)
                    fields[key] = arg.value
        return ast.StagedFiles(span=meta_span(meta), stage=stage, **fields)

    def staged_args(self, meta: Meta, children: list[Any]) -> list[ast.NamedArg]:
        return list(children)

    def file_column(self, meta: Meta, children: list[Any]) -> ast.FileColumn:
        *qualifier, token = children
        assert isinstance(token, Token)
        number = int(str(token)[1:])
        alias = None
        if qualifier:
            path = self._qualified(qualifier[0])
            alias = path.parts[-1]
        return ast.FileColumn(span=meta_span(meta), number=number, qualifier=alias)
