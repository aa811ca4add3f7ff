"""Stability pictures: bifurcation diagrams, the trace-determinant plane and eigenvalues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from ._common import PlotHandle, axis_label, current_label, vline_data

__all__ = ["plot_bifurcation_diagram", "plot_normal_form", "plot_trace_determinant",
           "plot_eigenvalues", "BifurcationHandle", "TraceDeterminantHandle",
           "EigenvalueHandle", "bifurcation_label"]

_SHORT = {"saddle-node": "saddle-node", "saddle-node on invariant circle": "SNIC",
          "Hopf": "Hopf", "fold of limit cycles": "fold of cycles"}


def bifurcation_label(bif: Any) -> str:
    """Text shown beside a bifurcation point: its kind, and for Hopf its criticality."""
    text = _SHORT.get(bif.kind, str(bif.kind))
    if getattr(bif, "criticality", None):
        text += f" ({bif.criticality})"
    return text


# ----------------------------------------------------------------------------- diagram
def _branch_segments(I: np.ndarray, y: np.ndarray,
                     stable: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Split a branch into runs of equal stability; neighbouring runs share an end point so
    the curve has no gaps."""
    runs: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
    if I.size < 2:
        return runs
    change = np.flatnonzero(stable[1:] != stable[:-1]) + 1
    bounds = np.concatenate([[0], change, [I.size]])
    for a, b in zip(bounds[:-1], bounds[1:], strict=False):
        stop = min(b + 1, I.size)
        seg = np.column_stack([I[a:stop], y[a:stop]])
        if len(seg) >= 2:
            (runs[0] if stable[a] else runs[1]).append(seg)
    return runs


def _cycle_points(cycles: Sequence[Any], stable: bool) -> np.ndarray:
    pts = []
    for c in cycles:
        mask = np.asarray(c.stable, dtype=bool) == stable
        I = np.asarray(c.I, dtype=float)[mask]
        pts.append(np.column_stack([I, np.asarray(c.v_min, dtype=float)[mask]]))
        pts.append(np.column_stack([I, np.asarray(c.v_max, dtype=float)[mask]]))
    return np.concatenate(pts) if pts else np.empty((0, 2))


class BifurcationHandle(PlotHandle):
    """Handle of :func:`plot_bifurcation_diagram`: artists ``"stable"``, ``"unstable"``
    (LineCollections of equilibria), ``"cycles_stable"``, ``"cycles_unstable"`` (scatter of
    the cycles' V min and max), ``"points"`` (scatter of bifurcations), ``"labels"`` (list
    of texts) and ``"marker"`` (the "you are here" line)."""

    def update(self, I_marker: float | None = None, diagram: Any = None, *,
               rescale: bool = True, **_: Any) -> BifurcationHandle:
        """Move the marker to ``I_marker`` (cheap) and/or show another diagram."""
        if I_marker is not None:
            self.artists["marker"].set_data(*vline_data(I_marker))
        if diagram is not None:
            _fill_diagram(self, diagram)
            if rescale:
                self.ax.autoscale_view()
        return self


def _fill_diagram(handle: BifurcationHandle, diagram: Any) -> None:
    eq = diagram.equilibria
    I = np.asarray(eq.I, dtype=float)
    states = np.asarray(eq.states, dtype=float)
    y = states[:, 0] if states.ndim == 2 else states
    stable_runs, unstable_runs = _branch_segments(I, y, np.asarray(eq.stable, dtype=bool))
    a = handle.artists
    a["stable"].set_segments(stable_runs)
    a["unstable"].set_segments(unstable_runs)
    a["cycles_stable"].set_offsets(_cycle_points(diagram.cycles, True))
    a["cycles_unstable"].set_offsets(_cycle_points(diagram.cycles, False))
    bifs = list(diagram.bifurcations)
    pts = np.array([[b.I, float(np.atleast_1d(b.state)[0])] for b in bifs]).reshape(-1, 2)
    a["points"].set_offsets(pts)
    for text in a["labels"]:
        text.remove()
    a["labels"] = [handle.ax.annotate(bifurcation_label(b), (p[0], p[1]),
                                      xytext=(4, 6), textcoords="offset points",
                                      fontsize=8, color="tab:purple", clip_on=True)
                   for b, p in zip(bifs, pts, strict=True)]
    ys = np.concatenate([y] + [np.r_[np.asarray(c.v_min, dtype=float),
                                     np.asarray(c.v_max, dtype=float)]
                               for c in diagram.cycles])
    xs = np.concatenate([I] + [np.asarray(c.I, dtype=float) for c in diagram.cycles])
    handle.ax.update_datalim(np.column_stack([np.r_[xs.min(), xs.max()],
                                              np.r_[ys.min(), ys.max()]]))


