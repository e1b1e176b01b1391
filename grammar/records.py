"""`@record` and `@node`: what `@dataclass` gives, made for a fraction of its cost.

`dataclass` compiles six or seven methods per class with `exec` and builds each slotted class
twice: 0.5-0.8 ms a class on these machines, ~20 ms of `cloneshell -e "SELECT 1;"` for the
~40 record classes and ~100 AST node classes a run defines. Here the methods are shared
functions that read per-class field tables, and `__init__`, the one method worth generating, is
compiled on the first instantiation of each class, so a run pays only for the classes it
instantiates.

What holds, as with `dataclass`: the fields are the class's annotations in order (a base's
first), with plain defaults or `dataclasses.field(default=..., default_factory=...,
compare=..., repr=...)`; `__init__` takes them positionally or by keyword (`@node`: by keyword
only); equality compares the `compare` fields of two instances of the same class; a frozen
class hashes them and refuses assignment (`FrozenInstanceError`), a mutable one is unhashable;
the repr is `Name(a=1, b='x')`; `slots=True` gives `__slots__`; `dataclasses.fields()`,
`replace()`, `asdict()` and `is_dataclass()` work, and mypy checks them as dataclasses
(`dataclass_transform`). Not supported (refused when declared): `InitVar`, `ClassVar`,
`KW_ONLY`, `field(init=False)`; methods the class defines itself are kept.

The shared methods make `dataclasses.fields()` and `replace()` work by setting a private marker
of the dataclasses module on each field. Whether that still works is checked once, at import,
on a probe class (`CHEAP`); where it does not (a Python whose dataclasses differ), `@record` and
`@node` are plain `@dataclass`, with the same fields and the same refusals, only slower.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, field
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, TypeVar, cast, dataclass_transform, overload

_C = TypeVar("_C", bound=type)

# dataclasses.fields() and replace() list the entries of `__dataclass_fields__` whose private
# `_field_type` is this marker (stable since Python 3.7); setting it makes them work here.
_FIELD_MARK: object = getattr(dataclasses, "_FIELD", None)
_set = object.__setattr__


class _Factory:
    """The default of an `__init__` parameter whose field has a default_factory."""

    def __repr__(self) -> str:
        return "<factory>"


_HAS_FACTORY = _Factory()


@overload
def record(cls: _C, /) -> _C: ...


@overload
def record(*, frozen: bool = False, slots: bool = False) -> Callable[[_C], _C]: ...


@dataclass_transform(field_specifiers=(field, Field))
def record(
    cls: _C | None = None, /, *, frozen: bool = False, slots: bool = False
) -> _C | Callable[[_C], _C]:
    """`@dataclass`, `@dataclass(frozen=True)`, `@dataclass(slots=True)` or both, cheaply."""

    def wrap(cls: _C) -> _C:
        return _record_class(cls, frozen=frozen, slots=slots, kw_only=False)

    return wrap if cls is None else wrap(cls)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field, Field))
def node(cls: _C) -> _C:
    """`@dataclass(frozen=True, slots=True, kw_only=True)`, cheaply (the AST's classes)."""
    return _record_class(cls, frozen=True, slots=True, kw_only=True)


def _record_class(cls: _C, *, frozen: bool, slots: bool, kw_only: bool) -> _C:
    """`cls` made a record: cheaply where the probe at import worked, else by `dataclass`."""
    _refuse_unsupported(cls, kw_only=kw_only)
    if not CHEAP:
        return cast(_C, dataclasses.dataclass(cls, frozen=frozen, slots=slots, kw_only=kw_only))
    return _make(cls, frozen=frozen, slots=slots, kw_only=kw_only)


def _refuse_unsupported(cls: type, *, kw_only: bool) -> None:
    """Refuse the field declarations of `cls` that @record does not support."""
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if text.split("[")[0].rsplit(".", 1)[-1] in ("ClassVar", "InitVar", "KW_ONLY"):
            raise TypeError(f"{cls.__name__}.{name}: {text} is not supported by @record")
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            if not default.init:
                raise TypeError(f"{cls.__name__}.{name}: field(init=False) is not supported")
            if kw_only and default.default_factory is not MISSING:
                raise TypeError(f"{cls.__name__}.{name}: @node fields take a plain default only")


def _make(cls: _C, *, frozen: bool, slots: bool, kw_only: bool) -> _C:
    namespace = dict(cls.__dict__)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    inherited: dict[str, Field[Any]] = getattr(cls, "__dataclass_fields__", {})
    fields = dict(inherited)
    for name, annotation in namespace.get("__annotations__", {}).items():
        default = namespace.pop(name, MISSING)
        spec: Field[Any] = default if isinstance(default, Field) else field(default=default)
        spec.name, spec.type, spec.kw_only = name, annotation, kw_only
        spec._field_type = _FIELD_MARK  # type: ignore[attr-defined]
        fields[name] = spec
    if slots:
        namespace["__slots__"] = tuple(name for name in fields if name not in inherited)
    namespace["__dataclass_fields__"] = fields
    # What dataclasses reads from a base class (`dataclass` on a subclass checks `frozen`).
    namespace["__dataclass_params__"] = SimpleNamespace(
        init=True,
        repr=True,
        eq=True,
        order=False,
        unsafe_hash=False,
        frozen=frozen,
        match_args=True,
        kw_only=kw_only,
        slots=slots,
        weakref_slot=False,
    )
    namespace.setdefault("__match_args__", () if kw_only else tuple(fields))
    namespace["_record_key"] = staticmethod(
        _key_getter(tuple(f.name for f in fields.values() if f.compare))
    )
    namespace["_record_repr"] = tuple(f.name for f in fields.values() if f.repr)
    namespace.setdefault("__repr__", _record_repr)
    namespace.setdefault("__eq__", _record_eq)
    if frozen:
        namespace.setdefault("__hash__", _record_hash)
        namespace["__setattr__"] = _frozen_setattr
        namespace["__delattr__"] = _frozen_delattr
    elif "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
        namespace["__hash__"] = None  # mutable and compared by value: unhashable
    if slots:
        namespace["__getstate__"] = _slots_getstate
        namespace["__setstate__"] = _slots_setstate
    made: _C = type(cls)(cls.__name__, cls.__bases__, namespace)
    if "__init__" not in namespace:
        made.__init__ = _lazy_init(made, frozen=frozen)  # type: ignore[misc]
    return made


def _key_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function returning the tuple of `names` of an instance (what eq and hash compare)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _lazy_init(cls: type, *, frozen: bool) -> Callable[..., None]:
    """`cls.__init__` until the first call, which compiles the real one and installs it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _make_init(cls, frozen=frozen)
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _make_init(cls: type, *, frozen: bool) -> Callable[..., None]:
    """`def __init__(self, a, b=_d_b, c=_HAS_FACTORY): ...` for the fields of `cls` (after a
    `*` for keyword-only fields), assigning each (with object.__setattr__ when frozen)."""
    fields: dict[str, Field[Any]] = cls.__dataclass_fields__  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {"_set": _set, "_HAS_FACTORY": _HAS_FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for name, spec in fields.items():
        value = name
        if spec.default_factory is not MISSING:
            namespace[f"_f_{name}"] = spec.default_factory
            param = f"{name}=_HAS_FACTORY"
            value = f"_f_{name}() if {name} is _HAS_FACTORY else {name}"
        elif spec.default is not MISSING:
            namespace[f"_d_{name}"] = spec.default
            param = f"{name}=_d_{name}"
        else:
            param = name
        (keyword if spec.kw_only else positional).append(param)
        if frozen:
            body.append(f"    _set(self, {name!r}, {value})")
        else:
            body.append(f"    self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    params = ["self", *positional, *(["*", *keyword] if keyword else [])]
    source = f"def __init__({', '.join(params)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)  # built from the class's own field names only
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _record_repr(self: Any) -> str:
    values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_repr)
    return f"{type(self).__qualname__}({values})"


def _record_eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self._record_key(self) == self._record_key(other)


def _record_hash(self: Any) -> int:
    return hash(self._record_key(self))


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _slots_getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__dataclass_fields__]


def _slots_setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__dataclass_fields__, state, strict=True):
        _set(self, name, value)


def _probe() -> bool:
    """Whether records made here are what `dataclasses` takes for dataclasses: fields() lists
    their fields and replace() makes a copy (false where its private marker is gone or no
    longer what those functions look for)."""
    if _FIELD_MARK is None:
        return False
    try:
        cls = type("Probe", (), {"__annotations__": {"a": "int"}})
        probe = _make(cls, frozen=True, slots=True, kw_only=True)
        copy = dataclasses.replace(probe(a=1), a=2)
        return [f.name for f in dataclasses.fields(probe)] == ["a"] and copy == probe(a=2)
    except Exception:
        return False


CHEAP = _probe()
"""True when @record and @node make their classes here; False: they are plain `@dataclass`."""
