"""Conductance-based models: the membrane as an RC circuit, a one-dimensional model on
its phase line, and the passive cable.

- :class:`RCCircuit` (factory :func:`rc_circuit`): a current step into a passive
  membrane (the notebook passes a leaky integrate-and-fire neuron whose threshold is out
  of reach), with sliders for R, C and the step; the simulated charging curve, the
  closed-form one, and the time constant tau = R C marked where the curve has covered
  1 - 1/e of its way.
- :class:`PersistentSodiumLine` (factory :func:`persistent_sodium_line`): the phase line
  dV/dt against V of a one-dimensional model with a reset (the notebook passes a
  persistent sodium plus leak model) with its equilibria by kind and the
  direction of the flow, and beside it two runs from the same start: one with the reset
  (the model) and, if asked for, one with its threshold moved out of reach, which
  climbs to the upper "spike" state and stays there.
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
from ..models.base import Model
from ..models.cable import PassiveCable, simulate_cable, steady_state
from ..plots import pretty_unit
from ..plots._common import axis_label, state_unit, time_label
from ..simulate import simulate
from ._models import as_model, current_step, round_up, threshold_and_reset
from .core import App, slider

__all__ = ["RCCircuit", "rc_circuit", "passive_step_response", "PersistentSodiumLine",
           "persistent_sodium_line", "saddle_node_current", "CableExplorer",
           "cable_explorer"]

_E = math.e


# ============================================================================ RC circuit
#: Timing of the RC figure's step (ms): onset, offset and run length.
RC_START, RC_STOP, RC_DURATION = 20.0, 170.0, 250.0
#: Slider ranges of R (the model's unit of R), C (time unit / unit of R) and I.
_R_RANGE, _C_RANGE, _I_RANGE = (1.0, 50.0), (0.1, 2.0), (-0.2, 1.0)


class RCCircuit(App):
    """A current step into a passive membrane: the charging curve and tau = R C.

    Parameters
    ----------
    model : Model
        A one-state leaky membrane with parameters ``R`` (resistance) and ``tau_m``
        (time constant, set to R C from the sliders), e.g. a leaky integrate-and-fire
        neuron whose threshold is out of reach. Its resting potential at zero current
        is the E_L of the closed form.
    R : float
        Initial membrane resistance (unit of the model's ``R``, e.g. MOhm).
    C : float
        Initial membrane capacitance (time unit per unit of R: nF for ms and MOhm).
    I : float
        Initial step amplitude (model current units).

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

    def __init__(self, model: Model, R: float = 20.0, C: float = 1.0,
                 I: float = 1.0) -> None:
        model = as_model("model", model, states=1)
        info = model.parameter_info()
        if "R" not in info or "tau_m" not in info:
            raise ValueError(f"model must be a leaky membrane with parameters 'R' and "
                             f"'tau_m' (tau_m = R C); {type(model).__name__} has "
                             f"{', '.join(info)}")
        super().__init__(figsize=(9.0, 4.4))
        self.base = model
        r_unit = info["R"].unit
        t_unit = model.time_unit
        c_unit = "nF" if (r_unit, t_unit) == ("MOhm", "ms") else f"{t_unit}/{r_unit}"
        self.units = {"R": pretty_unit(r_unit), "C": c_unit,
                      "I": pretty_unit(model.current_unit)}
        self.R = slider("R", R, *_R_RANGE, 0.5, self.units["R"], info["R"].meaning)
        self.C = slider("C", C, *_C_RANGE, 0.05, c_unit, "membrane capacitance")
        self.I = slider("I", I, *_I_RANGE, 0.01, self.units["I"],
                        "amplitude of the current step")
        self.controls = [self.R, self.C, self.I]
        self.duration = RC_DURATION
        self.trace: Any = None
        self.tau = float("nan")
        E_L = float(model.initial_state(0.0)[0])
        reach = [E_L + r * i for r in _R_RANGE for i in _I_RANGE]
        pad = 0.05 * (max(reach) - min(reach))
        self.v_lim = (min(reach) - pad, max(reach) + pad)

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
        name = model.state_names[0]
        self.ax.set_xlim(0.0, RC_DURATION)
        self.ax.set_ylim(*self.v_lim)
        self.ax.set_ylabel(axis_label(name, state_unit(model, name)))
        self.ax.set_title("Passive membrane: C dV/dt = −(V − E_L)/R + I", fontsize=10)
        self.ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
        self.ax.tick_params(labelbottom=False)
        span = _I_RANGE[1] - _I_RANGE[0]
        self.ax_i.set_ylim(_I_RANGE[0] - 0.08 * span, _I_RANGE[1] + 0.08 * span)
        self.ax_i.set_ylabel(axis_label("I", model.current_unit))
        self.ax_i.set_xlabel(time_label(model))
        self.view.dynamic(self.sim_line, self.ana_line, self.ss_line, self.tau_v,
                          self.tau_h, self.tau_pt, self.tau_text, self.i_line)
        self.start()

    def model(self) -> Model:
        """The passive membrane of the sliders: the given model with R and
        tau_m = R C."""
        R, C = float(self.R.value), float(self.C.value)
        return self.base.replace(tau_m=R * C, R=R)

    def redraw(self) -> None:
        """Simulate the step and update both curves and the tau marker."""
        model = self.model()
        R, C, I = float(self.R.value), float(self.C.value), float(self.I.value)
        tr = simulate(model, self.duration, current=S.step(I, RC_START, RC_STOP))
        if tr.spike_times.size:
            raise ValueError(f"the membrane fired at t = {tr.spike_times[0]:.4g} "
                             f"{model.time_unit}: pass a model whose threshold lies out "
                             "of reach (a passive membrane)")
        self.trace = tr
        self.tau = R * C
        E_L = float(model.initial_state(0.0)[0])
        v = tr.y[0]
        v_ana = passive_step_response(tr.t, R, C, I, RC_START, RC_STOP, E_L)
        self.sim_line.set_data(tr.t, v)
        self.ana_line.set_data(tr.t, v_ana)
        self.ss_line.set_data([RC_START, RC_STOP], [E_L + R * I] * 2)
        t_tau = RC_START + self.tau
        v_tau = float(passive_step_response([t_tau], R, C, I, RC_START, RC_STOP, E_L)[0])
        self.tau_v.set_data([t_tau, t_tau], [self.v_lim[0], v_tau])
        self.tau_h.set_data([0.0, t_tau], [v_tau, v_tau])
        self.tau_pt.set_data([t_tau], [v_tau])
        u = self.units
        self.tau_text.set_text(f"τ = RC = {R:.3g} {u['R']} × {C:.3g} {u['C']} = "
                               f"{self.tau:.3g} {model.time_unit}")
        self.i_line.set_data(tr.t, tr.current)


def rc_circuit(model: Model, R: float = 20.0, C: float = 1.0, I: float = 1.0
               ) -> RCCircuit:
    """A current step into a passive membrane, with R, C and tau = R C (see
    :class:`RCCircuit`).

    Parameters
    ----------
    model : Model
        A one-state leaky membrane with parameters ``R`` and ``tau_m`` whose threshold
        (if any) the step cannot reach.
    R : float
        Membrane resistance (MOhm).
    C : float
        Membrane capacitance (nF).
    I : float
        Step amplitude (nA).

    Raises
    ------
    ValueError
        If ``model`` is not a one-state model with parameters R and tau_m.
    """
    return RCCircuit(model, R, C, I)


# ============================================================================ phase line
#: Length of each run (ms).
LINE_DURATION = 20.0
_KIND_STYLE = {True: dict(facecolors="k", edgecolors="k"),
               False: dict(facecolors="white", edgecolors="k")}


@functools.lru_cache(maxsize=8)
def saddle_node_current(model: Model, I_range: tuple[float, float] | None = None) -> float:
    """Current at which a model's rest and threshold merge: the first saddle-node that
    :func:`neurolab.analysis.bifurcations` finds in ``I_range`` (default the model's
    ``current_range``); with a reset it is a saddle-node on an invariant circle. Cached
    per model.

    Raises
    ------
    ValueError
        If there is no saddle-node in ``I_range``.
    """
    I_range = tuple(model.current_range if I_range is None else I_range)
    for b in bifurcations(model, I_range):
        if b.kind.startswith("saddle-node"):
            return float(b.I)
    raise ValueError(f"I_range={I_range} holds no saddle-node of {model!r}")


def _line_window(model: Model) -> tuple[tuple[float, float], tuple[float, float]]:
    """Window of the phase line: V over every equilibrium at I = 0, the reset and the
    threshold (20 % of their span below, 15 % above); dV/dt symmetric, 1.5 times the
    largest |dV/dt| between the lowest of them and the highest equilibrium below the
    threshold (so rest and threshold are legible; the climb to the upper state leaves
    the frame)."""
    thr, reset = threshold_and_reset(model)
    eq = [float(y[0]) for y in model.equilibria(0.0)]
    pts = [*eq, thr, reset]
    lo, hi = min(pts), max(pts)
    span = max(hi - lo, 1e-3)
    vlim = (lo - 0.2 * span, hi + 0.15 * span)
    below = [v for v in eq if v < thr]
    top = max(below) if below else thr
    v = np.linspace(min(lo, top - 0.05 * span), top, 400)
    f = np.abs(model.rhs(v[None, :], 0.0)[0])
    f = f[np.isfinite(f)]
    lim = round_up(1.5 * float(f.max())) if f.size and f.max() > 0 else 1.0
    return vlim, (-lim, lim)


class PersistentSodiumLine(App):
    """Phase line and traces of a one-dimensional model with a reset.

    Parameters
    ----------
    model : Model
        A model with one state and a threshold and reset.
    I : float
        Initial injected current (model current units).
    V0 : float, optional
        Initial value of the state in both runs (default the middle of the window).
    no_reset : mapping of str to float, optional
        Parameter changes that move the threshold out of reach (e.g.
        ``{"V_peak": 150.0}``): the second run, without resets. None: no second run.
    I_range : (float, float), optional
        Range of the current slider (default the model's ``current_range``).

    Attributes
    ----------
    I, V0 : ipywidgets.FloatSlider
        The controls (I first).
    model : Model
    no_reset : Model or None
        The model of the second run.
    points : list of FixedPoint
        The equilibria shown.
    trace, trace_no_reset : Trace
        The runs with and without the reset (the second None without ``no_reset``).
    I_sn : float
        Saddle-node current (model current units), or nan if there is none.
    duration : float
        Length of the runs (ms).
    """

    def __init__(self, model: Model, I: float = 0.0, V0: float | None = None, *,
                 no_reset: dict[str, float] | None = None,
                 I_range: tuple[float, float] | None = None) -> None:
        model = as_model("model", model, states=1, hybrid=True)
        if no_reset is not None:
            try:
                self.no_reset: Model | None = model.replace(**dict(no_reset))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"no_reset must be parameter changes of "
                                 f"{type(model).__name__}: {exc}") from None
        else:
            self.no_reset = None
        lo, hi = model.current_range if I_range is None else map(float, I_range)
        super().__init__(figsize=(10.0, 4.2))
        self.model = model
        self.vlim, self.dvlim = _line_window(model)
        try:
            self.I_sn = saddle_node_current(model, (lo, hi))
        except ValueError:
            self.I_sn = float("nan")
        unit = pretty_unit(model.current_unit)
        name = model.state_names[0]
        v_unit = pretty_unit(state_unit(model, name))
        V0 = 0.5 * (self.vlim[0] + self.vlim[1]) if V0 is None else V0
        self.I = slider("I", I, lo, hi, current_step(model, 300.0), unit,
                        "constant injected current")
        self.V0 = slider(f"{name}(0)", V0, *self.vlim, 0.5, v_unit,
                         "value at the start of both runs")
        self.controls = [self.I, self.V0]
        self.duration = LINE_DURATION
        self.points: list[Any] = []
        self.trace: Any = None
        self.trace_no_reset: Any = None
        thr, reset = threshold_and_reset(model)

        gs = self.figure.add_gridspec(1, 2, wspace=0.28, left=0.08, right=0.98, top=0.86,
                                      bottom=0.13)
        ax = self.ax_line = self.figure.add_subplot(gs[0])
        axt = self.ax_trace = self.figure.add_subplot(gs[1])
        self.V_grid = np.linspace(*self.vlim, 600)
        ax.axhline(0.0, color="0.3", lw=0.8)
        ax.axvline(thr, color="tab:purple", lw=1.0, ls="--")
        ax.text(thr + 0.01 * (self.vlim[1] - self.vlim[0]), self.dvlim[0] * 0.97,
                f"threshold: reset\nto {reset:g} {v_unit}", color="tab:purple",
                fontsize=8, va="bottom")
        (self.f_line,) = ax.plot([], [], color="tab:blue", lw=1.6)
        self.right = ax.scatter([], [], marker=">", s=30, color="tab:green", zorder=3)
        self.left = ax.scatter([], [], marker="<", s=30, color="tab:red", zorder=3)
        self.stable = ax.scatter([], [], s=70, zorder=4, linewidths=1.5, label="stable",
                                 **_KIND_STYLE[True])
        self.unstable = ax.scatter([], [], s=70, zorder=4, linewidths=1.5,
                                   label="unstable", **_KIND_STYLE[False])
        (self.v0_mark,) = ax.plot([], [], "|", color="k", ms=14, mew=2)
        ax.set_xlim(*self.vlim)
        ax.set_ylim(*self.dvlim)
        ax.set_xlabel(axis_label(name, state_unit(model, name)))
        ax.set_ylabel(axis_label(f"d{name}/dt", _rate_unit(model)))
        ax.set_title(f"Phase line of {type(model).title}", fontsize=9)
        ax.legend(loc="upper left", fontsize=8, framealpha=0.8)
        self.info = ax.text(0.02, 0.03, "", fontsize=8, va="bottom", transform=ax.transAxes,
                            bbox=dict(facecolor="white", edgecolor="0.8", pad=2.0))
        if np.isfinite(self.I_sn):
            self.figure.text(0.98, 0.955, f"rest and threshold merge (saddle-node)\nat "
                             f"I = {self.I_sn:.2f} {unit}", fontsize=8, va="center",
                             ha="right", color="0.3")

        (self.tr_no,) = axt.plot([], [], color="0.6", lw=1.3, ls="--",
                                 label="no reset: stuck in the upper state")
        (self.tr_line,) = axt.plot([], [], color="k", lw=1.4,
                                   label="with reset at the threshold")
        axt.axhline(thr, color="tab:purple", lw=0.8, ls="--")
        axt.set_xlim(0.0, LINE_DURATION)
        axt.set_ylim(*self.vlim)
        axt.set_xlabel(time_label(model))
        axt.set_ylabel(axis_label(name, state_unit(model, name)))
        handles = [self.tr_no, self.tr_line] if self.no_reset is not None else \
            [self.tr_line]
        axt.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.8)
        self.view.dynamic(self.f_line, self.right, self.left, self.stable, self.unstable,
                          self.v0_mark, self.info, self.tr_no, self.tr_line)
        self.start()

    def redraw(self) -> None:
        """Recompute the phase line, its equilibria and both runs."""
        I, V0 = float(self.I.value), float(self.V0.value)
        m = self.model
        dv = m.rhs(self.V_grid[None, :], I)[0]
        self.f_line.set_data(self.V_grid, dv)
        margin = 0.025 * (self.vlim[1] - self.vlim[0])
        arrows = np.linspace(self.vlim[0] + margin, self.vlim[1] - margin, 21)
        flow = m.rhs(arrows[None, :], I)[0]
        self.right.set_offsets(np.column_stack([arrows[flow > 0], np.zeros((flow > 0).sum())]))
        self.left.set_offsets(np.column_stack([arrows[flow < 0], np.zeros((flow < 0).sum())]))
        self.points = fixed_points(m, I, self.vlim)
        st = [fp.state[0] for fp in self.points if fp.kind.startswith("stable")]
        un = [fp.state[0] for fp in self.points if not fp.kind.startswith("stable")]
        self.stable.set_offsets(np.column_stack([st, np.zeros(len(st))]).reshape(-1, 2))
        self.unstable.set_offsets(np.column_stack([un, np.zeros(len(un))]).reshape(-1, 2))
        self.v0_mark.set_data([V0], [0.0])
        unit = state_unit(m, m.state_names[0])
        eq = ", ".join(f"{fp.state[0]:.1f}" for fp in self.points)
        self.info.set_text(f"equilibria ({pretty_unit(unit)}): {eq or 'none'}")
        self.trace = simulate(m, self.duration, current=I, y0=[V0])
        self.tr_line.set_data(self.trace.t, self.trace.y[0])
        if self.no_reset is not None:
            self.trace_no_reset = simulate(self.no_reset, self.duration, current=I,
                                           y0=[V0])
            self.tr_no.set_data(self.trace_no_reset.t, self.trace_no_reset.y[0])


