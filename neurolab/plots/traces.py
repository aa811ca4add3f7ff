"""Time courses: voltage traces, injected current, spike rasters, PSTHs and F-I curves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from ._common import (
    PlotHandle,
    add_convention_note,
    as_1d,
    axis_label,
    current_label,
    state_unit,
    time_label,
    vline_data,
)

__all__ = ["plot_trace", "plot_current", "plot_raster", "plot_psth", "plot_fi_curve",
           "TraceHandle", "CurrentHandle", "RasterHandle", "PSTHHandle", "FICurveHandle"]


def _check_trace(trace: Any) -> Any:
    if not (hasattr(trace, "t") and hasattr(trace, "states") and hasattr(trace, "model")):
        raise ValueError(f"trace must be a Trace returned by neurolab.simulate, got {trace!r}")
    return trace


def _pick_state(trace: Any, state: str) -> str:
    names = tuple(trace.model.state_names)
    if state in names:
        return state
    if state == "V" and names:  # "V" is the default; models with "v" use their first state
        return names[0]
    raise ValueError(f"state must be one of {', '.join(map(repr, names))}; got {state!r}")


class CurrentHandle(PlotHandle):
    """Handle of :func:`plot_current`: artist ``"line"``."""

    def update(self, trace: Any = None, *, rescale: bool = True, **_: Any) -> CurrentHandle:
        """Show another trace's current (same model units)."""
        if trace is not None:
            trace = _check_trace(trace)
            self.artists["line"].set_data(trace.t, _current_on_grid(trace))
            if rescale:
                self.rescale()
        return self


def _current_on_grid(trace: Any) -> np.ndarray:
    current = np.asarray(trace.current, dtype=float)
    if current.shape != np.shape(trace.t):
        current = np.broadcast_to(current.reshape(-1)[:1] if current.size else 0.0,
                                  np.shape(trace.t))
    return current


def plot_current(ax: Axes, trace: Any, *, color: str = "tab:green") -> CurrentHandle:
    """Draw the injected current of a simulation against time.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    trace : neurolab.simulate.Trace
        A simulation; its ``current`` (model current units) is drawn against ``t``.
    color : str
        Line colour.

    Returns
    -------
    CurrentHandle
        Artist ``"line"``; ``update(trace)`` shows another run.
    """
    trace = _check_trace(trace)
    (line,) = ax.plot(trace.t, _current_on_grid(trace), color=color, lw=1.2)
    ax.set_xlabel(time_label(trace.model))
    ax.set_ylabel(current_label(trace.model))
    return CurrentHandle(ax, {"line": line})


class TraceHandle(PlotHandle):
    """Handle of :func:`plot_trace`: artists ``"line"``, ``"spikes"`` (markers at the
    top of the axes at each spike time), optionally ``"note"`` and ``"current"`` (the
    :class:`CurrentHandle` on ``current_ax``)."""

    state: str = "V"

    def update(self, trace: Any = None, *, rescale: bool = True, **_: Any) -> TraceHandle:
        """Show another simulation of the same model (or one with the same states).

        Parameters
        ----------
        trace : Trace
            The new run.
        rescale : bool
            Fit the view to the new data.
        """
        if trace is None:
            return self
        trace = _check_trace(trace)
        state = _pick_state(trace, self.state)
        self.artists["line"].set_data(trace.t, trace.states[state])
        if "spikes" in self.artists:
            times = np.asarray(trace.spike_times, dtype=float)
            self.artists["spikes"].set_offsets(np.column_stack([times, np.full(times.size,
                                                                                0.97)]))
        if "current" in self.artists:
            self.artists["current"].update(trace, rescale=rescale)
        if rescale:
            self.rescale()
        return self


