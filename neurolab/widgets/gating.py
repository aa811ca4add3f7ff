"""Gating variables: steady states, time constants, and a voltage-clamp step.

:class:`GatingExplorer` (factory :func:`hh_gating`) shows, for a conductance-based model
whose gates have steady-state helpers in its equations (a helper ``x_inf`` for each gate
``x``, e.g. ``m_inf``, ``h_inf``, ``n_inf``):

- the steady states x_inf(V), read from those helpers (:meth:`Model.expressions`);
- the time constants tau_x(V) = -1 / (d x'/d x), from the model's exact Jacobian at each
  V with the gates at their steady states, on a logarithmic axis. For a gate obeying
  x' = (x_inf - x) / tau_x this is tau_x itself, including any factor the equations put
  in front of the rates (a temperature factor, say), so moving such a parameter with the
  optional slider shows its effect;
- a voltage-clamp experiment: the membrane is held at a holding potential, then stepped
  to the clamp potential at t = 0; the gates relax towards their new steady states and
  the ionic currents (helpers named ``I_...``, or those chosen) follow.

The clamp is ideal: the model is reduced so that its first state is replaced by the
injected input (``model.reduce({V: "I"})``), and the reduced model is run with the clamp
potential as its input. The gates then obey their own equations at exactly that
potential; the full state along the run is ``reduced.full_state(...)``. No science lives
here: every number comes from the model and :func:`neurolab.simulate.simulate`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..models.base import Model
from ..plots._common import axis_label, convention_text, pretty_unit, time_label
from ..simulate import Trace, simulate
from ._models import as_model, names_in, parameter_name
from .core import App, controls_for, slider

__all__ = ["GatingExplorer", "hh_gating", "gates_of", "CLAMP_DURATION"]

#: Points of the voltage axis of the gating curves, and length of the clamp step (ms).
V_POINTS = 301
CLAMP_DURATION = 25.0
#: Colours of the gates and of the currents, in the order of the model's states/helpers.
_GATE_COLORS = ("tab:red", "tab:orange", "tab:blue", "tab:green", "tab:purple",
                "tab:brown", "tab:pink", "tab:olive")
_CURRENT_COLORS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange",
                   "tab:brown")
#: Symmetric limits offered to the current axis (model current units); the smallest
#: that fits is used.
_CURRENT_LIMITS = (20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0)


def gates_of(model: Model) -> tuple[str, ...]:
    """The states of ``model`` after the first that have a steady-state helper
    ``<state>_inf`` in its equations, in state order.

    Raises
    ------
    ValueError
        If the model has no such gate, or a state after the first without one (the
        clamp starts every state at its steady state at the holding potential).
    """
    helpers = model.expressions(np.zeros(model.n_states))
    gates = tuple(s for s in model.state_names[1:] if f"{s}_inf" in helpers)
    missing = [s for s in model.state_names[1:] if s not in gates]
    if not gates or missing:
        raise ValueError(
            f"model must be a conductance-based model whose every state after the first "
            f"has a steady-state helper '<state>_inf' in its equations; "
            f"{type(model).__name__} has states {model.state_names} and lacks "
            f"{', '.join(f'{s}_inf' for s in (missing or model.state_names[1:]))}")
    return gates


def _mathtext(name: str) -> str:
    """``"I_Na"`` -> ``"$I_{Na}$"`` (a helper name as a legend label)."""
    head, _, tail = name.partition("_")
    return f"${head}_{{{tail}}}$" if tail else name


class GatingExplorer(App):
    """x_inf(V), tau_x(V) and a voltage-clamp step of a conductance-based model.

    Parameters
    ----------
    model : Model
        A model whose states after the first are gates with ``<gate>_inf`` helpers
        (see :func:`gates_of`).
    V_clamp : float
        Clamp potential after the step (units of the first state).
    V_hold : float, optional
        Holding potential before the step; the gates start at their steady states
        there. Default: the resting potential at zero current, rounded to 1 mV.
    parameter : str, optional
        A parameter of the model given a slider (e.g. ``"temperature"``).
    currents : sequence of str, optional
        Helpers of the equations drawn as clamp currents; default every helper whose
        name starts with ``I_``.

    Attributes
    ----------
    V_clamp, V_hold : ipywidgets.FloatSlider
        The controls, clamp potential first.
    params : dict of str to ipywidgets.FloatSlider
        The slider of ``parameter`` (empty without one).
    gates : tuple of str
        The gates shown.
    model : Model
        The model with the sliders' parameter value.
    V : numpy.ndarray
        Voltage axis of the gating curves (the model's ``equilibrium_window``).
    steady, tau : dict of str to numpy.ndarray
        x_inf(V) and tau_x(V) (time units) of each gate, as drawn.
    trace : Trace
        The clamped run of the reduced model (gates only; time from the step).
    states : dict of str to numpy.ndarray
        Every state of the full model along the run (the first one held at V_clamp).
    currents : dict of str to numpy.ndarray
        The chosen currents along the run (model current units).
    """

    def __init__(self, model: Model, V_clamp: float = 0.0, V_hold: float | None = None,
                 *, parameter: str | None = None,
                 currents: Sequence[str] | None = None) -> None:
        model = as_model("model", model)
        self.gates = gates_of(model)
        parameter = parameter_name("parameter", model, parameter)
        helpers = model.expressions(np.zeros(model.n_states))
        if currents is None:
            currents = [h for h in helpers if h.startswith("I_")]
        self.current_names = names_in("currents", list(helpers), currents,
                                      "helpers of the model's equations")
        super().__init__(figsize=(10.0, 6.4))
        v_name = model.state_names[0]
        v_unit = pretty_unit(model.state_units.get(v_name, model.voltage_unit))
        lo, hi = model.equilibrium_window
        if V_hold is None:
            V_hold = float(round(model.initial_state(0.0)[0]))
        self.V_clamp = slider(f"{v_name} step to", V_clamp, lo, hi, 1.0, v_unit,
                              "clamp potential after the step at t = 0")
        self.V_hold = slider(f"{v_name} holding", V_hold, lo, hi, 1.0, v_unit,
                             "potential before the step; gates start at steady state")
        self.params = controls_for(model, [parameter] if parameter else [])
        self.controls = [self.V_clamp, self.V_hold, *self.params.values()]
        self.model = model
        self.V = np.linspace(lo, hi, V_POINTS)
        self.steady: dict[str, np.ndarray] = {}
        self.tau: dict[str, np.ndarray] = {}
        self.trace: Trace | None = None
        self.states: dict[str, np.ndarray] = {}
        self.currents: dict[str, np.ndarray] = {}
        # The ideal clamp: the first state replaced by the input (compiled once here).
        self._clamp_rule = {v_name: "I"}
        model.reduce(self._clamp_rule)

        fig = self.figure
        gs = fig.add_gridspec(2, 2, hspace=0.45, wspace=0.28, left=0.08, right=0.98,
                              top=0.9, bottom=0.09)
        self.ax_inf = fig.add_subplot(gs[0, 0])
        self.ax_tau = fig.add_subplot(gs[0, 1])
        self.ax_gate = fig.add_subplot(gs[1, 0])
        self.ax_cur = fig.add_subplot(gs[1, 1])
        self.inf_lines, self.tau_lines, self.gate_lines = {}, {}, {}
        for g, c in zip(self.gates, _GATE_COLORS * 4, strict=False):
            (self.inf_lines[g],) = self.ax_inf.plot([], [], color=c, lw=1.5,
                                                    label=f"{g}$_\\infty$")
            (self.tau_lines[g],) = self.ax_tau.plot([], [], color=c, lw=1.5,
                                                    label=f"$\\tau_{{{g}}}$")
            (self.gate_lines[g],) = self.ax_gate.plot([], [], color=c, lw=1.5, label=g)
        self.current_lines = {
            n: self.ax_cur.plot([], [], color=c, lw=1.5, label=_mathtext(n))[0]
            for n, c in zip(self.current_names, _CURRENT_COLORS * 4, strict=False)}
        self.inf_markers = {k: self.ax_inf.axvline(0.0, color=c, ls=ls, lw=1.0)
                            for k, c, ls in (("hold", "0.5", ":"), ("clamp", "k", "--"))}
        self.tau_marker = self.ax_tau.axvline(0.0, color="k", ls="--", lw=1.0)
        self.ax_cur.axhline(0.0, color="0.7", lw=0.8)
        self._cur_lim = 0.0

        v_label = axis_label(v_name, model.state_units.get(v_name, model.voltage_unit))
        t_unit = model.time_unit
        self.ax_inf.set(xlim=(lo, hi), ylim=(-0.02, 1.02), xlabel=v_label,
                        ylabel="steady state (dimensionless)",
                        title=f"steady states $x_\\infty({v_name})$")
        self.ax_tau.set(xlim=(lo, hi), ylim=self._tau_limits(model), yscale="log",
                        xlabel=v_label, ylabel=axis_label("time constant", t_unit))
        self.ax_gate.set(xlim=(0.0, CLAMP_DURATION), ylim=(-0.02, 1.02),
                         xlabel=time_label(model).replace("t (", "time after the step ("),
                         ylabel="gate (dimensionless)", title="voltage clamp: gates")
        self.ax_cur.set(xlim=(0.0, CLAMP_DURATION),
                        xlabel=time_label(model).replace("t (", "time after the step ("),
                        ylabel=axis_label("current", model.current_unit),
                        title="voltage clamp: currents (outward > 0)")
        for ax in (self.ax_tau, self.ax_cur):
            ax.legend(loc="best", fontsize=8, frameon=False)
        self.ax_inf.legend(loc="center right", fontsize=8, frameon=False)
        self.ax_gate.legend(loc="center right", fontsize=8, frameon=False)
        fig.text(0.08, 0.97, convention_text(model).replace("\n", "  "),
                 fontsize=7.5, color="0.35", va="top")
        self.tau_title = self.ax_tau.set_title("")
        self.view.dynamic(*self.inf_lines.values(), *self.tau_lines.values(),
                          *self.gate_lines.values(), *self.inf_markers.values(),
                          self.tau_marker, *self.current_lines.values(), self.tau_title)
        # The current axis rescales with the step: its y axis (ticks and label) is drawn
        # with the dynamic artists, so a new scale costs no full redraw.
        self.view.dynamic(self.ax_cur.yaxis)
        self.start()

    # ------------------------------------------------------------------ the model
    def _grid_state(self, model: Model, V: np.ndarray) -> np.ndarray:
        """States on the voltage axis with every gate at its steady state there."""
        y = np.zeros((model.n_states, V.size))
        y[0] = V
        e = model.expressions(y)
        for i, g in enumerate(model.state_names[1:], start=1):
            y[i] = e[f"{g}_inf"]
        return y

    def _curves(self, model: Model, V: np.ndarray
                ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """x_inf(V) and tau_x(V) = -1 / J_xx at the steady states."""
        y = self._grid_state(model, V)
        J = model.jacobian(y)
        steady, tau = {}, {}
        for i, g in enumerate(model.state_names[1:], start=1):
            steady[g] = y[i]
            with np.errstate(divide="ignore"):
                tau[g] = -1.0 / J[i, i]
        return steady, tau

    def _tau_limits(self, model: Model) -> tuple[float, float]:
        """Decades around the time constants at the start (a tenth below the
        smallest, for parameters that speed the gates up)."""
        _, tau = self._curves(model, self.V)
        t = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in tau.values()])
        if t.size == 0:
            return 1e-3, 1e2
        return (10.0 ** np.floor(np.log10(t.min() / 10.0)),
                10.0 ** np.ceil(np.log10(t.max())))

    def model_from_controls(self) -> Model:
        """The model with the slider's parameter value (ValueError if invalid)."""
        return self.model.replace(**{k: float(s.value) for k, s in self.params.items()})

    # ------------------------------------------------------------------ redraw
    def redraw(self) -> None:
        """Rebuild the model from the slider, clamp it and update every curve."""
        model = self.model_from_controls()
        Vc = float(self.V_clamp.value)
        Vh = float(self.V_hold.value)
        self.model = model
        self.steady, self.tau = self._curves(model, self.V)
        for g in self.gates:
            self.inf_lines[g].set_data(self.V, self.steady[g])
            self.tau_lines[g].set_data(self.V, self.tau[g])
        if self.params:
            ((key, s),) = self.params.items()
            p = model.parameter_info()[key]
            self.tau_title.set_text(f"time constants at {p.label} = {s.value:g} "
                                    f"{pretty_unit(p.unit)}".rstrip())
        else:
            self.tau_title.set_text("time constants")
        hold = self._grid_state(model, np.array([Vh]))[1:, 0]
        clamp = model.reduce(self._clamp_rule)
        trace = simulate(clamp, CLAMP_DURATION, current=Vc, y0=hold)
        self.trace = trace
        full = clamp.full_state(trace.y, Vc)
        self.states = {n: full[i] for i, n in enumerate(model.state_names)}
        for g, line in self.gate_lines.items():
            line.set_data(trace.t, self.states[g])
        e = model.expressions(full, Vc)
        self.currents = {n: e[n] for n in self.current_names}
        for n, line in self.current_lines.items():
            line.set_data(trace.t, self.currents[n])
        self.inf_markers["hold"].set_xdata([Vh, Vh])
        self.inf_markers["clamp"].set_xdata([Vc, Vc])
        self.tau_marker.set_xdata([Vc, Vc])
        peak = max((float(np.abs(c).max()) for c in self.currents.values()), default=0.0)
        lim = next((c for c in _CURRENT_LIMITS if peak * 1.05 <= c), _CURRENT_LIMITS[-1])
        if lim != self._cur_lim:
            self._cur_lim = lim
            self.ax_cur.set_ylim(-lim, lim)


def hh_gating(model: Model, V_clamp: float = 0.0, V_hold: float | None = None, *,
              parameter: str | None = None,
              currents: Sequence[str] | None = None) -> GatingExplorer:
    """Gating curves and a voltage-clamp step of a conductance-based model (see
    :class:`GatingExplorer`), e.g. ``hh_gating(model, parameter="temperature")``.

    Parameters
    ----------
    model : Model
        A model whose states after the first are gates with ``<gate>_inf`` helpers.
    V_clamp : float
        Clamp potential after the step (units of the first state).
    V_hold : float, optional
        Holding potential (default: the resting potential, rounded to 1 mV).
    parameter : str, optional
        A model parameter given a slider.
    currents : sequence of str, optional
        Helpers drawn as clamp currents (default: those named ``I_...``).

    Returns
    -------
    GatingExplorer
        Displays itself when it is the last expression of a cell.

    Raises
    ------
    ValueError
        For a model without gates, an unknown parameter or current name.
    """
    return GatingExplorer(model, V_clamp, V_hold, parameter=parameter, currents=currents)
