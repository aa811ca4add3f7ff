"""Izhikevich's simple model: the firing patterns of 2003 and 2004 with their stimuli.

:class:`PatternPicker` (factory :func:`izhikevich_patterns`): pick one of the twenty
firing patterns of Izhikevich (2004) (replayed with its published stimulus, initial state
and recommended integration method) or one of the cortical cell types of Izhikevich
(2003) (a step of I = 10 from rest); move a, b, c, d from the published values and
watch v(t), the stimulus, and the (v, u) phase plane with its nullclines at the current
of a chosen moment, the trajectory and the state at that moment.

Numbers come from :mod:`neurolab` (:mod:`neurolab.models.izhikevich`,
:func:`neurolab.simulate.simulate`, :mod:`neurolab.analysis` through
:func:`neurolab.plots.plot_phase_plane`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np

from .. import stimulus as S
from ..models import CORTICAL_TYPES, FIRING_PATTERNS, Izhikevich
from ..plots import plot_phase_plane, plot_trace
from ..simulate import simulate
from .core import App, controls_for, slider

__all__ = ["PatternPicker", "izhikevich_patterns", "Protocol", "PROTOCOLS",
           "CORTICAL_STEP", "pattern_label"]

#: The 2003 cortical types are shown with a step of this current (model units) from
#: t = 10 ms, as in the figure of Izhikevich (2003) that introduces them, for 200 ms.
CORTICAL_STEP = 10.0
_CORTICAL_START, _CORTICAL_DURATION, _CORTICAL_V0 = 10.0, 200.0, -65.0
#: Window of v in the phase plane (mV) and of v in the trace.
V_LIM = (-90.0, 35.0)
#: Jump of v between two samples (mV) taken as a reset, where the phase-plane
#: trajectory is broken instead of drawing the jump.
_RESET_JUMP = 25.0


@dataclass(frozen=True)
class Protocol:
    """What the picker runs for one entry of its list.

    Attributes
    ----------
    label : str
        Text of the dropdown entry.
    model : Izhikevich
        Published parameters (a, b, c, d and the equation variant).
    stimulus : neurolab.stimulus.Stimulus
    duration : float
        Length of the run (ms).
    y0 : numpy.ndarray
        Initial (v, u).
    method : str
        Integration method (see :data:`neurolab.simulate.METHODS`).
    dt : float
        Time step (ms).
    source : str
        Where the protocol comes from.
    """

    label: str
    model: Izhikevich
    stimulus: S.Stimulus
    duration: float
    y0: np.ndarray
    method: str
    dt: float
    source: str


def pattern_label(name: str) -> str:
    """Dropdown text of a 2004 pattern ("A · tonic spiking") or a 2003 type
    ("RS · regular spiking (2003)")."""
    if name in FIRING_PATTERNS:
        return f"{FIRING_PATTERNS[name].key} · {name}"
    return f"{name} · {CORTICAL_TYPES[name][0]} (2003)"


def _protocols() -> dict[str, Protocol]:
    out: dict[str, Protocol] = {}
    for name, p in FIRING_PATTERNS.items():
        out[name] = Protocol(pattern_label(name), p.model, p.stimulus, p.duration,
                             np.array(p.y0, dtype=float), p.method, p.dt,
                             f"Izhikevich (2004), Fig. 1{p.key}")
    for key in CORTICAL_TYPES:
        m = Izhikevich.preset(key)
        out[key] = Protocol(pattern_label(key), m,
                            S.step(CORTICAL_STEP, start=_CORTICAL_START),
                            _CORTICAL_DURATION, np.array([_CORTICAL_V0, m.b * _CORTICAL_V0]),
                            "rk4", Izhikevich.default_dt, "Izhikevich (2003), Fig. 2")
    return out


#: Every entry of the picker, by pattern name (2004) or cell-type key (2003).
PROTOCOLS: dict[str, Protocol] = _protocols()


def _broken(v: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(v, u) as an array of shape (k, 2) with a NaN row at each reset (no jump drawn)."""
    xy = np.column_stack([v, u])
    resets = np.flatnonzero(np.diff(v) < -_RESET_JUMP) + 1
    return np.insert(xy, resets, np.nan, axis=0)


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


class PatternPicker(App):
    """Firing patterns of Izhikevich's simple model, with their published stimuli.

    Parameters
    ----------
    pattern : str
        A name of :data:`PROTOCOLS`: one of the twenty 2004 patterns (e.g.
        ``"tonic bursting"``, or its letter ``"C"``) or a 2003 cell type (``"RS"``...).

    Attributes
    ----------
    params : dict of str to ipywidgets.FloatSlider
        a, b, c, d (a first).
    pattern : ipywidgets.Dropdown
        The protocol list.
    moment : ipywidgets.FloatSlider
        Time (ms) whose current the phase plane shows.
    protocol : Protocol
        The protocol picked.
    model : Izhikevich
        The protocol's model with the sliders' a, b, c, d.
    trace : Trace
        The latest run.
    """

    def __init__(self, pattern: str = "tonic spiking") -> None:
        name = self._resolve(pattern)
        super().__init__(figsize=(11.0, 5.0))
        self.protocol = PROTOCOLS[name]
        self.model = self.protocol.model
        self.trace: Any = None
        self.params = controls_for(self.model, ["a", "b", "c", "d"])
        self.pattern = W.Dropdown(options=[(p.label, k) for k, p in PROTOCOLS.items()],
                                  value=name, description="pattern",
                                  style={"description_width": "9em"},
                                  layout=W.Layout(width="24em"))
        self.moment = slider("phase plane at t", 0.0, 0.0, 1.0, 0.5, "ms",
                             "moment whose injected current the phase plane shows")
        self.note = W.HTML(layout=W.Layout(width="24em"))
        self.controls = [*self.params.values(), self.pattern, self.moment, self.note]

        gs = self.figure.add_gridspec(2, 2, width_ratios=[1.35, 1.0],
                                      height_ratios=[2.6, 1.0], hspace=0.08, wspace=0.22,
                                      left=0.07, right=0.98, top=0.9, bottom=0.11)
        self.ax_v = self.figure.add_subplot(gs[0, 0])
        self.ax_i = self.figure.add_subplot(gs[1, 0], sharex=self.ax_v)
        self.ax_pp = self.figure.add_subplot(gs[:, 1])
        self.ax_v.tick_params(labelbottom=False)
        tr = self._simulate()
        self.h_trace = plot_trace(self.ax_v, tr, "v", current_ax=self.ax_i)
        self.ax_v.set_xlabel("")
        self.ax_v.set_ylim(*V_LIM)
        (self.t_mark,) = self.ax_v.plot([], [], color="tab:red", lw=0.9, ls=":",
                                        transform=self.ax_v.get_xaxis_transform())
        (self.i_mark,) = self.ax_i.plot([], [], "o", color="tab:red", ms=5)
        self.h_pp = plot_phase_plane(self.ax_pp, self.model, float(self.protocol.stimulus(
            0.0)), V_LIM, (-20.0, 20.0), trajectory=_broken(tr.v, tr.u), n_field=13)
        self.h_pp["trajectory"].set_linewidth(0.9)
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
                          self.h_pp["field"], self.h_pp["x_nullcline"],
                          self.h_pp["y_nullcline"], self.h_pp["trajectory"],
                          *self.h_pp["fixed_points"].values(), self.here, self.pp_text,
                          self.sn_text)
        self._configure(name)
        self.pattern.observe(self._on_pattern, names="value")
        self.start()

    # ------------------------------------------------------------------ protocols
    @staticmethod
    def _resolve(pattern: str) -> str:
        if pattern in PROTOCOLS:
            return pattern
        for name, p in FIRING_PATTERNS.items():
            if p.key == pattern:
                return name
        valid = ", ".join(repr(k) for k in PROTOCOLS)
        raise ValueError(f"pattern must be one of {valid} (or a letter A-T); got "
                         f"{pattern!r}")

    def _configure(self, name: str) -> None:
        """Set the sliders, limits and labels for protocol ``name`` (no redraw)."""
        p = self.protocol = PROTOCOLS[name]
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
        scheme = ("the published forward-Euler update" if p.method == "izhikevich"
                  else "RK4")
        self.note.value = (f"<small>{p.source}; integrated with {scheme}, dt = {p.dt:g} ms."
                           "</small>")
        self.title.set_text(f"{p.label}  ·  {p.source}")
        self._u_lim: tuple[float, float] | None = None
        self.view.invalidate()

    def _on_pattern(self, change: Any) -> None:
        if change.new is None:
            return
        self._configure(change.new)
        self.update()

    # ------------------------------------------------------------------ redraw
    def current_model(self) -> Izhikevich:
        """The protocol's model with the sliders' a, b, c, d (ValueError if invalid)."""
        return self.protocol.model.replace(**{k: float(s.value)
                                              for k, s in self.params.items()})

    def _simulate(self) -> Any:
        p = self.protocol
        return simulate(self.model, p.duration, dt=p.dt, current=p.stimulus, y0=p.y0,
                        method=p.method)

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
        u_lim = self._u_limits(tr.u)
        before = self.h_pp._legend_kinds
        self.h_pp.update(I=I_star, model=self.model, trajectory=_broken(tr.v, tr.u),
                         ylim=u_lim if u_lim != self.h_pp.ylim else None)
        if self.h_pp._legend_kinds != before:
            self.view.invalidate()
        self.here.set_data([tr.v[k]], [tr.u[k]])
        kinds = ", ".join(f"{fp.kind} {fp.state[0]:.1f}" for fp in self.h_pp.points)
        self.pp_text.set_text(f"I = {I_star:.3g}: {kinds or 'no equilibrium'}")
        if self.model.u_leak != 0.0:  # the saddle-node needs u to relax (u' has -u)
            self.sn_text.set_text(f"rest and threshold merge at I = "
                                  f"{self.model.saddle_node_current():.2f}")
        else:
            self.sn_text.set_text("")

    def _u_limits(self, u: np.ndarray) -> tuple[float, float]:
        """Window of u: kept while the run fits it well, else refitted (background
        redrawn)."""
        finite = u[np.isfinite(u)]
        lo, hi = _padded(float(finite.min()), float(finite.max()), 0.15, 2.0)
        old = self._u_lim
        if old is not None and old[0] <= lo and hi <= old[1] and (hi - lo) > 0.4 * (
                old[1] - old[0]):
            return old
        self._u_lim = (lo, hi)
        self.view.invalidate()
        return self._u_lim


def izhikevich_patterns(pattern: str = "tonic spiking") -> PatternPicker:
    """The firing patterns of Izhikevich (2004) and cell types of Izhikevich (2003), with
    a, b, c, d sliders (see :class:`PatternPicker`).

    Parameters
    ----------
    pattern : str
        Starting entry: a 2004 pattern name or letter, or a 2003 type ("RS", ...).
    """
    return PatternPicker(pattern)
