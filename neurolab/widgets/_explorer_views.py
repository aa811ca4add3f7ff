"""The panels of the model explorer: trace, phase plane or phase line, F-I curve and
bifurcation diagram.

Each panel owns its axes and artists. ``update(...)`` changes the artists' data in place
and returns True when something static changed (the axis limits grew, a legend changed),
so the app knows to re-draw the cached background. No science here: every number comes
from :mod:`neurolab.analysis`, :mod:`neurolab.simulate` and :mod:`neurolab.models`;
the panels only decide what to show and in which window.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.gridspec import SubplotSpec

from .. import analysis as an
from .. import plots
from ..models.base import Model
from ..plots._common import axis_label, current_label, state_unit, vline_data
from ._models import threshold_and_reset

__all__ = ["TracePanel", "PhasePlanePanel", "PhaseLinePanel", "FIPanel",
           "BifurcationPanel", "grow_limits", "phase_panel_for"]



def grow_limits(lim: tuple[float, float], data: np.ndarray, pad: float = 0.08,
                min_span: float = 0.0) -> tuple[float, float]:
    """The window ``lim`` widened (never narrowed) to hold the finite values of ``data``
    with a margin of ``pad`` times the data's span."""
    d = np.asarray(data, dtype=float)
    d = d[np.isfinite(d)]
    lo, hi = float(lim[0]), float(lim[1])
    if d.size:
        dlo, dhi = float(d.min()), float(d.max())
        span = max(dhi - dlo, min_span, 1e-9)
        if dlo < lo:
            lo = dlo - pad * span
        if dhi > hi:
            hi = dhi + pad * span
    if hi - lo < min_span:
        mid = 0.5 * (lo + hi)
        lo, hi = mid - 0.5 * min_span, mid + 0.5 * min_span
    return lo, hi


def _fit_limits(data: np.ndarray, pad: float = 0.08, min_span: float = 1e-3
                ) -> tuple[float, float]:
    d = np.asarray(data, dtype=float)
    d = d[np.isfinite(d)]
    if d.size == 0:
        return -1.0, 1.0
    lo, hi = float(d.min()), float(d.max())
    span = max(hi - lo, min_span)
    mid = 0.5 * (lo + hi)
    lo, hi = min(lo, mid - 0.5 * span), max(hi, mid + 0.5 * span)
    return lo - pad * span, hi + pad * span


def _fmt_current(I: float, model: Model) -> str:
    unit = plots.pretty_unit(model.current_unit)
    return f"I = {I:.4g} {unit}".rstrip()


def _describe_points(points: list[Any], names: tuple[str, ...], units: tuple[str, ...]
                     ) -> str:
    if not points:
        return "no equilibrium in view"
    parts = []
    for p in points[:4]:
        coords = ", ".join(f"{n} = {v:.3g}{(' ' + u) if u else ''}"
                           for n, v, u in zip(names, p.state[[0, -1]] if len(names) == 2
                                              else p.state[:1], units, strict=True))
        parts.append(f"{p.kind} ({coords})")
    more = f" and {len(points) - 4} more" if len(points) > 4 else ""
    return "; ".join(parts) + more


