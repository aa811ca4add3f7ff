"""Stability pictures: bifurcation diagrams, the trace-determinant plane and eigenvalues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from ._common import PlotHandle, axis_label, current_label, vline_data

__all__ = ["plot_bifurcation_diagram", "plot_normal_form", "plot_trace_determinant",
           "plot_eigenvalues", "BifurcationHandle", "NormalFormHandle",
           "TraceDeterminantHandle", "EigenvalueHandle", "bifurcation_label"]

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


#: Vertical range of a normal form's diagram, by its variable.
_NF_YLIM = {"x": (-1.2, 1.2), "theta": (-3.5, 3.5), "r": (-1.5, 1.5)}
#: How the variable is named on the axis (cycles of the Hopf forms drawn at +r and -r).
_NF_NAME = {"theta": "θ", "r": "x (cycles: ±r)"}
_CYCLE_COLOR = "tab:blue"


def _check_normal_form_diagram(diagram: Any) -> Any:
    if not (hasattr(diagram, "branches") and hasattr(diagram, "variable")):
        raise ValueError("diagram must be a NormalFormDiagram (from "
                         "neurolab.analysis.normal_form_diagram), got "
                         f"{type(diagram).__name__}; draw a model's BifurcationDiagram "
                         "with plot_bifurcation_diagram")
    return diagram


def _mirrored(diagram: Any, branch: Any) -> bool:
    """Whether a branch is a cycle radius r, drawn at +r and -r."""
    return branch.kind == "cycle" and diagram.variable == "r"


def _values_at(diagram: Any, I: float) -> list[float]:
    """Values of every branch that exists at I (cycles of radius r at +r and -r),
    interpolated between the diagram's samples."""
    out: list[float] = []
    for br in diagram.branches:
        x = np.asarray(br.I, dtype=float)
        if x.size == 0 or not x[0] - 1e-9 <= I <= x[-1] + 1e-9:
            continue
        v = float(np.interp(I, x, np.asarray(br.value, dtype=float)))
        out += [v, -v] if _mirrored(diagram, br) else [v]
    return out


def _bifurcation_points(diagram: Any) -> list[tuple[str, float, float]]:
    """(kind, I, value) of each bifurcation, drawn where the branches it joins meet: a
    fold of cycles at the cycles' radius (+r and -r), any other at the equilibria's
    value."""
    pts = []
    for kind, I0 in diagram.bifurcations:
        want = "cycle" if "cycle" in kind else "equilibrium"
        ys = [float(np.interp(I0, np.asarray(b.I, float), np.asarray(b.value, float)))
              for b in diagram.branches if b.kind == want and np.size(b.I)
              and b.I[0] - 1e-9 <= I0 <= b.I[-1] + 1e-9]
        y = ys[0] if ys else 0.0
        pts.append((kind, float(I0), y))
        if want == "cycle" and diagram.variable == "r" and y:
            pts.append((kind, float(I0), -y))
    return pts


class NormalFormHandle(PlotHandle):
    """Handle of :func:`plot_normal_form`: artists ``"stable"``, ``"unstable"``
    (LineCollections of equilibria), ``"cycles_stable"``, ``"cycles_unstable"``
    (LineCollections of cycle radii, at +r and -r), ``"orbits"`` (list: the shading and
    text of an orbit that covers the whole circle, SNIC), ``"points"`` (scatter of
    bifurcations), ``"labels"`` (list of texts), ``"marker"`` (the "you are here" line)
    and ``"here"`` (scatter of the states that exist at the marker).

    Attributes
    ----------
    diagram : NormalFormDiagram
        The diagram drawn.
    I_marker : float or None
        Where the marker stands.
    I_range : (float, float) or None
        Horizontal extent of the axes (None: that of the branches).
    """

    def __init__(self, ax: Axes, artists: dict[str, Any], diagram: Any,
                 I_marker: float | None, I_range: tuple[float, float] | None = None
                 ) -> None:
        super().__init__(ax, artists)
        self.diagram = diagram
        self.I_marker = I_marker
        self.I_range = I_range

    def update(self, I_marker: float | None = None, diagram: Any = None,
               **_: Any) -> NormalFormHandle:
        """Move the marker to ``I_marker`` (cheap: two artists' data) and/or show
        another :class:`NormalFormDiagram`."""
        if diagram is not None:
            self.diagram = _check_normal_form_diagram(diagram)
            _fill_normal_form(self)
        if I_marker is not None:
            self.I_marker = float(I_marker)
        if I_marker is not None or diagram is not None:
            _place_marker(self)
        return self


def _place_marker(handle: NormalFormHandle) -> None:
    I = handle.I_marker
    a = handle.artists
    a["marker"].set_data(*vline_data(I))
    ys = [] if I is None else _values_at(handle.diagram, I)
    a["here"].set_offsets(np.array([[I, y] for y in ys], dtype=float).reshape(-1, 2))


