"""The models the course knows: every class made by ``define_model``, by name.

Built-in models live one per module in this package; nothing here lists them. The
first time the whole set is asked for (:func:`registered`), every module of the package
is imported once, and each defines and registers its model. A model a student defines
in a notebook registers itself the same way and appears in the playground's menu.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .base import Model

__all__ = ["register", "registered", "lookup", "find_definition", "import_builtins"]

_MODELS: dict[str, type[Model]] = {}
#: Modules of the package that hold machinery, not models.
_MACHINERY = {"base", "define", "registry"}
_HERE = Path(__file__).resolve().parent
_exports: dict[str, str] | None = None
_imported = False


def register(cls: type[Model], *, replace: bool = False) -> type[Model]:
    """Add a model class under its class name (a later class of the same name replaces
    an earlier one: a notebook cell run twice, or a module's subclass of its generated
    class)."""
    _MODELS[cls.__name__] = cls
    return cls


def _model_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(_HERE)])
                  if not m.name.startswith("_") and m.name not in _MACHINERY)


def import_builtins() -> None:
    """Import every module of the package once (each registers the models it defines)."""
    global _imported
    if _imported:
        return
    for name in _model_modules():
        importlib.import_module(f"{__package__}.{name}")
    _imported = True


def registered() -> dict[str, type[Model]]:
    """Every registered model class, by class name, in menu order (``order``, then
    the order of definition).

    Returns
    -------
    dict of str to type
    """
    import_builtins()
    items = list(_MODELS.items())
    rank = {k: i for i, (k, _) in enumerate(items)}
    return dict(sorted(items, key=lambda kv: (kv[1].order, rank[kv[0]])))


def lookup(name: str) -> type[Model]:
    """A registered model class by class name or menu title, in any case.

    Raises
    ------
    ValueError
        If no model has that name; the message lists the valid ones.
    """
    models = registered()
    key = name.strip().lower()
    for cls_name, cls in models.items():
        if key in (cls_name.lower(), cls.title.lower()):
            return cls
    valid = ", ".join(repr(c.title) for c in models.values())
    raise ValueError(f"model must be one of {valid} (or a class name); got {name!r}")


def find_definition(name: str) -> str | None:
    """The module of this package whose ``__all__`` lists ``name`` (read from the
    source text, without importing anything), or None."""
    global _exports
    if _exports is None:
        _exports = {}
        for module in _model_modules():
            tree = ast.parse((_HERE / f"{module}.py").read_text())
            for node in tree.body:
                if (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and isinstance(node.targets[0], ast.Name)
                        and node.targets[0].id == "__all__"
                        and isinstance(node.value, (ast.List, ast.Tuple))):
                    for elt in node.value.elts:
                        if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                            _exports.setdefault(elt.value, module)
    return _exports.get(name)
