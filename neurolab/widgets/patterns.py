"""A gallery of firing patterns: a model's presets replayed with their own stimuli.

:class:`PatternGallery` (factory :func:`pattern_gallery`) takes a model class whose
presets carry a stimulus (``Model.preset_info(name).stimulus``, e.g. a published
figure's protocol: current, duration, initial state, integration method and step). Pick
one, move the parameters from the published values and watch the first state against
time, the stimulus, and the phase plane (the two states, or the plane of the model's
reduction for a larger model; the phase line for a one-state model) with its nullclines
at the current of a chosen moment, the trajectory and the state at that moment.

Presets without a stimulus are listed after them and run with a step of the model's
``start_current`` at :data:`STEP_ONSET` from rest, for ``start_duration``. Nothing here
knows a model: every protocol comes from the presets, every number from
:func:`neurolab.simulate.simulate` and :mod:`neurolab.analysis` (through
:func:`neurolab.plots.plot_phase_plane`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np

from .. import stimulus as S
from ..models.base import Model
from ..plots import plot_phase_plane, plot_trace
from ..simulate import simulate
from ._explorer_views import PhaseLinePanel, grow_limits
from ._models import as_model, names_in
from .core import App, controls_for, slider

__all__ = ["PatternGallery", "pattern_gallery", "izhikevich_patterns", "Protocol",
           "protocols", "STEP_ONSET"]

#: Onset (model time units) of the step that shows a preset without its own stimulus.
STEP_ONSET = 10.0
#: How the note names an integration method (others by their name).
_METHOD_TEXT = {"rk4": "RK4", "rk2": "RK2", "euler": "forward Euler"}


@dataclass(frozen=True)
class Protocol:
    """What the gallery runs for one entry of its list.

    Attributes
    ----------
    label : str
        Text of the dropdown entry (the preset's label).
    model : Model
        The preset's parameters.
    stimulus : neurolab.stimulus.Stimulus
    duration : float
        Length of the run (model time units).
    y0 : numpy.ndarray
        Initial state.
    method : str
        Integration method (see :data:`neurolab.simulate.METHODS`).
    dt : float
        Time step.
    source : str
        Where the protocol comes from (the preset's note, or how the step was made).
    """

    label: str
    model: Model
    stimulus: S.Stimulus
    duration: float
    y0: np.ndarray
    method: str
    dt: float
    source: str


def protocols(model: Any) -> dict[str, Protocol]:
    """Every entry of the gallery of a model class, by preset name: first the presets
    that carry a stimulus (in the class's order), then the others (a step of
    ``start_current`` at :data:`STEP_ONSET` from rest, for ``start_duration``).

    Parameters
    ----------
    model : model class or Model
        The class (an instance stands for its class).

    Raises
    ------
    ValueError
        If ``model`` is not a model, or none of its presets carries a stimulus.
    """
    cls = type(as_model("model", model))
    own: dict[str, Protocol] = {}
    stepped: dict[str, Protocol] = {}
    for name in cls.presets:
        info = cls.preset_info(name)
        m = cls.preset(name)
        y0 = np.array(info.y0, dtype=float) if info.y0 is not None else \
            np.asarray(m.initial_state(0.0), dtype=float)
        method = info.method or m.default_method
        dt = float(info.dt if info.dt is not None else m.default_dt)
        if info.stimulus is not None:
            duration = float(info.duration if info.duration is not None
                             else cls.start_duration)
            own[name] = Protocol(info.label or name, m, info.stimulus, duration, y0,
                                 method, dt, info.note or "the preset's own stimulus")
        else:
            I = float(cls.start_current)
            unit = f" {cls.current_unit}" if cls.current_unit else ""
            stepped[name] = Protocol(
                info.label or name, m, S.step(I, start=STEP_ONSET),
                float(info.duration or cls.start_duration), y0, method, dt,
                f"a step of I = {I:g}{unit} at t = {STEP_ONSET:g} {cls.time_unit} from "
                "rest".replace("  ", " "))
    if not own:
        raise ValueError(f"model must be a model class whose presets carry a stimulus "
                         f"(Preset(..., stimulus=...)); {cls.__name__} has presets "
                         f"{', '.join(map(repr, cls.presets)) or 'none'} without one")
    return {**own, **stepped}


def _moment(stim: S.Stimulus, duration: float) -> float:
    """A telling moment to show first: when the stimulus is farthest from its start."""
    t = np.linspace(0.0, duration, 2001)
    i = stim(t)
    return float(t[int(np.argmax(np.abs(i - i[0])))])


def _padded(lo: float, hi: float, frac: float = 0.08, least: float = 1.0
            ) -> tuple[float, float]:
    span = max(hi - lo, least)
    mid = 0.5 * (lo + hi)
    return mid - 0.5 * span * (1 + 2 * frac), mid + 0.5 * span * (1 + 2 * frac)


class PatternGallery(App):
    """Firing patterns of a model class, replayed with its presets' stimuli.

    Parameters
    ----------
    model : model class or Model
        A class whose presets carry a stimulus (an instance stands for its class).
    pattern : str, optional
        Preset name (or its label) shown first; default the first with a stimulus.
    params : sequence of str, optional
        Parameters with a slider; default every parameter a listed preset sets.

    Attributes
    ----------
    protocols : dict of str to Protocol
        The entries (see :func:`protocols`).
    params : dict of str to ipywidgets.FloatSlider
        The parameter sliders (the first control is the first of them).
    pattern : ipywidgets.Dropdown
        The protocol list.
    moment : ipywidgets.FloatSlider
        Time whose current the phase plane shows.
    protocol : Protocol
        The protocol picked.
    model : Model
        The protocol's model with the sliders' values.
    trace : Trace
        The latest run.
    """

    def __init__(self, model: Any, pattern: str | None = None,
                 params: Sequence[str] | None = None) -> None:
        self.protocols = protocols(model)
        cls = type(next(iter(self.protocols.values())).model)
        name = self._resolve(pattern)
        info = cls.parameter_info()
        if params is None:
            used = {k for p in cls.presets for k in cls.presets[p]}
            params = [k for k in info if k in used] or list(info)
        params = names_in("params", list(info), params, f"parameters of {cls.__name__}")
        super().__init__(figsize=(11.0, 5.0))
        self.protocol = self.protocols[name]
        self.model = self.protocol.model
        self.trace: Any = None
        self.params = controls_for(self.model, params)
        self.pattern = W.Dropdown(options=[(p.label, k) for k, p in self.protocols.items()],
                                  value=name, description="pattern",
                                  style={"description_width": "9em"},
                                  layout=W.Layout(width="24em"))
        self.moment = slider("phase plane at t", 0.0, 0.0, 1.0, 0.5, cls.time_unit,
                             "moment whose injected current the phase plane shows")
        self.note = W.HTML(layout=W.Layout(width="24em"))
        self.controls = [*self.params.values(), self.pattern, self.moment, self.note]

        m = self.model
        self.reduced = m.plane if m.n_states > 2 else None
        if m.n_states > 2 and self.reduced is None:
            raise ValueError(f"model must have one or two states, or name the reduction "
                             f"its phase plane shows (plane=...); {cls.__name__} has "
                             f"{m.n_states} states and no plane")
        system = m.reduce(self.reduced) if self.reduced else m
        self.names = tuple(system.state_names[:2])
        window = m.plane_window
        self.v_base = tuple(window[0]) if window else tuple(m.equilibrium_window)
        self.v_lim = self.v_base

        gs = self.figure.add_gridspec(2, 2, width_ratios=[1.35, 1.0],
                                      height_ratios=[2.6, 1.0], hspace=0.08, wspace=0.22,
                                      left=0.07, right=0.98, top=0.9, bottom=0.11)
        self.ax_v = self.figure.add_subplot(gs[0, 0])
        self.ax_i = self.figure.add_subplot(gs[1, 0], sharex=self.ax_v)
        self.ax_v.tick_params(labelbottom=False)
        tr = self._simulate()
        self.h_trace = plot_trace(self.ax_v, tr, m.state_names[0], current_ax=self.ax_i)
        self.ax_v.set_xlabel("")
        self.ax_v.set_ylim(*self.v_lim)
        (self.t_mark,) = self.ax_v.plot([], [], color="tab:red", lw=0.9, ls=":",
                                        transform=self.ax_v.get_xaxis_transform())
        (self.i_mark,) = self.ax_i.plot([], [], "o", color="tab:red", ms=5)
        I0 = float(self.protocol.stimulus(0.0))
        self.h_pp: Any = None
        self.line: PhaseLinePanel | None = None
        if m.n_states == 1:
            self.line = PhaseLinePanel(self.figure, gs[:, 1], m, I0)
            self.ax_pp = self.line.ax
            pp_artists = self.line.dynamic
        else:
            self.ax_pp = self.figure.add_subplot(gs[:, 1])
            y_lim = window[1] if window and not self.reduced else (-1.0, 1.0)
            self.h_pp = plot_phase_plane(self.ax_pp, m, I0, self.v_lim, tuple(y_lim),
                                         trajectory=self._plane_xy(tr), n_field=13,
                                         reduced=self.reduced)
            self.h_pp["trajectory"].set_linewidth(0.9)
            pp_artists = [self.h_pp["field"], self.h_pp["x_nullcline"],
                          self.h_pp["y_nullcline"], self.h_pp["trajectory"],
                          *self.h_pp["fixed_points"].values()]
        (self.here,) = self.ax_pp.plot([], [], "o", color="tab:red", ms=7, zorder=6,
                                       label="state at t")
        self.pp_text = self.ax_pp.text(0.02, 0.02, "", transform=self.ax_pp.transAxes,
                                       fontsize=8, va="bottom",
                                       bbox=dict(facecolor="white", edgecolor="0.8",
                                                 pad=2.0))
        self.title = self.figure.text(0.07, 0.955, "", fontsize=10, va="center")
        self.sn_text = self.figure.text(0.98, 0.955, "", fontsize=9, va="center",
                                        ha="right", color="0.3")
        self.view.dynamic(self.h_trace["line"], self.h_trace["spikes"],
                          self.h_trace["current"]["line"], self.t_mark, self.i_mark,
                          *pp_artists, self.here, self.pp_text, self.sn_text)
        self._configure(name)
        self.pattern.observe(self._on_pattern, names="value")
        self.start()

    # ------------------------------------------------------------------ protocols
    def _resolve(self, pattern: str | None) -> str:
        if pattern is None:
            return next(iter(self.protocols))
        if pattern in self.protocols:
            return pattern
        for name, p in self.protocols.items():
            if p.label == pattern:
                return name
        valid = ", ".join(repr(k) for k in self.protocols)
        raise ValueError(f"pattern must be one of {valid} (or a preset's label); got "
                         f"{pattern!r}")

    def _configure(self, name: str) -> None:
        """Set the sliders, limits and labels for protocol ``name`` (no redraw)."""
        p = self.protocol = self.protocols[name]
        with self._holding():
            for key, s in self.params.items():
                value = float(getattr(p.model, key))
                s.min, s.max = min(s.min, value), max(s.max, value)
                s.value = value
            self.moment.max = max(p.duration, self.moment.min)
            self.moment.value = _moment(p.stimulus, p.duration)
        t = np.linspace(0.0, p.duration, 2001)
        i = p.stimulus(t)
        self.ax_v.set_xlim(0.0, p.duration)
        self.ax_i.set_ylim(*_padded(float(i.min()), float(i.max()), 0.12, 0.5))
        self.v_lim = self.v_base
        self.ax_v.set_ylim(*self.v_lim)
        scheme = _METHOD_TEXT.get(p.method, f"the {p.method!r} scheme")
        unit = p.model.time_unit
        self.note.value = (f"<small>{p.source}; integrated with {scheme}, "
                           f"dt = {p.dt:g} {unit}.</small>")
        self.title.set_text(f"{p.label}  ·  {p.source}")
        self._y_lim: tuple[float, float] | None = None
        self.view.invalidate()

    def _on_pattern(self, change: Any) -> None:
        if change.new is None:
            return
        self._configure(change.new)
        self.update()

    # ------------------------------------------------------------------ redraw
    def current_model(self) -> Model:
        """The protocol's model with the sliders' values (ValueError if invalid)."""
        return self.protocol.model.replace(**{k: float(s.value)
                                              for k, s in self.params.items()})

    def _simulate(self) -> Any:
        p = self.protocol
        return simulate(self.model, p.duration, dt=p.dt, current=p.stimulus, y0=p.y0,
                        method=p.method)

    def _plane_xy(self, tr: Any) -> np.ndarray:
        """The run in the plane, with a gap (NaN row) at each reset of a hybrid model
        (a drop of the first state by more than a fifth of the window)."""
        xy = np.column_stack([tr.states[self.names[0]], tr.states[self.names[1]]])
        if self.model.hybrid and len(xy) > 1:
            jump = 0.2 * (self.v_lim[1] - self.v_lim[0])
            resets = np.flatnonzero(np.diff(xy[:, 0]) < -jump) + 1
            xy = np.insert(xy, resets, np.nan, axis=0)
        return xy

    def redraw(self) -> None:
        """Re-run the protocol with the sliders' parameters and update every panel."""
        self.model = self.current_model()
        tr = self.trace = self._simulate()
        t_star = float(self.moment.value)
        k = int(np.clip(np.searchsorted(tr.t, t_star), 0, tr.t.size - 1))
        I_star = float(self.protocol.stimulus(tr.t[k]))
        self.h_trace.update(tr, rescale=False)
        self.t_mark.set_data([t_star, t_star], [0.0, 1.0])
        self.i_mark.set_data([tr.t[k]], [I_star])
        v_lim = grow_limits(self.v_lim, tr.states[self.names[0]], 0.05)
        if v_lim != self.v_lim:
            self.v_lim = v_lim
            self.ax_v.set_ylim(*v_lim)
            self.view.invalidate()
        if self.line is not None:
            self.line.update(self.model, I_star)
            points = self.line.points
            self.here.set_data([tr.y[0, k]], [0.0])
        else:
            y_lim = self._y_limits(tr.states[self.names[1]])
            before = self.h_pp._legend_kinds
            self.h_pp.update(I=I_star, model=self.model, trajectory=self._plane_xy(tr),
                             xlim=v_lim if v_lim != self.h_pp.xlim else None,
                             ylim=y_lim if y_lim != self.h_pp.ylim else None)
            if self.h_pp._legend_kinds != before:
                self.view.invalidate()
            points = self.h_pp.points
            self.here.set_data([tr.states[self.names[0]][k]],
                               [tr.states[self.names[1]][k]])
        kinds = ", ".join(f"{fp.kind} {fp.state[0]:.1f}" for fp in points)
        self.pp_text.set_text(f"I = {I_star:.3g}: {kinds or 'no equilibrium'}")
        self.sn_text.set_text(self._saddle_node_text())

    def _saddle_node_text(self) -> str:
        """The model's closed-form saddle-node current, if it has one here."""
        closed_form = getattr(self.model, "saddle_node_current", None)
        if not callable(closed_form):
            return ""
        try:
            return f"rest and threshold merge at I = {float(closed_form()):.2f}"
        except ValueError:  # no saddle-node for these parameters
            return ""

    def _y_limits(self, y: np.ndarray) -> tuple[float, float]:
        """Window of the plane's second state: kept while the run fits it well, else
        refitted (background redrawn)."""
        finite = y[np.isfinite(y)]
        lo, hi = _padded(float(finite.min()), float(finite.max()), 0.15,
                         2.0 if self.model.state_units.get(self.names[1]) else 0.05)
        old = self._y_lim
        if old is not None and old[0] <= lo and hi <= old[1] and (hi - lo) > 0.4 * (
                old[1] - old[0]):
            return old
        self._y_lim = (lo, hi)
        self.view.invalidate()
        return self._y_lim


def pattern_gallery(model: Any, pattern: str | None = None, *,
                    params: Sequence[str] | None = None) -> PatternGallery:
    """The firing patterns of a model class, replayed with its presets' stimuli, with
    parameter sliders (see :class:`PatternGallery`).

    Parameters
    ----------
    model : model class or Model
        A class whose presets carry a stimulus.
    pattern : str, optional
        Preset name or label shown first (default the first with a stimulus).
    params : sequence of str, optional
        Parameters with a slider (default those the presets set).

    Returns
    -------
    PatternGallery

    Raises
    ------
    ValueError
        If ``model`` is not a model whose presets carry a stimulus, or for an unknown
        pattern or parameter.
    """
    return PatternGallery(model, pattern, params)


#: The gallery under the name the course used first.
izhikevich_patterns = pattern_gallery