# ----------------------------------------------------------------------------- trace
class TracePanel:
    """The first state against time, spikes marked, and the injected current below."""

    def __init__(self, figure: Figure, spec: SubplotSpec, trace: Any) -> None:
        gs = spec.subgridspec(2, 1, height_ratios=(3, 1), hspace=0.08)
        self.ax = figure.add_subplot(gs[0])
        self.ax_current = figure.add_subplot(gs[1], sharex=self.ax)
        self.handle = plots.plot_trace(self.ax, trace, current_ax=self.ax_current,
                                       convention_note=True)
        self.ax.tick_params(labelbottom=False)
        self.ax.set_xlabel("")
        self.ax_current.set_ylabel(axis_label("I", trace.model.current_unit), fontsize=8)
        self.ax.set_xlim(0.0, float(trace.t[-1]))
        self.ylim = _fit_limits(trace.states[self.handle.state], 0.06,
                                _min_span(trace.model))
        lo, hi = trace.model.current_range
        self.ilim = _fit_limits(np.r_[lo, hi, np.asarray(trace.current)], 0.1)
        self.ax.set_ylim(*self.ylim)
        self.ax_current.set_ylim(*self.ilim)
        self.duration = float(trace.t[-1])

    @property
    def dynamic(self) -> list[Any]:
        """Artists that change with every run."""
        return [self.handle["line"], self.handle["spikes"], self.handle["current"]["line"]]

    def update(self, trace: Any, **_: Any) -> bool:
        """Show a new run; True if the limits changed."""
        self.handle.update(trace, rescale=False)
        changed = False
        duration = float(trace.t[-1])
        if duration != self.duration:
            self.duration = duration
            self.ax.set_xlim(0.0, duration)
            changed = True
        ylim = grow_limits(self.ylim, trace.states[self.handle.state], 0.06)
        ilim = grow_limits(self.ilim, np.asarray(trace.current), 0.1)
        if ylim != self.ylim or ilim != self.ilim:
            self.ylim, self.ilim = ylim, ilim
            self.ax.set_ylim(*ylim)
            self.ax_current.set_ylim(*ilim)
            changed = True
        return changed


def _min_span(model: Model) -> float:
    """Smallest span of the trace's axis: a tenth of the equilibrium window (so a model
    at rest is not drawn as noise magnified)."""
    lo, hi = model.equilibrium_window
    return 0.1 * (hi - lo)


# ----------------------------------------------------------------------------- plane
#: Most points of a trajectory drawn (longer runs are thinned for drawing only).
MAX_DRAWN = 1500
#: Grid of the contour-drawn nullclines (the V-nullcline of a reduced plane).
CONTOUR_N = 150


def _plane_xy(trace: Any, names: tuple[str, str], model: Model) -> np.ndarray:
    """Trajectory in the plane, thinned to at most ``MAX_DRAWN`` points; for hybrid
    models the reset jumps are cut (NaN) so no line joins the peak to the reset."""
    x = np.asarray(trace.states[names[0]], dtype=float)
    y = np.asarray(trace.states[names[1]], dtype=float)
    k = max(1, int(np.ceil(x.size / MAX_DRAWN)))
    xy = np.column_stack([x[::k], y[::k]])
    if model.hybrid and xy.shape[0] > 1:
        jumps = np.flatnonzero(np.diff(xy[:, 0]) < -10.0) + 1
        if jumps.size:
            xy = np.insert(xy, jumps, np.nan, axis=0)
    return xy