def _fill_normal_form(handle: NormalFormHandle) -> None:
    d, ax, a = handle.diagram, handle.ax, handle.artists
    segs: dict[str, list[np.ndarray]] = {"stable": [], "unstable": [],
                                          "cycles_stable": [], "cycles_unstable": []}
    for art in a["orbits"]:
        art.remove()
    a["orbits"] = []
    for br in d.branches:
        I = np.asarray(br.I, dtype=float)
        v = np.asarray(br.value, dtype=float)
        key = ("cycles_" if br.kind == "cycle" else "") + ("stable" if br.stable
                                                           else "unstable")
        if br.kind == "cycle" and d.variable == "theta":
            # the orbit covers the whole circle: shade it instead of drawing a curve
            a["orbits"] += [
                ax.fill_between(I, -np.pi, np.pi, color=_CYCLE_COLOR, alpha=0.12, lw=0),
                ax.text(0.5 * (I[0] + I[-1]), 0.0, "periodic orbit\n(whole circle)",
                        ha="center", va="center", fontsize=8, color=_CYCLE_COLOR,
                        clip_on=True)]
            continue
        if I.size < 2:
            continue
        segs[key].append(np.column_stack([I, v]))
        if _mirrored(d, br):
            segs[key].append(np.column_stack([I, -v]))
    for key, lines in segs.items():
        a[key].set_segments(lines)
    pts = _bifurcation_points(d)
    a["points"].set_offsets(np.array([p[1:] for p in pts], dtype=float).reshape(-1, 2))
    for text in a["labels"]:
        text.remove()
    first = {}  # one label per bifurcation (a fold of cycles has two dots)
    for kind, I0, y in pts:
        first.setdefault((kind, I0), y)
    a["labels"] = [ax.annotate(_SHORT.get(kind, kind), (I0, y),
                               xytext=(4, 8 if i % 2 else -14), textcoords="offset points",
                               fontsize=8, color="tab:purple", clip_on=True)
                   for i, ((kind, I0), y) in enumerate(first.items())]
    if handle.I_range is not None:
        lo, hi = handle.I_range
    else:
        ends = [float(x) for b in d.branches for x in (np.min(b.I), np.max(b.I))]
        ends += [I0 for _k, I0 in d.bifurcations]
        lo, hi = (min(ends), max(ends)) if ends else (-1.0, 1.0)
    if hi > lo:
        ax.set_xlim(lo, hi)
    ax.set_ylim(*_NF_YLIM.get(d.variable, (-1.5, 1.5)))


def plot_normal_form(ax: Axes, diagram: Any, I_marker: float | None = None, *,
                     name: str | None = None,
                     I_range: tuple[float, float] | None = None) -> NormalFormHandle:
    """Closed-form bifurcation diagram of a normal form (dimensionless I and state).

    Equilibria in black and cycles in blue (a Hopf form's cycle of radius r at +r and
    -r; the SNIC's orbit, which covers the whole circle, as a shaded band), solid where
    stable and dashed where unstable; each bifurcation a purple dot, labelled, where the
    branches it joins meet; a dotted "you are here" line at ``I_marker`` with a dot on
    every state that exists there.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    diagram : neurolab.analysis.normal_forms.NormalFormDiagram
        From :func:`neurolab.analysis.normal_form_diagram`.
    I_marker : float, optional
        Parameter value (dimensionless) of the marker.
    name : str, optional
        Name of the state on the vertical axis (default from ``diagram.variable``:
        "x", "θ", or "x (cycles: ±r)" for the Hopf forms).
    I_range : (float, float), optional
        Horizontal extent of the axes, e.g. the range the diagram was computed on
        (default: from the branches and bifurcations; the saddle-node's branches end
        at I = 0).

    Returns
    -------
    NormalFormHandle
        ``update(I_marker=...)`` moves the marker and its dots without touching
        anything else; ``update(diagram=...)`` shows another diagram.

    Raises
    ------
    ValueError
        If ``diagram`` is not a NormalFormDiagram (for a model's BifurcationDiagram
        use :func:`plot_bifurcation_diagram`).
    """
    d = _check_normal_form_diagram(diagram)
    if I_range is not None:
        from .._validation import check_range

        I_range = check_range("I_range", I_range)
    stable = LineCollection([], colors="k", linewidths=1.8, label="stable")
    unstable = LineCollection([], colors="k", linewidths=1.2, linestyles="--",
                              label="unstable")
    cyc_s = LineCollection([], colors=_CYCLE_COLOR, linewidths=1.8, label="cycle")
    cyc_u = LineCollection([], colors=_CYCLE_COLOR, linewidths=1.2, linestyles="--",
                           label="unstable cycle")
    for c in (stable, unstable, cyc_s, cyc_u):
        ax.add_collection(c)
    points = ax.scatter([], [], s=25, color="tab:purple", zorder=4)
    (marker,) = ax.plot([], [], color="tab:red", ls=":", lw=1.2,
                        transform=ax.get_xaxis_transform())
    here = ax.scatter([], [], s=40, color="tab:red", zorder=5)
    handle = NormalFormHandle(ax, {"stable": stable, "unstable": unstable,
                                   "cycles_stable": cyc_s, "cycles_unstable": cyc_u,
                                   "orbits": [], "points": points, "labels": [],
                                   "marker": marker, "here": here}, d,
                              None if I_marker is None else float(I_marker), I_range)
    _fill_normal_form(handle)
    _place_marker(handle)
    ax.set_xlabel(axis_label("I", ""))
    ax.set_ylabel(axis_label(name or _NF_NAME.get(d.variable, d.variable), ""))
    legend = [stable, unstable]
    if any(b.kind == "cycle" for b in d.branches):
        legend.append(cyc_s)
    ax.legend(handles=legend, loc="lower left", fontsize=7, frameon=False)
    return handle


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

    def update(self, eigenvalues: Any = None, *, rescale: bool = True,
               **_: Any) -> EigenvalueHandle:
        """Place other eigenvalues.

        Parameters
        ----------
        eigenvalues : array_like of complex, optional
            The new eigenvalues (1/time unit).
        rescale : bool
            Fit the square view to them (default); False keeps the axes' limits, e.g.
            for an app with a fixed frame whose cached background must stay valid.
        """
        if eigenvalues is not None:
            ev = _check_eigs(eigenvalues)
            pts = self.artists["points"]
            pts.set_offsets(np.column_stack([ev.real, ev.imag]))
            pts.set_facecolors(_eig_faces(ev))
            if rescale:
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
