"""Bifurcations by hand: the four normal forms, then the same events in real models.

Two apps for the bifurcation notebook:

- :class:`NormalFormApp` (``normal_form_explorer(...)``): pick one of the four
  bifurcations (saddle-node, saddle-node on invariant circle, supercritical and
  subcritical Andronov-Hopf) and move the parameter I. Left, the phase line, circle or
  plane at that I; middle, the closed-form bifurcation diagram of
  :func:`neurolab.analysis.normal_form_diagram` with a "you are here" marker; right,
  what makes each one special: trajectories x(t) for the saddle-node, the period
  T(I) growing without bound for the SNIC, the oscillation x(t) for the supercritical
  Hopf, and for the subcritical Hopf a sweep of I up and back down that shows
  bistability and hysteresis.
- :class:`BifurcationExplorer` (``bifurcation_explorer(...)``): the bifurcation diagram
  of a model picked from the menu the notebook passes, from
  :func:`neurolab.analysis.bifurcation_diagram`, computed once per model in the
  background; the current slider moves the marker and a voltage trace beside it.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.collections import LineCollection

from ..analysis import bifurcation_diagram, normal_form, normal_form_diagram
from ..analysis.normal_forms import hysteresis_sweep, normal_form_trajectory
from ..models.base import Model
from ..plots import plot_bifurcation_diagram, plot_normal_form, plot_trace
from ..plots._common import (
    add_convention_note,
    axis_label,
    current_label,
    pretty_unit,
    state_unit,
)
from ..simulate import simulate
from ._models import as_menu, nice_step, pick
from .core import App, guarded, slider

__all__ = ["NormalFormApp", "normal_form_explorer", "BifurcationExplorer",
           "bifurcation_explorer", "ModelSetting", "hysteresis_sweep"]

#: The four normal forms, in the order of the course.
FORMS = ("saddle-node", "saddle-node on invariant circle", "supercritical Hopf",
         "subcritical Hopf")
#: Parameter grid of the diagrams: the slider's steps fall on its points.
_I_RANGE, _N = (-1.0, 1.0), 201
_CYCLE = "tab:blue"


# ===================================================================================
# Normal-form app
# ===================================================================================
class NormalFormApp(App):
    """The four bifurcations in their simplest equations, with I as the parameter.

    Attributes
    ----------
    form : str
        The normal form shown (a key of :data:`neurolab.analysis.NORMAL_FORMS`).
    diagram : neurolab.analysis.normal_forms.NormalFormDiagram
        Its closed-form bifurcation diagram over I in [-1, 1].
    """

    def __init__(self, form: str = "saddle-node", I: float = -0.25) -> None:
        super().__init__(figsize=(11.0, 3.6))
        self._hold += 1  # no redraws while the app builds itself
        self.I = slider("I", I, *_I_RANGE, 0.01, "", "the bifurcation parameter "
                        "(plays the role of the injected current)")
        self.picker = W.Dropdown(options=list(FORMS), value=form, description="bifurcation",
                                 style={"description_width": "9em"},
                                 layout=W.Layout(width="24em"))
        self.info = W.HTML()
        self.controls = [self.I, self.picker]
        f = self.figure
        self.ax_phase = f.add_axes((0.065, 0.15, 0.235, 0.72))
        self.ax_diag = f.add_axes((0.38, 0.15, 0.27, 0.72))
        self.ax_extra = f.add_axes((0.72, 0.15, 0.26, 0.72))
        self.form = ""
        self._sweep: tuple | None = None
        self._build(form)
        self._hold -= 1
        self.start(extra=[self.info])

    # ---------------------------------------------------------------- building

    def _build(self, form: str) -> None:
        self.form = form
        self.nf = normal_form(form)
        self.diagram = normal_form_diagram(form, _I_RANGE, _N)
        self.grid = np.linspace(*_I_RANGE, _N)
        for ax in (self.ax_phase, self.ax_diag, self.ax_extra):
            ax.clear()
            ax.set_aspect("auto")
        self.view.clear_dynamic()
        self._draw_diagram()
        {"saddle-node": self._build_sn, "saddle-node on invariant circle": self._build_snic,
         "supercritical Hopf": self._build_hopf,
         "subcritical Hopf": self._build_hopf}[form]()
        self.figure.suptitle(f"{form}:  {self.nf.equations}", fontsize=10, y=0.995)
        self.view.invalidate()

    def _draw_diagram(self) -> None:
        """The closed-form diagram with its "you are here" marker
        (:func:`neurolab.plots.plot_normal_form`)."""
        self.diagram_handle = plot_normal_form(self.ax_diag, self.diagram,
                                               float(self.I.value), I_range=_I_RANGE)
        self.ax_diag.set_title("bifurcation diagram", fontsize=9)
        self.marker = self.diagram_handle.artists["marker"]
        self.here = self.diagram_handle.artists["here"]
        self.view.dynamic(self.marker, self.here)

    def _states_at(self, I: float) -> list[tuple[str, float, bool, Any]]:
        """(kind, value, stable, period) of each branch at the grid point nearest I."""
        out = []
        for br in self.diagram.branches:
            if br.I.size == 0 or I < br.I[0] - 1e-9 or I > br.I[-1] + 1e-9:
                continue
            k = int(np.argmin(np.abs(br.I - I)))
            if abs(br.I[k] - I) > 0.5 * (self.grid[1] - self.grid[0]) + 1e-12:
                continue
            period = None if br.period is None else float(br.period[k])
            out.append((br.kind, float(br.value[k]), bool(br.stable), period))
        return out

    # saddle-node: phase line and x(t)
    def _build_sn(self) -> None:
        ax = self.ax_phase
        self.x = np.linspace(-1.5, 1.5, 301)
        ax.axhline(0.0, color="0.5", lw=0.8)
        (self.curve,) = ax.plot([], [], color="tab:blue", lw=1.6, label="dx/dt = I + x²")
        self.arrows = ax.scatter([], [], marker=">", s=30, color="0.3", zorder=3)
        self.eq = ax.scatter([], [], s=50, zorder=4, edgecolors="tab:red", linewidths=1.4)
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.2, 2.5)
        ax.set_xlabel(axis_label("x", ""))
        ax.set_ylabel(axis_label("dx/dt", ""))
        ax.set_title("phase line (arrows: direction of flow)", fontsize=9)
        ax.legend(loc="upper center", fontsize=7, frameon=False)
        axe = self.ax_extra
        self.paths = LineCollection([], colors="k", linewidths=1.0)
        axe.add_collection(self.paths)
        axe.set_xlim(0, 20)
        axe.set_ylim(-1.6, 2.0)
        axe.set_xlabel(axis_label("t", ""))
        axe.set_ylabel(axis_label("x", ""))
        axe.set_title("x(t) from five starts (escapes leave the box)", fontsize=9)
        self.view.dynamic(self.curve, self.arrows, self.eq, self.paths)

    def _redraw_sn(self, I: float, states: list) -> None:
        rhs = self.nf.rhs
        self.curve.set_data(self.x, rhs(self.x, I))
        xa = np.linspace(-1.4, 1.4, 15)
        fa = rhs(xa, I)
        keep = np.abs(fa) > 1e-3
        self.arrows.set_offsets(np.column_stack([xa[keep], np.zeros(np.count_nonzero(keep))]))
        self.arrows.set_paths([_marker_path(">" if v > 0 else "<") for v in fa[keep]])
        self._eq_points(self.eq, [(v, 0.0, s) for k, v, s, _ in states if k == "equilibrium"])
        segs = []
        for x0 in (-1.5, -0.75, 0.0, 0.5, 1.0):
            t, y = normal_form_trajectory(self.form, [x0], I, 20.0, n=120, escape=1.9)
            segs.append(np.column_stack([t, y[0]]))
        self.paths.set_segments(segs)

    # SNIC: the circle and the period
    def _build_snic(self) -> None:
        ax = self.ax_phase
        th = np.linspace(0, 2 * np.pi, 200)
        ax.plot(np.cos(th), np.sin(th), color="0.6", lw=1.2)
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.5, 1.5)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel(axis_label("cos θ", ""))
        ax.set_ylabel(axis_label("sin θ", ""))
        ax.set_title("the invariant circle (arrows: flow)", fontsize=9)
        self.arrows = LineCollection([], colors="0.25", linewidths=1.4)
        ax.add_collection(self.arrows)
        self.eq = ax.scatter([], [], s=50, zorder=4, edgecolors="tab:red", linewidths=1.4)
        axe = self.ax_extra
        cyc = [b for b in self.diagram.branches if b.kind == "cycle"][0]
        axe.plot(cyc.I, cyc.period, color=_CYCLE, lw=1.6, label="T = π / √I")
        axe.set_yscale("log")
        axe.set_xlim(*_I_RANGE)
        axe.set_ylim(1.0, 1e3)
        axe.axvline(0.0, color="tab:purple", lw=0.8, ls=":")
        axe.set_xlabel(axis_label("I", ""))
        axe.set_ylabel(axis_label("period T", ""))
        axe.set_title("period of the orbit: no upper bound at I → 0⁺", fontsize=9)
        axe.legend(loc="upper right", fontsize=7, frameon=False)
        self.period_dot = axe.scatter([], [], s=40, color="tab:red", zorder=5)
        self.period_text = axe.text(0.03, 0.05, "", transform=axe.transAxes, fontsize=8)
        self.view.dynamic(self.arrows, self.eq, self.period_dot, self.period_text)

    def _redraw_snic(self, I: float, states: list) -> None:
        th = np.linspace(-np.pi, np.pi, 24, endpoint=False) + np.pi / 24
        d = self.nf.rhs(th, I)
        segs = []
        for a, v in zip(th, d, strict=True):
            if abs(v) < 1e-3:
                continue
            da = 0.12 * np.sign(v)
            p0 = np.array([np.cos(a), np.sin(a)])
            p1 = np.array([np.cos(a + da), np.sin(a + da)])
            # a small arrow head: two short strokes back from the tip
            back = p0 - p1
            rot = np.array([[np.cos(0.5), -np.sin(0.5)], [np.sin(0.5), np.cos(0.5)]])
            segs += [np.array([p0, p1]), np.array([p1, p1 + 0.6 * rot @ back]),
                     np.array([p1, p1 + 0.6 * rot.T @ back])]
        self.arrows.set_segments(segs)
        eq = [(math.cos(v), math.sin(v), s) for k, v, s, _ in states if k == "equilibrium"]
        self._eq_points(self.eq, eq)
        cyc = [p for k, _v, _s, p in states if k == "cycle"]
        if cyc and cyc[0] is not None and I > 0:
            self.period_dot.set_offsets([[I, cyc[0]]])
            self.period_text.set_text(f"I = {I:.2f}: T = {cyc[0]:.3g}")
        else:
            self.period_dot.set_offsets(np.empty((0, 2)))
            self.period_text.set_text(f"I = {I:.2f}: at rest (no orbit; T = ∞ at I = 0)")

    # Hopf: the plane, cycles, x(t) or the hysteresis sweep
    def _build_hopf(self) -> None:
        ax = self.ax_phase
        L = 1.6
        ax.set_xlim(-L, L)
        ax.set_ylim(-L, L)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel(axis_label("x", ""))
        ax.set_ylabel(axis_label("y", ""))
        ax.set_title("phase plane", fontsize=9)
        g = np.linspace(-0.9 * L, 0.9 * L, 11)
        self._gx, self._gy = np.meshgrid(g, g)
        z = np.zeros_like(self._gx)
        self.field = ax.quiver(self._gx, self._gy, z, z, angles="xy", scale_units="xy",
                               scale=1.0, color="0.7", width=0.004)
        self.cycles_s = LineCollection([], colors=_CYCLE, linewidths=2.0,
                                       label="stable cycle")
        self.cycles_u = LineCollection([], colors=_CYCLE, linewidths=1.4, linestyles="--",
                                       label="unstable cycle")
        self.paths = LineCollection([], colors="k", linewidths=0.8)
        for c in (self.cycles_s, self.cycles_u, self.paths):
            ax.add_collection(c)
        self.eq = ax.scatter([], [], s=50, zorder=4, edgecolors="tab:red", linewidths=1.4)
        ax.legend(loc="lower left", fontsize=7, frameon=False)
        self.view.dynamic(self.field, self.cycles_s, self.cycles_u, self.paths, self.eq)
        axe = self.ax_extra
        if self.form == "supercritical Hopf":
            (self.xt,) = axe.plot([], [], color="k", lw=1.0)
            axe.set_xlim(0, 60)
            axe.set_ylim(-1.3, 1.3)
            axe.set_xlabel(axis_label("t", ""))
            axe.set_ylabel(axis_label("x", ""))
            axe.set_title("x(t) from a small push (x = 0.05)", fontsize=9)
            self.view.dynamic(self.xt)
        else:
            if self._sweep is None:
                self._sweep = hysteresis_sweep()
            I_up, r_up, I_dn, r_dn = self._sweep
            for br in self.diagram.branches:
                if br.kind == "cycle":
                    axe.plot(br.I, br.value, color=_CYCLE, alpha=0.35,
                             ls="-" if br.stable else "--")
            axe.plot([_I_RANGE[0], 0], [0, 0], color="0.6", lw=1.2)
            axe.plot([0, _I_RANGE[1]], [0, 0], color="0.6", lw=1.0, ls="--")
            axe.plot(I_up, r_up, "^-", color="tab:red", ms=4, lw=0.8, label="I going up")
            axe.plot(I_dn, r_dn, "v-", color="tab:green", ms=4, lw=0.8,
                     label="I going down")
            axe.set_xlim(I_up[0] - 0.05, I_up[-1] + 0.05)
            axe.set_ylim(-0.1, 1.4)
            axe.set_xlabel(axis_label("I", ""))
            axe.set_ylabel(axis_label("amplitude r", ""))
            axe.set_title("sweep up and down: hysteresis", fontsize=9)
            axe.legend(loc="upper left", fontsize=7, frameon=False)
            (self.sweep_marker,) = axe.plot([0, 0], [0, 1], color="tab:red", ls=":",
                                            lw=1.2, transform=axe.get_xaxis_transform())
            self.view.dynamic(self.sweep_marker)

    def _redraw_hopf(self, I: float, states: list) -> None:
        rhs = self.nf.rhs
        U, V = rhs(np.stack([self._gx, self._gy]), I)
        norm = np.hypot(U, V)
        ok = norm > 0
        Lq = 0.11
        self.field.set_UVC(np.divide(U, norm, out=np.zeros_like(U), where=ok) * Lq,
                           np.divide(V, norm, out=np.zeros_like(V), where=ok) * Lq)
        th = np.linspace(0, 2 * np.pi, 120)
        circ_s, circ_u = [], []
        for kind, v, stable, _p in states:
            if kind == "cycle" and v > 1e-9:
                (circ_s if stable else circ_u).append(np.column_stack([v * np.cos(th),
                                                                       v * np.sin(th)]))
        self.cycles_s.set_segments(circ_s)
        self.cycles_u.set_segments(circ_u)
        eq = [(0.0, 0.0, s) for k, _v, s, _p in states if k == "equilibrium"][:1]
        self._eq_points(self.eq, eq)
        segs = []
        for r0 in (0.05, 1.5):
            t, x, y = self._polar_path(r0, I, 40.0, 600)
            segs.append(np.column_stack([x, y]))
        self.paths.set_segments(segs)
        if self.form == "supercritical Hopf":
            t, x, _y = self._polar_path(0.05, I, 60.0, 600)
            self.xt.set_data(t, x)
        else:
            self.sweep_marker.set_data([I, I], [0, 1])

    def _polar_path(self, r0: float, I: float, t_end: float, n: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A path of a Hopf form from (x, y) = (r0, 0), as t, x, y
        (:func:`neurolab.analysis.normal_form_trajectory`)."""
        t, y = normal_form_trajectory(self.form, [r0, 0.0], I, t_end, n=n)
        return t, y[0], y[1]

    # shared
    @staticmethod
    def _eq_points(art: Any, pts: list[tuple[float, float, bool]]) -> None:
        art.set_offsets(np.array([[x, y] for x, y, _s in pts]).reshape(-1, 2))
        art.set_facecolors(["tab:red" if s else "white" for _x, _y, s in pts])

    def redraw(self) -> None:
        """Recompute the portrait and the panels at the current I."""
        if self.picker.value != self.form:
            self._hold += 1
            try:
                self._build(self.picker.value)
            finally:
                self._hold -= 1
        I = float(self.I.value)
        states = self._states_at(I)
        self.diagram_handle.update(I_marker=I)
        {"saddle-node": self._redraw_sn, "saddle-node on invariant circle": self._redraw_snic,
         "supercritical Hopf": self._redraw_hopf,
         "subcritical Hopf": self._redraw_hopf}[self.form](I, states)
        self.info.value = self._describe(I, states)

    def _describe(self, I: float, states: list) -> str:
        eq = [s for s in states if s[0] == "equilibrium"]
        cyc = [s for s in states if s[0] == "cycle"]
        words = []
        if eq:
            words.append(", ".join(("stable" if s[2] else "unstable") + " equilibrium"
                                   for s in eq))
        else:
            words.append("no equilibrium")
        for s in cyc:
            what = "stable" if s[2] else "unstable"
            extra = f" (period {s[3]:.3g})" if s[3] is not None else ""
            words.append(f"{what} cycle{extra}")
        return f"<b>At I = {I:.2f}:</b> " + "; ".join(words)


