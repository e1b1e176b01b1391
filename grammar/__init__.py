"""cloneshell package: the grammar layer (parsing SQL text into AST statements).

Lark's package is registered here without its `__init__`, before any module of this package
imports a part of Lark (grammar/larkpkg.py says why)."""

from cloneshell.grammar.larkpkg import defer_lark_package

defer_lark_package()
