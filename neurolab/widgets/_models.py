"""The model arguments of the apps: one model, or a menu of them, checked and labelled.

Every app of this package is given the model(s) it shows; none of them knows a model by
name. An app that shows one model takes a model instance (or a model class, which
stands for its default parameters); an app with a model picker takes a *menu*: a model,
a list of models (labelled by their titles) or a dict label -> model. Where an app needs
settings per model (a current range, a window), a menu entry may be the app's own
settings object instead of a bare model, and the app fills what it is not told from the
model's attributes (``current_range``, ``plane_window``, ``start_duration``...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from ..models.base import Model

__all__ = ["as_model", "as_menu", "model_label", "pick", "parameter_name", "names_in",
           "threshold_and_reset", "nice_step", "round_up", "current_step"]

T = TypeVar("T")


def _is_model_class(value: Any) -> bool:
    return (isinstance(value, type) and issubclass(value, Model)
            and value._definition is not None)


def as_model(name: str, value: Any, *, states: int | None = None,
             hybrid: bool | None = None) -> Model:
    """A model instance from an instance or a model class (its defaults).

    Parameters
    ----------
    name : str
        Name of the argument (used in the error message).
    value : Model or model class
        What the caller passed.
    states : int, optional
        Number of states the app needs.
    hybrid : bool, optional
        Whether the app needs a model with (True) or without (False) a reset rule.

    Raises
    ------
    ValueError
        Naming the argument, its value and what is valid.
    """
    if _is_model_class(value):
        value = value()
    if not isinstance(value, Model):
        raise ValueError(f"{name} must be a neurolab model (an instance, or a class made "
                         f"by neurolab.models.define_model); got {value!r:.80}")
    if states is not None and value.n_states != states:
        raise ValueError(f"{name} must be a model with {states} state(s); got "
                         f"{type(value).__name__} with states {value.state_names}")
    if hybrid is not None and value.hybrid != hybrid:
        need = "with a threshold and reset (a hybrid model)" if hybrid else \
            "without a reset rule (a smooth model)"
        raise ValueError(f"{name} must be a model {need}; got {type(value).__name__}")
    return value


def model_label(model: Model) -> str:
    """Menu text of a model: its title, with the preset it equals (for a class with
    several presets) or "(modified)" when it differs from its defaults."""
    cls = type(model)
    title = cls.title or cls.__name__
    if len(cls.presets) > 1:
        for key in cls.presets:
            try:
                if cls.preset(key) == model:
                    return f"{title}: {cls.preset_info(key).label}"
            except ValueError:
                continue
    try:
        default = cls()
    except ValueError:  # pragma: no cover - every model class has valid defaults
        default = None
    return title if model == default else f"{title} (modified)"


def as_menu(name: str, value: Any, entry: Callable[[Model], T] | None = None,
            entry_type: type | None = None, **need: Any) -> dict[str, Any]:
    """A menu (dict label -> entry) from a model, a list of models or a dict.

    Parameters
    ----------
    name : str
        Name of the argument (used in error messages).
    value : Model, model class, sequence or mapping
        One model; a list or tuple of models (labelled by :func:`model_label`, a
        repeated label numbered); or a dict label -> model (or -> ``entry_type``).
    entry : callable, optional
        Turns a bare model into the app's entry (its settings with their defaults);
        default: the model itself.
    entry_type : type, optional
        The app's settings class, accepted as a value as it is.
    **need
        Passed to :func:`as_model` for every model (``states=2``, ``hybrid=True``).

    Raises
    ------
    ValueError
        For an empty menu, a label that is not a string, or an entry that is not a
        model (naming the argument, the label and the value).
    """
    make = entry or (lambda m: m)

    def one(label: str, item: Any) -> Any:
        if entry_type is not None and isinstance(item, entry_type):
            return item
        try:
            return make(as_model(name, item, **need))
        except ValueError as exc:
            what = f"a model or {entry_type.__name__}" if entry_type else "a model"
            raise ValueError(f"{name}[{label!r}] must be {what}: {exc}") from None

    if isinstance(value, Mapping):
        items = list(value.items())
        for label, _ in items:
            if not isinstance(label, str) or not label:
                raise ValueError(f"{name} must map non-empty labels (str) to models; got "
                                 f"the key {label!r}")
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = []
        seen: dict[str, int] = {}
        for item in value:
            if entry_type is not None and isinstance(item, entry_type):
                base = getattr(item, "title", "") or model_label(item.model)
            else:
                base = model_label(as_model(name, item, **need))
            seen[base] = seen.get(base, 0) + 1
            items.append((base if seen[base] == 1 else f"{base} ({seen[base]})", item))
    else:
        if entry_type is not None and isinstance(value, entry_type):
            base = getattr(value, "title", "") or model_label(value.model)
            items = [(base, value)]
        else:
            items = [(model_label(as_model(name, value, **need)), value)]
    if not items:
        raise ValueError(f"{name} must hold at least one model; got {value!r}")
    return {label: one(label, item) for label, item in items}


def pick(name: str, menu: Mapping[str, Any], value: str | None) -> str:
    """The label of the menu entry shown first: ``value``, or the first entry.

    Raises
    ------
    ValueError
        If ``value`` is not one of the menu's labels (they are listed).
    """
    if value is None:
        return next(iter(menu))
    if value not in menu:
        valid = ", ".join(repr(k) for k in menu)
        raise ValueError(f"{name} must be one of {valid}; got {value!r}")
    return value


def parameter_name(name: str, model: Model, value: Any) -> str | None:
    """A parameter of ``model`` named by the caller (None passes through).

    Raises
    ------
    ValueError
        If the model has no parameter of that name (the valid ones are listed).
    """
    if value is None:
        return None
    info = model.parameter_info()
    if not isinstance(value, str) or value not in info:
        raise ValueError(f"{name} must be a parameter of {type(model).__name__} "
                         f"({', '.join(info)}); got {value!r}")
    return value


def names_in(name: str, valid: Sequence[str], value: Any, what: str) -> tuple[str, ...]:
    """A tuple of names, each one of ``valid`` (``what`` describes them in the error).

    Raises
    ------
    ValueError
        For a name that is not valid, naming it and listing the valid ones.
    """
    names = (value,) if isinstance(value, str) else tuple(value)
    for n in names:
        if n not in valid:
            raise ValueError(f"{name} must name {what} ({', '.join(valid) or 'none'}); "
                             f"got {n!r}")
    return names


def threshold_and_reset(model: Model) -> tuple[float, float]:
    """(threshold, reset value) of the first state: for a hybrid model the level at
    which its reset rule fires and the value the rule sets (``after_reset``); for a
    smooth model its spike-detection level, twice."""
    thr, _rearm, hybrid, v_peak, _tref = model._spike_settings()
    top = float(v_peak) if hybrid else float(thr)
    if not hybrid:
        return top, top
    y = np.zeros(model.n_states)
    y[0] = top
    return top, float(model.after_reset(y)[0])


def nice_step(span: float, n: float) -> float:
    """1, 2 or 5 times a power of ten, nearest to ``span / n`` (a slider step)."""
    raw = abs(float(span)) / n
    if raw <= 0.0 or not np.isfinite(raw):
        return 1.0
    e = np.floor(np.log10(raw))
    return float(min((m * 10.0 ** e for m in (1.0, 2.0, 5.0, 10.0)),
                     key=lambda s: abs(s - raw)))


def current_step(model: Model, n: float = 140.0) -> float:
    """Step of a current slider over the model's ``current_range``."""
    lo, hi = model.current_range
    return nice_step(hi - lo, n)


def round_up(x: float) -> float:
    """The first of 1, 1.5, 2, 3, 5, 7.5 times a power of ten at or above ``x`` > 0 (an
    axis limit)."""
    e = np.floor(np.log10(x))
    for m in (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0):
        if m * 10.0 ** e >= x * (1 - 1e-12):
            return float(m * 10.0 ** e)
    return float(10.0 ** (e + 1))  # pragma: no cover
