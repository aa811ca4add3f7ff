"""Leaky integrate-and-fire: a trace, the F-I curve, and what the model cannot do.

- :class:`LIFTrace` (factory :func:`lif_trace`): the membrane potential under a step of
  current, with the threshold and reset levels; current slider first, then the model's
  parameter sliders.
- :class:`LIFGainExplorer` (factory :func:`lif_fi_curve`): the closed-form F-I curve
  (:meth:`neurolab.models.LIF.rate`) against simulated rates
  (:func:`neurolab.analysis.fi_curve`, computed in the background whenever a parameter
  changes), with a "you are here" current.
- :class:`LIFLimits` (factory :func:`lif_limits`): the impedance ``|Z(f)|`` of the LIF
  (a low-pass filter, largest at f = 0) next to that of Hodgkin-Huxley (a peak: a
  resonator), from :func:`neurolab.analysis.impedance`; and the largest depolarization
  after a pair of brief pulses against the interval between them
  (:func:`neurolab.analysis.pulse_pair_response`): always larger when the pulses are
  closer, the signature of an integrator.

No science lives here: every number comes from :mod:`neurolab`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..analysis import fi_curve, impedance, pulse_pair_response
from ..models import LIF, HodgkinHuxley
from ..plots import plot_fi_curve, plot_trace
from ..simulate import simulate
from ..stimulus import step
from .core import App, controls_for, guarded, slider

__all__ = ["LIFTrace", "lif_trace", "LIFGainExplorer", "lif_fi_curve", "LIFLimits",
           "lif_limits", "FI_CURRENTS", "FI_DURATION"]

PARAMS = ("tau_m", "R", "E_L", "V_th", "V_reset", "t_ref")
#: Trace: run length and step onset (ms); fixed voltage axis (mV).
TRACE_DURATION = 200.0
STEP_ON = 20.0
V_LIMITS = (-90.0, -20.0)
#: F-I: currents of the simulated points (nA), length of each run (ms), dense axis.
FI_CURRENTS = np.linspace(0.0, 5.0, 21)
FI_DURATION = 500.0
_I_DENSE = np.linspace(0.0, 5.0, 501)
#: Impedance frequencies (Hz) and pulse-pair intervals (ms); pulse width (ms).
FREQS = np.linspace(0.0, 150.0, 301)
INTERVALS = np.arange(1.5, 40.5, 0.5)
PULSE_WIDTH = 1.0
_NICE = (10.0, 20.0, 50.0, 100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0, 5000.0, 1e4, 1e5)


def _nice_limit(value: float) -> float:
    """Smallest "round" axis limit at or above ``value`` (presentation only)."""
    return next((c for c in _NICE if value <= c), _NICE[-1])


def _model_from(sliders: dict[str, Any]) -> LIF:
    return LIF(**{k: float(s.value) for k, s in sliders.items()})


class LIFTrace(App):
    """Membrane potential of the LIF under a current step.

    Parameters
    ----------
    I : float
        Step amplitude (nA), switched on at 20 ms.
    **params : float
        Initial LIF parameters (``tau_m``, ``R``, ``E_L``, ``V_th``, ``V_reset``,
        ``t_ref``).

    Attributes
    ----------
    current : ipywidgets.FloatSlider
        The step amplitude (first control).
    params : dict of str to ipywidgets.FloatSlider
        Parameter sliders by name.
    model, trace : LIF, Trace
        What the figure shows.
    """

    def __init__(self, I: float = 2.0, **params: float) -> None:
        super().__init__(figsize=(9.0, 4.6))
        self.model = LIF(**params)
        self.current = slider("I", I, -1.0, 5.0, 0.05, "nA", "step of current at 20 ms")
        self.params = controls_for(self.model, PARAMS)
        self.controls = [self.current, *self.params.values()]
        gs = self.figure.add_gridspec(2, 1, height_ratios=[3, 1], hspace=0.1, left=0.09,
                                      right=0.97, top=0.9, bottom=0.12)
        self.ax_v = self.figure.add_subplot(gs[0])
        self.ax_i = self.figure.add_subplot(gs[1], sharex=self.ax_v)
        self.trace = self._simulate(self.model)
        self.handle = plot_trace(self.ax_v, self.trace, current_ax=self.ax_i,
                                 convention_note=True)
        self.th_line = self.ax_v.axhline(self.model.V_th, color="tab:red", ls="--", lw=1.0,
                                         label="threshold $V_{th}$")
        self.reset_line = self.ax_v.axhline(self.model.V_reset, color="tab:green", ls=":",
                                            lw=1.0, label="reset $V_{reset}$")
        self.ax_v.set_ylim(*V_LIMITS)
        self.ax_v.set_xlim(0.0, TRACE_DURATION)
        self.ax_i.set_ylim(-1.2, 5.2)
        self.ax_v.tick_params(labelbottom=False)
        self.ax_v.set_xlabel("")
        self.ax_v.legend(loc="lower right", fontsize=8, frameon=False)
        self.label = self.ax_v.text(0.01, 0.95, "", transform=self.ax_v.transAxes,
                                    va="top", fontsize=9)
        self.view.dynamic(self.handle["line"], self.handle["spikes"],
                          self.handle["current"]["line"], self.th_line, self.reset_line,
                          self.label)
        self.start()

    def _simulate(self, model: LIF) -> Any:
        stim = step(float(self.current.value), STEP_ON)
        return simulate(model, TRACE_DURATION, current=stim, y0=[model.E_L])

    def redraw(self) -> None:
        """Rebuild the model from the sliders, run it and update the trace."""
        model = _model_from(self.params)
        trace = self._simulate(model)
        self.model, self.trace = model, trace
        self.handle.update(trace, rescale=False)
        self.th_line.set_ydata([model.V_th, model.V_th])
        self.reset_line.set_ydata([model.V_reset, model.V_reset])
        I = float(self.current.value)
        n = trace.spike_times.size
        self.label.set_text(f"{n} spike{'s' if n != 1 else ''}; closed-form rate at "
                            f"{I:g} nA: {float(model.rate(I)):.1f} Hz "
                            f"(rheobase {model.rheobase():.2f} nA)")


def lif_trace(I: float = 2.0, **params: float) -> LIFTrace:
    """The LIF membrane potential under a current step (see :class:`LIFTrace`).

    Parameters
    ----------
    I : float
        Step amplitude (nA, -1 to 5).
    **params : float
        Initial LIF parameters.

    Returns
    -------
    LIFTrace
    """
    return LIFTrace(I, **params)


class LIFGainExplorer(App):
    """Closed-form F-I curve of the LIF against simulated rates.

    Parameters
    ----------
    I : float
        Current of the "you are here" marker (nA).
    **params : float
        Initial LIF parameters.

    Attributes
    ----------
    params : dict of str to ipywidgets.FloatSlider
        Parameter sliders (first controls).
    current : ipywidgets.FloatSlider
        The marker current.
    model : LIF
    simulated : numpy.ndarray or None
        Simulated rates (Hz) at :data:`FI_CURRENTS` for ``model`` (None while computing).
    """

    def __init__(self, I: float = 2.5, **params: float) -> None:
        super().__init__(figsize=(8.0, 4.4))
        self.model = LIF(**params)
        self.params = controls_for(self.model, PARAMS)
        self.current = slider("I", I, 0.0, 5.0, 0.05, "nA", "current marked on the curve")
        self.controls = [*self.params.values(), self.current]
        self.simulated: np.ndarray | None = None
        self._job_model: LIF | None = None
        ax = self.ax = self.figure.add_subplot(1, 1, 1)
        self.figure.subplots_adjust(left=0.11, right=0.97, top=0.9, bottom=0.13)
        self.handle = plot_fi_curve(ax, _I_DENSE, self.model.rate(_I_DENSE), I,
                                    model=self.model)
        self.handle["line"].set(marker="", label="closed form $1/(t_{ref} + T)$")
        self.points = ax.scatter([], [], s=22, color="k", zorder=4,
                                 label=f"simulated ({FI_DURATION:g} ms runs)")
        self.here = ax.scatter([], [], s=50, marker="x", color="tab:red", zorder=5)
        self.rheo = ax.axvline(0.0, color="0.5", lw=0.8, ls="--", label="rheobase")
        ax.set_xlim(_I_DENSE[0], _I_DENSE[-1])
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        self.label = ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right",
                             fontsize=9)
        self.title = ax.set_title("")
        self._ylim = 0.0
        self.view.dynamic(self.handle["line"], self.handle["marker"], self.points,
                          self.here, self.rheo, self.label, self.title, ax.yaxis)
        self.start()

    def redraw(self) -> None:
        """Closed-form curve now; simulated points in the background if the model changed."""
        model = _model_from(self.params)
        I = float(self.current.value)
        with self._lock:
            changed = model != self.model or self._job_model is None
            self.model = model
            rates = model.rate(_I_DENSE)
            self.handle.update(_I_DENSE, rates, I_marker=I, rescale=False)
            r_here = float(model.rate(I))
            self.here.set_offsets([[I, r_here]])
            rb = model.rheobase()
            self.rheo.set_xdata([rb, rb])
            self.label.set_text(f"{I:g} nA -> {r_here:.1f} Hz (closed form)")
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

    def _start_job(self, model: LIF) -> None:
        self._job_model = model

        def compute(progress: Callable[[float], None]) -> np.ndarray:
            return fi_curve(model, FI_CURRENTS, duration=FI_DURATION, progress=progress)

        def done(rates: np.ndarray) -> None:
            with self._lock:
                if model != self.model:
                    return
                self.simulated = rates
                self.points.set_offsets(np.column_stack([FI_CURRENTS, rates]))
                self.title.set_text("")
                guarded(self.errors, self.view.refresh)()

        def failed(exc: Exception) -> None:
            self.errors.show(f"simulation failed: {exc}")

        self.job.start(compute, done, failed)



def lif_fi_curve(I: float = 2.5, **params: float) -> LIFGainExplorer:
    """Closed-form and simulated F-I curve of the LIF (see :class:`LIFGainExplorer`).

    Parameters
    ----------
    I : float
        Current marked on the curve (nA, 0 to 5).
    **params : float
        Initial LIF parameters.

    Returns
    -------
    LIFGainExplorer
    """
    return LIFGainExplorer(I, **params)


class LIFLimits(App):
    """No resonance and no preferred interval: the LIF is a pure integrator.

    Parameters
    ----------
    tau_m : float
        Membrane time constant of the LIF (ms).
    amplitude : float
        Height of each of the two 1 ms pulses (nA).

    Attributes
    ----------
    tau_m, amplitude : ipywidgets.FloatSlider
        The controls (tau_m first).
    model : LIF
    Z_lif, Z_hh : numpy.ndarray
        Complex impedances at :data:`FREQS` (MOhm and kOhm cm2).
    pairs : PulseResponse
        The LIF's response to pulse pairs at :data:`INTERVALS`.
    """

    def __init__(self, tau_m: float = 10.0, amplitude: float = 10.0) -> None:
        super().__init__(figsize=(10.0, 4.0))
        self.tau_m = slider("tau_m", tau_m, 1.0, 50.0, 0.5, "ms", "LIF membrane time "
                            "constant")
        self.amplitude = slider("pulse", amplitude, 1.0, 20.0, 0.1, "nA",
                                "height of each 1 ms pulse")
        self.controls = [self.tau_m, self.amplitude]
        self.model = LIF(tau_m=tau_m)
        self.Z_hh = impedance(HodgkinHuxley(), FREQS)
        gs = self.figure.add_gridspec(1, 2, wspace=0.3, left=0.08, right=0.97, top=0.88,
                                      bottom=0.14)
        self.ax_z = self.figure.add_subplot(gs[0])
        self.ax_p = self.figure.add_subplot(gs[1])
        hh = np.abs(self.Z_hh)
        self.ax_z.plot(FREQS, hh / hh[0], color="tab:orange", lw=1.5,
                       label="Hodgkin-Huxley (resonator)")
        (self.z_line,) = self.ax_z.plot([], [], color="tab:blue", lw=1.5,
                                        label="LIF (integrator)")
        self.ax_z.set(xlim=(FREQS[0], FREQS[-1]), ylim=(0.0, 1.05 * max(1.0, (hh / hh[0]).max())),
                      xlabel="frequency (Hz)", ylabel="|Z(f)| / |Z(0)| (dimensionless)",
                      title="impedance of the resting state")
        self.ax_z.legend(loc="upper right", fontsize=8, frameon=False)
        (self.p_line,) = self.ax_p.plot([], [], "o-", ms=2.5, color="tab:blue", lw=1.2,
                                        label="largest V after the pulses")
        self.th_line = self.ax_p.axhline(self.model.V_th, color="tab:red", ls="--", lw=1.0,
                                         label="threshold $V_{th}$")
        self.spike_pts = self.ax_p.scatter([], [], marker="^", color="tab:red", s=18,
                                           zorder=4, label="spiked")
        self.ax_p.set(xlim=(0.0, INTERVALS[-1] + 1.0), ylim=(-66.0, -45.0),
                      xlabel="interval between the two pulses (ms)",
                      ylabel="V (mV)", title="two pulses: closer is always stronger")
        self.ax_p.legend(loc="upper right", fontsize=8, frameon=False)
        self.view.dynamic(self.z_line, self.p_line, self.th_line, self.spike_pts)
        self.start()

    def redraw(self) -> None:
        """Impedance and pulse-pair responses of the LIF with the chosen tau_m."""
        model = LIF(tau_m=float(self.tau_m.value))
        self.model = model
        self.Z_lif = impedance(model, FREQS)
        z = np.abs(self.Z_lif)
        self.z_line.set_data(FREQS, z / z[0])
        self.pairs = pulse_pair_response(model, INTERVALS, float(self.amplitude.value),
                                         PULSE_WIDTH)
        peak = np.minimum(self.pairs.peak, model.V_th)
        self.p_line.set_data(INTERVALS, peak)
        hit = self.pairs.spiked
        self.spike_pts.set_offsets(np.column_stack([INTERVALS[hit], peak[hit]])
                                   if hit.any() else np.empty((0, 2)))
        self.th_line.set_ydata([model.V_th, model.V_th])


def lif_limits(tau_m: float = 10.0, amplitude: float = 10.0) -> LIFLimits:
    """Impedance and pulse-pair response of the LIF (see :class:`LIFLimits`).

    Parameters
    ----------
    tau_m : float
        LIF membrane time constant (ms, 1 to 50).
    amplitude : float
        Height of each 1 ms pulse (nA, 1 to 20).

    Returns
    -------
    LIFLimits
    """
    return LIFLimits(tau_m, amplitude)