def plot_trace(ax: Axes, trace: Any, state: str = "V", spikes: bool = True,
               current_ax: Axes | None = None, *, convention_note: bool = False,
               color: str = "k") -> TraceHandle:
    """Draw one state variable of a simulation against time.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    trace : neurolab.simulate.Trace
    state : str
        State to draw; the default ``"V"`` falls back to the model's first state
        (e.g. ``"v"``).
    spikes : bool
        Mark each spike time with a small triangle at the top of the axes.
    current_ax : matplotlib.axes.Axes, optional
        If given, the injected current is drawn there (see :func:`plot_current`).
    convention_note : bool
        Add a small note on the voltage convention (modern: V = inside - outside,
        rest near -65 mV for Hodgkin-Huxley).
    color : str
        Line colour.

    Returns
    -------
    TraceHandle
        Artists ``"line"``, ``"spikes"``, ``"note"``, ``"current"``; ``update(trace)``
        changes their data in place.
    """
    trace = _check_trace(trace)
    name = _pick_state(trace, state)
    model = trace.model
    (line,) = ax.plot(trace.t, trace.states[name], color=color, lw=1.2)
    artists: dict[str, Any] = {"line": line}
    if spikes:
        times = np.asarray(trace.spike_times, dtype=float)
        artists["spikes"] = ax.scatter(times, np.full(times.size, 0.97), marker="v", s=14,
                                       color="tab:red", transform=ax.get_xaxis_transform(),
                                       zorder=3, clip_on=True, label="spikes")
    ax.set_xlabel(time_label(model))
    ax.set_ylabel(axis_label(name, state_unit(model, name)))
    if convention_note:
        artists["note"] = add_convention_note(ax, model)
    if current_ax is not None:
        artists["current"] = plot_current(current_ax, trace)
    handle = TraceHandle(ax, artists)
    handle.state = name
    return handle


# ----------------------------------------------------------------------------- raster
def _raster_segments(trains: Sequence[Any]) -> list[np.ndarray]:
    segs = []
    for i, train in enumerate(trains):
        times = as_1d(f"trains[{i}]", train)
        if times.size:
            seg = np.empty((times.size, 2, 2))
            seg[:, :, 0] = times[:, None]
            seg[:, 0, 1] = i + 0.6
            seg[:, 1, 1] = i + 1.4
            segs.extend(seg)
    return segs


class RasterHandle(PlotHandle):
    """Handle of :func:`plot_raster`: artist ``"ticks"`` (one LineCollection)."""

    def update(self, trains: Sequence[Any] | None = None, **_: Any) -> RasterHandle:
        """Show other spike trains (one row per train)."""
        if trains is not None:
            self.artists["ticks"].set_segments(_raster_segments(trains))
            self.ax.set_ylim(0.3, max(len(trains), 1) + 0.7)
        return self


def plot_raster(ax: Axes, trains: Sequence[Any], *, time_unit: str = "ms",
                color: str = "k") -> RasterHandle:
    """Spike raster: one row per train, a vertical tick at each spike.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    trains : sequence of array_like
        Spike times (``time_unit``, ms by default), one array per trial or neuron.
    time_unit : str
        Unit of the spike times.
    color : str

    Returns
    -------
    RasterHandle
        Artist ``"ticks"``; ``update(trains)`` replaces the spikes in place.
    """
    if isinstance(trains, np.ndarray) and trains.ndim == 1:
        trains = [trains]
    ticks = LineCollection(_raster_segments(trains), colors=color, linewidths=1.0)
    ax.add_collection(ticks)
    ax.set_ylim(0.3, max(len(trains), 1) + 0.7)
    ends = [float(np.max(t)) for t in trains if np.size(t)]
    ax.set_xlim(0.0, max(ends) * 1.02 if ends else 1.0)
    ax.set_xlabel(axis_label("t", time_unit))
    ax.set_ylabel("train (number)")
    return RasterHandle(ax, {"ticks": ticks})


# ----------------------------------------------------------------------------- PSTH
class PSTHHandle(PlotHandle):
    """Handle of :func:`plot_psth`: artist ``"bars"`` (a StepPatch)."""

    def update(self, edges: Any = None, rates: Any = None, **_: Any) -> PSTHHandle:
        """Show another histogram (``edges`` may be omitted if unchanged)."""
        if rates is not None:
            edges_ = self.artists["bars"].get_data().edges if edges is None else edges
            e, r = _check_hist(edges_, rates)
            self.artists["bars"].set_data(r, e)
            self.ax.set_xlim(e[0], e[-1])
            self.ax.set_ylim(0.0, max(float(r.max()) * 1.1, 1.0))
        return self