def _marker_path(symbol: str) -> Any:
    from matplotlib.markers import MarkerStyle

    m = MarkerStyle(symbol)
    return m.get_path().transformed(m.get_transform())


def normal_form_explorer(form: str = "saddle-node", I: float = -0.25) -> NormalFormApp:
    """App of the four normal forms of the course's bifurcations.

    Parameters
    ----------
    form : str
        "saddle-node", "saddle-node on invariant circle", "supercritical Hopf" or
        "subcritical Hopf".
    I : float
        Starting parameter value (dimensionless, in [-1, 1]).

    Returns
    -------
    NormalFormApp
    """
    from .._validation import check_choice, check_number

    form = check_choice("form", form, FORMS)
    I = check_number("I", I, *_I_RANGE)
    return NormalFormApp(form, I)


# ===================================================================================
# Bifurcation diagrams of real models
# ===================================================================================
@dataclass(frozen=True)
class ModelSetting:
    """A model, the current range of its diagram and the trace shown beside it.

    Every field but the model is optional; :meth:`filled` takes the rest from the
    model (``current_range``, ``start_current``, ``start_duration``, the first range of
    ``plane_window`` or else ``equilibrium_window``).

    Attributes
    ----------
    model : Model
    title : str
        Name shown in the picker and over the diagram (default: the menu label).
    I_range : (float, float)
        Currents of the diagram (model current units).
    I : float
        Starting current.
    I_step : float
        Step of the current slider.
    duration : float
        Length of the trace (model time units).
    v_lim : (float, float)
        Range of the first state on both panels.
    """

    model: Model
    title: str = ""
    I_range: tuple[float, float] | None = None
    I: float | None = None
    I_step: float | None = None
    duration: float | None = None
    v_lim: tuple[float, float] | None = None

    def filled(self, title: str = "") -> ModelSetting:
        """Every field set (defaults from the model).

        Raises
        ------
        ValueError
            For a current range that is not (low, high), or a starting current outside
            it.
        """
        from .._validation import check_number

        m = self.model
        lo, hi = map(float, self.I_range if self.I_range is not None else m.current_range)
        if not lo < hi:
            raise ValueError(f"I_range must be (low, high) with low < high; got {(lo, hi)}")
        I = min(max(float(m.start_current), lo), hi) if self.I is None else \
            check_number("I", self.I, lo, hi)
        step = nice_step(hi - lo, 200.0) if self.I_step is None else float(self.I_step)
        duration = float(m.start_duration if self.duration is None else self.duration)
        v_lim = self.v_lim or (m.plane_window[0] if m.plane_window is not None
                               else m.equilibrium_window)
        return ModelSetting(m, self.title or title or type(m).title, (lo, hi), I, step,
                            duration, tuple(map(float, v_lim)))