def plot_bifurcation_diagram(ax: Axes, diagram: Any, I_marker: float | None = None, *,
                             model: Any = None, x_label: str | None = None,
                             y_label: str | None = None) -> BifurcationHandle:
    """Bifurcation diagram in the injected current.

    Equilibria are drawn solid where stable and dashed where unstable; limit cycles by
    their minimum and maximum of the first state, filled dots where stable, open where
    unstable; each bifurcation is a dot labelled with its kind.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    diagram : neurolab.analysis.BifurcationDiagram
    I_marker : float, optional
        Current at which to draw the vertical "you are here" line.
    model : Model, optional
        Supplies units and the state name for the labels (default mV, uA/cm2, "V").
    x_label, y_label : str, optional
        Override the axis labels (they should carry units).

    Returns
    -------
    BifurcationHandle
        ``update(I_marker=...)`` moves the marker without touching anything else.
    """
    stable = LineCollection([], colors="k", linewidths=1.8, label="stable equilibrium")
    unstable = LineCollection([], colors="k", linewidths=1.2, linestyles="--",
                              label="unstable equilibrium")
    ax.add_collection(stable)
    ax.add_collection(unstable)
    cyc_s = ax.scatter([], [], s=10, color="tab:blue", label="stable cycle (min/max)")
    cyc_u = ax.scatter([], [], s=12, facecolors="none", edgecolors="tab:blue",
                       label="unstable cycle (min/max)")
    points = ax.scatter([], [], s=30, color="tab:purple", zorder=4, label="bifurcation")
    (marker,) = ax.plot(*vline_data(I_marker), color="tab:red", lw=1.0, ls=":",
                        transform=ax.get_xaxis_transform(), label="I now")
    handle = BifurcationHandle(ax, {"stable": stable, "unstable": unstable,
                                    "cycles_stable": cyc_s, "cycles_unstable": cyc_u,
                                    "points": points, "labels": [], "marker": marker})
    _fill_diagram(handle, diagram)
    ax.autoscale_view()
    name = model.state_names[0] if model is not None else "V"
    unit = getattr(model, "voltage_unit", "mV") if model is not None else "mV"
    ax.set_xlabel(x_label or current_label(model))
    ax.set_ylabel(y_label or axis_label(name, unit))
    ax.legend(loc="best", fontsize=7, frameon=False)
    return handle


def plot_normal_form(ax: Axes, diagram: Any, I_marker: float | None = None,
                     name: str = "x") -> BifurcationHandle:
    """Bifurcation diagram of a normal form (dimensionless parameter and state).

    Same drawing as :func:`plot_bifurcation_diagram`; the axes are labelled
    "parameter (dimensionless)" and ``name`` "(dimensionless)".
    """
    return plot_bifurcation_diagram(ax, diagram, I_marker,
                                    x_label=axis_label("parameter", ""),
                                    y_label=axis_label(name, ""))


# ----------------------------------------------------------------------------- tr-det
def _as_tr_det(points: Any) -> np.ndarray:
    """(n, 2) array of (trace, determinant) from FixedPoints, Jacobians or pairs."""
    if points is None:
        return np.empty((0, 2))
    items = list(points) if not isinstance(points, np.ndarray) else points
    if len(items) and hasattr(items[0], "jacobian"):
        out = []
        for p in items:
            J = np.asarray(p.jacobian, dtype=float)
            if J.shape != (2, 2):
                raise ValueError(f"points must hold 2x2 Jacobians, got shape {J.shape}")
            out.append([np.trace(J), np.linalg.det(J)])
        return np.array(out)
    arr = np.asarray(items, dtype=float)
    if arr.ndim == 3 and arr.shape[1:] == (2, 2):
        return np.column_stack([np.trace(arr, axis1=1, axis2=2), np.linalg.det(arr)])
    arr = arr.reshape(-1, 2) if arr.size else np.empty((0, 2))
    if not np.all(np.isfinite(arr)):
        raise ValueError("points must be finite (trace, determinant) pairs")
    return arr


class TraceDeterminantHandle(PlotHandle):
    """Handle of :func:`plot_trace_determinant`: artists ``"parabola"``, ``"axis"``
    (tr = 0 above the tr axis, where centers live), ``"points"`` and ``"regions"``
    (dict of kind -> text)."""

    def update(self, points: Any = None, **_: Any) -> TraceDeterminantHandle:
        """Place other points (FixedPoints, 2x2 Jacobians or (trace, det) pairs)."""
        if points is not None:
            self.artists["points"].set_offsets(_as_tr_det(points))
        return self


