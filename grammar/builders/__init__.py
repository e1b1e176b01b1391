"""The AST builder, one module per concern: the rules of expressions, names, queries, rows,
session statements, tables, access and pipelines (shared by both dialects), and each dialect's
own forms (maxcompute.py, snowflake.py). grammar/transformer.py composes them into one builder
per dialect; with it, this package is the only code that reads lark.Tree."""