_DIAGRAMS: dict[Any, Any] = {}
_DIAGRAM_LOCK = threading.Lock()


def _diagram(setting: ModelSetting, progress: Any = None) -> Any:
    """The setting's bifurcation diagram, computed once per session for each model and
    current range."""
    key = (setting.model, setting.I_range)
    with _DIAGRAM_LOCK:
        cached = _DIAGRAMS.get(key)
    if cached is not None:
        return cached
    d = bifurcation_diagram(setting.model, setting.I_range, progress=progress)
    with _DIAGRAM_LOCK:
        _DIAGRAMS[key] = d
    return d


class BifurcationExplorer(App):
    """A model's bifurcation diagram with a "you are here" marker and its voltage trace.

    The diagram is computed once per model in the background (a progress bar shows);
    moving the current only moves the marker and re-runs the short trace.
    """

    def __init__(self, settings: dict[str, ModelSetting], selected: str) -> None:
        super().__init__(figsize=(11.0, 3.6))
        self.settings = dict(settings)
        setting = self.settings[selected]
        self._hold += 1  # no redraws while the app builds itself
        self.I = slider("I", setting.I, *setting.I_range, setting.I_step,
                        setting.model.current_unit, "constant injected current")
        self.picker = W.Dropdown(options=list(self.settings), value=selected,
                                 description="model", style={"description_width": "9em"},
                                 layout=W.Layout(width="24em"))
        self.picker.layout.display = None if len(self.settings) > 1 else "none"
        self.info = W.HTML()
        self.controls = [self.I, self.picker]
        f = self.figure
        self.ax_diag = f.add_axes((0.07, 0.15, 0.4, 0.72))
        self.ax_trace = f.add_axes((0.57, 0.15, 0.41, 0.72))
        self.setting = setting
        self.diagram: Any = None
        self.handle: Any = None
        self._built = ""
        self._build(setting)
        self._hold -= 1
        self.start(extra=[self.info])

    def _build(self, s: ModelSetting) -> None:
        self._hold += 1
        try:
            self.setting, self._built = s, s.title
            sl = self.I
            sl.min, sl.max = min(sl.min, s.I_range[0]), max(sl.max, s.I_range[1])
            sl.value = s.I
            sl.min, sl.max, sl.step = *s.I_range, s.I_step
            sl.description = f"I ({pretty_unit(s.model.current_unit)})"
            self.view.clear_dynamic()
            for ax in (self.ax_diag, self.ax_trace):
                ax.clear()
            self.diagram, self.handle = None, None
            ax = self.ax_diag
            ax.set_xlim(*s.I_range)
            ax.set_ylim(*s.v_lim)
            ax.set_xlabel(current_label(s.model))
            name = s.model.state_names[0]
            ax.set_ylabel(axis_label(name, state_unit(s.model, name)))
            ax.set_title(f"{s.title}: bifurcation diagram", fontsize=9)
            self.waiting = ax.text(0.5, 0.5, "computing the diagram ...", ha="center",
                                   va="center", transform=ax.transAxes, color="0.4")
            (self.marker,) = ax.plot([s.I, s.I], [0, 1], color="tab:red", ls=":", lw=1.2,
                                     transform=ax.get_xaxis_transform())
            tr = simulate(s.model, s.duration, current=s.I)
            self.trace = plot_trace(self.ax_trace, tr)
            add_convention_note(self.ax_trace, s.model)
            self.ax_trace.set_xlim(0, s.duration)
            self.ax_trace.set_ylim(*s.v_lim)
            self.view.dynamic(self.marker, self.trace.artists["line"],
                              self.trace.artists.get("spikes"))
            self.view.invalidate()
            self.job.start(lambda progress: (s.title, _diagram(s, progress)),
                           guarded(self.errors, self._show_diagram),
                           guarded(self.errors, self._raise))
        finally:
            self._hold -= 1

    @staticmethod
    def _raise(exc: Exception) -> None:
        raise exc

    def _show_diagram(self, result: tuple) -> None:
        title, diagram = result
        with self._lock:
            if title != self._built:
                return
            s = self.setting
            self.waiting.set_visible(False)
            self.diagram = diagram
            self.handle = plot_bifurcation_diagram(self.ax_diag, diagram, float(self.I.value),
                                                   model=s.model)
            self.ax_diag.set_xlim(*s.I_range)
            self.ax_diag.set_ylim(*s.v_lim)
            self.ax_diag.set_title(f"{s.title}: bifurcation diagram", fontsize=9)
            self.marker.set_visible(False)
            self.view.dynamic(self.handle.artists["marker"])
            self.view.invalidate()
            self.info.value = self._describe(float(self.I.value))
            self.view.refresh()

    def redraw(self) -> None:
        """Move the marker and re-run the trace at the current I."""
        if self.picker.value != self._built:
            self._build(self.settings[self.picker.value])
        s, I = self.setting, float(self.I.value)
        if self.handle is not None:
            self.handle.update(I_marker=I)
        else:
            self.marker.set_data([I, I], [0, 1])
        tr = simulate(s.model, s.duration, current=I)
        self.trace.update(tr, rescale=False)
        self.info.value = self._describe(I, tr)

    def _describe(self, I: float, trace: Any = None) -> str:
        unit = pretty_unit(self.setting.model.current_unit)
        parts = []
        if self.diagram is not None:
            for b in self.diagram.bifurcations:
                crit = f" ({b.criticality})" if b.criticality else ""
                parts.append(f"{b.kind}{crit} at I = {b.I:.2f} {unit}")
        else:
            parts.append("diagram: computing ...")
        text = "<b>Bifurcations:</b> " + "; ".join(parts)
        if trace is not None:
            n = len(trace.spike_times)
            text += (f"<br><b>At I = {I:g} {unit}:</b> {n} spike(s) in {trace.t[-1]:g} "
                     f"{self.setting.model.time_unit}")
        return text


def bifurcation_explorer(models: Any, selected: str | None = None,
                         I: float | None = None) -> BifurcationExplorer:
    """App of a model's bifurcation diagram with a current marker and a trace.

    Parameters
    ----------
    models : Model, ModelSetting, list or dict
        One model or :class:`ModelSetting`, a list of them, or a dict label -> model or
        ModelSetting (current range, starting current, trace length, voltage window).
    selected : str, optional
        Label of the entry shown first (default the first).
    I : float, optional
        Starting current (model current units), inside that entry's range.

    Returns
    -------
    BifurcationExplorer

    Raises
    ------
    ValueError
        For an entry that is not a model or ModelSetting, an unknown label, or a
        current outside the range.
    """
    from dataclasses import replace

    menu = as_menu("models", models, lambda m: ModelSetting(m), ModelSetting)
    selected = pick("selected", menu, selected)
    settings = {}
    for label, s in menu.items():
        if label == selected and I is not None:
            s = replace(s, I=I)
        try:
            settings[label] = replace(s.filled(), title=label)
        except ValueError as exc:
            raise ValueError(f"models[{label!r}]: {exc}") from None
    return BifurcationExplorer(settings, selected)