def _check_hist(edges: Any, rates: Any) -> tuple[np.ndarray, np.ndarray]:
    e = as_1d("edges", edges)
    r = as_1d("rates", rates)
    if e.size != r.size + 1:
        raise ValueError(f"edges must have one more entry than rates; got {e.size} edges "
                         f"and {r.size} rates")
    if np.any(np.diff(e) <= 0):
        raise ValueError("edges must increase strictly")
    return e, r


def plot_psth(ax: Axes, edges: Any, rates: Any, *, time_unit: str = "ms",
              color: str = "tab:blue") -> PSTHHandle:
    """Peri-stimulus time histogram as filled steps.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    edges : array_like
        Bin edges (``time_unit``), one more than ``rates``.
    rates : array_like
        Firing rate in each bin (Hz).

    Returns
    -------
    PSTHHandle
        Artist ``"bars"``; ``update(edges, rates)``.
    """
    e, r = _check_hist(edges, rates)
    bars = ax.stairs(r, e, fill=True, color=color, alpha=0.8)
    ax.set_xlim(e[0], e[-1])
    ax.set_ylim(0.0, max(float(r.max()) * 1.1 if r.size else 1.0, 1.0))
    ax.set_xlabel(axis_label("t", time_unit))
    ax.set_ylabel("rate (Hz)")
    return PSTHHandle(ax, {"bars": bars})


# ----------------------------------------------------------------------------- F-I
class FICurveHandle(PlotHandle):
    """Handle of :func:`plot_fi_curve`: artists ``"line"`` and ``"marker"`` (the vertical
    line at the current current)."""

    def update(self, currents: Any = None, rates: Any = None, *,
               I_marker: float | None = None, rescale: bool = True,
               **_: Any) -> FICurveHandle:
        """Change the curve (``currents`` and ``rates`` together) and/or move the marker."""
        if currents is not None or rates is not None:
            c, r = _check_fi(currents, rates)
            self.artists["line"].set_data(c, r)
            if rescale:
                self.rescale()
        if I_marker is not None:
            self.artists["marker"].set_data(*vline_data(I_marker))
        return self


def _check_fi(currents: Any, rates: Any) -> tuple[np.ndarray, np.ndarray]:
    c = as_1d("currents", currents)
    r = as_1d("rates", rates)
    if c.shape != r.shape:
        raise ValueError(f"currents and rates must have the same length, got {c.size} and "
                         f"{r.size}")
    return c, r


def plot_fi_curve(ax: Axes, currents: Any, rates: Any, I_marker: float | None = None, *,
                  model: Any = None, current_unit: str | None = None,
                  color: str = "tab:blue") -> FICurveHandle:
    """Firing rate against injected current (gain curve).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    currents : array_like
        Injected currents (model current units).
    rates : array_like
        Firing rates (Hz), same length.
    I_marker : float, optional
        Draw a vertical "you are here" line at this current.
    model : Model, optional
        Supplies the current unit for the label.
    current_unit : str, optional
        Current unit if no model is given (default uA/cm2).

    Returns
    -------
    FICurveHandle
        Artists ``"line"`` and ``"marker"``; ``update(I_marker=...)`` moves the marker.
    """
    c, r = _check_fi(currents, rates)
    (line,) = ax.plot(c, r, "o-", color=color, ms=3, lw=1.2)
    (marker,) = ax.plot(*vline_data(I_marker), color="tab:red", lw=1.0, ls=":",
                        transform=ax.get_xaxis_transform())
    ax.set_xlabel(current_label(model, current_unit))
    ax.set_ylabel("rate (Hz)")
    return FICurveHandle(ax, {"line": line, "marker": marker})
