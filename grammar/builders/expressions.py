"""Expressions: operators, predicates, CASE, CAST, literals, column references, function
calls and their windows. A lone double-quoted word is read as the dialect says
(grammar/dialects.py: a string in MaxCompute, an identifier in Snowflake)."""

from __future__ import annotations

import re
from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    Callback,
    Opts,
    clause,
    flag,
    joined_words,
    make_node,
    meta_span,
    token_span,
    unquote,
)
from cloneshell.grammar.errors import SqlSyntaxError

_SUFFIX_KIND: dict[str, ast.LiteralKind] = {
    "y": "integer",
    "s": "integer",
    "l": "integer",
    "bd": "decimal",
    "d": "float",
    "f": "float",
}
# Datetime functions that SQL (and both vendors) call without parentheses: a bare, unquoted
# `current_timestamp` in an expression is the call, not a column.
_NILADIC = frozenset(
    {"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP"}
)


# The date and time parts of Snowflake's interval constants, with their documented variations.
_INTERVAL_PART = re.compile(r"(-?\d+)\s*([A-Za-z]+)?")
_INTERVAL_UNITS = {
    **dict.fromkeys(("year", "years", "y", "yy", "yyy", "yyyy", "yr", "yrs"), "YEAR"),
    **dict.fromkeys(("quarter", "quarters", "q", "qtr", "qtrs"), "QUARTER"),
    **dict.fromkeys(("month", "months", "mm", "mon", "mons"), "MONTH"),
    **dict.fromkeys(("week", "weeks", "w", "wk", "weekofyear", "woy", "wy"), "WEEK"),
    **dict.fromkeys(("day", "days", "d", "dd", "dayofmonth"), "DAY"),
    **dict.fromkeys(("hour", "hours", "h", "hh", "hr", "hrs"), "HOUR"),
    **dict.fromkeys(("minute", "minutes", "m", "mi", "min", "mins"), "MINUTE"),
    **dict.fromkeys(("second", "seconds", "s", "sec", "secs"), "SECOND"),
    **dict.fromkeys(("millisecond", "milliseconds", "ms", "msec"), "FF3"),
}


def literal(kind: ast.LiteralKind, value: object = None, *, unquoted: bool = False) -> Callback:
    """A callback for a constant literal (TRUE, NULL) or a typed string literal (DATE '...')."""

    def build(self: BuilderBase, meta: Meta, children: list[Any]) -> ast.Literal:
        v = unquote(children[0]) if unquoted else value
        return ast.Literal(span=meta_span(meta), value=v, kind=kind, text=self._text(meta))

    return build


class ExpressionRules(BuilderBase):
    """The rules of expressions and literals."""

    def or_op(self, meta: Meta, children: list[Any]) -> ast.BinaryOp:
        return ast.BinaryOp(span=meta_span(meta), op="OR", left=children[0], right=children[1])

    def and_op(self, meta: Meta, children: list[Any]) -> ast.BinaryOp:
        return ast.BinaryOp(span=meta_span(meta), op="AND", left=children[0], right=children[1])

    def not_op(self, meta: Meta, children: list[Any]) -> ast.Expr:
        (operand,) = children
        if isinstance(operand, ast.Exists) and not operand.negated:
            return ast.Exists(span=meta_span(meta), query=operand.query, negated=True)
        return ast.UnaryOp(span=meta_span(meta), op="NOT", operand=operand)

    def binop(self, meta: Meta, children: list[Any]) -> ast.BinaryOp:
        left, op, right = children
        return ast.BinaryOp(span=meta_span(meta), op=op, left=left, right=right)

    comp_op = bit_op = add_op = mul_op = unary_op = joined_words

    def like_op(self, meta: Meta, children: list[Any]) -> str:
        op = str(children[0]).upper()
        return "RLIKE" if op == "REGEXP" else op

    in_list = make_node(ast.InList, expr=ast.Expr, items=tuple)
    in_subquery = make_node(ast.InSubquery, expr=ast.Expr, query=ast.Query)
    between = make_node(ast.Between, expr=ast.Expr, low=ast.Expr, high=ast.Expr)
    like = make_node(ast.Like, expr=ast.Expr, op=str, pattern=ast.Expr)
    like_escape = make_node(ast.Like, expr=ast.Expr, op=str, pattern=ast.Expr, escape=ast.Expr)
    is_null = make_node(ast.IsNull, expr=ast.Expr)
    negated = flag("negated")
    unary_operation = make_node(ast.UnaryOp, op=str, operand=ast.Expr)
    cast = make_node(ast.Cast, expr=ast.Expr, type=ast.TypeName)
    try_cast = make_node(ast.TryCast, expr=ast.Expr, type=ast.TypeName)

    def subscript(self, meta: Meta, children: list[Any]) -> ast.Subscript:
        expr, index = children
        return ast.Subscript(span=meta_span(meta), expr=expr, index=index)

    def subscript_field(self, meta: Meta, children: list[Any]) -> ast.FieldAccess:
        expr, index, field = children
        span = meta_span(meta)
        element = ast.Subscript(span=span, expr=expr, index=index)
        return ast.FieldAccess(span=span, expr=element, field=field)

    scalar_subquery = make_node(ast.ScalarSubquery, query=ast.Query)
    exists = make_node(ast.Exists, query=ast.Query)

    def case(self, meta: Meta, children: list[Any]) -> ast.Case:
        operand = children[0] if isinstance(children[0], ast.Expr) else None
        whens = tuple(c for c in children if isinstance(c, tuple))
        else_ = [c["else_"] for c in children if isinstance(c, Opts)]
        return ast.Case(
            span=meta_span(meta), operand=operand, whens=whens, else_=else_[0] if else_ else None
        )

    def when_clause(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ast.Expr]:
        return (children[0], children[1])

    else_clause = clause("else_")

    def interval(self, meta: Meta, children: list[Any]) -> ast.IntervalLit:
        value, unit = children
        return ast.IntervalLit(span=meta_span(meta), value=value, unit=str(unit).upper())

    def interval_text(self, meta: Meta, children: list[Any]) -> ast.Expr:
        """`INTERVAL '<n> [part] [, <n> [part] …]'` (Snowflake's "Interval constants"): the sum
        of one interval per part; a part left out is seconds."""
        span = meta_span(meta)
        token = str(children[0])
        text = unquote(token[token.index("'") :])
        total: ast.Expr | None = None
        for piece in text.split(","):
            m = _INTERVAL_PART.fullmatch(piece.strip())
            unit = _INTERVAL_UNITS.get((m.group(2) or "second").lower()) if m else None
            if m is None or unit is None:
                raise SqlSyntaxError(f"invalid interval '{text}'", span, str(children[0]))
            n = ast.Literal(span=span, value=int(m.group(1)), kind="integer", text=m.group(1))
            part = ast.IntervalLit(span=span, value=n, unit=unit)
            total = (
                part if total is None else ast.BinaryOp(span=span, op="+", left=total, right=part)
            )
        assert total is not None
        return total

    def string_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        value = unquote(children[0])
        return ast.Literal(span=meta_span(meta), value=value, kind="string", text=self._text(meta))

    def number_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        return self._number(children[0], meta)

    def negative_number_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        return self._number(children[0], meta, "-")

    def _number(self, token: Token, meta: Meta, sign: str = "") -> ast.Literal:
        text = str(token)
        low = text.lower()
        suffix = "bd" if low.endswith("bd") else low[-1] if low[-1] in "ysldf" else ""
        body = text[: len(text) - len(suffix)]
        exact = body.replace(".", "").isdigit()
        kind: ast.LiteralKind
        if suffix:
            kind = _SUFFIX_KIND[suffix]
            if kind == "integer" and not body.isdigit():
                raise SqlSyntaxError(f"invalid token '{text}'", token_span(token), text)
        else:
            kind = "integer" if body.isdigit() else "decimal" if exact else "float"
        value: object
        if kind == "integer":
            value = int(sign + body)
        elif kind == "decimal":
            value = sign + body
        else:
            value = float(sign + body)
        return ast.Literal(span=meta_span(meta), value=value, kind=kind, text=self._text(meta))

    def binary_literal(self, meta: Meta, children: list[Any]) -> ast.Literal:
        (token,) = children
        try:
            value = bytes.fromhex(token[2:-1])
        except ValueError:  # an odd number of hex digits
            raise SqlSyntaxError(
                f"invalid token '{token}'", token_span(token), str(token)
            ) from None
        return ast.Literal(span=meta_span(meta), value=value, kind="binary", text=str(token))

    true_literal = literal("boolean", True)
    false_literal = literal("boolean", False)
    null_literal = literal("null", None)
    date_literal = literal("date", unquoted=True)
    datetime_literal = literal("datetime", unquoted=True)
    timestamp_literal = literal("timestamp", unquoted=True)

    def column_ref(self, meta: Meta, children: list[Any]) -> ast.Expr:
        parts: tuple[ast.Ident, ...] = children[0]
        self._check_parts(parts)
        first = parts[0]
        if len(parts) == 1 and not first.quoted and first.name.upper() in _NILADIC:
            name = ast.QualifiedName(span=first.span, parts=parts)
            return ast.FuncCall(span=meta_span(meta), name=name)
        if (
            self.dialect.double_quoted == "string"
            and len(parts) == 1
            and self._source[first.span.start] == '"'
        ):
            # MaxCompute reads "..." as a string, so a lone double-quoted "column" is a literal.
            text = self._source[first.span.start : first.span.end]
            value = unquote(text)
            return ast.Literal(span=first.span, value=value, kind="string", text=text)
        return ast.ColumnRef(span=meta_span(meta), parts=parts)

    def func_call(self, meta: Meta, children: list[Any]) -> ast.FuncCall:
        path, *rest = children
        name = self._qualified(path)
        return self._make(ast.FuncCall, meta, [name, *rest], name=ast.QualifiedName)

    def star_arg(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), star=True)

    def plain_args(self, meta: Meta, children: list[Any]) -> Opts:
        extra = [c for c in children if isinstance(c, Opts)]  # DISTINCT; IGNORE NULLS
        (args,) = [c for c in children if not isinstance(c, Opts)]
        values = {k: v for c in extra for k, v in c.items()}
        return Opts(meta_span(meta), args=args, **values)

    def nth_from(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), from_last=str(children[0]).split()[-1].upper() == "LAST")

    def null_treatment(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), nulls=str(children[0]).split()[0].upper())

    def named_args(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), args=tuple(children))

    def named_arg(self, meta: Meta, children: list[Any]) -> ast.NamedArg:
        name, value = children
        return ast.NamedArg(span=meta_span(meta), name=name.name.upper(), value=value)

    def over(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), over=self._make(ast.WindowSpec, meta, children))

    window_partition = clause("partition_by")

    def window_frame(self, meta: Meta, children: list[Any]) -> Opts:
        unit, start, *end = children
        frame = ast.WindowFrame(
            span=meta_span(meta), unit=unit, start=start, end=end[0] if end else None
        )
        return Opts(meta_span(meta), frame=frame)

    frame_unit = frame_bound = joined_words

    def expr_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ...]:
        return tuple(children)

    def within_group(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), within_group=children[0]["order_by"])

    def extract_call(self, meta: Meta, children: list[Any]) -> ast.FuncCall:
        # EXTRACT(part FROM x) is the call EXTRACT(part, x): the part is a bare word.
        path, part, value = children
        name = self._qualified(path)
        if len(name.parts) != 1 or name.parts[0].name.upper() not in ("EXTRACT", "DATE_PART"):
            raise SqlSyntaxError("syntax error unexpected 'FROM'", value.span, "FROM")
        word: ast.Expr = (
            part if isinstance(part, ast.Literal) else ast.ColumnRef(span=part.span, parts=(part,))
        )
        return ast.FuncCall(span=meta_span(meta), name=name, args=(word, value))

    def string_literal_part(self, meta: Meta, children: list[Any]) -> ast.Literal:
        # DATE_PART('month' FROM x): the part written as a string.
        return self.string_literal(meta, children)

    def variant_path(self, meta: Meta, children: list[Any]) -> ast.VariantPath:
        value, *steps = children
        return ast.VariantPath(span=meta_span(meta), expr=value, steps=tuple(steps))

    def path_key(self, meta: Meta, children: list[Any]) -> ast.PathStep:
        return ast.PathStep(span=meta_span(meta), key=children[0].name)

    def path_step(self, meta: Meta, children: list[Any]) -> ast.PathStep:
        if str(children[0]) in (".", ":"):  # Snowflake also writes `v:a:b` for `v:a.b`
            return ast.PathStep(span=meta_span(meta), key=children[1].name)
        return ast.PathStep(span=meta_span(meta), index=children[1])

    def array_literal(self, meta: Meta, children: list[Any]) -> ast.ArrayLiteral:
        return ast.ArrayLiteral(span=meta_span(meta), items=children[0] if children else ())

    def object_literal(self, meta: Meta, children: list[Any]) -> ast.ObjectLiteral:
        return ast.ObjectLiteral(span=meta_span(meta), items=tuple(children))

    def object_item(self, meta: Meta, children: list[Any]) -> tuple[str, ast.Expr]:
        return (unquote(children[0]), children[1])
