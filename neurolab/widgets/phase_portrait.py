"""Phase portraits you can take apart: the layers of a two-dimensional model's plane, and
the linear picture behind every equilibrium (eigenvalues and the trace-determinant map).

Two apps:

- :class:`PhasePortrait` (``phase_portrait(...)``): any two-dimensional model, or a menu
  of them with their windows (:class:`Scenario`) that the notebook passes, the current
  slider first, then
  check boxes for the layers in the order one reads a portrait: vector field,
  nullclines, fixed points (marker and kind word), trajectories; and, computed in the
  background, the basins of attraction with the separatrix (stable manifold of a saddle).
- :class:`TraceDeterminantApp` (``trace_determinant_explorer(...)``): the four entries
  of a 2 x 2 Jacobian; its eigenvalues in the complex plane, its point on the
  trace-determinant map with the kinds' regions, the kind word, and the linear flow
  x' = J x with the eigen-directions drawn as pairs of opposite rays.

All numbers come from :mod:`neurolab.analysis` and :mod:`neurolab.simulate`; drawing
from :mod:`neurolab.plots`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.collections import LineCollection

from ..analysis import basins, classify, nullclines, separatrix, trajectory
from ..models.base import Model
from ..plots import (
    plot_eigenvalues,
    plot_phase_plane,
    plot_trace_determinant,
)
from ..plots._common import add_convention_note, axis_label, convention_text, pretty_unit
from ..simulate import simulate_batch
from ._models import as_menu, nice_step, pick
from .core import App, guarded, slider

__all__ = ["Scenario", "PhasePortrait", "phase_portrait",
           "TraceDeterminantApp", "trace_determinant_explorer"]


# ===================================================================================
# Scenarios: a model with a window of its plane
# ===================================================================================
@dataclass(frozen=True)
class Scenario:
    """A two-dimensional model with the window and current range worth looking at.

    Every field but the model is optional; :meth:`filled` takes what is not given from
    the model: its ``current_range``, its ``plane_window`` (or a window around its
    equilibria and nullclines), the centre of the window as the start, and a run of
    50 ms (100 time units for a dimensionless model).

    Attributes
    ----------
    model : Model
        A model with two states.
    title : str
        Name shown in the picker and over the plane (default: the menu label).
    I : float
        Starting current (model current units).
    I_range : (float, float)
        Range of the current slider.
    I_step : float
        Slider step.
    xlim, ylim : (float, float)
        Window of the plane (units of the first and second state).
    start : (float, float)
        Default starting point of the trajectory.
    duration : float
        Length of each trajectory (model time units).
    """

    model: Model
    title: str = ""
    I: float | None = None
    I_range: tuple[float, float] | None = None
    I_step: float | None = None
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    duration: float | None = None

    def filled(self, title: str = "") -> Scenario:
        """Every field set (defaults from the model); ``title`` if none was given.

        Raises
        ------
        ValueError
            If the model does not have two states.
        """
        model = self.model
        if not isinstance(model, Model) or model.n_states != 2:
            raise ValueError(f"model must be a two-dimensional neurolab model, got "
                             f"{model!r:.80}")
        I0 = 0.0 if self.I is None else float(self.I)
        lo, hi = self.I_range if self.I_range is not None else model.current_range
        lo, hi = min(float(lo), I0), max(float(hi), I0)
        step = nice_step(hi - lo, 200.0) if self.I_step is None else float(self.I_step)
        window = model.plane_window
        xlim = self.xlim or (window[0] if window else model.equilibrium_window)
        ylim = self.ylim or (window[1] if window else _nullcline_range(model, I0, xlim))
        xlim, ylim = tuple(map(float, xlim)), tuple(map(float, ylim))
        start = self.start or (0.5 * (xlim[0] + xlim[1]), 0.5 * (ylim[0] + ylim[1]))
        duration = self.duration or (100.0 if model.time_unit != "ms" else 50.0)
        return Scenario(model, self.title or title or type(model).title, I0, (lo, hi),
                        step, xlim, ylim, tuple(map(float, start)), float(duration))


def _nullcline_range(model: Model, I: float, xlim: Any) -> tuple[float, float]:
    """Range of the second state over the nullclines inside ``xlim``, padded 10 %."""
    nc = nullclines(model, I, xlim, (-1e6, 1e6))
    ys = np.concatenate([p[:, 1] for p in nc.y_nullcline + nc.x_nullcline] or [[0, 1]])
    ys = ys[np.isfinite(ys)]
    y0, y1 = float(np.min(ys)), float(np.max(ys))
    pad = 0.1 * (y1 - y0) if y1 > y0 else 1.0
    return y0 - pad, y1 + pad


#: Colours of the basins: one per stable equilibrium, then "spiking".
_BASIN_COLOURS = np.array([[0.80, 0.88, 1.00], [0.85, 0.95, 0.80], [0.95, 0.90, 1.00],
                           [1.00, 0.88, 0.75]])
_UNSETTLED = np.array([1.0, 1.0, 1.0])


def _break_resets(xy: np.ndarray, xlim: tuple[float, float]) -> np.ndarray:
    """Put a gap (NaN row) where a hybrid model's reset jumps back, so the drawn path
    does not draw the jump as part of the flow."""
    if len(xy) < 2:
        return xy
    jump = np.flatnonzero(np.diff(xy[:, 0]) < -0.5 * (xlim[1] - xlim[0]))
    if not jump.size:
        return xy
    return np.insert(xy, jump + 1, np.nan, axis=0)


# ===================================================================================
# Phase portrait app
# ===================================================================================
class PhasePortrait(App):
    """Phase portrait of a two-dimensional model, layer by layer.

    Controls, in page order: the injected current (first), the model picker, one check
    box per layer (vector field, nullclines, fixed points with their kinds, trajectory
    from the start point, trajectories from several starts, basins of attraction with
    the separatrix), and the start point of the trajectory.

    Parameters
    ----------
    scenarios : dict of str to Scenario
        The menu (every field filled, see :meth:`Scenario.filled`).
    selected : str
        Label of the scenario shown first.
    layers : dict of str to bool, optional
        Layers switched on at the start.
    basin_grid : int
        Grid points per axis of the basins.

    Attributes
    ----------
    scenario : Scenario
        The model and window shown.
    handle : neurolab.plots.PhasePlaneHandle
        Artists of the portrait.
    basin_labels : numpy.ndarray or None
        Labels of the last basin grid shown (see :func:`neurolab.analysis.basins`).
    """

    def __init__(self, scenarios: dict[str, Scenario], selected: str, *,
                 layers: dict[str, bool] | None = None, basin_grid: int = 50) -> None:
        super().__init__(figsize=(6.4, 4.6))
        self._hold += 1  # no redraws while the app builds itself
        self.basin_grid = int(basin_grid)
        self.scenarios = dict(scenarios)
        scenario = self.scenario = self.scenarios[selected]
        lo, hi = scenario.I_range
        unit = scenario.model.current_unit
        self.I = slider("I", scenario.I, lo, hi, scenario.I_step, unit,
                        "constant injected current")
        self.picker = W.Dropdown(options=list(self.scenarios), value=selected,
                                 description="model", style={"description_width": "9em"},
                                 layout=W.Layout(width="24em"))
        self.picker.layout.display = None if len(self.scenarios) > 1 else "none"
        on = {"field": True, "nullclines": True, "fixed_points": True, "trajectory": True,
              "fan": False, "basins": False}
        on.update(layers or {})
        text = {"field": "(1) vector field", "nullclines": "(2) nullclines",
                "fixed_points": "(3) fixed points and their kinds",
                "trajectory": "(4) trajectory from the start point",
                "fan": "(4) trajectories from several starts",
                "basins": "basins of attraction and separatrix"}
        self.layers = {k: W.Checkbox(value=bool(on[k]), description=text[k], indent=False)
                       for k in text}
        self.x0 = slider("start x", 0.0, 0.0, 1.0, 0.01)
        self.y0 = slider("start y", 0.0, 0.0, 1.0, 0.01)
        self.summary = W.HTML()
        self.controls = [self.I, self.picker, *self.layers.values(), self.x0, self.y0]
        self.ax = self.figure.add_axes((0.12, 0.11, 0.84, 0.8))
        self.basin_labels: np.ndarray | None = None
        self.basin_attractors: list = []
        self._basin_key: tuple | None = None
        self._built: str | None = None
        self._build(scenario)
        self._hold -= 1
        self.start(extra=[self.summary])

    # ---------------------------------------------------------------- building
    def _set_slider(self, s: W.FloatSlider, lo: float, hi: float, step: float,
                    value: float, label: str) -> None:
        # widen first so the new value is always inside the range
        s.min, s.max = min(s.min, lo), max(s.max, hi)
        s.value = value
        s.min, s.max, s.step = lo, hi, step
        s.description = label

    def _build(self, sc: Scenario) -> None:
        """(Re)draw the axes for a scenario; slider ranges follow its window."""
        self._hold += 1
        try:
            self.scenario = sc
            m = sc.model
            self._set_slider(self.I, *sc.I_range, sc.I_step, sc.I,
                             f"I ({pretty_unit(m.current_unit)})" if m.current_unit else "I")
            names = m.state_names
            xu, yu = pretty_unit(_unit(m, 0)), pretty_unit(_unit(m, 1))
            self._set_slider(self.x0, *sc.xlim, (sc.xlim[1] - sc.xlim[0]) / 200.0,
                             sc.start[0], f"start {names[0]}" + (f" ({xu})" if xu else ""))
            self._set_slider(self.y0, *sc.ylim, (sc.ylim[1] - sc.ylim[0]) / 200.0,
                             sc.start[1], f"start {names[1]}" + (f" ({yu})" if yu else ""))
            ax = self.ax
            ax.clear()
            self.view.clear_dynamic()
            self.handle = plot_phase_plane(ax, m, sc.I, sc.xlim, sc.ylim,
                                           trajectory=np.empty((0, 2)), separatrix=False)
            add_convention_note(ax, m)
            a = self.handle.artists
            self.basin_image = ax.imshow(np.ones((2, 2, 3)), extent=(*sc.xlim, *sc.ylim),
                                         origin="lower", aspect="auto", zorder=0,
                                         interpolation="nearest", visible=False)
            self.separatrix = LineCollection([], colors="tab:purple", linewidths=1.6,
                                             linestyles="--", zorder=2,
                                             label="separatrix (stable manifold)")
            ax.add_collection(self.separatrix)
            self.fan = LineCollection([], colors="0.35", linewidths=0.8, zorder=3)
            ax.add_collection(self.fan)
            (self.start_marker,) = ax.plot([], [], "x", color="k", ms=7, zorder=5)
            self.kind_texts = [ax.text(0, 0, "", fontsize=8, color="tab:red", zorder=6,
                                       clip_on=True,
                                       bbox={"fc": "white", "ec": "none", "alpha": 0.7,
                                             "pad": 1}) for _ in range(3)]
            ax.set_title(sc.title, fontsize=9, loc="right")
            ax.set_xlim(*sc.xlim)
            ax.set_ylim(*sc.ylim)
            # drawn in this order over the cached background: basins underneath
            self.view.dynamic(self.basin_image, a.get("field"), a.get("x_nullcline"),
                              a.get("y_nullcline"), self.separatrix, self.fan,
                              a.get("trajectory"), list(a.get("fixed_points", {}).values()),
                              self.start_marker, self.kind_texts)
            self._legend: Any = None
            self.view.invalidate()
            self._built = sc.title
            self._basin_key = None
        finally:
            self._hold -= 1

    # ---------------------------------------------------------------- events

    def redraw(self) -> None:
        """Recompute the layers that are switched on, at the current I."""
        if self.picker.value != self._built:
            self._build(self.scenarios[self.picker.value])
        sc, m, I = self.scenario, self.scenario.model, float(self.I.value)
        a = self.handle.artists
        on = {k: c.value for k, c in self.layers.items()}
        self.handle.update(I=I)
        legend = self.ax.get_legend()
        a["field"].set_visible(on["field"])
        a["x_nullcline"].set_visible(on["nullclines"])
        a["y_nullcline"].set_visible(on["nullclines"])
        for art in a["fixed_points"].values():
            art.set_visible(on["fixed_points"])
        if legend is not None:
            legend.set_visible(on["fixed_points"] or on["nullclines"])
        # the legend is drawn last (over the basins); the plot rebuilds it when other
        # kinds of fixed point appear, so swap the registered artist then
        if legend is not self._legend:
            if self._legend is not None and self._legend in self.view._dynamic:
                self.view._dynamic.remove(self._legend)
            self._legend = legend
            if legend is not None:
                self.view.dynamic(legend)
        self._label_points(on["fixed_points"])
        # trajectory from the start point
        start = (float(self.x0.value), float(self.y0.value))
        if on["trajectory"]:
            tr = trajectory(m, I, start, sc.duration)
            xy = np.column_stack([tr.states[m.state_names[0]], tr.states[m.state_names[1]]])
            a["trajectory"].set_data(*_break_resets(xy, sc.xlim).T)
            self.start_marker.set_data([start[0]], [start[1]])
        else:
            a["trajectory"].set_data([], [])
            self.start_marker.set_data([], [])
        self.fan.set_segments(self._fan(I) if on["fan"] else [])
        # basins and separatrix: slow, so in the background and only when (model, I) change
        self._basins(on["basins"], I)
        self.summary.value = self._summary_html(I)

    def _label_points(self, show: bool) -> None:
        pts = self.handle.points if show else []
        xr = self.scenario.xlim[1] - self.scenario.xlim[0]
        for i, text in enumerate(self.kind_texts):
            if i < len(pts):
                x, y = pts[i].state[0], pts[i].state[-1]
                yr = self.scenario.ylim[1] - self.scenario.ylim[0]
                # alternate above and below so that close points keep legible labels
                text.set_position((x + 0.02 * xr, y + (0.03 if i % 2 == 0 else -0.05) * yr))
                text.set_text(pts[i].kind)
                text.set_visible(True)
            else:
                text.set_visible(False)

    def _fan(self, I: float) -> list[np.ndarray]:
        """Trajectories from eight starts around the edge of the window (one batch)."""
        sc, m = self.scenario, self.scenario.model
        (x0, x1), (y0, y1) = sc.xlim, sc.ylim
        fx, fy = np.array([0.1, 0.5, 0.9, 0.9, 0.9, 0.5, 0.1, 0.1]), \
            np.array([0.1, 0.1, 0.1, 0.5, 0.9, 0.9, 0.9, 0.5])
        starts = np.column_stack([x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)])
        runs = simulate_batch(m, sc.duration, currents=[I] * len(starts), y0=starts)
        names = m.state_names
        return [_break_resets(np.column_stack([r.states[names[0]], r.states[names[1]]]),
                              sc.xlim) for r in runs]

    def _basins(self, show: bool, I: float) -> None:
        if not show:
            self.basin_image.set_visible(False)
            self.separatrix.set_visible(False)
            return
        key = (self.scenario.title, I)
        if key == self._basin_key:
            self.basin_image.set_visible(self.basin_labels is not None)
            self.separatrix.set_visible(True)
            return
        self._basin_key = key
        self.basin_image.set_visible(False)  # stale until the new grid arrives
        self.separatrix.set_segments([])
        sc, n = self.scenario, self.basin_grid

        def compute(progress: Any) -> tuple:
            progress(0.05)
            curves = separatrix(sc.model, I, xlim=sc.xlim, ylim=sc.ylim)
            progress(0.3)
            grid = basins(sc.model, I, sc.xlim, sc.ylim, n=n)
            return key, curves, grid

        self.job.start(compute, guarded(self.errors, self._show_basins),
                       guarded(self.errors, self._raise))

    @staticmethod
    def _raise(exc: Exception) -> None:
        raise exc

    def _show_basins(self, result: tuple) -> None:
        key, curves, (_X, _Y, labels, attractors) = result
        with self._lock:
            if key != self._basin_key:
                return
            colours = np.array([_BASIN_COLOURS[min(i, 2)] for i in range(len(attractors) - 1)]
                               + [_BASIN_COLOURS[3]]).reshape(-1, 3)
            rgb = np.where((labels >= 0)[..., None], colours[np.clip(labels, 0, None)],
                           _UNSETTLED)
            self.basin_labels, self.basin_attractors = labels, attractors
            self.basin_image.set_data(rgb)
            self.basin_image.set_visible(True)
            self.separatrix.set_segments(curves)
            self.separatrix.set_visible(True)
            self.summary.value = self._summary_html(key[1])
            self.view.refresh()

    def _summary_html(self, I: float) -> str:
        m = self.scenario.model
        unit = pretty_unit(m.current_unit)
        pts = self.handle.points
        if pts:
            items = "".join(f"<li>{fp.kind} at {_fmt_state(m, fp.state)}</li>" for fp in pts)
            body = f"<ul style='margin:0'>{items}</ul>"
        else:
            body = "<p style='margin:0'>no fixed point in the window: the model fires</p>"
        basin = ""
        if self.layers["basins"].value and self.basin_labels is not None \
                and self._basin_key == (self.scenario.title, I):
            total = self.basin_labels.size
            parts = []
            n_eq = len(self.basin_attractors) - 1
            for k, att in enumerate(self.basin_attractors):
                share = np.count_nonzero(self.basin_labels == k) / total
                name = att if isinstance(att, str) else att.kind
                rgb = _BASIN_COLOURS[3 if k == n_eq else min(k, 2)]
                swatch = "#" + "".join(f"{int(round(255 * c)):02x}" for c in rgb)
                parts.append(f"<span style='background:{swatch}'>&nbsp;&nbsp;&nbsp;</span> "
                             f"{name}: {100 * share:.0f}%")
            basin = "<p style='margin:0'>basins (share of the window): " + \
                    ", ".join(parts) + "</p>"
        return (f"<b>Fixed points at I = {I:g} {unit}</b>{body}{basin}"
                f"<p style='margin:0;font-size:85%'>{convention_text(m)}</p>")


def _unit(model: Model, i: int) -> str:
    from ..plots._common import state_unit

    return state_unit(model, model.state_names[i])


def _fmt_state(model: Model, state: np.ndarray) -> str:
    names = model.state_names
    return ", ".join(f"{n} = {v:.3g}" for n, v in zip(names, state, strict=True))


def phase_portrait(models: Any, selected: str | None = None, *, I: float | None = None,
                   xlim: tuple[float, float] | None = None,
                   ylim: tuple[float, float] | None = None,
                   layers: dict[str, bool] | None = None,
                   basin_grid: int = 50) -> PhasePortrait:
    """Phase portrait app of a two-dimensional model, or of a menu of them.

    Parameters
    ----------
    models : Model, Scenario, list or dict
        One two-dimensional model or :class:`Scenario`; a list of them; or a dict
        label -> model or Scenario (the picker lists the labels). What a scenario does
        not set comes from its model (see :meth:`Scenario.filled`).
    selected : str, optional
        Label of the entry shown first (default the first).
    I : float, optional
        Starting current (model current units); default the scenario's.
    xlim, ylim : (float, float), optional
        Window of the plane of the entry shown first (units of its two states).
    layers : dict of str to bool, optional
        Which layers start switched on; keys "field", "nullclines", "fixed_points",
        "trajectory", "fan" (several starts) and "basins".
    basin_grid : int
        Grid points per axis of the basin computation (10 to 200).

    Returns
    -------
    PhasePortrait

    Raises
    ------
    ValueError
        For an entry that is not a two-dimensional model or Scenario, an unknown label
        or layer, or a basin grid out of range.
    """
    from dataclasses import replace

    from .._validation import check_int

    basin_grid = check_int("basin_grid", basin_grid, 10, 200)
    if layers is not None:
        bad = set(layers) - {"field", "nullclines", "fixed_points", "trajectory", "fan",
                             "basins"}
        if bad:
            raise ValueError(f"layers has unknown keys {sorted(bad)}; valid: field, "
                             f"nullclines, fixed_points, trajectory, fan, basins")
    menu = as_menu("models", models, lambda m: Scenario(m), Scenario, states=2)
    selected = pick("selected", menu, selected)
    changes: dict[str, Any] = {}
    if I is not None:
        changes["I"] = float(I)
    if xlim is not None:
        changes["xlim"] = tuple(map(float, xlim))
    if ylim is not None:
        changes["ylim"] = tuple(map(float, ylim))
    scenarios = {}
    for label, sc in menu.items():
        if label == selected and changes:
            sc = replace(sc, **changes)
        try:
            scenarios[label] = replace(sc.filled(), title=label)
        except ValueError as exc:
            raise ValueError(f"models[{label!r}]: {exc}") from None
    return PhasePortrait(scenarios, selected, layers=layers, basin_grid=basin_grid)


# ===================================================================================
# Trace-determinant app
# ===================================================================================
class TraceDeterminantApp(App):
    """The linear system x' = J x for a 2 x 2 matrix J set by four sliders.

    Panels: eigenvalues in the complex plane (filled when their real part is negative),
    the point (tr J, det J) on the trace-determinant map, and the flow in the plane with
    trajectories and, for real eigenvalues, the eigen-directions: each a pair of
    opposite rays (for a saddle, one attracting pair and one repelling pair).
    """

    _BOX = 1.0
    _LIM = 4.5

    def __init__(self, a: float = -1.0, b: float = 1.0, c: float = 0.5, d: float = -1.5
                 ) -> None:
        super().__init__(figsize=(11.0, 3.7))
        self.entries = [slider(name, v, -2.0, 2.0, 0.05, "", f"Jacobian entry {name}")
                        for name, v in (("J11", a), ("J12", b), ("J21", c), ("J22", d))]
        self.kind = W.HTML()
        self.controls = list(self.entries)
        f = self.figure
        self.ax_eig = f.add_axes((0.05, 0.16, 0.24, 0.7))
        self.ax_td = f.add_axes((0.37, 0.16, 0.27, 0.7))
        self.ax_flow = f.add_axes((0.72, 0.16, 0.24, 0.7))
        self.eig = plot_eigenvalues(self.ax_eig, [0.0, 0.0], time_unit="")
        self.ax_eig.set_xlim(-self._LIM, self._LIM)  # fixed: updates do not rescale
        self.ax_eig.set_ylim(-self._LIM, self._LIM)
        self.ax_eig.set_title("eigenvalues", fontsize=9)
        self.td = plot_trace_determinant(self.ax_td, np.zeros((1, 2)), tr_lim=(-4.0, 4.0),
                                         det_lim=(-4.0, 6.0), time_unit="")
        self.ax_td.set_title("trace-determinant map", fontsize=9)
        ax = self.ax_flow
        B = self._BOX
        ax.set_xlim(-B, B)
        ax.set_ylim(-B, B)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel(axis_label("x₁", ""))
        ax.set_ylabel(axis_label("x₂", ""))
        g = np.linspace(-0.9 * B, 0.9 * B, 11)
        self._gx, self._gy = np.meshgrid(g, g)
        z = np.zeros_like(self._gx)
        self.field = ax.quiver(self._gx, self._gy, z, z, angles="xy", scale_units="xy",
                               scale=1.0, color="0.65", width=0.004)
        self.paths = LineCollection([], colors="k", linewidths=0.9)
        ax.add_collection(self.paths)
        self.rays_in = LineCollection([], colors="tab:blue", linewidths=2.2,
                                      label="attracting direction (two opposite rays)")
        self.rays_out = LineCollection([], colors="tab:red", linewidths=2.2,
                                       label="repelling direction (two opposite rays)")
        ax.add_collection(self.rays_in)
        ax.add_collection(self.rays_out)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=7, frameon=False)
        self.title = self.figure.text(0.5, 0.97, "", ha="center", va="top", fontsize=11)
        self.view.dynamic(self.eig.artists["points"], self.td.artists["points"], self.field,
                          self.paths, self.rays_in, self.rays_out, self.title)
        self.start(extra=[self.kind])

    @property
    def jacobian(self) -> np.ndarray:
        """The matrix set by the sliders (dimensionless rates)."""
        v = [float(s.value) for s in self.entries]
        return np.array([[v[0], v[1]], [v[2], v[3]]])

    def redraw(self) -> None:
        """Eigenvalues, trace-determinant point, kind and linear flow of the matrix."""
        J = self.jacobian
        kind = classify(J)
        lam = np.linalg.eigvals(J)
        self.eig.update(lam, rescale=False)  # fixed frame: the cached background stays valid
        self.td.update([J])
        tr, det = float(np.trace(J)), float(np.linalg.det(J))
        self.title.set_text(f"{kind}   (tr = {tr:.2f}, det = {det:.2f}, "
                            f"disc = tr² − 4 det = {tr * tr - 4 * det:.2f})")
        U = J[0, 0] * self._gx + J[0, 1] * self._gy
        V = J[1, 0] * self._gx + J[1, 1] * self._gy
        norm = np.hypot(U, V)
        ok = norm > 0
        L = 0.08 * self._BOX
        self.field.set_UVC(np.divide(U, norm, out=np.zeros_like(U), where=ok) * L,
                           np.divide(V, norm, out=np.zeros_like(V), where=ok) * L)
        self.paths.set_segments(_linear_paths(J, self._BOX))
        ins, outs = _eigen_rays(J, self._BOX)
        self.rays_in.set_segments(ins)
        self.rays_out.set_segments(outs)
        lam_txt = ", ".join(_fmt_complex(z) for z in lam)
        self.kind.value = (f"<b>{kind}</b><br>eigenvalues: {lam_txt}<br>"
                           f"{_KIND_NOTES.get(kind, '')}")


_KIND_NOTES = {
    "saddle": "One attracting direction and one repelling direction, each a pair of "
              "opposite rays (not two of each).",
    "stable node": "Both eigenvalues real and negative: every path slides in without "
                   "turning.",
    "unstable node": "Both eigenvalues real and positive: every path leaves without "
                     "turning.",
    "stable focus": "A complex pair with negative real part: paths spiral in.",
    "unstable focus": "A complex pair with positive real part: paths spiral out.",
    "center": "Purely imaginary pair: closed orbits in the linear system (the boundary "
              "between stable and unstable foci).",
    "degenerate": "A zero eigenvalue (det = 0): a line of equilibria.",
}


def _fmt_complex(z: complex) -> str:
    z = complex(z)
    if abs(z.imag) < 1e-12:
        return f"{z.real:.3g}"
    return f"{z.real:.3g} {'+' if z.imag > 0 else '−'} {abs(z.imag):.3g}i"


def _linear_paths(J: np.ndarray, box: float, n_starts: int = 12, steps: int = 100
                  ) -> list[np.ndarray]:
    """Paths of x' = J x through starts on a circle, forward and backward in time, by
    repeated multiplication with the exact one-step map expm(J dt). The run lasts four
    time constants of the fastest direction, so nothing grows by more than e^4; points
    far outside the box are dropped."""
    from scipy.linalg import expm

    scale = max(float(np.max(np.abs(np.linalg.eigvals(J)))), 0.05)
    dt = 4.0 / scale / steps
    ang = np.linspace(0, 2 * np.pi, n_starts, endpoint=False)
    X0 = 0.6 * box * np.vstack([np.cos(ang), np.sin(ang)])
    out = []
    for M in (expm(J * dt), expm(-J * dt)):
        pts = np.empty((steps + 1, 2, n_starts))
        pts[0] = X0
        for k in range(steps):
            pts[k + 1] = M @ pts[k]
        far = np.any(np.abs(pts) > 2.0 * box, axis=1, keepdims=True)
        pts = np.where(far, np.nan, pts)
        out += [pts[:, :, j] for j in range(n_starts)]
    return out


def _eigen_rays(J: np.ndarray, box: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """For real eigenvalues, each eigenvector as two opposite rays from the origin:
    attracting (negative eigenvalue) or repelling (positive)."""
    lam, vecs = np.linalg.eig(J)
    ins: list[np.ndarray] = []
    outs: list[np.ndarray] = []
    if np.any(np.abs(lam.imag) > 1e-12):
        return ins, outs
    for k in range(2):
        v = vecs[:, k].real
        v = v / np.linalg.norm(v) * 1.5 * box
        rays = [np.array([[0.0, 0.0], v]), np.array([[0.0, 0.0], -v])]
        if lam[k].real < 0:
            ins += rays
        elif lam[k].real > 0:
            outs += rays
    return ins, outs


def trace_determinant_explorer(J11: float = -1.0, J12: float = 1.0, J21: float = 0.5,
                               J22: float = -1.5) -> TraceDeterminantApp:
    """App of the linear system x' = J x: eigenvalues, trace-determinant map and flow.

    Parameters
    ----------
    J11, J12, J21, J22 : float
        Starting entries of the Jacobian (dimensionless rates, each in [-2, 2]).

    Returns
    -------
    TraceDeterminantApp
    """
    from .._validation import check_number

    vals = [check_number(n, v, -2.0, 2.0) for n, v in
            (("J11", J11), ("J12", J12), ("J21", J21), ("J22", J22))]
    return TraceDeterminantApp(*vals)
