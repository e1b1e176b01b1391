"""Loading pipelines: stages, COPY INTO, PUT/LIST/REMOVE, pipes, streams and tasks, and
their `KEY = value` options."""

from __future__ import annotations

import re
from typing import Any
from typing import Literal as Lit

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    Opts,
    first_token,
    flag,
    make_node,
    meta_span,
    token_span,
    unquote,
)
from cloneshell.grammar.errors import Span, SqlSyntaxError

# A stage location's parts: `@`, then `~` or [`%`] a name of one to three parts, then `/path`.
_STAGE_PART = re.compile(r'[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"')


class PipelineRules(BuilderBase):
    """The rules of stages, pipes, streams and tasks."""

    @staticmethod
    def _gather_options(children: list[Any], meta: Meta) -> list[Any]:
        """The children with every `KEY = value` property collected into one `object_option`
        clause (properties may come in any order, between the other clauses)."""
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        rest = [c for c in children if not isinstance(c, ast.ObjectOption)]
        if not options:
            return rest
        return [*rest, Opts(meta_span(meta), "object_option", options=options)]

    def describe_pipeline(self, meta: Meta, children: list[Any]) -> ast.DescribePipeline:
        kind, name = children
        return self._make(
            ast.DescribePipeline, meta, [self._kind(kind), name], name=ast.QualifiedName
        )

    def create_stage(self, meta: Meta, children: list[Any]) -> ast.CreateStage:
        rest = self._gather_options(children, meta)
        return self._make(ast.CreateStage, meta, rest, name=ast.QualifiedName)

    def create_pipe(self, meta: Meta, children: list[Any]) -> ast.CreatePipe:
        rest = self._gather_options(children, meta)
        copy = next(c for c in rest if isinstance(c, ast.CopyInto))
        definition = Opts(copy.span, definition=self._node_text(copy))
        return self._make(
            ast.CreatePipe, meta, [*rest, definition], name=ast.QualifiedName, copy=ast.CopyInto
        )

    def create_stream(self, meta: Meta, children: list[Any]) -> ast.CreateStream:
        rest = self._gather_options(children, meta)
        return self._make(ast.CreateStream, meta, rest, name=ast.QualifiedName)

    def stream_on(self, meta: Meta, children: list[Any]) -> Opts:
        table, *travel = children
        return Opts(meta_span(meta), table=table, **(travel[0] if travel else {}))

    def create_task(self, meta: Meta, children: list[Any]) -> ast.CreateTask:
        rest = self._gather_options(children, meta)
        return self._make(ast.CreateTask, meta, rest, name=ast.QualifiedName)

    def task_after(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), after=tuple(children))

    def task_when(self, meta: Meta, children: list[Any]) -> Opts:
        (expr,) = children
        return Opts(meta_span(meta), when=expr, when_text=self._node_text(expr))

    def task_body(self, meta: Meta, children: list[Any]) -> Opts:
        (body,) = children
        return Opts(meta_span(meta), body=body, body_text=self._node_text(body))

    include_stages = flag("include_internal_stages")

    def stage_loc(self, meta: Meta, children: list[Any]) -> ast.StageRef:
        (token,) = children
        span = meta_span(meta)
        if token.type == "SQ_STRING":
            text = unquote(token)
            if not text.startswith("@"):
                return ast.StageRef(span=span, kind="URL", url=text)
        else:
            text = str(token)
        return self._stage_ref(text, span, str(token))

    def _stage_ref(self, text: str, span: Span, token: str) -> ast.StageRef:
        """`@…` text as a StageRef; names are split like identifiers (`"a.b"` is one part)."""
        body = text[1:]
        if body.startswith("~"):
            path = body[1:]
            if path and not path.startswith("/"):
                raise SqlSyntaxError(f"invalid token '{token}'", span, token)
            return ast.StageRef(span=span, kind="USER", path=path[1:])
        kind: Lit["NAMED", "TABLE"] = "NAMED"
        parts: list[ast.Ident] = []
        pos = 0
        while True:
            if body.startswith("%", pos) and kind == "NAMED":
                # `@%t` or `@db.s.%t`: the stage of table t.
                kind, pos = "TABLE", pos + 1
            m = _STAGE_PART.match(body, pos)
            if m is None:
                raise SqlSyntaxError(f"invalid token '{token}'", span, token)
            word = m.group()
            quoted = word.startswith('"')
            name = word[1:-1].replace('""', '"') if quoted else word
            parts.append(ast.Ident(span=span, name=name, quoted=quoted))
            pos = m.end()
            if pos < len(body) and body[pos] == "." and len(parts) < 3:
                pos += 1
                continue
            break
        rest = body[pos:]
        if rest and not rest.startswith("/"):
            raise SqlSyntaxError(f"invalid token '{token}'", span, token)
        if kind == "TABLE" and "%" in text[1:].rsplit(".", 1)[0].split("/")[0][1:]:
            # Only the table's own name takes the `%`.
            raise SqlSyntaxError(f"invalid token '{token}'", span, token)
        name_node = ast.QualifiedName(span=span, parts=tuple(parts))
        return ast.StageRef(span=span, kind=kind, name=name_node, path=rest[1:])

    def copy_into(self, meta: Meta, children: list[Any]) -> ast.CopyInto:
        rest = self._gather_options(children, meta)
        return self._make(ast.CopyInto, meta, rest, table=ast.QualifiedName, source=ast.StageRef)

    def put_file(self, meta: Meta, children: list[Any]) -> ast.PutFile:
        token, *rest = children
        text = unquote(token) if token.type == "SQ_STRING" else str(token)
        if not text.lower().startswith("file://") or len(text) == len("file://"):
            raise SqlSyntaxError(
                "PUT needs a local file as file://<path>", token_span(token), str(token)
            )
        file = Opts(token_span(token), file=text[len("file://") :])
        return self._make(
            ast.PutFile, meta, [file, *self._gather_options(rest, meta)], stage=ast.StageRef
        )

    def list_stage(self, meta: Meta, children: list[Any]) -> ast.ListStage:
        return self._make(
            ast.ListStage, meta, self._gather_options(children, meta), stage=ast.StageRef
        )

    def remove_stage(self, meta: Meta, children: list[Any]) -> ast.RemoveStage:
        return self._make(
            ast.RemoveStage, meta, self._gather_options(children, meta), stage=ast.StageRef
        )

    def alter_pipe(self, meta: Meta, children: list[Any]) -> ast.AlterPipe:
        return self._make(ast.AlterPipe, meta, children, name=ast.QualifiedName)

    def refresh(self, meta: Meta, children: list[Any]) -> Opts:
        options = tuple(children)
        return Opts(meta_span(meta), action="REFRESH", options=options)

    def set_options(self, meta: Meta, children: list[Any]) -> Opts:
        opts = Opts(meta_span(meta), action="SET")
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        if options:
            opts["options"] = options
        for c in children:
            if isinstance(c, Opts):
                if "comment" in opts:
                    raise SqlSyntaxError("duplicate COMMENT clause", c.span, "COMMENT")
                opts.update(c)
        return opts

    def unset_options(self, meta: Meta, children: list[Any]) -> Opts:
        names = tuple(str(t).upper() for t in children)
        return Opts(meta_span(meta), action="UNSET", unset=names)

    option_name = first_token

    def alter_task(self, meta: Meta, children: list[Any]) -> ast.AlterTask:
        return self._make(ast.AlterTask, meta, children, name=ast.QualifiedName)

    def resume(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), action="RESUME")

    def suspend(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), action="SUSPEND")

    def modify_as(self, meta: Meta, children: list[Any]) -> Opts:
        (body,) = children
        return Opts(meta_span(meta), action="MODIFY AS", body=body, body_text=self._node_text(body))

    def modify_when(self, meta: Meta, children: list[Any]) -> Opts:
        (expr,) = children
        return Opts(
            meta_span(meta), action="MODIFY WHEN", when=expr, when_text=self._node_text(expr)
        )

    def remove_when(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), action="REMOVE WHEN")

    def add_after(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), action="ADD AFTER", after=tuple(children))

    def remove_after(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), action="REMOVE AFTER", after=tuple(children))

    execute_task = make_node(ast.ExecuteTask, name=ast.QualifiedName)

    def object_option(self, meta: Meta, children: list[Any]) -> ast.ObjectOption:
        key, value = children
        return ast.ObjectOption(span=meta_span(meta), key=str(key).upper(), value=value)

    def _option(self, meta: Meta, kind: Any, text: str) -> ast.OptionValue:
        return ast.OptionValue(span=meta_span(meta), kind=kind, text=text)

    def option_string(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "string", unquote(children[0]))

    def option_number(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "number", str(children[0]))

    def option_negative(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "number", "-" + str(children[0]))

    def option_word(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "word", str(children[0]).upper())

    def option_true(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "boolean", "TRUE")

    def option_false(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return self._option(meta, "boolean", "FALSE")

    def option_list(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return ast.OptionValue(span=meta_span(meta), kind="list", items=tuple(children))

    def option_group(self, meta: Meta, children: list[Any]) -> ast.OptionValue:
        return ast.OptionValue(span=meta_span(meta), kind="group", options=tuple(children))