class PhasePlanePanel:
    """Vector field, nullclines, fixed points by kind and the trajectory of the run, at
    the current I (for a model with more than two states: the plane of the reduction it
    names in ``plane``)."""

    def __init__(self, figure: Figure, spec: SubplotSpec, model: Model, I: float,
                 trace: Any) -> None:
        self.ax = figure.add_subplot(spec)
        self.reduced = model.plane if model.n_states > 2 else None
        system = model.reduce(self.reduced) if self.reduced else model
        names = tuple(system.state_names[:2])
        self.names = names
        self.units = (state_unit(system, names[0]), state_unit(system, names[1]))
        base = an.default_window(model, I, reduced=self.reduced)
        xy = _plane_xy(trace, names, model)
        self.xlim = grow_limits(base[0], xy[:, 0])
        self.ylim = grow_limits(base[1], xy[:, 1])
        self.handle = plots.plot_phase_plane(self.ax, model, I, self.xlim, self.ylim,
                                             trajectory=xy, reduced=self.reduced,
                                             n_field=13)
        # The nullclines are recomputed here (a coarser contour grid keeps a reduced
        # plane fast); the handle updates the other layers.
        self.nullclines = (self.handle.artists.pop("x_nullcline"),
                           self.handle.artists.pop("y_nullcline"))
        self.model, self.I = model, float(I)
        self._draw_nullclines()
        if self.reduced:
            title = model.reductions[self.reduced].title or self.reduced
            self.ax.set_title(f"reduced ({', '.join(names)}) plane: {title}", fontsize=8)
        else:
            self.ax.set_title("phase plane", fontsize=9)
        self._legend = self._make_legend()

    def _draw_nullclines(self) -> None:
        nc = an.nullclines(self.model, self.I, self.xlim, self.ylim,
                           n=CONTOUR_N if self.reduced else 400, reduced=self.reduced)
        self.nullclines[0].set_segments(nc.x_nullcline)
        self.nullclines[1].set_segments(nc.y_nullcline)

    def _make_legend(self) -> Any:
        a = self.handle.artists
        kinds = [art for kind, art in a["fixed_points"].items()
                 if any(p.kind == kind for p in self.handle.points)]
        return self.ax.legend(handles=[*kinds, *self.nullclines, a["trajectory"]],
                              loc="upper right", fontsize=7, framealpha=0.8)

    @property
    def dynamic(self) -> list[Any]:
        """Artists that change with the current, the parameters or the run."""
        a = self.handle.artists
        return [a["field"], *self.nullclines, a["trajectory"], *a["fixed_points"].values()]

    @property
    def points(self) -> list[Any]:
        """The fixed points shown (:class:`neurolab.analysis.FixedPoint`)."""
        return self.handle.points

    def describe(self) -> str:
        """One line for the status: the current and the equilibria in view."""
        where = (f"reduced ({', '.join(self.names)}) plane" if self.reduced
                 else "phase plane")
        return (f"{where} at {_fmt_current(self.I, self.model)}: "
                f"{_describe_points(self.points, self.names, self.units)}")

    def update(self, model: Model, I: float, trace: Any, **_: Any) -> bool:
        """Recompute for a new model or current (cached when unchanged) and show the run."""
        xy = _plane_xy(trace, self.names, model)
        xlim = grow_limits(self.xlim, xy[:, 0])
        ylim = grow_limits(self.ylim, xy[:, 1])
        limits = (xlim, ylim) != (self.xlim, self.ylim)
        kwargs: dict[str, Any] = {"trajectory": xy}
        analysis = model != self.model or float(I) != self.I
        if model != self.handle.model:
            kwargs["model"] = model
        if float(I) != self.handle.I:
            kwargs["I"] = float(I)
        if limits:
            self.xlim, self.ylim = xlim, ylim
            kwargs.update(xlim=xlim, ylim=ylim)
        self.handle.update(**kwargs)
        self.model, self.I = model, float(I)
        if analysis or limits:
            self._draw_nullclines()
        changed = limits
        if self.ax.get_legend() is not self._legend:  # the kinds shown changed
            self._legend = self._make_legend()
            changed = True
        return changed


