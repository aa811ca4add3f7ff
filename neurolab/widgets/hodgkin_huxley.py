"""Hodgkin-Huxley gates: steady states, time constants, and a voltage-clamp step.

:class:`GatingExplorer` (factory :func:`hh_gating`) shows, for the gates m, h and n of
the Hodgkin-Huxley (1952) model:

- the steady states x_inf(V) = alpha / (alpha + beta) (independent of temperature);
- the time constants tau_x(V) = 1 / (phi (alpha + beta)) at the chosen temperature,
  phi = Q10^((T - 6.3)/10) with Q10 = 3, on a logarithmic axis, so warming shifts the
  curves down without changing their shape;
- a voltage-clamp experiment: the membrane is held at a holding potential, then stepped
  to the clamp potential at t = 0; the gates relax towards their new steady states, and
  the sodium current (transient: m opens fast, h closes slowly) and the potassium
  current (delayed, sustained) follow.

The gates come from :func:`neurolab.models.hodgkin_huxley.gating_steady_state` and from a
run of :func:`neurolab.simulate.simulate` in which the capacitance is made so large
(:data:`CLAMP_CAPACITANCE`) that no ionic current can move the voltage: an ideal clamp.
The currents come from :meth:`neurolab.models.HodgkinHuxley.currents`. Voltages use the
modern convention (rest near -65 mV).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..models import HodgkinHuxley
from ..models.hodgkin_huxley import gating_steady_state
from ..plots import convention_text
from ..simulate import simulate
from .core import App, slider

__all__ = ["GatingExplorer", "hh_gating", "clamp_currents", "CLAMP_CAPACITANCE"]

#: Capacitance (uF/cm2) of the clamped membrane: with currents of at most a few mA/cm2
#: the voltage then drifts by well under 0.01 mV over the run.
CLAMP_CAPACITANCE = 1e9
#: Voltage axis of the gating curves (mV) and length of the clamp step (ms).
V_AXIS = np.linspace(-100.0, 50.0, 301)
CLAMP_DURATION = 25.0
#: Gate colours, shared by every panel.
COLORS = {"m": "tab:red", "h": "tab:orange", "n": "tab:blue"}
#: Symmetric limits offered to the current axis (uA/cm2); the smallest that fits is used.
_CURRENT_LIMITS = (20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0)


def clamp_currents(model: HodgkinHuxley, trace: Any) -> dict[str, np.ndarray]:
    """Sodium and potassium currents (uA/cm2, outward positive) along a run.

    From :meth:`neurolab.models.HodgkinHuxley.currents`:
    I_Na = g_Na m^3 h (V - E_Na), I_K = g_K n^4 (V - E_K).

    Parameters
    ----------
    model : HodgkinHuxley
        The model whose conductances and reversal potentials are used.
    trace : neurolab.simulate.Trace
        A run with states V, m, h, n.

    Returns
    -------
    dict
        ``{"Na": I_Na, "K": I_K}``, arrays on the trace's time grid (uA/cm2).
    """
    cur = model.currents(np.array([trace.V, trace.m, trace.h, trace.n]))
    return {"Na": cur["Na"], "K": cur["K"]}


class GatingExplorer(App):
    """x_inf(V), tau_x(V) at a temperature, and a voltage-clamp step of the HH model.

    Parameters
    ----------
    V_clamp : float
        Clamp potential after the step (mV).
    V_hold : float
        Holding potential before the step (mV); the gates start at their steady states
        there.
    temperature : float
        Temperature (degC); every rate is multiplied by 3^((T - 6.3)/10).

    Attributes
    ----------
    V_clamp, V_hold, temperature : ipywidgets.FloatSlider
        The controls, clamp potential first.
    model : HodgkinHuxley
        The model at the current temperature.
    trace : neurolab.simulate.Trace
        The clamped run (time from the step, ms).
    currents : dict
        ``{"Na": ..., "K": ...}`` along the run (uA/cm2).
    """

    def __init__(self, V_clamp: float = 0.0, V_hold: float = -65.0,
                 temperature: float = 6.3) -> None:
        super().__init__(figsize=(10.0, 6.4))
        self.V_clamp = slider("V step to", V_clamp, -100.0, 50.0, 1.0, "mV",
                              "clamp potential after the step at t = 0")
        self.V_hold = slider("V holding", V_hold, -100.0, -40.0, 1.0, "mV",
                             "potential before the step; gates start at steady state")
        self.temperature = slider("T", temperature, 0.0, 30.0, 0.5, "°C",
                                  "temperature; rates scale by 3^((T - 6.3)/10)")
        self.controls = [self.V_clamp, self.V_hold, self.temperature]
        self.model = HodgkinHuxley(temperature=temperature)
        self.trace: Any = None
        self.currents: dict[str, np.ndarray] = {}

        fig = self.figure
        gs = fig.add_gridspec(2, 2, hspace=0.45, wspace=0.28, left=0.08, right=0.98,
                              top=0.9, bottom=0.09)
        self.ax_inf = fig.add_subplot(gs[0, 0])
        self.ax_tau = fig.add_subplot(gs[0, 1])
        self.ax_gate = fig.add_subplot(gs[1, 0])
        self.ax_cur = fig.add_subplot(gs[1, 1])
        ss = gating_steady_state(V_AXIS)
        self.steady = ss
        self.tau_lines, self.gate_lines = {}, {}
        for g, c in COLORS.items():
            self.ax_inf.plot(V_AXIS, ss[g][0], color=c, lw=1.5, label=f"{g}$_\\infty$")
            (self.tau_lines[g],) = self.ax_tau.plot([], [], color=c, lw=1.5,
                                                    label=f"$\\tau_{g}$")
            (self.gate_lines[g],) = self.ax_gate.plot([], [], color=c, lw=1.5, label=g)
        self.inf_markers = {k: self.ax_inf.axvline(0.0, color=c, ls=ls, lw=1.0)
                            for k, c, ls in (("hold", "0.5", ":"), ("clamp", "k", "--"))}
        self.tau_marker = self.ax_tau.axvline(0.0, color="k", ls="--", lw=1.0)
        (self.na_line,) = self.ax_cur.plot([], [], color="tab:red", lw=1.5, label="$I_{Na}$")
        (self.k_line,) = self.ax_cur.plot([], [], color="tab:blue", lw=1.5, label="$I_K$")
        self.ax_cur.axhline(0.0, color="0.7", lw=0.8)
        self._cur_lim = 0.0

        self.ax_inf.set(xlim=(V_AXIS[0], V_AXIS[-1]), ylim=(-0.02, 1.02),
                        xlabel="V (mV)", ylabel="steady state (dimensionless)",
                        title="steady states $x_\\infty = \\alpha/(\\alpha+\\beta)$")
        self.ax_tau.set(xlim=(V_AXIS[0], V_AXIS[-1]), ylim=(0.005, 50.0), yscale="log",
                        xlabel="V (mV)", ylabel="time constant (ms)")
        self.ax_gate.set(xlim=(0.0, CLAMP_DURATION), ylim=(-0.02, 1.02),
                         xlabel="time after the step (ms)", ylabel="gate (dimensionless)",
                         title="voltage clamp: gates")
        self.ax_cur.set(xlim=(0.0, CLAMP_DURATION), xlabel="time after the step (ms)",
                        ylabel="current (µA/cm²)", title="voltage clamp: currents "
                        "(outward > 0)")
        for ax in (self.ax_inf, self.ax_tau, self.ax_gate, self.ax_cur):
            ax.legend(loc="best", fontsize=8, frameon=False)
        self.ax_inf.legend(loc="center right", fontsize=8, frameon=False)
        self.ax_gate.legend(loc="center right", fontsize=8, frameon=False)
        fig.text(0.08, 0.97, convention_text(self.model).replace("\n", "  "),
                 fontsize=7.5, color="0.35", va="top")
        self.tau_title = self.ax_tau.set_title("")
        self.view.dynamic(*self.tau_lines.values(), *self.gate_lines.values(),
                          *self.inf_markers.values(), self.tau_marker, self.na_line,
                          self.k_line, self.tau_title)
        # The current axis rescales with the step: its y axis (ticks and label) is drawn
        # with the dynamic artists, so a new scale costs no full redraw.
        self.view.dynamic(self.ax_cur.yaxis)
        self.start()

    def redraw(self) -> None:
        """Rebuild the model at the temperature, clamp it and update every curve."""
        model = HodgkinHuxley(temperature=self.temperature.value)
        Vc = float(self.V_clamp.value)
        Vh = float(self.V_hold.value)
        self.model = model
        for g, line in self.tau_lines.items():
            line.set_data(V_AXIS, self.steady[g][1] / model.phi)
        self.tau_title.set_text(f"time constants at {model.temperature:g} °C "
                                f"($\\phi$ = {model.phi:.2f})")
        hold = gating_steady_state(Vh)
        y0 = [Vc, float(hold["m"][0]), float(hold["h"][0]), float(hold["n"][0])]
        trace = simulate(model.replace(C=CLAMP_CAPACITANCE), CLAMP_DURATION, y0=y0)
        self.trace = trace
        for g, line in self.gate_lines.items():
            line.set_data(trace.t, trace.states[g])
        self.currents = clamp_currents(model, trace)
        self.na_line.set_data(trace.t, self.currents["Na"])
        self.k_line.set_data(trace.t, self.currents["K"])
        self.inf_markers["hold"].set_xdata([Vh, Vh])
        self.inf_markers["clamp"].set_xdata([Vc, Vc])
        self.tau_marker.set_xdata([Vc, Vc])
        peak = max(float(np.abs(self.currents["Na"]).max()),
                   float(np.abs(self.currents["K"]).max()))
        lim = next((c for c in _CURRENT_LIMITS if peak * 1.05 <= c), _CURRENT_LIMITS[-1])
        if lim != self._cur_lim:
            self._cur_lim = lim
            self.ax_cur.set_ylim(-lim, lim)


def hh_gating(V_clamp: float = 0.0, V_hold: float = -65.0,
              temperature: float = 6.3) -> GatingExplorer:
    """Gating curves and a voltage-clamp step of the Hodgkin-Huxley model.

    Parameters
    ----------
    V_clamp : float
        Clamp potential after the step (mV, -100 to 50).
    V_hold : float
        Holding potential (mV, -100 to -40).
    temperature : float
        Temperature (degC, 0 to 30); Q10 = 3.

    Returns
    -------
    GatingExplorer
        Displays itself when it is the last expression of a cell.
    """
    return GatingExplorer(V_clamp, V_hold, temperature)
