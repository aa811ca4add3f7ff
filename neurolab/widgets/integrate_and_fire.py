"""Integrate-and-fire: a trace, the F-I curve, and what an integrator cannot do.

- :class:`ResetTrace` (factory :func:`lif_trace`): the first state of a model with a reset
  rule under a step of current, with its threshold and reset levels; current slider
  first, then the model's parameter sliders.
- :class:`ClosedFormGain` (factory :func:`lif_fi_curve`): the closed-form F-I curve the
  model provides (its ``rate(I)`` method) against simulated rates
  (:func:`neurolab.analysis.fi_curve`, computed in the background whenever a parameter
  changes), with a "you are here" current.
- :class:`IntegratorLimits` (factory :func:`lif_limits`): the impedance ``|Z(f)|`` of the model
  (for a leaky integrator a low-pass filter, largest at f = 0) next to that of a
  reference model (e.g. a resonator with a peak), from
  :func:`neurolab.analysis.impedance`; and the largest depolarization after a pair of
  brief pulses against the interval between them
  (:func:`neurolab.analysis.pulse_pair_response`): always larger when the pulses are
  closer, the signature of an integrator.

The notebook passes the models. No science lives here: every
number comes from :mod:`neurolab` and the models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..analysis import fi_curve, impedance, integrator_or_resonator, pulse_pair_response
from ..analysis import rheobase as simulated_rheobase
from ..models.base import Model
from ..plots import plot_fi_curve, plot_trace
from ..plots._common import axis_label, pretty_unit, state_unit
from ..simulate import simulate
from ..stimulus import step
from ._explorer_views import grow_limits
from ._models import as_model, current_step, parameter_name, threshold_and_reset
from .core import App, controls_for, guarded, slider

__all__ = ["ResetTrace", "lif_trace", "ClosedFormGain", "lif_fi_curve", "IntegratorLimits",
           "lif_limits", "FI_POINTS", "FI_DURATION", "fi_currents"]

#: Trace: run length and step onset (ms).
TRACE_DURATION = 200.0
STEP_ON = 20.0
#: F-I: number of simulated points, length of each run (ms), points of the dense axis.
FI_POINTS = 21
FI_DURATION = 500.0
_DENSE_POINTS = 501
#: Impedance frequencies (Hz) and pulse-pair intervals (ms); pulse width (ms).
FREQS = np.linspace(0.0, 150.0, 301)
INTERVALS = np.arange(1.5, 40.5, 0.5)
PULSE_WIDTH = 1.0
_NICE = (10.0, 20.0, 50.0, 100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0, 5000.0, 1e4, 1e5)


def _nice_limit(value: float) -> float:
    """Smallest "round" axis limit at or above ``value`` (presentation only)."""
    return next((c for c in _NICE if value <= c), _NICE[-1])


def fi_currents(model: Model, n: int = FI_POINTS) -> np.ndarray:
    """Currents of an F-I curve: ``n`` points over the non-negative part of the model's
    ``current_range``."""
    lo, hi = model.current_range
    return np.linspace(max(0.0, lo), hi, n)


def _levels_window(model: Model) -> tuple[float, float]:
    """Window of the first state around rest, reset and threshold (one span of them
    below and above)."""
    thr, reset = threshold_and_reset(model)
    rest = float(model.initial_state(0.0)[0])
    low = min(reset, rest)
    span = max(thr - low, 1e-3 * max(1.0, abs(thr)))
    return low - span, thr + span


def _check_rate(model: Model) -> Callable[[Any], np.ndarray]:
    rate = getattr(model, "rate", None)
    if not callable(rate):
        raise ValueError(f"model must provide its closed-form firing rate as a method "
                         f"rate(I) (Hz); {type(model).__name__} has none")
    return rate


def _rheobase(model: Model) -> float:
    """The model's closed-form rheobase if it has one, else the analysis's."""
    own = getattr(model, "rheobase", None)
    return float(own()) if callable(own) else float(simulated_rheobase(model))


class ResetTrace(App):
    """The first state of a model with a reset, under a current step.

    Parameters
    ----------
    model : Model
        A model with a threshold and reset (e.g. a leaky integrate-and-fire neuron).
    I : float
        Step amplitude (model current units), switched on at 20 ms.

    Attributes
    ----------
    current : ipywidgets.FloatSlider
        The step amplitude (first control).
    params : dict of str to ipywidgets.FloatSlider
        Parameter sliders by name.
    model, trace : Model, Trace
        What the figure shows.
    """

    def __init__(self, model: Model, I: float = 2.0) -> None:
        model = as_model("model", model, hybrid=True)
        super().__init__(figsize=(9.0, 4.6))
        self.model = model
        lo, hi = model.current_range
        self.current = slider("I", I, lo, hi, current_step(model),
                              pretty_unit(model.current_unit),
                              f"step of current at {STEP_ON:g} {model.time_unit}")
        self.params = controls_for(model)
        self.controls = [self.current, *self.params.values()]
        gs = self.figure.add_gridspec(2, 1, height_ratios=[3, 1], hspace=0.1, left=0.09,
                                      right=0.97, top=0.9, bottom=0.12)
        self.ax_v = self.figure.add_subplot(gs[0])
        self.ax_i = self.figure.add_subplot(gs[1], sharex=self.ax_v)
        self.trace = self._simulate(model)
        self.handle = plot_trace(self.ax_v, self.trace, current_ax=self.ax_i,
                                 convention_note=True)
        thr, reset = threshold_and_reset(model)
        self.th_line = self.ax_v.axhline(thr, color="tab:red", ls="--", lw=1.0,
                                         label="threshold")
        self.reset_line = self.ax_v.axhline(reset, color="tab:green", ls=":", lw=1.0,
                                            label="reset")
        self.v_lim = _levels_window(model)
        self.ax_v.set_ylim(*self.v_lim)
        self.ax_v.set_xlim(0.0, TRACE_DURATION)
        pad = 0.03 * (hi - lo)
        self.ax_i.set_ylim(lo - pad, hi + pad)
        self.ax_v.tick_params(labelbottom=False)
        self.ax_v.set_xlabel("")
        self.ax_v.legend(loc="lower right", fontsize=8, frameon=False)
        self.label = self.ax_v.text(0.01, 0.95, "", transform=self.ax_v.transAxes,
                                    va="top", fontsize=9)
        self.view.dynamic(self.handle["line"], self.handle["spikes"],
                          self.handle["current"]["line"], self.th_line, self.reset_line,
                          self.label)
        self.start()

    def model_from_controls(self) -> Model:
        """The model the parameter sliders describe (ValueError if invalid)."""
        return type(self.model)(**{k: float(s.value) for k, s in self.params.items()})

    def _simulate(self, model: Model) -> Any:
        stim = step(float(self.current.value), STEP_ON)
        return simulate(model, TRACE_DURATION, current=stim, y0=model.initial_state(0.0))

    def redraw(self) -> None:
        """Rebuild the model from the sliders, run it and update the trace."""
        model = self.model_from_controls()
        trace = self._simulate(model)
        self.model, self.trace = model, trace
        self.handle.update(trace, rescale=False)
        thr, reset = threshold_and_reset(model)
        self.th_line.set_ydata([thr, thr])
        self.reset_line.set_ydata([reset, reset])
        lim = grow_limits(self.v_lim, np.r_[trace.y[0], thr, reset], 0.1)
        if lim != self.v_lim:
            self.v_lim = lim
            self.ax_v.set_ylim(*lim)
            self.view.invalidate()
        I = float(self.current.value)
        unit = pretty_unit(model.current_unit)
        n = trace.spike_times.size
        text = f"{n} spike{'s' if n != 1 else ''}"
        rate, rheo = getattr(model, "rate", None), getattr(model, "rheobase", None)
        if callable(rate):
            text += f"; closed-form rate at {I:g} {unit}: {float(rate(I)):.1f} Hz"
        if callable(rheo):
            text += f" (rheobase {float(rheo()):.2f} {unit})"
        self.label.set_text(text)


def lif_trace(model: Model, I: float = 2.0) -> ResetTrace:
    """A model with a reset under a current step (see :class:`ResetTrace`).

    Parameters
    ----------
    model : Model
        A model with a threshold and reset.
    I : float
        Step amplitude (model current units).

    Returns
    -------
    ResetTrace

    Raises
    ------
    ValueError
        If ``model`` is not a model with a reset rule.
    """
    return ResetTrace(model, I)


class ClosedFormGain(App):
    """A model's closed-form F-I curve (its ``rate(I)``) against simulated rates.

    Parameters
    ----------
    model : Model
        A model with a method ``rate(I)`` giving its firing rate (Hz) in closed form
        (and ideally ``rheobase()``; otherwise the rheobase is simulated).
    I : float
        Current of the "you are here" marker (model current units).

    Attributes
    ----------
    params : dict of str to ipywidgets.FloatSlider
        Parameter sliders (first controls).
    current : ipywidgets.FloatSlider
        The marker current.
    model : Model
    currents : numpy.ndarray
        Currents of the simulated points (:func:`fi_currents`).
    simulated : numpy.ndarray or None
        Simulated rates (Hz) at ``currents`` for ``model`` (None while computing).
    """

    def __init__(self, model: Model, I: float = 2.5) -> None:
        model = as_model("model", model)
        _check_rate(model)
        super().__init__(figsize=(8.0, 4.4))
        self.model = model
        self.currents = fi_currents(model)
        self.dense = fi_currents(model, _DENSE_POINTS)
        unit = pretty_unit(model.current_unit)
        self.params = controls_for(model)
        self.current = slider("I", I, float(self.dense[0]), float(self.dense[-1]),
                              current_step(model), unit, "current marked on the curve")
        self.controls = [*self.params.values(), self.current]
        self.simulated: np.ndarray | None = None
        self._job_model: Model | None = None
        ax = self.ax = self.figure.add_subplot(1, 1, 1)
        self.figure.subplots_adjust(left=0.11, right=0.97, top=0.9, bottom=0.13)
        self.handle = plot_fi_curve(ax, self.dense, model.rate(self.dense), I,
                                    model=model)
        self.handle["line"].set(marker="", label="closed form")
        self.points = ax.scatter([], [], s=22, color="k", zorder=4,
                                 label=f"simulated ({FI_DURATION:g} ms runs)")
        self.here = ax.scatter([], [], s=50, marker="x", color="tab:red", zorder=5)
        self.rheo = ax.axvline(0.0, color="0.5", lw=0.8, ls="--", label="rheobase")
        ax.set_xlim(self.dense[0], self.dense[-1])
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        self.label = ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right",
                             fontsize=9)
        self.title = ax.set_title("")
        self._ylim = 0.0
        self.view.dynamic(self.handle["line"], self.handle["marker"], self.points,
                          self.here, self.rheo, self.label, self.title, ax.yaxis)
        self.start()

    def model_from_controls(self) -> Model:
        """The model the parameter sliders describe (ValueError if invalid)."""
        return type(self.model)(**{k: float(s.value) for k, s in self.params.items()})

    def redraw(self) -> None:
        """Closed-form curve now; simulated points in the background if the model changed."""
        model = self.model_from_controls()
        I = float(self.current.value)
        unit = pretty_unit(model.current_unit)
        with self._lock:
            changed = model != self.model or self._job_model is None
            self.model = model
            rates = model.rate(self.dense)
            self.handle.update(self.dense, rates, I_marker=I, rescale=False)
            r_here = float(model.rate(I))
            self.here.set_offsets([[I, r_here]])
            rb = _rheobase(model)
            self.rheo.set_xdata([rb, rb])
            self.label.set_text(f"{I:g} {unit} -> {r_here:.1f} Hz (closed form)")
            lim = _nice_limit(1.05 * float(rates.max()) + 1.0)
            if lim != self._ylim:
                self._ylim = lim
                self.ax.set_ylim(0.0, lim)
            if changed:
                self.simulated = None
                self.points.set_offsets(np.empty((0, 2)))
                self.title.set_text("simulating ...")
        if changed:
            self._start_job(model)

    def _start_job(self, model: Model) -> None:
        self._job_model = model
        currents = self.currents

        def compute(progress: Callable[[float], None]) -> np.ndarray:
            return fi_curve(model, currents, duration=FI_DURATION, progress=progress)

        def done(rates: np.ndarray) -> None:
            with self._lock:
                if model != self.model:
                    return
                self.simulated = rates
                self.points.set_offsets(np.column_stack([currents, rates]))
                self.title.set_text("")
                guarded(self.errors, self.view.refresh)()

        def failed(exc: Exception) -> None:
            self.errors.show(f"simulation failed: {exc}")

        self.job.start(compute, done, failed)


def lif_fi_curve(model: Model, I: float = 2.5) -> ClosedFormGain:
    """Closed-form and simulated F-I curve of a model (see :class:`ClosedFormGain`).

    Parameters
    ----------
    model : Model
        A model with a closed-form ``rate(I)`` method.
    I : float
        Current marked on the curve (model current units).

    Returns
    -------
    ClosedFormGain

    Raises
    ------
    ValueError
        If ``model`` is not a model or has no ``rate`` method.
    """
    return ClosedFormGain(model, I)


class IntegratorLimits(App):
    """No resonance and no preferred interval: an integrator beside a reference model.

    Parameters
    ----------
    model : Model
        The integrator (a model with a reset), whose parameter ``parameter`` has a
        slider.
    reference : Model
        The model whose impedance is drawn for comparison (e.g. a resonator).
    amplitude : float
        Height of each of the two 1 ms pulses (model current units).
    parameter : str, optional
        The parameter of ``model`` with a slider (default its first, e.g. tau_m).

    Attributes
    ----------
    params : dict of str to ipywidgets.FloatSlider
        The parameter slider (first control).
    amplitude : ipywidgets.FloatSlider
    model, reference : Model
    Z, Z_ref : numpy.ndarray
        Complex impedances at :data:`FREQS` of the model and of the reference.
    pairs : PulseResponse
        The model's response to pulse pairs at :data:`INTERVALS`.
    """

    def __init__(self, model: Model, reference: Model, amplitude: float = 10.0, *,
                 parameter: str | None = None) -> None:
        model = as_model("model", model, hybrid=True)
        reference = as_model("reference", reference)
        parameter = parameter_name("parameter", model, parameter) or \
            next(iter(model.parameter_info()))
        super().__init__(figsize=(10.0, 4.0))
        self.params = controls_for(model, [parameter])
        unit = pretty_unit(model.current_unit)
        self.amplitude = slider("pulse", amplitude, 0.1 * amplitude, 2.0 * amplitude,
                                0.01 * amplitude, unit,
                                f"height of each {PULSE_WIDTH:g} {model.time_unit} pulse")
        self.controls = [*self.params.values(), self.amplitude]
        self.model, self.reference = model, reference
        self.Z_ref = impedance(reference, FREQS)
        gs = self.figure.add_gridspec(1, 2, wspace=0.3, left=0.08, right=0.97, top=0.88,
                                      bottom=0.14)
        self.ax_z = self.figure.add_subplot(gs[0])
        self.ax_p = self.figure.add_subplot(gs[1])
        zr = np.abs(self.Z_ref)
        self.ax_z.plot(FREQS, zr / zr[0], color="tab:orange", lw=1.5,
                       label=f"{type(reference).title} "
                             f"({integrator_or_resonator(reference)})")
        (self.z_line,) = self.ax_z.plot([], [], color="tab:blue", lw=1.5,
                                        label=f"{type(model).title} "
                                              f"({integrator_or_resonator(model)})")
        self.ax_z.set(xlim=(FREQS[0], FREQS[-1]),
                      ylim=(0.0, 1.05 * max(1.0, (zr / zr[0]).max())),
                      xlabel="frequency (Hz)", ylabel="|Z(f)| / |Z(0)| (dimensionless)",
                      title="impedance of the resting state")
        self.ax_z.legend(loc="center right", fontsize=8, frameon=False)
        (self.p_line,) = self.ax_p.plot([], [], "o-", ms=2.5, color="tab:blue", lw=1.2,
                                        label="largest value after the pulses")
        thr, _reset = threshold_and_reset(model)
        rest = float(model.initial_state(0.0)[0])
        self.th_line = self.ax_p.axhline(thr, color="tab:red", ls="--", lw=1.0,
                                         label="threshold")
        self.spike_pts = self.ax_p.scatter([], [], marker="^", color="tab:red", s=18,
                                           zorder=4, label="spiked")
        name = model.state_names[0]
        gap = thr - rest
        self.ax_p.set(xlim=(0.0, INTERVALS[-1] + 1.0),
                      ylim=(rest - 0.07 * gap, thr + 0.33 * gap),
                      xlabel=f"interval between the two pulses ({model.time_unit})",
                      ylabel=axis_label(name, state_unit(model, name)),
                      title="two pulses: closer is always stronger")
        self.ax_p.legend(loc="upper right", fontsize=8, frameon=False)
        self.view.dynamic(self.z_line, self.p_line, self.th_line, self.spike_pts)
        self.start()

    def redraw(self) -> None:
        """Impedance and pulse-pair responses of the model with the slider's value."""
        model = self.model.replace(**{k: float(s.value) for k, s in self.params.items()})
        self.model = model
        self.Z = impedance(model, FREQS)
        z = np.abs(self.Z)
        self.z_line.set_data(FREQS, z / z[0])
        self.pairs = pulse_pair_response(model, INTERVALS, float(self.amplitude.value),
                                         PULSE_WIDTH)
        thr, _reset = threshold_and_reset(model)
        peak = np.minimum(self.pairs.peak, thr)
        self.p_line.set_data(INTERVALS, peak)
        hit = self.pairs.spiked
        self.spike_pts.set_offsets(np.column_stack([INTERVALS[hit], peak[hit]])
                                   if hit.any() else np.empty((0, 2)))
        self.th_line.set_ydata([thr, thr])


def lif_limits(model: Model, reference: Model, amplitude: float = 10.0, *,
               parameter: str | None = None) -> IntegratorLimits:
    """Impedance and pulse-pair response of an integrator beside a reference model (see
    :class:`IntegratorLimits`).

    Parameters
    ----------
    model : Model
        The integrator (a model with a reset).
    reference : Model
        The model compared in the impedance panel.
    amplitude : float
        Height of each 1 ms pulse (model current units).
    parameter : str, optional
        Parameter of ``model`` with a slider (default its first).

    Returns
    -------
    IntegratorLimits

    Raises
    ------
    ValueError
        For an argument that is not a model, or an unknown parameter.
    """
    return IntegratorLimits(model, reference, amplitude, parameter=parameter)