class PhaseLinePanel:
    """dx/dt against x for a one-dimensional model at the current I (x its state):
    equilibria (filled stable, open unstable), the direction of flow along the x axis,
    and the reset rule (threshold -> reset value). Axis labels give the state's name and
    unit and the model's time unit."""

    def __init__(self, figure: Figure, spec: SubplotSpec, model: Model, I: float) -> None:
        self.ax = ax = figure.add_subplot(spec)
        self.model, self.I = model, float(I)
        name = model.state_names[0]
        unit = state_unit(model, name)
        self.names, self.units = (name,), (unit,)
        rate = f"{unit}/{model.time_unit}" if unit and model.time_unit else \
            (unit or (f"1/{model.time_unit}" if model.time_unit else ""))
        self.xlim = self._window(model)
        self.v = np.linspace(*self.xlim, 400)
        lo, hi = model.current_range
        f_lo = model.rhs(self.v[None, :], lo)[0]
        f_hi = model.rhs(self.v[None, :], hi)[0]
        self.ylim = _fit_limits(np.r_[f_lo, f_hi, 0.0], 0.05)
        ax.axhline(0.0, color="0.5", lw=0.8)
        (self.curve,) = ax.plot([], [], color="tab:blue", lw=1.6,
                                label=f"d{name}/dt (below threshold)")
        (self.beyond,) = ax.plot([], [], color="tab:blue", lw=1.0, ls=":", alpha=0.6)
        self.stable = ax.scatter([], [], s=50, color="tab:red", zorder=4, label="stable")
        self.unstable = ax.scatter([], [], s=50, facecolors="white", edgecolors="tab:red",
                                   linewidths=1.4, zorder=4, label="unstable")
        self.right = ax.scatter([], [], marker=">", s=18, color="0.35", zorder=3)
        self.left = ax.scatter([], [], marker="<", s=18, color="0.35", zorder=3)
        (self.threshold,) = ax.plot([], [], color="tab:purple", lw=1.0, ls="--",
                                    label="threshold → reset", zorder=2)
        self.reset = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=5,
                                 arrowprops={"arrowstyle": "->", "color": "tab:purple",
                                             "lw": 1.2, "connectionstyle": "arc3,rad=0.3"})
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel(axis_label(name, unit))
        ax.set_ylabel(axis_label(f"d{name}/dt", rate))
        ax.set_title("phase line", fontsize=9)
        ax.legend(handles=[self.curve, self.stable, self.unstable, self.threshold],
                  loc="lower right", fontsize=7, framealpha=0.8)
        self.points: list[Any] = []
        self._draw()

    @staticmethod
    def _window(model: Model) -> tuple[float, float]:
        """From 15 % of the span below the lowest of the reset value and the resting
        equilibria at I = 0, to 15 % above the threshold."""
        top, reset = PhaseLinePanel._rule(model)
        rests = [float(y[0]) for y in model.equilibria(0.0) if y[0] < top]
        low = min([reset, *rests])
        span = max(top - low, 1e-3 * max(1.0, abs(top)))
        return low - 0.5 * span, top + 0.15 * span

    @staticmethod
    def _rule(model: Model) -> tuple[float, float]:
        """(threshold, reset value) of the first state."""
        return threshold_and_reset(model)

    @property
    def dynamic(self) -> list[Any]:
        """Artists that change with the current or the parameters."""
        return [self.curve, self.beyond, self.stable, self.unstable, self.right, self.left,
                self.threshold, self.reset]

    def describe(self) -> str:
        """One line for the status: the current, the equilibria and the reset."""
        thr, reset = self._reset_rule()
        unit = f" {self.units[0]}" if self.units[0] else ""
        text = (f"phase line at {_fmt_current(self.I, self.model)}: "
                f"{_describe_points(self.points, self.names, self.units)}; "
                f"reset {thr:.4g} → {reset:.4g}{unit}")
        if not any(p.kind.startswith("stable") and p.state[0] < thr for p in self.points):
            text += "; no stable rest below the threshold: it fires"
        return text

    def _reset_rule(self) -> tuple[float, float]:
        return self._rule(self.model)

    def _draw(self) -> None:
        m, I = self.model, self.I
        f = m.rhs(self.v[None, :], I)[0]
        thr, reset = self._reset_rule()
        below = self.v <= thr
        self.curve.set_data(self.v[below], f[below])
        self.beyond.set_data(self.v[~below], f[~below])
        self.points = an.fixed_points(m, I, self.xlim)
        st = [p.state[0] for p in self.points if p.kind.startswith("stable")]
        un = [p.state[0] for p in self.points if not p.kind.startswith("stable")]
        self.stable.set_offsets(np.column_stack([st, np.zeros(len(st))]).reshape(-1, 2))
        self.unstable.set_offsets(np.column_stack([un, np.zeros(len(un))]).reshape(-1, 2))
        grid = np.linspace(*self.xlim, 25)[1:-1]
        fg = m.rhs(grid[None, :], I)[0]
        fg[grid > thr] = 0.0
        r, lft = grid[fg > 0], grid[fg < 0]
        self.right.set_offsets(np.column_stack([r, np.zeros(r.size)]).reshape(-1, 2))
        self.left.set_offsets(np.column_stack([lft, np.zeros(lft.size)]).reshape(-1, 2))
        self.threshold.set_data([thr, thr], list(self.ylim))
        y = self.ylim[0] + 0.8 * (self.ylim[1] - self.ylim[0])
        self.reset.xy = (reset, y)
        self.reset.set_position((thr, y))

    def update(self, model: Model, I: float, **_: Any) -> bool:
        """Redraw for a new model or current (nothing is recomputed when unchanged)."""
        if model != self.model or float(I) != self.I:
            self.model, self.I = model, float(I)
            self._draw()
        return False


def phase_panel_for(figure: Figure, spec: SubplotSpec, model: Model, I: float,
                    trace: Any) -> PhasePlanePanel | PhaseLinePanel:
    """The phase panel that fits the model: a line for 1-D models, a plane otherwise."""
    if model.n_states == 1:
        return PhaseLinePanel(figure, spec, model, I)
    return PhasePlanePanel(figure, spec, model, I, trace)


# ----------------------------------------------------------------------------- F-I
class FIPanel:
    """F-I curve (computed in the background) with a "you are here" line at the current I."""

    def __init__(self, figure: Figure, spec: SubplotSpec, model: Model, I: float,
                 currents: np.ndarray) -> None:
        self.ax = figure.add_subplot(spec)
        self.currents = currents
        self.handle = plots.plot_fi_curve(self.ax, currents, np.zeros(currents.size),
                                          I_marker=I, model=model)
        self.handle["line"].set_visible(False)  # until the curve is computed
        self.ax.set_xlim(float(currents[0]), float(currents[-1]))
        self.ax.set_ylim(0.0, 1.0)
        self.status = self.ax.text(0.5, 0.5, "computing the F-I curve…",
                                   transform=self.ax.transAxes, ha="center", va="center",
                                   fontsize=9, color="0.4")
        self.ax.set_title("F-I curve (each run from rest)", fontsize=9)
        self.rates: np.ndarray | None = None

    @property
    def dynamic(self) -> list[Any]:
        """The marker moves with the current slider."""
        return [self.handle["marker"]]

    def update(self, I: float, **_: Any) -> bool:
        """Move the "you are here" line."""
        self.handle.update(I_marker=float(I))
        return False

    def show(self, result: Any) -> None:
        """Show a finished curve (an array of rates, Hz) or the error that stopped it."""
        if isinstance(result, Exception):
            self.rates = None
            self.status.set_text(f"no F-I curve:\n{result}"[:160])
            self.handle["line"].set_visible(False)
            return
        self.rates = np.asarray(result, dtype=float)
        self.status.set_text("")
        self.handle["line"].set_visible(True)
        self.handle.update(self.currents, self.rates, rescale=False)
        top = float(np.nanmax(self.rates)) if np.any(np.isfinite(self.rates)) else 0.0
        self.ax.set_ylim(0.0, max(top * 1.08, 1.0))


# ----------------------------------------------------------------------------- diagram
class BifurcationPanel:
    """Bifurcation diagram in I (computed in the background) with a "you are here" line."""

    def __init__(self, figure: Figure, spec: SubplotSpec, model: Model, I: float) -> None:
        self.ax = figure.add_subplot(spec)
        self.model, self.I = model, float(I)
        self.ax.set_xlim(*model.current_range)
        self.ax.set_xlabel(current_label(model))
        name = model.state_names[0]
        self.ax.set_ylabel(axis_label(name, state_unit(model, name)))
        (self.marker,) = self.ax.plot([I, I], [0.0, 1.0], color="tab:red", lw=1.0, ls=":",
                                      transform=self.ax.get_xaxis_transform())
        self.status = self.ax.text(0.5, 0.5, "computing the bifurcation diagram…",
                                   transform=self.ax.transAxes, ha="center", va="center",
                                   fontsize=9, color="0.4")
        self.ax.set_title("bifurcation diagram", fontsize=9)
        self.handle: Any = None
        self.diagram: Any = None

    @property
    def dynamic(self) -> list[Any]:
        """The marker moves with the current slider."""
        return [self.marker]

    def update(self, I: float, **_: Any) -> bool:
        """Move the "you are here" line."""
        self.I = float(I)
        self.marker.set_data(*vline_data(self.I))
        return False

    def show(self, result: Any) -> None:
        """Draw a finished diagram, or say why there is none."""
        if isinstance(result, Exception):
            self.diagram = None
            self.status.set_text(f"no diagram:\n{result}"[:160])
            return
        self.diagram = result
        self.status.set_text("")
        self.handle = plots.plot_bifurcation_diagram(self.ax, result, model=self.model)
        self.handle["marker"].set_visible(False)  # ours stays (it is already dynamic)
        self.ax.set_xlim(*self.model.current_range)