def plot_trace_determinant(ax: Axes, points: Any = None, *, tr_lim: tuple[float, float] =
                           (-2.0, 2.0), det_lim: tuple[float, float] = (-1.0, 2.0),
                           time_unit: str = "ms") -> TraceDeterminantHandle:
    """The plane of trace and determinant of a 2x2 Jacobian, with the kinds of equilibria.

    The parabola det = tr^2 / 4 separates nodes (below) from foci (above); det < 0 is
    the saddle region; the sign of the trace decides stability; the positive det axis
    (tr = 0) holds the centers.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    points : sequence of FixedPoint, array of 2x2 Jacobians or (trace, det) pairs, optional
    tr_lim, det_lim : (float, float)
        Axis ranges.
    time_unit : str
        Time unit of the Jacobian ("" for dimensionless): trace in 1/time, det in 1/time^2.

    Returns
    -------
    TraceDeterminantHandle
        ``update(points)`` moves the points.
    """
    tr = np.linspace(tr_lim[0], tr_lim[1], 201)
    (parabola,) = ax.plot(tr, tr**2 / 4.0, color="0.3", lw=1.2, label="det = tr²/4")
    (axis,) = ax.plot([0.0, 0.0], [0.0, det_lim[1]], color="0.3", lw=1.2)
    ax.axhline(0.0, color="0.3", lw=0.8)
    ax.set_xlim(*tr_lim)
    ax.set_ylim(*det_lim)
    w, top = tr_lim[1] - tr_lim[0], det_lim[1]
    style = {"ha": "center", "va": "center", "fontsize": 8, "clip_on": True}
    place = {
        "saddle": (0.5 * (tr_lim[0] + tr_lim[1]), 0.5 * det_lim[0]),
        "stable focus": (tr_lim[0] + 0.3 * w, 0.85 * top),
        "unstable focus": (tr_lim[1] - 0.3 * w, 0.85 * top),
        "stable node": (tr_lim[0] + 0.12 * w, min(0.1 * top, (0.38 * w) ** 2 / 8)),
        "unstable node": (tr_lim[1] - 0.12 * w, min(0.1 * top, (0.38 * w) ** 2 / 8)),
    }
    regions = {k: ax.text(x, y, k, **style) for k, (x, y) in place.items()}
    regions["center"] = ax.text(0.0, 0.5 * top, "center", rotation=90, ha="right",
                                va="center", fontsize=7, clip_on=True)
    pts = ax.scatter(*_as_tr_det(points).T, s=36, color="tab:red", zorder=4,
                     label="equilibria")
    inv = f"1/{time_unit}" if time_unit else ""
    inv2 = f"1/{time_unit}²" if time_unit else ""
    ax.set_xlabel(axis_label("trace", inv))
    ax.set_ylabel(axis_label("determinant", inv2))
    return TraceDeterminantHandle(ax, {"parabola": parabola, "axis": axis, "points": pts,
                                       "regions": regions})


# ----------------------------------------------------------------------------- eigen
class EigenvalueHandle(PlotHandle):
    """Handle of :func:`plot_eigenvalues`: artist ``"points"`` (filled where the real part
    is negative, open where it is positive)."""

    def update(self, eigenvalues: Any = None, **_: Any) -> EigenvalueHandle:
        """Place other eigenvalues; the view widens to keep them in sight."""
        if eigenvalues is not None:
            ev = _check_eigs(eigenvalues)
            pts = self.artists["points"]
            pts.set_offsets(np.column_stack([ev.real, ev.imag]))
            pts.set_facecolors(_eig_faces(ev))
            _frame(self.ax, ev)
        return self


def _check_eigs(eigenvalues: Any) -> np.ndarray:
    ev = np.atleast_1d(np.asarray(eigenvalues, dtype=complex)).ravel()
    if not np.all(np.isfinite(ev)):
        raise ValueError("eigenvalues must be finite")
    return ev


def _eig_faces(ev: np.ndarray) -> list[Any]:
    return ["tab:blue" if z.real < 0 else "none" for z in ev]


def _frame(ax: Axes, ev: np.ndarray) -> None:
    r = max(float(np.abs(ev).max()) * 1.25 if ev.size else 1.0, 1e-3)
    ax.set_xlim(-r, r)
    ax.set_ylim(-r, r)


def plot_eigenvalues(ax: Axes, eigenvalues: Any, *, time_unit: str = "ms") -> EigenvalueHandle:
    """Eigenvalues in the complex plane; the left half (shaded) is where they are stable.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    eigenvalues : array_like of complex
        Eigenvalues (1/``time_unit``).
    time_unit : str
        "" for dimensionless models.

    Returns
    -------
    EigenvalueHandle
        ``update(eigenvalues)``.
    """
    ev = _check_eigs(eigenvalues)
    ax.axvspan(-1e9, 0.0, color="tab:blue", alpha=0.06, lw=0)
    ax.axhline(0.0, color="0.4", lw=0.8)
    ax.axvline(0.0, color="0.4", lw=0.8)
    pts = ax.scatter(ev.real, ev.imag, s=40, facecolors=_eig_faces(ev),
                     edgecolors="tab:blue", zorder=3)
    _frame(ax, ev)
    inv = f"1/{time_unit}" if time_unit else ""
    ax.set_xlabel(axis_label("Re λ", inv))
    ax.set_ylabel(axis_label("Im λ", inv))
    ax.set_aspect("equal", adjustable="box")
    return EigenvalueHandle(ax, {"points": pts})
