"""Model neurons: each defined from its equations, one module per model.

:func:`define_model` makes a model class from the text of its equations, its parameters
and a few facts for the dashboards; every built-in model is made that way in its own
module here, and a student's model defined in a notebook is a model like any other.

Model classes and the other public names of the model modules (presets, closed forms)
are imported from their module when first asked for, found from each module's
``__all__``; :func:`registered` imports them all.
"""

from __future__ import annotations

import importlib
from typing import Any

from .base import Model, ParamInfo, Preset, Reduction, param
from .define import define_model
from .registry import find_definition, lookup, registered

__all__ = ["Model", "ParamInfo", "Preset", "Reduction", "param", "define_model",
           "registered", "lookup", "MODELS"]


def __getattr__(name: str) -> Any:
    if name == "MODELS":
        # Title -> class of every registered model (computed anew: a notebook may have
        # defined one since).
        return {cls.title: cls for cls in registered().values()}
    module = find_definition(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
