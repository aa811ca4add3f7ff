"""Conductance-based models: the membrane as an RC circuit, I_Na,p on its phase line,
and the passive cable.

- :class:`RCCircuit` (factory :func:`rc_circuit`): a current step into a passive
  membrane (a leaky integrate-and-fire neuron whose threshold is out of reach), with
  sliders for R, C and the step; the simulated charging curve, the closed-form one, and
  the time constant tau = R C marked where the curve has covered 1 - 1/e of its way.
- :class:`PersistentSodiumLine` (factory :func:`persistent_sodium_line`): the phase line
  dV/dt against V of the one-dimensional I_Na,p model (Izhikevich 2007, ch. 4) with its
  equilibria by kind and the direction of the flow, and beside it two runs from the
  same start: one with the reset at V_peak (the model) and one without it, which climbs
  to the upper "spike" state and stays there.
- :class:`CableExplorer` (factory :func:`cable_explorer`): a passive dendrite fed with a
  constant current at one end; the steady-state profile V(x) (closed form), snapshots of
  the spreading depolarization (finite-difference simulation), the voltage over time at
  three places, and the length constant lambda marked.

Numbers come from :mod:`neurolab` (models, :func:`neurolab.simulate.simulate`,
:mod:`neurolab.analysis`, :mod:`neurolab.models.cable`); the closed-form charging curve
the RC figure compares the simulation with is
:func:`neurolab.analysis.passive_step_response` (re-exported here).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .. import stimulus as S
from ..analysis import bifurcations, fixed_points
from ..analysis.passive import passive_step_response
from ..models import LIF, INaP
from ..models.cable import PassiveCable, simulate_cable, steady_state
from ..plots import pretty_unit
from ..simulate import simulate
from .core import App, slider

__all__ = ["RCCircuit", "rc_circuit", "passive_step_response", "PersistentSodiumLine",
           "persistent_sodium_line", "inap_saddle_node", "CableExplorer", "cable_explorer"]

_E = math.e


# ============================================================================ RC circuit
#: Timing of the RC figure's step (ms): onset, offset and run length.
RC_START, RC_STOP, RC_DURATION = 20.0, 170.0, 250.0
#: Potential of the RC membrane's threshold: far above anything the sliders reach, so the
#: leaky integrate-and-fire neuron behaves as a passive membrane.
RC_THRESHOLD = 100.0


class RCCircuit(App):
    """A current step into a passive membrane: the charging curve and tau = R C.

    Parameters
    ----------
    R : float
        Initial membrane resistance (MOhm).
    C : float
        Initial membrane capacitance (nF).
    I : float
        Initial step amplitude (nA).

    Attributes
    ----------
    R, C, I : ipywidgets.FloatSlider
        The controls (R first).
    trace : Trace
        The latest simulation.
    tau : float
        R C (ms) shown.
    duration : float
        Length of each run (ms).
    """

    def __init__(self, R: float = 20.0, C: float = 1.0, I: float = 1.0) -> None:
        super().__init__(figsize=(9.0, 4.4))
        self.R = slider("R", R, 1.0, 50.0, 0.5, pretty_unit("MOhm"), "membrane resistance")
        self.C = slider("C", C, 0.1, 2.0, 0.05, "nF", "membrane capacitance")
        self.I = slider("I", I, -0.2, 1.0, 0.01, "nA", "amplitude of the current step")
        self.controls = [self.R, self.C, self.I]
        self.duration = RC_DURATION
        self.trace: Any = None
        self.tau = float("nan")

        gs = self.figure.add_gridspec(2, 1, height_ratios=[3.0, 1.0], hspace=0.1,
                                      left=0.09, right=0.97, top=0.93, bottom=0.12)
        self.ax = self.figure.add_subplot(gs[0])
        self.ax_i = self.figure.add_subplot(gs[1], sharex=self.ax)
        (self.sim_line,) = self.ax.plot([], [], color="k", lw=1.6, label="simulated")
        (self.ana_line,) = self.ax.plot([], [], color="tab:orange", lw=1.2, ls="--",
                                        label="closed form")
        (self.ss_line,) = self.ax.plot([], [], color="0.5", lw=0.8, ls=":",
                                       label="E_L + R I (steady state)")
        (self.tau_v,) = self.ax.plot([], [], color="tab:red", lw=1.0, ls=":")
        (self.tau_h,) = self.ax.plot([], [], color="tab:red", lw=1.0, ls=":")
        (self.tau_pt,) = self.ax.plot([], [], "o", color="tab:red", ms=6,
                                      label="t = onset + τ: 63 % of the way")
        self.tau_text = self.ax.text(0.99, 0.04, "", transform=self.ax.transAxes,
                                     ha="right", va="bottom", fontsize=10, color="tab:red")
        (self.i_line,) = self.ax_i.plot([], [], color="tab:green", lw=1.2)
        self.ax.set_xlim(0.0, RC_DURATION)
        self.ax.set_ylim(-76.0, -10.0)
        self.ax.set_ylabel("V (mV)")
        self.ax.set_title("Passive membrane: C dV/dt = −(V − E_L)/R + I", fontsize=10)
        self.ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
        self.ax.tick_params(labelbottom=False)
        self.ax_i.set_ylim(-0.3, 1.1)
        self.ax_i.set_ylabel("I (nA)")
        self.ax_i.set_xlabel("t (ms)")
        self.view.dynamic(self.sim_line, self.ana_line, self.ss_line, self.tau_v,
                          self.tau_h, self.tau_pt, self.tau_text, self.i_line)
        self.start()

    def model(self) -> LIF:
        """The passive membrane of the sliders: a LIF neuron with tau_m = R C and its
        threshold out of reach."""
        R, C = float(self.R.value), float(self.C.value)
        return LIF(tau_m=R * C, R=R, V_th=RC_THRESHOLD, t_ref=0.0)

    def redraw(self) -> None:
        """Simulate the step and update both curves and the tau marker."""
        model = self.model()
        R, C, I = float(self.R.value), float(self.C.value), float(self.I.value)
        tr = simulate(model, self.duration, current=S.step(I, RC_START, RC_STOP))
        self.trace = tr
        self.tau = R * C
        v_ana = passive_step_response(tr.t, R, C, I, RC_START, RC_STOP, model.E_L)
        self.sim_line.set_data(tr.t, tr.V)
        self.ana_line.set_data(tr.t, v_ana)
        self.ss_line.set_data([RC_START, RC_STOP], [model.E_L + R * I] * 2)
        t_tau = RC_START + self.tau
        v_tau = float(passive_step_response([t_tau], R, C, I, RC_START, RC_STOP,
                                            model.E_L)[0])
        self.tau_v.set_data([t_tau, t_tau], [-76.0, v_tau])
        self.tau_h.set_data([0.0, t_tau], [v_tau, v_tau])
        self.tau_pt.set_data([t_tau], [v_tau])
        self.tau_text.set_text(f"τ = RC = {R:.3g} MΩ × {C:.3g} nF = {self.tau:.3g} ms")
        self.i_line.set_data(tr.t, tr.current)


def rc_circuit(R: float = 20.0, C: float = 1.0, I: float = 1.0) -> RCCircuit:
    """A current step into a passive membrane, with R, C and tau = R C (see
    :class:`RCCircuit`).

    Parameters
    ----------
    R : float
        Membrane resistance (MOhm).
    C : float
        Membrane capacitance (nF).
    I : float
        Step amplitude (nA).
    """
    return RCCircuit(R, C, I)


# ============================================================================ I_Na,p
#: Window of the phase line: V (mV) and dV/dt (mV/ms). The curve leaves the frame
#: between the threshold and the upper state, where it reaches hundreds of mV/ms.
INAP_VLIM = (-90.0, 30.0)
INAP_DVLIM = (-15.0, 15.0)
#: Length of each I_Na,p run (ms).
INAP_DURATION = 20.0
#: A spike cut-off no trajectory reaches: the "no reset" run.
INAP_NO_RESET = 150.0
_KIND_STYLE = {True: dict(facecolors="k", edgecolors="k"),
               False: dict(facecolors="white", edgecolors="k")}


@functools.lru_cache(maxsize=8)
def inap_saddle_node(model: INaP | None = None,
                     I_range: tuple[float, float] = (-10.0, 40.0)) -> float:
    """Current (uA/cm2) at which I_Na,p's rest and threshold merge.

    Found by :func:`neurolab.analysis.bifurcations` (with the reset the bifurcation
    is a saddle-node on an invariant circle); cached per model.

    Raises
    ------
    ValueError
        If there is no saddle-node in ``I_range``.
    """
    model = INaP() if model is None else model
    for b in bifurcations(model, I_range):
        if b.kind.startswith("saddle-node"):
            return float(b.I)
    raise ValueError(f"I_range={I_range} holds no saddle-node of {model!r}")


class PersistentSodiumLine(App):
    """Phase line and traces of the one-dimensional persistent sodium model.

    Parameters
    ----------
    I : float
        Initial injected current (uA/cm2).
    V0 : float
        Initial membrane potential of the runs (mV).

    Attributes
    ----------
    I, V0 : ipywidgets.FloatSlider
        The controls (I first).
    model : INaP
        The model (Izhikevich 2007 parameters).
    points : list of FixedPoint
        The equilibria shown.
    trace, trace_no_reset : Trace
        The runs with and without the reset.
    I_sn : float
        Saddle-node current (uA/cm2).
    duration : float
        Length of the runs (ms).
    """

    def __init__(self, I: float = 0.0, V0: float = -50.0) -> None:
        super().__init__(figsize=(10.0, 4.2))
        self.model = INaP()
        self.no_reset = self.model.replace(V_peak=INAP_NO_RESET)
        self.I_sn = inap_saddle_node(self.model)
        unit = pretty_unit("uA/cm2")
        self.I = slider("I", I, -5.0, 10.0, 0.05, unit, "constant injected current")
        self.V0 = slider("V(0)", V0, -90.0, 20.0, 0.5, "mV",
                         "membrane potential at the start of both runs")
        self.controls = [self.I, self.V0]
        self.duration = INAP_DURATION
        self.points: list[Any] = []
        self.trace: Any = None
        self.trace_no_reset: Any = None

        gs = self.figure.add_gridspec(1, 2, wspace=0.28, left=0.08, right=0.98, top=0.86,
                                      bottom=0.13)
        ax = self.ax_line = self.figure.add_subplot(gs[0])
        axt = self.ax_trace = self.figure.add_subplot(gs[1])
        self.V_grid = np.linspace(*INAP_VLIM, 600)
        ax.axhline(0.0, color="0.3", lw=0.8)
        ax.axvline(self.model.V_peak, color="tab:purple", lw=1.0, ls="--")
        ax.text(self.model.V_peak + 1.0, INAP_DVLIM[0] + 0.5,
                f"V_peak: reset\nto {self.model.V_reset:g} mV", color="tab:purple",
                fontsize=8, va="bottom")
        (self.f_line,) = ax.plot([], [], color="tab:blue", lw=1.6)
        self.right = ax.scatter([], [], marker=">", s=30, color="tab:green", zorder=3)
        self.left = ax.scatter([], [], marker="<", s=30, color="tab:red", zorder=3)
        self.stable = ax.scatter([], [], s=70, zorder=4, linewidths=1.5, label="stable",
                                 **_KIND_STYLE[True])
        self.unstable = ax.scatter([], [], s=70, zorder=4, linewidths=1.5,
                                   label="unstable", **_KIND_STYLE[False])
        (self.v0_mark,) = ax.plot([], [], "|", color="k", ms=14, mew=2)
        ax.set_xlim(*INAP_VLIM)
        ax.set_ylim(*INAP_DVLIM)
        ax.set_xlabel("V (mV)")
        ax.set_ylabel("dV/dt (mV/ms)")
        ax.set_title("Phase line: C dV/dt = I − g_L(V−E_L) − g_Na m∞(V)(V−E_Na)",
                     fontsize=9)
        ax.legend(loc="upper left", fontsize=8, framealpha=0.8)
        self.info = ax.text(0.02, 0.03, "", fontsize=8, va="bottom", transform=ax.transAxes,
                            bbox=dict(facecolor="white", edgecolor="0.8", pad=2.0))
        self.figure.text(0.98, 0.955, f"rest and threshold merge (saddle-node)\nat "
                         f"I = {self.I_sn:.2f} µA/cm²", fontsize=8, va="center", ha="right",
                         color="0.3")

        (self.tr_no,) = axt.plot([], [], color="0.6", lw=1.3, ls="--",
                                 label="no reset: stuck in the upper state")
        (self.tr_line,) = axt.plot([], [], color="k", lw=1.4, label="with reset at V_peak")
        axt.axhline(self.model.V_peak, color="tab:purple", lw=0.8, ls="--")
        axt.set_xlim(0.0, INAP_DURATION)
        axt.set_ylim(*INAP_VLIM)
        axt.set_xlabel("t (ms)")
        axt.set_ylabel("V (mV)")
        axt.legend(loc="lower right", fontsize=8, framealpha=0.8)
        self.view.dynamic(self.f_line, self.right, self.left, self.stable, self.unstable,
                          self.v0_mark, self.info, self.tr_no, self.tr_line)
        self.start()

    def redraw(self) -> None:
        """Recompute the phase line, its equilibria and both runs."""
        I, V0 = float(self.I.value), float(self.V0.value)
        m = self.model
        dv = m.rhs(self.V_grid[None, :], I)[0]
        self.f_line.set_data(self.V_grid, dv)
        arrows = np.linspace(INAP_VLIM[0] + 3.0, INAP_VLIM[1] - 3.0, 21)
        flow = m.rhs(arrows[None, :], I)[0]
        self.right.set_offsets(np.column_stack([arrows[flow > 0], np.zeros((flow > 0).sum())]))
        self.left.set_offsets(np.column_stack([arrows[flow < 0], np.zeros((flow < 0).sum())]))
        self.points = fixed_points(m, I, INAP_VLIM)
        st = [fp.state[0] for fp in self.points if fp.kind.startswith("stable")]
        un = [fp.state[0] for fp in self.points if not fp.kind.startswith("stable")]
        self.stable.set_offsets(np.column_stack([st, np.zeros(len(st))]).reshape(-1, 2))
        self.unstable.set_offsets(np.column_stack([un, np.zeros(len(un))]).reshape(-1, 2))
        self.v0_mark.set_data([V0], [0.0])
        eq = ", ".join(f"{fp.state[0]:.1f}" for fp in self.points)
        self.info.set_text(f"equilibria (mV): {eq or 'none'}")
        self.trace = simulate(m, self.duration, current=I, y0=[V0])
        self.trace_no_reset = simulate(self.no_reset, self.duration, current=I, y0=[V0])
        self.tr_line.set_data(self.trace.t, self.trace.V)
        self.tr_no.set_data(self.trace_no_reset.t, self.trace_no_reset.V)


def persistent_sodium_line(I: float = 0.0, V0: float = -50.0) -> PersistentSodiumLine:
    """Phase line and runs of the I_Na,p model (see :class:`PersistentSodiumLine`).

    Parameters
    ----------
    I : float
        Injected current (uA/cm2).
    V0 : float
        Start of the runs (mV).
    """
    return PersistentSodiumLine(I, V0)


# ============================================================================ cable
#: Current injected at x = 0 (nA), length of the run (ms), its time step (ms), the
#: snapshot times (ms) and the grid points of the simulation.
CABLE_I = 0.1
CABLE_DURATION = 150.0
CABLE_DT = 0.5
CABLE_SNAPSHOTS = (2.0, 10.0, 40.0)
CABLE_POINTS = 61
_SNAP_COLORS = ("#c6dbef", "#6baed6", "#2171b5")
_SPOT_COLORS = ("k", "tab:blue", "tab:orange")


class CableExplorer(App):
    """A passive cable fed at one end: V(x) at steady state and over time, lambda marked.

    Parameters
    ----------
    diameter : float
        Initial diameter (um).
    R_m : float
        Initial specific membrane resistance (kOhm cm2).
    R_i : float
        Initial axial resistivity (Ohm cm).
    length : float
        Initial length (um).

    Attributes
    ----------
    sliders : dict of str to ipywidgets.FloatSlider
        ``"diameter"`` (first), ``"R_m"``, ``"R_i"``, ``"length"``.
    cable : PassiveCable
        The cable shown.
    result : CableResult
        The latest simulation.
    duration : float
        Length of the run (ms).
    """

    def __init__(self, diameter: float = 2.0, R_m: float = 20.0, R_i: float = 100.0,
                 length: float = 1000.0) -> None:
        super().__init__(figsize=(10.0, 4.3))
        info = PassiveCable.parameter_info()
        start = {"diameter": diameter, "R_m": R_m, "R_i": R_i, "length": length}
        self.sliders = {}
        for name, value in start.items():
            p = info[name]
            self.sliders[name] = slider(p.label, value, p.slider[0], p.slider[1], p.step,
                                        pretty_unit(p.unit), p.meaning)
        self.controls = list(self.sliders.values())
        self.duration = CABLE_DURATION
        self.cable: PassiveCable | None = None
        self.result: Any = None
        self._length: float | None = None

        gs = self.figure.add_gridspec(1, 2, wspace=0.25, left=0.07, right=0.98, top=0.85,
                                      bottom=0.13)
        ax = self.ax_x = self.figure.add_subplot(gs[0])
        axt = self.ax_t = self.figure.add_subplot(gs[1])
        self.snaps = [ax.plot([], [], color=c, lw=1.2, label=f"t = {t:g} ms")[0]
                      for t, c in zip(CABLE_SNAPSHOTS, _SNAP_COLORS, strict=True)]
        (self.ss_line,) = ax.plot([], [], color="k", lw=1.8, label="steady state")
        (self.exp_line,) = ax.plot([], [], color="0.5", lw=1.0, ls=":",
                                   label="e^(−x/λ): infinitely long cable")
        (self.lam_line,) = ax.plot([], [], color="tab:red", lw=1.0, ls="--",
                                   transform=ax.get_xaxis_transform())
        self.lam_text = ax.text(0.0, 0.98, "", color="tab:red", fontsize=9, ha="left",
                                va="top", transform=ax.get_xaxis_transform())
        ax.axhline(1 / _E, color="tab:red", lw=0.6, ls=":")
        ax.text(0.99, 1 / _E + 0.01, "1/e", color="tab:red", fontsize=8, ha="right",
                va="bottom", transform=ax.get_yaxis_transform())
        ax.set_ylim(0.0, 1.08)
        ax.set_xlabel("distance from the injection site x (µm)")
        ax.set_ylabel("(V − E_L) / steady (V(0) − E_L)")
        ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
        self.spots = [axt.plot([], [], color=c, lw=1.4)[0] for c in _SPOT_COLORS]
        self.spot_ss = [axt.plot([], [], color=c, lw=0.8, ls=":")[0] for c in _SPOT_COLORS]
        (self.tau_line,) = axt.plot([], [], color="tab:red", lw=1.0, ls="--",
                                    transform=axt.get_xaxis_transform())
        (self.rc_line,) = axt.plot([], [], color="0.5", lw=1.0, ls="-.",
                                   label="one compartment, 1 − e^(−t/τ)")
        axt.set_xlim(0.0, CABLE_DURATION)
        axt.set_ylim(0.0, 1.08)
        axt.set_xlabel("t since the current was switched on (ms)")
        axt.set_ylabel("(V − E_L) / steady (V(0) − E_L)")
        self.info = self.figure.text(0.07, 0.95, "", fontsize=9, va="center")
        self.figure.text(0.98, 0.95, f"λ = √(d R_m / 4 R_i),  τ = R_m C_m;  {CABLE_I:g} nA "
                         "injected at x = 0 from t = 0", fontsize=8, va="center", ha="right",
                         color="0.3")
        self.view.dynamic(*self.snaps, self.ss_line, self.exp_line, self.lam_line,
                          self.lam_text, *self.spots, *self.spot_ss, self.tau_line,
                          self.rc_line, self.info)
        self.start()

    def spot_positions(self) -> list[float]:
        """Where the voltage is followed over time (um): x = 0, L/2 and L."""
        L = self.cable.length if self.cable is not None else 0.0
        return [0.0, 0.5 * L, L]

    def redraw(self) -> None:
        """Rebuild the cable from the sliders, simulate it and update every curve."""
        values = {k: float(s.value) for k, s in self.sliders.items()}
        cable = PassiveCable(n_compartments=CABLE_POINTS, **values)
        self.cable = cable
        x = cable.grid()
        lam, tau, L = cable.length_constant, cable.time_constant, cable.length
        v_ss = steady_state(cable, CABLE_I, x) - cable.E_L
        scale = float(v_ss[0])
        res = simulate_cable(cable, self.duration, CABLE_I, dt=CABLE_DT)
        self.result = res
        if self._length != L:
            self._length = L
            self.ax_x.set_xlim(0.0, L)
            self.view.invalidate()
        self.ss_line.set_data(x, v_ss / scale)
        self.exp_line.set_data(x, np.exp(-x / lam))
        for line, t in zip(self.snaps, CABLE_SNAPSHOTS, strict=True):
            k = int(np.argmin(np.abs(res.t - t)))
            line.set_data(x, (res.V[k] - cable.E_L) / scale)
        self.lam_line.set_data([lam, lam], [0.0, 1.0])
        right = lam > 0.6 * L
        self.lam_text.set_horizontalalignment("right" if right else "left")
        self.lam_text.set_position((min(lam, L) + (-0.01 if right else 0.01) * L, 0.6))
        self.lam_text.set_text(f"λ = {lam:.0f} µm" + (" →" if lam > L else ""))
        labels = ["x = 0", f"x = L/2 = {0.5 * L:.0f} µm", f"x = L = {L:.0f} µm"]
        v_spots = steady_state(cable, CABLE_I, self.spot_positions()) - cable.E_L
        for j, (line, ss, xs) in enumerate(zip(self.spots, self.spot_ss,
                                               self.spot_positions(), strict=True)):
            k = int(np.argmin(np.abs(x - xs)))
            line.set_data(res.t, (res.V[:, k] - cable.E_L) / scale)
            line.set_label(labels[j])
            ss.set_data([0.0, self.duration], [v_spots[j] / scale] * 2)
        self.tau_line.set_data([tau, tau], [0.0, 1.0])
        self.rc_line.set_data(res.t, -np.expm1(-res.t / tau))
        self.info.set_text(f"λ = {lam:.0f} µm   τ = {tau:.0f} ms   L/λ = {L / lam:.2f}   "
                           f"V(0) − E_L = {scale:.1f} mV   R_in = "
                           f"{cable.input_resistance:.0f} MΩ")
        legend = self.ax_t.get_legend()
        if legend is None or [t.get_text() for t in legend.get_texts()][:3] != labels:
            self.ax_t.legend(handles=[*self.spots, self.rc_line], loc="lower right",
                             fontsize=7, framealpha=0.8)
            self.view.invalidate()


def cable_explorer(diameter: float = 2.0, R_m: float = 20.0, R_i: float = 100.0,
                   length: float = 1000.0) -> CableExplorer:
    """A passive cable fed at one end (see :class:`CableExplorer`).

    Parameters
    ----------
    diameter : float
        Diameter (um).
    R_m : float
        Specific membrane resistance (kOhm cm2).
    R_i : float
        Axial resistivity (Ohm cm).
    length : float
        Length (um).
    """
    return CableExplorer(diameter, R_m, R_i, length)
