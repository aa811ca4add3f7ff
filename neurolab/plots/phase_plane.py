"""The phase plane: vector field, nullclines, fixed points by kind, separatrix, trajectory."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from .._validation import check_int, check_range
from ._common import PlotHandle, add_convention_note, axis_label, state_unit

__all__ = ["plot_phase_plane", "PhasePlaneHandle", "KIND_MARKERS"]

#: Marker shape of each kind of equilibrium; the fill says stable (filled) or not (open).
KIND_MARKERS = {"stable node": "o", "unstable node": "o", "stable focus": "s",
                "unstable focus": "s", "saddle": "^", "center": "D", "degenerate": "P"}
_FP_COLOR = "tab:red"


def _analysis() -> Any:
    from .. import analysis

    return analysis


def _field_arrows(X: np.ndarray, Y: np.ndarray, U: np.ndarray, V: np.ndarray,
                  xlim: tuple[float, float], ylim: tuple[float, float],
                  n: int) -> tuple[np.ndarray, np.ndarray]:
    """Arrows of equal length (in the box's own proportions) along the flow, in data units."""
    xr, yr = xlim[1] - xlim[0], ylim[1] - ylim[0]
    u, v = U / xr, V / yr
    norm = np.hypot(u, v)
    ok = np.isfinite(norm) & (norm > 0)
    length = 0.6 / n
    su = np.divide(u, norm, out=np.zeros_like(u), where=ok) * length * xr
    sv = np.divide(v, norm, out=np.zeros_like(v), where=ok) * length * yr
    return su, sv


class PhasePlaneHandle(PlotHandle):
    """Handle of :func:`plot_phase_plane`.

    Artists (present when asked for): ``"field"`` (Quiver), ``"x_nullcline"``,
    ``"y_nullcline"`` (LineCollections), ``"fixed_points"`` (dict kind -> scatter),
    ``"separatrix"`` (LineCollection), ``"trajectory"`` (Line2D), ``"note"`` (Text).
    Attribute ``points`` holds the :class:`~neurolab.analysis.FixedPoint` list shown.
    """

    def __init__(self, ax: Axes, artists: dict[str, Any], model: Any, I: float,
                 xlim: tuple[float, float], ylim: tuple[float, float], reduced: Any,
                 n_field: int) -> None:
        super().__init__(ax, artists)
        self.model, self.I, self.reduced = model, I, reduced
        self.xlim, self.ylim, self.n_field = xlim, ylim, n_field
        self.points: list[Any] = []
        self.names: tuple[str, str] = ("x", "y")
        self._legend_kinds: tuple[str, ...] = ()

    def update(self, I: float | None = None, *, model: Any = None, trajectory: Any = None,
               xlim: tuple[float, float] | None = None,
               ylim: tuple[float, float] | None = None, **_: Any) -> PhasePlaneHandle:
        """Redraw for a new current, model parameters, window or trajectory, in place.

        Parameters
        ----------
        I : float, optional
            New injected current (model current units).
        model : Model, optional
            New parameters (same kind of model, same state names).
        trajectory : Trace or array of shape (k, 2), optional
            New trajectory to show (needs ``trajectory`` drawn at creation).
        xlim, ylim : (float, float), optional
            New window.
        """
        changed = False
        if model is not None and model is not self.model:
            self.model, changed = model, True
        if I is not None and I != self.I:
            self.I, changed = float(I), True
        if xlim is not None or ylim is not None:
            self.xlim = check_range("xlim", xlim) if xlim is not None else self.xlim
            self.ylim = check_range("ylim", ylim) if ylim is not None else self.ylim
            self.ax.set_xlim(*self.xlim)
            self.ax.set_ylim(*self.ylim)
            changed = True
        if changed:
            self._draw_analysis()
        if trajectory is not None and "trajectory" in self.artists:
            self.artists["trajectory"].set_data(*_trajectory_xy(trajectory, self).T)
        return self

    def _draw_analysis(self) -> None:
        an = _analysis()
        m, I, xlim, ylim, red = self.model, self.I, self.xlim, self.ylim, self.reduced
        a = self.artists
        if "field" in a:
            X, Y, U, V = an.vector_field(m, I, xlim, ylim, self.n_field, reduced=red)
            su, sv = _field_arrows(X, Y, U, V, xlim, ylim, self.n_field)
            a["field"].set_offsets(np.column_stack([X.ravel(), Y.ravel()]))
            a["field"].set_UVC(su, sv)
        if "x_nullcline" in a:
            nc = an.nullclines(m, I, xlim, ylim, reduced=red)
            a["x_nullcline"].set_segments(nc.x_nullcline)
            a["y_nullcline"].set_segments(nc.y_nullcline)
        if "fixed_points" in a:
            fps = an.fixed_points(m, I, xlim, ylim, reduced=red)
            self.points = fps
            for kind, art in a["fixed_points"].items():
                pts = [fp.state[[0, -1]] for fp in fps if fp.kind == kind]
                art.set_offsets(np.array(pts).reshape(-1, 2))
            self._legend()
        if "separatrix" in a:
            curves = an.separatrix(m, I, xlim=xlim, ylim=ylim, reduced=red)
            a["separatrix"].set_segments(curves)

    def _legend(self) -> None:
        kinds = tuple(k for k in KIND_MARKERS if any(fp.kind == k for fp in self.points))
        if kinds == self._legend_kinds and self.ax.get_legend() is not None:
            return
        self._legend_kinds = kinds
        handles = [self.artists["fixed_points"][k] for k in kinds]
        handles += [self.artists[k] for k in ("x_nullcline", "y_nullcline", "separatrix",
                                              "trajectory") if k in self.artists]
        self.ax.legend(handles=handles, loc="upper right", fontsize=7, framealpha=0.8)


def _trajectory_xy(trajectory: Any, handle: PhasePlaneHandle) -> np.ndarray:
    names = handle.names
    if hasattr(trajectory, "states"):
        try:
            return np.column_stack([trajectory.states[names[0]], trajectory.states[names[1]]])
        except KeyError:
            raise ValueError(f"trajectory must hold the states {names}; it has "
                             f"{tuple(trajectory.states)}") from None
    arr = np.asarray(trajectory, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"trajectory must be a Trace or an array of shape (k, 2), got "
                         f"shape {arr.shape}")
    return arr


def plot_phase_plane(ax: Axes, model: Any, I: float, xlim: tuple[float, float],
                     ylim: tuple[float, float], trajectory: Any = None, field: bool = True,
                     nullclines: bool = True, fixed_points: bool = True,
                     separatrix: bool = False, reduced: Any = None, *,
                     convention_note: bool = False, n_field: int = 15) -> PhasePlaneHandle:
    """Phase portrait of a two-dimensional model (or reduced Hodgkin-Huxley).

    Draws, as asked: the direction of the flow (arrows of equal length), the two
    nullclines, the equilibria (marker shape by kind, filled when stable, open when
    unstable, with a legend in the kind words), the separatrix (stable manifold of each
    saddle) and a trajectory.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    model : Model
        A two-dimensional model, or a larger one with ``reduced``.
    I : float
        Constant injected current (model current units).
    xlim, ylim : (float, float)
        Window of the plane (units of the first and the second state).
    trajectory : Trace or array of shape (k, 2), optional
        A run to draw (e.g. from :func:`neurolab.analysis.trajectory`).
    field, nullclines, fixed_points, separatrix : bool
        Which layers to draw.
    reduced : None, str, dict or Model
        For a model with more than two states: which reduction's plane (see
        :func:`neurolab.analysis.vector_field`).
    convention_note : bool
        Add a small note on the voltage convention.
    n_field : int
        Arrows per axis.

    Returns
    -------
    PhasePlaneHandle
        ``update(I=..., model=..., trajectory=..., xlim=..., ylim=...)`` recomputes and
        changes the artists' data in place.
    """
    xlim = check_range("xlim", xlim)
    ylim = check_range("ylim", ylim)
    n_field = check_int("n_field", n_field, 2, 100)
    an = _analysis()
    # Validate the model and current once (raises ValueError naming the argument).
    probe = an.nullclines(model, I, xlim, ylim, n=10, reduced=reduced)
    names = (probe.x_name, probe.y_name)
    artists: dict[str, Any] = {}
    if field:
        g = np.zeros((n_field, n_field))
        artists["field"] = ax.quiver(g, g, g, g, angles="xy", scale_units="xy", scale=1.0,
                                     color="0.6", width=0.003, headwidth=4, zorder=1)
    if nullclines:
        artists["x_nullcline"] = LineCollection([], colors="tab:blue", linewidths=1.6,
                                                label=f"{names[0]}-nullcline "
                                                      f"(d{names[0]}/dt = 0)", zorder=2)
        artists["y_nullcline"] = LineCollection([], colors="tab:orange", linewidths=1.6,
                                                label=f"{names[1]}-nullcline "
                                                      f"(d{names[1]}/dt = 0)", zorder=2)
        ax.add_collection(artists["x_nullcline"])
        ax.add_collection(artists["y_nullcline"])
    if separatrix:
        artists["separatrix"] = LineCollection([], colors="tab:purple", linewidths=1.4,
                                               linestyles="--", label="separatrix",
                                               zorder=2)
        ax.add_collection(artists["separatrix"])
    if trajectory is not None:
        (artists["trajectory"],) = ax.plot([], [], color="k", lw=1.2, zorder=3,
                                           label="trajectory")
    if fixed_points:
        artists["fixed_points"] = {
            kind: ax.scatter([], [], marker=mk, s=50, zorder=4, linewidths=1.4,
                             edgecolors=_FP_COLOR,
                             facecolors=_FP_COLOR if kind.startswith("stable") else "white",
                             label=kind)
            for kind, mk in KIND_MARKERS.items()}
    if convention_note:
        artists["note"] = add_convention_note(ax, model)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    system = getattr(model, "model", model) if reduced is None else model
    ax.set_xlabel(axis_label(names[0], state_unit(system, names[0])))
    ax.set_ylabel(axis_label(names[1], state_unit(system, names[1])))
    handle = PhasePlaneHandle(ax, artists, model, float(I), xlim, ylim, reduced, n_field)
    handle.names = names
    handle._draw_analysis()
    if trajectory is not None:
        artists["trajectory"].set_data(*_trajectory_xy(trajectory, handle).T)
    if not fixed_points and (nullclines or separatrix):
        ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    return handle

