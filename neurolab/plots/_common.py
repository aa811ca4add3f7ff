"""What every drawing function shares: the handle it returns and the axis labels.

Each ``plot_*`` function draws once on a given Axes and returns a :class:`PlotHandle`
that keeps its artists by name. ``handle.update(...)`` then changes those artists' data
in place (``set_data``, ``set_offsets``, ``set_segments``...), which is what lets a
widget redraw many times a second without clearing the axes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

__all__ = ["PlotHandle", "pretty_unit", "axis_label", "state_unit", "time_label",
           "current_label", "convention_text"]

#: Plain-text units as the models declare them -> how a plot shows them.
_PRETTY = {
    "uA/cm2": "µA/cm²", "mS/cm2": "mS/cm²", "uF/cm2": "µF/cm²", "um": "µm",
    "kOhm cm2": "kΩ cm²", "Ohm cm": "Ω cm", "MOhm": "MΩ", "uS": "µS",
}


def pretty_unit(unit: str) -> str:
    """Unit as shown on an axis ("uA/cm2" -> "µA/cm²"); "" means dimensionless."""
    return _PRETTY.get(unit, unit)


def axis_label(name: str, unit: str) -> str:
    """``"name (unit)"``, or ``"name (dimensionless)"`` for an empty unit."""
    return f"{name} ({pretty_unit(unit) if unit else 'dimensionless'})"


def state_unit(model: Any, name: str) -> str:
    """Unit of a state variable, as the model declares it (``state_units``); the first
    state defaults to ``voltage_unit`` and the others to dimensionless."""
    declared = getattr(model, "state_units", None)
    if isinstance(declared, dict) and name in declared:
        return str(declared[name])
    names = tuple(getattr(model, "state_names", ()))
    if names and name == names[0]:
        return str(getattr(model, "voltage_unit", "mV"))
    return ""


def time_label(model: Any = None, unit: str | None = None) -> str:
    """Label of a time axis in the model's time unit."""
    if unit is None:
        unit = getattr(model, "time_unit", "ms") if model is not None else "ms"
    return axis_label("t", unit)


def current_label(model: Any = None, unit: str | None = None) -> str:
    """Label of an injected-current axis in the model's current unit."""
    if unit is None:
        unit = getattr(model, "current_unit", "uA/cm2") if model is not None else "uA/cm2"
    return axis_label("I", unit)


def convention_text(model: Any) -> str:
    """One-line note on the voltage convention a plot uses (the syllabus's "note on
    conventions")."""
    declared = getattr(model, "convention", "")
    if declared:
        return str(declared)
    if not getattr(model, "voltage_unit", "mV"):
        return "dimensionless states: no voltage convention"
    return "V = inside - outside (mV), depolarization positive"


def add_convention_note(ax: Axes, model: Any) -> Artist:
    """Small text just above ``ax`` (left-aligned) stating the voltage convention, where
    it hides no data."""
    return ax.text(0.0, 1.01, convention_text(model), transform=ax.transAxes,
                   ha="left", va="bottom", fontsize=7, color="0.35")


class PlotHandle:
    """The artists one ``plot_*`` call drew, by name, and a way to change their data.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
        The Axes drawn on.
    artists : dict of str to matplotlib.artist.Artist
        Every artist drawn, by part name (e.g. ``"line"``, ``"spikes"``).
    """

    def __init__(self, ax: Axes, artists: dict[str, Any]) -> None:
        self.ax = ax
        self.artists = artists

    def __getitem__(self, name: str) -> Any:
        return self.artists[name]

    def __contains__(self, name: str) -> bool:
        return name in self.artists

    def __iter__(self) -> Iterator[str]:
        return iter(self.artists)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self.artists)})"

    def update(self, **changes: Any) -> PlotHandle:  # pragma: no cover - overridden
        """Change the data of the artists in place; subclasses document the arguments."""
        raise NotImplementedError

    def rescale(self) -> None:
        """Fit the view to the current data (cheap: no artist is created)."""
        self.ax.relim()
        self.ax.autoscale_view()


def vline_data(x: float | None) -> tuple[list[float], list[float]]:
    """Data of a vertical line in axes-fraction y (for a blended transform)."""
    if x is None:
        return [], []
    return [float(x), float(x)], [0.0, 1.0]


def as_1d(name: str, value: Any) -> np.ndarray:
    """Finite 1-D float array or ValueError naming the argument."""
    from .._validation import check_array

    arr = np.atleast_1d(check_array(name, value))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr
