"""Integrators and resonators: pulse trains at a chosen interval, and the impedance.

- :class:`PulseIntervalExplorer` (factory :func:`pulse_interval_explorer`): an
  integrator and a resonator (each picked from a menu the notebook passes) side by
  side receive the same train of three brief pulses; sliders set the interval between
  the pulses and their size (as a fraction of each neuron's own single-pulse
  threshold). Below the traces, the threshold of the train against the interval
  (:func:`neurolab.analysis.three_pulse_experiment`, computed once per model in the
  background) with the current setting marked: above a curve that neuron fires.
- :class:`ImpedanceExplorer` (factory :func:`impedance_explorer`): for a model picked
  from the notebook's menu, ``|Z|`` against frequency at the holding current
  (:func:`neurolab.analysis.impedance`, :func:`neurolab.analysis.resonant_frequency`)
  and the response to a chirp current drawn against the chirp's instantaneous
  frequency, with the envelope the impedance predicts.

No science lives here: every number comes from :mod:`neurolab`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import numpy as np

from ..analysis import (
    impedance,
    integrator_or_resonator,
    pulse_pair_response,
    resonant_frequency,
    three_pulse_experiment,
)
from ..models.base import Model
from ..plots._common import pretty_unit, state_unit, time_label
from ..simulate import simulate
from ..stimulus import chirp
from ._models import as_menu, pick
from .core import App, slider

__all__ = ["PulseIntervalExplorer", "pulse_interval_explorer", "ImpedanceExplorer",
           "impedance_explorer", "ImpedanceChoice"]

#: Pulse duration (ms), pulses per train, intervals scanned (ms), first pulse onset (ms)
#: and time recorded after the last pulse (ms).
PULSE_WIDTH = 1.0
N_PULSES = 3
INTERVALS = np.arange(2.0, 50.5, 1.0)
ONSET = 5.0
TAIL = 40.0
_T_END = ONSET + (N_PULSES - 1) * float(INTERVALS[-1]) + PULSE_WIDTH + TAIL


def _v_label(model: Model) -> str:
    name = model.state_names[0]
    unit = pretty_unit(state_unit(model, name))
    return f"{name} ({unit or 'dimensionless'})"


class PulseIntervalExplorer(App):
    """Three small pulses at a chosen interval into an integrator and a resonator.

    Parameters
    ----------
    integrators, resonators : Model, list or dict
        The two menus (one model, a list, or a dict label -> model).
    interval : float
        Initial onset-to-onset interval between pulses (ms).
    amplitude : float
        Initial pulse size, as a fraction of each neuron's single-pulse threshold.
    integrator, resonator : str, optional
        Labels of the models shown first (default the first of each menu).

    Attributes
    ----------
    interval, amplitude : ipywidgets.FloatSlider
        The controls (interval first).
    results : dict
        ``"integrator"`` and ``"resonator"`` -> :class:`ThreePulseResult` (None while
        computing).
    responses : dict
        The latest :class:`PulseResponse` of each neuron.
    """

    def __init__(self, integrators: Any, resonators: Any, interval: float = 8.0,
                 amplitude: float = 0.93, *, integrator: str | None = None,
                 resonator: str | None = None) -> None:
        self.menus = {"integrator": as_menu("integrators", integrators),
                      "resonator": as_menu("resonators", resonators)}
        integrator = pick("integrator", self.menus["integrator"], integrator)
        resonator = pick("resonator", self.menus["resonator"], resonator)
        super().__init__(figsize=(10.0, 6.2))
        self.interval = slider("interval", interval, float(INTERVALS[0]),
                               float(INTERVALS[-1]), 0.5, "ms",
                               "onset-to-onset time between the pulses")
        self.amplitude = slider("pulse size", amplitude, 0.3, 1.3, 0.01,
                                "× threshold", "each neuron's pulses, as a fraction of "
                                "the amplitude at which one pulse alone fires it")
        self.pick = {
            k: W.Dropdown(options=list(self.menus[k]), value=v, description=k,
                          layout=W.Layout(width="24em"))
            for k, v in (("integrator", integrator), ("resonator", resonator))}
        self.controls = [self.interval, self.amplitude, *self.pick.values()]
        self.models = {k: self.menus[k][w.value] for k, w in self.pick.items()}
        self.results: dict[str, Any] = {"integrator": None, "resonator": None}
        self.responses: dict[str, Any] = {"integrator": None, "resonator": None}

        gs = self.figure.add_gridspec(2, 2, height_ratios=[1.0, 1.0], hspace=0.42,
                                      wspace=0.25, left=0.08, right=0.98, top=0.93,
                                      bottom=0.09)
        self.ax = {"integrator": self.figure.add_subplot(gs[0, 0]),
                   "resonator": self.figure.add_subplot(gs[0, 1])}
        self.ax_thr = self.figure.add_subplot(gs[1, :])
        self.lines, self.labels, self.thr_lines = {}, {}, {}
        colors = {"integrator": "tab:blue", "resonator": "tab:orange"}
        for k, ax in self.ax.items():
            (self.lines[k],) = ax.plot([], [], color=colors[k], lw=1.2)
            self.labels[k] = ax.text(0.98, 0.95, "", transform=ax.transAxes, ha="right",
                                     va="top", fontsize=10, fontweight="bold")
            ax.set_xlim(0.0, _T_END)
            ax.set_xlabel(time_label(self.models[k]))
        for k in self.ax:
            (self.thr_lines[k],) = self.ax_thr.plot([], [], "o-", ms=3, lw=1.2,
                                                    color=colors[k], label=k)
        (self.iv_marker,) = self.ax_thr.plot([], [], color="tab:red", lw=1.0, ls=":",
                                             transform=self.ax_thr.get_xaxis_transform())
        (self.amp_marker,) = self.ax_thr.plot([], [], color="tab:red", lw=1.0, ls=":",
                                              transform=self.ax_thr.get_yaxis_transform())
        self.here = self.ax_thr.scatter([], [], s=60, marker="x", color="tab:red",
                                        zorder=5, label="your pulses")
        self.ax_thr.axhline(1.0, color="0.6", lw=0.8)
        self.ax_thr.set_xlim(0.0, float(INTERVALS[-1]) + 1.0)
        self.ax_thr.set_ylim(0.3, 1.3)
        self.ax_thr.set_xlabel("interval between pulses (ms)")
        self.ax_thr.set_ylabel("train threshold\n(× single-pulse threshold)")
        self.ax_thr.legend(loc="lower right", fontsize=8, frameon=False)
        self.status = self.ax_thr.text(0.5, 0.5, "", transform=self.ax_thr.transAxes,
                                       ha="center", va="center", color="0.4")
        self._set_titles()
        self.view.dynamic(*self.lines.values(), *self.labels.values(), self.iv_marker,
                          self.amp_marker, self.here)
        for w in self.pick.values():
            w.observe(self._on_model, names="value")
        self.start()
        self._start_job()

    # ------------------------------------------------------------------ models
    def _set_titles(self) -> None:
        for k, ax in self.ax.items():
            m = self.models[k]
            ax.set_title(f"{k}: {self.pick[k].value}", fontsize=10)
            ax.set_ylabel(_v_label(m))

    def _on_model(self, change: dict) -> None:
        with self._lock:
            for k, w in self.pick.items():
                if w is change["owner"]:
                    self.models[k] = self.menus[k][w.value]
                    self.results[k] = None
                    self.thr_lines[k].set_data([], [])
            self._set_titles()
            self.view.invalidate()
        self._start_job()
        self.update()

    def _start_job(self) -> None:
        models = dict(self.models)
        todo = [k for k in ("integrator", "resonator") if self.results[k] is None]
        self.status.set_text("computing the thresholds ...")

        def compute(progress: Callable[[float], None]) -> dict[str, Any]:
            out = {}
            for i, k in enumerate(todo):
                out[k] = three_pulse_experiment(models[k], INTERVALS, width=PULSE_WIDTH,
                                                n_pulses=N_PULSES, onset=ONSET,
                                                rel_tol=0.01)
                progress((i + 1) / len(todo))
            return out

        def done(out: dict[str, Any]) -> None:
            with self._lock:
                for k, r in out.items():
                    if models[k] is not self.models[k]:
                        continue
                    self.results[k] = r
                    rel = r.threshold / r.single_threshold
                    self.thr_lines[k].set_data(r.intervals, np.where(np.isfinite(rel),
                                                                     rel, np.nan))
                    self.ax[k].set_ylim(*self._v_limits(k))
                self.status.set_text("")
                self.view.invalidate()
            self._guarded_refresh()

        def failed(exc: Exception) -> None:
            self.errors.show(str(exc))
            self.status.set_text("")

        self.job.start(compute, done, failed)

    def _v_limits(self, k: str) -> tuple[float, float]:
        """Voltage range of a firing and a resting run of this neuron (fixed limits)."""
        r = self.results[k]
        p = pulse_pair_response(self.models[k], [float(INTERVALS[0])],
                                1.3 * r.single_threshold, PULSE_WIDTH,
                                n_pulses=N_PULSES, onset=ONSET, tail=TAIL)
        a, b = float(p.V.min()), float(p.V.max())
        pad = 0.08 * (b - a)
        return a - pad, b + pad

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background threshold scan has finished."""
        self.job.wait(timeout)

    def _guarded_refresh(self) -> None:
        from .core import guarded

        guarded(self.errors, self._redraw_and_refresh)()

    # ------------------------------------------------------------------ redraw

    def redraw(self) -> None:
        """Re-run both neurons at the sliders' interval and pulse size."""
        d, a = float(self.interval.value), float(self.amplitude.value)
        self.iv_marker.set_data([d, d], [0.0, 1.0])
        self.amp_marker.set_data([0.0, 1.0], [a, a])
        self.here.set_offsets([[d, a]])
        for k in self.ax:
            r = self.results[k]
            if r is None:
                self.lines[k].set_data([], [])
                self.labels[k].set_text("computing ...")
                self.labels[k].set_color("0.4")
                continue
            p = pulse_pair_response(self.models[k], [d], a * r.single_threshold,
                                    PULSE_WIDTH, n_pulses=N_PULSES, onset=ONSET, tail=TAIL)
            self.responses[k] = p
            self.lines[k].set_data(p.t, p.V[0])
            fired = bool(p.spiked[0])
            self.labels[k].set_text("spiked" if fired else "no spike")
            self.labels[k].set_color("tab:red" if fired else "0.3")


def pulse_interval_explorer(integrators: Any, resonators: Any, interval: float = 8.0,
                            amplitude: float = 0.93, *, integrator: str | None = None,
                            resonator: str | None = None) -> PulseIntervalExplorer:
    """Three brief pulses into an integrator and a resonator, with interval and size
    sliders.

    Parameters
    ----------
    integrators, resonators : Model, list or dict
        The models offered on each side: one model, a list of models (labelled by
        their titles) or a dict label -> model.
    interval : float
        Onset-to-onset interval between the pulses (ms, 2 to 50).
    amplitude : float
        Pulse size as a fraction of each neuron's single-pulse threshold.
    integrator, resonator : str, optional
        Labels of the models shown first (default the first of each menu).

    Returns
    -------
    PulseIntervalExplorer

    Raises
    ------
    ValueError
        For a menu entry that is not a model, or an unknown label.
    """
    return PulseIntervalExplorer(integrators, resonators, interval, amplitude,
                                 integrator=integrator, resonator=resonator)


# ============================================================================ impedance
@dataclass(frozen=True)
class ImpedanceChoice:
    """One model of the impedance app and how to probe it.

    Attributes
    ----------
    model : Model
        The model (a stable rest over the holding currents).
    I_range : (float, float), optional
        Holding-current range (``current_unit``); default the model's ``current_range``.
    f_max : float
        Highest chirp frequency (Hz, or per 1000 time units).
    amplitude, amplitude_max : float, optional
        Default and largest chirp amplitude (``current_unit``); default a quarter of the
        holding range's span for the largest and a tenth of that for the default.
    duration : float
        Chirp length (ms).
    dt : float, optional
        Time step (ms); None for the model's default.
    """

    model: Model
    I_range: tuple[float, float] | None = None
    f_max: float = 100.0
    amplitude: float | None = None
    amplitude_max: float | None = None
    duration: float = 1000.0
    dt: float | None = None

    def filled(self) -> ImpedanceChoice:
        """The entry with its defaults taken from the model."""
        lo, hi = map(float, self.I_range if self.I_range is not None
                     else self.model.current_range)
        if not lo < hi:
            raise ValueError(f"I_range must be (low, high) with low < high; got "
                             f"{(lo, hi)}")
        a_max = 0.25 * (hi - lo) if self.amplitude_max is None else float(self.amplitude_max)
        amp = 0.1 * a_max if self.amplitude is None else float(self.amplitude)
        return ImpedanceChoice(self.model, (lo, hi), float(self.f_max), amp, a_max,
                               float(self.duration), self.dt)


#: Points of the chirp response drawn (the run is decimated to about this many).
_CHIRP_POINTS = 6000


class ImpedanceExplorer(App):
    """``|Z(f)|`` of the resting state and the response to a chirp, for one model.

    Parameters
    ----------
    models : Model, list or dict
        The menu: one model, a list of models, or a dict label -> model or
        :class:`ImpedanceChoice`.
    selected : str, optional
        Label of the model shown first (default the first).
    I : float
        Initial holding current (model units).

    Attributes
    ----------
    current, amplitude : ipywidgets.FloatSlider
        Holding current (first control) and chirp amplitude.
    picker : ipywidgets.Dropdown
    freqs, Z, f_res, kind, trace :
        The latest results.
    """

    def __init__(self, models: Any, selected: str | None = None, I: float = 0.0) -> None:
        menu = as_menu("models", models, lambda m: ImpedanceChoice(m), ImpedanceChoice)
        self.menu = {k: c.filled() for k, c in menu.items()}
        selected = pick("selected", self.menu, selected)
        super().__init__(figsize=(9.0, 5.6))
        self.choice = self.menu[selected]
        self.model = self.choice.model
        lo, hi = self.choice.I_range
        unit = self.model.current_unit
        self.current = slider("holding I", I, lo, hi, (hi - lo) / 100.0, unit,
                              "constant current at which the rest state is probed")
        self.amplitude = slider("chirp amplitude", self.choice.amplitude,
                                self.choice.amplitude_max / 100.0,
                                self.choice.amplitude_max,
                                self.choice.amplitude_max / 100.0, unit,
                                "amplitude of the frequency sweep")
        self.picker = W.Dropdown(options=list(self.menu), value=selected,
                                 description="model", layout=W.Layout(width="24em"))
        self.picker.layout.display = None if len(self.menu) > 1 else "none"
        self.controls = [self.current, self.amplitude, self.picker]
        self.freqs = np.linspace(0.0, self.choice.f_max, 400)
        self.Z: np.ndarray | None = None
        self.f_res = 0.0
        self.kind = ""
        self.trace: Any = None

        self.ax_z = self.figure.add_subplot(2, 1, 1)
        self.ax_c = self.figure.add_subplot(2, 1, 2, sharex=self.ax_z)
        self.figure.subplots_adjust(left=0.12, right=0.97, top=0.94, bottom=0.1,
                                    hspace=0.35)
        (self.z_line,) = self.ax_z.plot([], [], color="tab:purple", lw=1.6)
        (self.res_marker,) = self.ax_z.plot([], [], color="tab:red", lw=1.0, ls=":",
                                            transform=self.ax_z.get_xaxis_transform())
        self.z_text = self.ax_z.text(0.98, 0.92, "", transform=self.ax_z.transAxes,
                                     ha="right", va="top", fontsize=9)
        (self.c_line,) = self.ax_c.plot([], [], color="k", lw=0.6)
        (self.env_hi,) = self.ax_c.plot([], [], color="tab:purple", lw=1.0, ls="--",
                                        label="± amplitude × |Z(f)| (linear prediction)")
        (self.env_lo,) = self.ax_c.plot([], [], color="tab:purple", lw=1.0, ls="--")
        (self.c_marker,) = self.ax_c.plot([], [], color="tab:red", lw=1.0, ls=":",
                                          transform=self.ax_c.get_xaxis_transform())
        self.ax_c.legend(loc="upper right", fontsize=8, frameon=False)
        self.view.dynamic(self.z_line, self.res_marker, self.z_text, self.c_line,
                          self.env_hi, self.env_lo, self.c_marker)
        self._z_top = 0.0
        self._c_top = 0.0
        self._label_axes()
        self.picker.observe(self._on_model, names="value")
        self.start()

    def _label_axes(self) -> None:
        m = self.model
        fu = "Hz" if m.time_unit == "ms" else f"per 1000 {m.time_unit or 'time units'}"
        zu = f"{pretty_unit(state_unit(m, m.state_names[0])) or '1'} per " \
             f"{pretty_unit(m.current_unit) or 'unit current'}"
        self.ax_z.set_xlim(0.0, self.choice.f_max)
        self.ax_z.set_ylabel(f"|Z| ({zu})")
        self.ax_z.set_title("impedance of the resting state", fontsize=10)
        self.ax_c.set_xlabel(f"frequency ({fu}); for the chirp: its frequency at that "
                             "moment")
        name = m.state_names[0]
        self.ax_c.set_ylabel(f"{name} − rest ({pretty_unit(state_unit(m, name)) or '-'})")
        self.ax_c.set_title(f"response to a chirp sweeping 0 to {self.choice.f_max:g} in "
                            f"{self.choice.duration:g} {m.time_unit or 'time units'}",
                            fontsize=10)
        self._z_top = self._c_top = 0.0
        self.view.invalidate()

    def _on_model(self, change: dict) -> None:
        self.choice = self.menu[change["new"]]
        self.model = self.choice.model
        lo, hi = self.choice.I_range
        a_max = self.choice.amplitude_max
        unit = self.model.current_unit
        for w in (self.current, self.amplitude):
            w.unobserve(self.update, names="value")
        try:
            self.current.max = max(hi, self.current.min)
            self.current.min, self.current.max = lo, hi
            self.current.step = (hi - lo) / 100.0
            self.current.value = min(max(0.0, lo), hi)
            self.current.description = f"holding I ({unit})" if unit else "holding I"
            self.amplitude.max = max(a_max, self.amplitude.min)
            self.amplitude.min, self.amplitude.max = a_max / 100.0, a_max
            self.amplitude.step = a_max / 100.0
            self.amplitude.value = self.choice.amplitude
            self.amplitude.description = (f"chirp amplitude ({unit})" if unit
                                          else "chirp amplitude")
        finally:
            for w in (self.current, self.amplitude):
                w.observe(self.update, names="value")
        self.freqs = np.linspace(0.0, self.choice.f_max, 400)
        self._label_axes()
        self.update()

    def _fit(self, ax: Any, top: float, attr: str) -> None:
        """Keep fixed y limits unless the data leave them or shrink far below them."""
        old = getattr(self, attr)
        if top > old or top < 0.3 * old:
            new = 1.4 * top if top > 0 else 1.0
            setattr(self, attr, new)
            if ax is self.ax_z:
                ax.set_ylim(0.0, new)
            else:
                ax.set_ylim(-new, new)
            self.view.invalidate()

    def redraw(self) -> None:
        """|Z| at the holding current, its peak, and the chirp response."""
        I, A = float(self.current.value), float(self.amplitude.value)
        m, c = self.model, self.choice
        Z = impedance(m, self.freqs, I)          # raises if there is no stable rest
        self.Z = Z
        self.f_res = resonant_frequency(m, I, (0.0, c.f_max))
        self.kind = integrator_or_resonator(m, I)
        absz = np.abs(Z)
        self.z_line.set_data(self.freqs, absz)
        self.res_marker.set_data(*(([self.f_res] * 2, [0.0, 1.0]) if self.f_res > 0
                                   else ([], [])))
        peak = (f"peak at {self.f_res:.3g}" if self.f_res > 0
                else "largest at 0: no resonance")
        self.z_text.set_text(f"{self.kind}; {peak}")
        rest = m.rest(I)
        tr = simulate(m, c.duration, dt=c.dt,
                      current=chirp(A, 0.0, c.f_max, 0.0, c.duration, offset=I), y0=rest)
        self.trace = tr
        every = max(1, tr.t.size // _CHIRP_POINTS)   # enough points per cycle to draw
        f_inst = c.f_max * tr.t[::every] / c.duration
        self.c_line.set_data(f_inst, tr.y[0, ::every] - rest[0])
        self.env_hi.set_data(self.freqs, A * absz)
        self.env_lo.set_data(self.freqs, -A * absz)
        self.c_marker.set_data(*(([self.f_res] * 2, [0.0, 1.0]) if self.f_res > 0
                                 else ([], [])))
        self._fit(self.ax_z, float(absz.max()), "_z_top")
        self._fit(self.ax_c, max(float(A * absz.max()),
                                 float(np.percentile(np.abs(tr.y[0] - rest[0]), 99.5))),
                  "_c_top")


def impedance_explorer(models: Any, selected: str | None = None, I: float = 0.0
                       ) -> ImpedanceExplorer:
    """Impedance ``|Z(f)|`` of a model's rest and its response to a chirp current.

    Parameters
    ----------
    models : Model, list or dict
        The models of the picker: one model, a list of models, or a dict label ->
        model or :class:`ImpedanceChoice` (holding range, chirp settings).
    selected : str, optional
        Label of the model shown first (default the first).
    I : float
        Holding current (model current units).

    Returns
    -------
    ImpedanceExplorer

    Raises
    ------
    ValueError
        For a menu entry that is not a model or ImpedanceChoice, or an unknown label.
    """
    return ImpedanceExplorer(models, selected, I)