def _rate_unit(model: Model) -> str:
    unit = state_unit(model, model.state_names[0])
    return f"{unit}/{model.time_unit}" if unit and model.time_unit else unit


def persistent_sodium_line(model: Model, I: float = 0.0, V0: float | None = None, *,
                           no_reset: dict[str, float] | None = None,
                           I_range: tuple[float, float] | None = None
                           ) -> PersistentSodiumLine:
    """Phase line and runs of a one-dimensional model with a reset (see
    :class:`PersistentSodiumLine`), e.g. ``persistent_sodium_line(model, V0=-50.0,
    no_reset={"V_peak": 150.0})`` for a model whose threshold is ``V_peak``.

    Parameters
    ----------
    model : Model
        A one-state model with a threshold and reset.
    I : float
        Injected current (model current units).
    V0 : float, optional
        Start of the runs.
    no_reset : mapping, optional
        Parameter changes that move the threshold out of reach (the second run).
    I_range : (float, float), optional
        Range of the current slider.

    Raises
    ------
    ValueError
        If ``model`` is not a one-state model with a reset, or ``no_reset`` names
        something that is not a valid parameter change.
    """
    return PersistentSodiumLine(model, I, V0, no_reset=no_reset, I_range=I_range)


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
    cable : PassiveCable
        The cable to start from; its diameter, membrane resistance, axial resistivity
        and length get sliders (from its parameter metadata), and it is simulated on
        :data:`CABLE_POINTS` grid points.

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

    #: The cable's parameters with a slider, in page order.
    SLIDERS = ("diameter", "R_m", "R_i", "length")

    def __init__(self, cable: PassiveCable) -> None:
        if not isinstance(cable, PassiveCable):
            raise ValueError(f"cable must be a neurolab.models.cable.PassiveCable; got "
                             f"{cable!r:.80}")
        super().__init__(figsize=(10.0, 4.3))
        info = cable.parameter_info()
        self.base = cable
        self.sliders = {}
        for name in self.SLIDERS:
            p = info[name]
            self.sliders[name] = slider(p.label, float(getattr(cable, name)), p.slider[0],
                                        p.slider[1], p.step, pretty_unit(p.unit),
                                        p.meaning)
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
        cable = self.base.replace(n_compartments=CABLE_POINTS, **values)
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


def cable_explorer(cable: PassiveCable) -> CableExplorer:
    """A passive cable fed at one end (see :class:`CableExplorer`), e.g.
    ``cable_explorer(PassiveCable())``.

    Parameters
    ----------
    cable : PassiveCable
        The cable to start from (diameter, R_m, R_i and length get sliders).

    Raises
    ------
    ValueError
        If ``cable`` is not a PassiveCable.
    """
    return CableExplorer(cable)
