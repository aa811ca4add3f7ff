"""Lazy re-exports: a package lists which submodule defines each public name, and a
name's submodule is imported only when the name is first used (keeps start-up fast).

A factory may share its name with the module that defines it (``widgets.explorer`` is
both). Python binds a submodule to its package's attribute when it is imported, which
would hide the factory behind the module once any other module imported it; the
package's module type here refuses that binding for exported names, so the name
always means the factory (the module stays in ``sys.modules``)."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any


class _LazyPackage(types.ModuleType):
    """A package whose exported names are never replaced by a submodule of that name."""

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("_lazy_exported", ())
        if name in exports and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


def lazy_exports(package: str, exports: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module-level ``__getattr__`` and ``__dir__`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to str
        Public name -> submodule (relative to the package) that defines it.
    """
    names = sorted(exports)
    module = sys.modules[package]
    module.__dict__["_lazy_exported"] = frozenset(exports)
    module.__class__ = _LazyPackage

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        importlib.import_module(package).__dict__[name] = value
        return value

    def __dir__() -> list[str]:
        return names

    return __getattr__, __dir__
