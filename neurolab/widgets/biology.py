"""Biology primer dashboards: ion concentrations and potentials, the action potential.

- :class:`NernstCalculator` (factory :func:`nernst_calculator`): concentrations inside
  and outside, relative permeabilities and temperature; bars of the concentrations and
  of the Nernst potentials E_K, E_Na, E_Cl with the Goldman-Hodgkin-Katz resting
  potential (:func:`neurolab.analysis.nernst`, :func:`neurolab.analysis.ghk_potential`,
  reference tables :data:`neurolab.analysis.ION_SETS`).
- :class:`ActionPotentialStages` (factory :func:`action_potential`): a model neuron
  (the notebook passes a conductance-based one) kicked by one current pulse; below
  threshold a small bump, above it a full spike of nearly fixed size. The stages of the
  spike are shaded on the trace, the gates (the dimensionless states) are drawn
  underneath.
- :class:`RefractoryExplorer` (factory :func:`refractory_periods`): two pulses; the
  delay and the second amplitude are sliders; the second-pulse threshold curve of
  :func:`neurolab.analysis.refractory_response` with the current point marked.

Every number comes from :mod:`neurolab`; this module only arranges and labels it.
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as W
import numpy as np

from .._validation import check_number
from ..analysis import ION_SETS, ghk_potential, nernst, refractory_response
from ..analysis.biophysics import VALENCE, celsius_to_kelvin
from ..analysis.excitability import Stages, action_potential_stages
from ..models.base import Model
from ..plots._common import (
    add_convention_note,
    axis_label,
    current_label,
    pretty_unit,
    state_unit,
    time_label,
)
from ..simulate import Trace, simulate
from ..stimulus import pulses
from ._models import as_model, names_in, parameter_name
from .core import STYLE, App, controls_for, slider

__all__ = ["NernstCalculator", "nernst_calculator", "ActionPotentialStages",
           "action_potential", "RefractoryExplorer", "refractory_periods", "Stages",
           "action_potential_stages"]

_IONS = ("K", "Na", "Cl")
_ION_LABEL = {"K": "K⁺", "Na": "Na⁺", "Cl": "Cl⁻"}
_ION_COLOR = {"K": "tab:blue", "Na": "tab:red", "Cl": "tab:green"}
#: Slider ranges (mM) of the concentrations, wide enough for both reference sets.
_CONC_RANGE = {("K", "out"): (1.0, 100.0, 0.5), ("K", "in"): (10.0, 500.0, 1.0),
               ("Na", "out"): (10.0, 600.0, 1.0), ("Na", "in"): (1.0, 100.0, 0.5),
               ("Cl", "out"): (10.0, 600.0, 1.0), ("Cl", "in"): (1.0, 100.0, 0.5)}
_V_LIM = (-130.0, 110.0)


# ----------------------------------------------------------------------------- Nernst / GHK
class NernstCalculator(App):
    """Nernst potentials of K+, Na+, Cl- and the GHK resting potential.

    Controls (in order): K+ outside, K+ inside, Na+ outside, Na+ inside, Cl- outside,
    Cl- inside (mM), P_Na/P_K and P_Cl/P_K (log sliders), temperature (C), and a
    drop-down that loads a reference set. Left panel: concentrations inside and outside
    (log scale); right panel: the three Nernst potentials as bars from 0 mV and the GHK
    potential as a horizontal line.

    Attributes
    ----------
    conc : dict
        ``{(ion, "out"|"in"): FloatSlider}``.
    perm : dict
        ``{"Na": FloatLogSlider, "Cl": FloatLogSlider}`` (relative to P_K = 1).
    temperature : ipywidgets.FloatSlider
        Temperature (C).
    preset : ipywidgets.Dropdown
        Reference set (name in :data:`neurolab.analysis.ION_SETS`).
    values : dict
        Last computed potentials (mV): ``"E_K"``, ``"E_Na"``, ``"E_Cl"``, ``"V_GHK"``.
    """

    def __init__(self, ion_set: str = "mammalian neuron", **initial: float) -> None:
        super().__init__(figsize=(9.0, 3.8))
        if ion_set not in ION_SETS:
            raise ValueError(f"ion_set must be one of {', '.join(map(repr, ION_SETS))}; "
                             f"got {ion_set!r}")
        ref = ION_SETS[ion_set]
        self.conc: dict[tuple[str, str], W.FloatSlider] = {}
        for ion in _IONS:
            for side, table in (("out", ref.c_out), ("in", ref.c_in)):
                lo, hi, step = _CONC_RANGE[(ion, side)]
                where = "outside" if side == "out" else "inside"
                self.conc[(ion, side)] = slider(f"[{_ION_LABEL[ion]}] {where}",
                                                float(table[ion]), lo, hi, step, "mM",
                                                f"{ion} concentration {where} the cell")
        self.perm = {
            ion: W.FloatLogSlider(value=float(ref.permeability[ion]), base=10, min=-3,
                                  max=1.5, step=0.01, description=f"P_{ion} / P_K",
                                  readout_format=".3g", style=STYLE,
                                  layout=W.Layout(width="24em"))
            for ion in ("Na", "Cl")}
        self.temperature = slider("temperature", ref.T - 273.15, 0.0, 45.0, 0.5, "°C",
                                  "absolute temperature sets RT/F")
        self.preset = W.Dropdown(options=list(ION_SETS), value=ion_set,
                                 description="reference", style=STYLE,
                                 layout=W.Layout(width="24em"))
        self.preset.observe(self._load_preset, names="value")
        for key, value in initial.items():
            self._set_initial(key, value)
        self.controls = [*self.conc.values(), *self.perm.values(), self.temperature,
                         self.preset]
        self.values: dict[str, float] = {}
        self._build_axes()
        self.start()

    def _set_initial(self, key: str, value: float) -> None:
        # Keys like K_out=5, Na_in=12, P_Na=0.05, T=37 (C).
        if key in ("T", "temperature"):
            self.temperature.value = value
            return
        if key.startswith("P_") and key[2:] in self.perm:
            self.perm[key[2:]].value = value
            return
        ion, _, side = key.partition("_")
        if (ion, side) not in self.conc:
            valid = [f"{i}_{s}" for i, s in self.conc] + ["P_Na", "P_Cl", "T"]
            raise ValueError(f"unknown setting {key!r}; valid: {', '.join(valid)}")
        s = self.conc[(ion, side)]
        s.max = max(s.max, value)
        s.value = value

    def _load_preset(self, change: dict) -> None:
        ref = ION_SETS[change["new"]]
        with self.hold():
            for (ion, side), s in self.conc.items():
                s.value = float((ref.c_out if side == "out" else ref.c_in)[ion])
            for ion, s in self.perm.items():
                s.value = float(ref.permeability[ion])
            self.temperature.value = ref.T - 273.15
        self.update()

    def hold(self) -> Any:
        """Context manager: no redraw while several controls are set."""
        return self._holding()

    def _build_axes(self) -> None:
        fig = self.figure
        self.ax_conc = fig.add_axes((0.08, 0.16, 0.36, 0.72))
        self.ax_pot = fig.add_axes((0.56, 0.16, 0.40, 0.72))
        ax = self.ax_conc
        x = np.arange(len(_IONS))
        self._bars_out = ax.bar(x - 0.2, np.ones(3), 0.38, color="0.75", edgecolor="k",
                                label="outside")
        self._bars_in = ax.bar(x + 0.2, np.ones(3), 0.38, color="#f4c7a1", edgecolor="k",
                               label="inside")
        ax.set_yscale("log")
        ax.set_ylim(0.8, 1000.0)
        ax.set_xticks(x, [_ION_LABEL[i] for i in _IONS])
        ax.set_ylabel("concentration (mM)")
        ax.set_title("concentrations (log scale)", fontsize=10)
        ax.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
        ax = self.ax_pot
        self._bars_E = ax.bar(x, np.zeros(3), 0.6,
                              color=[_ION_COLOR[i] for i in _IONS], alpha=0.8)
        ax.axhline(0.0, color="k", lw=0.8)
        (self._ghk,) = ax.plot([-0.5, 2.5], [0.0, 0.0], color="k", lw=2.0, ls="--")
        self._E_text = [ax.text(xi, 0.0, "", ha="center", fontsize=9) for xi in x]
        self._ghk_text = ax.text(-0.47, 0.0, "", ha="left", va="bottom", fontsize=9)
        ax.set_xlim(-0.5, 2.5)
        ax.set_ylim(*_V_LIM)
        ax.set_xticks(x, [f"E_{i}" for i in _IONS])
        ax.set_ylabel("potential, inside − outside (mV)")
        ax.set_title("Nernst potentials and GHK resting potential (dashed)", fontsize=10)
        self.view.dynamic(*self._bars_out, *self._bars_in, *self._bars_E, self._ghk,
                          *self._E_text, self._ghk_text)

    def state(self) -> tuple[dict[str, float], dict[str, float], dict[str, float], float]:
        """(c_out, c_in, permeability, T in K) from the controls."""
        c_out = {ion: self.conc[(ion, "out")].value for ion in _IONS}
        c_in = {ion: self.conc[(ion, "in")].value for ion in _IONS}
        perm = {"K": 1.0, **{ion: s.value for ion, s in self.perm.items()}}
        return c_out, c_in, perm, celsius_to_kelvin(self.temperature.value)

    def redraw(self) -> None:
        """Recompute the potentials and move the bars."""
        c_out, c_in, perm, T = self.state()
        E = {ion: nernst(c_out[ion], c_in[ion], VALENCE[ion], T) for ion in _IONS}
        V = ghk_potential(perm, c_out, c_in, T)
        self.values = {f"E_{ion}": E[ion] for ion in _IONS} | {"V_GHK": V}
        for i, ion in enumerate(_IONS):
            self._bars_out[i].set_height(c_out[ion])
            self._bars_in[i].set_height(c_in[ion])
            self._bars_E[i].set_height(E[ion])
            txt = self._E_text[i]
            txt.set_text(f"{E[ion]:+.1f} mV")
            shown = float(np.clip(E[ion], *_V_LIM))
            txt.set_y(shown + (4.0 if E[ion] >= 0 else -12.0))
        self._ghk.set_ydata([V, V])
        self._ghk_text.set_text(f"V_GHK = {V:+.1f} mV")
        self._ghk_text.set_y(float(np.clip(V, *_V_LIM)) + 2.0)


def nernst_calculator(ion_set: str = "mammalian neuron", **initial: float
                      ) -> NernstCalculator:
    """Interactive Nernst / Goldman-Hodgkin-Katz calculator.

    Parameters
    ----------
    ion_set : str
        Reference concentrations, permeabilities and temperature to start from: a name
        in :data:`neurolab.analysis.ION_SETS` ("mammalian neuron", "squid giant axon").
    **initial : float
        Overrides, e.g. ``K_out=10.0`` (mM), ``Na_in=20.0`` (mM), ``P_Na=0.1``
        (relative to P_K), ``T=20.0`` (C).

    Returns
    -------
    NernstCalculator
    """
    return NernstCalculator(ion_set, **initial)


# ----------------------------------------------------------------------------- stages
_STAGE_NAMES = ("1 equilibrium", "2 depolarization", "3 amplification",
                "4 repolarization", "5 after-hyperpolarization")
_STAGE_COLORS = ("0.85", "#ffe9a8", "#ffc2b3", "#c9dcf5", "#d6ccef")
_GATE_COLORS = ("tab:red", "tab:orange", "tab:blue", "tab:green", "tab:purple")
_LEVEL_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:purple", "tab:brown")


def _voltage_window(model: Model, levels: dict[str, float]) -> tuple[float, float]:
    """Window of the first state: the first range of the model's ``plane_window`` (else
    its ``equilibrium_window``), widened to hold the marked levels with a 5 % margin."""
    lo, hi = (model.plane_window[0] if model.plane_window is not None
              else model.equilibrium_window)
    span = hi - lo
    for v in levels.values():
        lo, hi = min(lo, v - 0.05 * span), max(hi, v + 0.05 * span)
    return float(lo), float(hi)


def _levels(model: Model, names: tuple[str, ...]) -> dict[str, float]:
    return {n: float(getattr(model, n)) for n in names}


def _check_levels(model: Model, levels: Any) -> tuple[str, ...]:
    info = model.parameter_info()
    v_unit = state_unit(model, model.state_names[0])
    valid = [k for k, p in info.items() if p.unit == v_unit]
    return names_in("levels", valid, levels or (),
                    f"parameters of the model in the first state's unit ({v_unit})")


class ActionPotentialStages(App):
    """All-or-nothing spike of a model neuron, its stages and its gates.

    Controls: pulse amplitude (model current units) first, pulse width (ms), and a
    slider for one model parameter if asked for. Top panel: the first state with the
    stages shaded and numbered, and dotted lines at chosen parameters (e.g. reversal
    potentials); bottom panel: the dimensionless states (the gates).

    Parameters
    ----------
    model : Model
        The neuron (any spiking model with a stable rest at zero current).
    amplitude, width : float
        Starting pulse amplitude (current units) and width (ms).
    parameter : str, optional
        A model parameter given a slider (e.g. ``"temperature"``).
    levels : sequence of str
        Parameters in the first state's unit drawn as dotted lines (e.g.
        ``("E_K", "E_Na")``).
    amplitude_max : float, optional
        Top of the amplitude slider (default 4 times ``amplitude``).

    Attributes
    ----------
    model : Model
        The model with the slider's parameter value.
    params : dict of str to ipywidgets.FloatSlider
        The parameter slider (empty without ``parameter``).
    trace : Trace
        Last simulation.
    stages : Stages
        Its stage boundaries.
    """

    duration = 30.0
    onset = 2.0

    def __init__(self, model: Model, amplitude: float = 15.0, width: float = 0.5, *,
                 parameter: str | None = None, levels: Any = (),
                 amplitude_max: float | None = None) -> None:
        model = as_model("model", model)
        parameter = parameter_name("parameter", model, parameter)
        self.level_names = _check_levels(model, levels)
        super().__init__(figsize=(9.0, 4.6))
        unit = pretty_unit(model.current_unit)
        top = 4.0 * abs(amplitude) if amplitude_max is None else check_number(
            "amplitude_max", amplitude_max, 0.0, lo_open=True)
        self.amplitude = slider("pulse amplitude", amplitude, 0.0, top,
                                0.5, unit, f"height of the brief current pulse at "
                                f"t = {self.onset:g} {model.time_unit}")
        self.width = slider("pulse width", width, 0.1, 3.0, 0.1, model.time_unit,
                            "duration of the pulse")
        self.params = controls_for(model, [parameter] if parameter else [])
        self.controls = [self.amplitude, self.width, *self.params.values()]
        self.model = model
        self._build_axes()
        self.start()

    def _build_axes(self) -> None:
        fig, m = self.figure, self.model
        levels = _levels(m, self.level_names)
        self.v_lim = _voltage_window(m, levels)
        self.ax_v = fig.add_axes((0.09, 0.42, 0.88, 0.50))
        self.ax_g = fig.add_axes((0.09, 0.10, 0.88, 0.26), sharex=self.ax_v)
        ax = self.ax_v
        name = m.state_names[0]
        ax.set_xlim(0.0, self.duration)
        ax.set_ylim(*self.v_lim)
        ax.set_ylabel(axis_label(name, state_unit(m, name)))
        span = self.v_lim[1] - self.v_lim[0]
        for (key, v), c in zip(levels.items(), _LEVEL_COLORS * 4, strict=False):
            ax.axhline(v, color=c, lw=0.8, ls=":")
            below = v > self.v_lim[1] - 0.08 * span
            ax.text(self.duration, v + (-0.045 if below else 0.01) * span, key, color=c,
                    ha="right", fontsize=8)
        add_convention_note(ax, m)
        xt = ax.get_xaxis_transform()  # x in data, y in axes fraction
        self._spans = [ax.axvspan(0.0, 0.0, color=c, lw=0) for c in _STAGE_COLORS]
        self._labels = [ax.text(0.0, 0.92, n.split()[0], ha="center", fontsize=10,
                                fontweight="bold", transform=xt) for n in _STAGE_NAMES]
        self._refr = ax.annotate("", xy=(0, 0.02), xytext=(0, 0.02), xycoords=xt,
                                 textcoords=xt,
                                 arrowprops={"arrowstyle": "<->", "color": "0.3"})
        self._refr_text = ax.text(0.0, 0.035, "", fontsize=8, color="0.3", transform=xt)
        (self._v,) = ax.plot([], [], color="k", lw=1.5)
        self._status = ax.text(0.99, 0.80, "", transform=ax.transAxes, ha="right",
                               fontsize=9)
        fig.text(0.97, 0.995, "  ·  ".join(_STAGE_NAMES[:3]) + "\n"
                 + "  ·  ".join([*_STAGE_NAMES[3:], "6 refractory"]), ha="right",
                 va="top", fontsize=8, color="0.2")
        ax.tick_params(labelbottom=False)
        ax = self.ax_g
        gates = [s for s in m.state_names[1:] if not state_unit(m, s)]
        self._gates = {g: ax.plot([], [], color=c, lw=1.3, label=g)[0]
                       for g, c in zip(gates, _GATE_COLORS * 4, strict=False)}
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel("gate (0-1)")
        ax.set_xlabel(time_label(m))
        if self._gates:
            ax.legend(loc="upper right", fontsize=7, ncols=len(self._gates),
                      frameon=False)
        self.view.dynamic(*self._spans, *self._labels, self._refr, self._refr_text,
                          self._v, self._status, *self._gates.values())

    def model_from_controls(self) -> Model:
        """The model with the slider's parameter value (ValueError if invalid)."""
        return self.model.replace(**{k: float(s.value) for k, s in self.params.items()})

    def simulate(self) -> Trace:
        """Run the model with the current controls."""
        model = self.model_from_controls()
        stim = pulses([self.onset], self.amplitude.value, self.width.value)
        return simulate(model, self.duration, current=stim)

    def redraw(self) -> None:
        """Simulate, find the stages and update the artists."""
        tr = self.simulate()
        st = action_potential_stages(tr, self.onset)
        self.trace, self.stages = tr, st
        v = tr.y[0]
        self._v.set_data(tr.t, v)
        for name, line in self._gates.items():
            line.set_data(tr.t, tr.states[name])
        bounds = [0.0, st.onset, st.amplification, st.peak, st.repolarized, st.ahp_end]
        for i, (span, lab) in enumerate(zip(self._spans, self._labels, strict=True)):
            a, b = bounds[i], bounds[i + 1]
            ok = a is not None and b is not None and b > a
            span.set_visible(ok)
            lab.set_visible(ok and (b - a) > 0.15)
            if ok:
                span.set_x(a)
                span.set_width(b - a)
                lab.set_x(0.5 * (a + b))
        unit = state_unit(self.model, self.model.state_names[0])
        if st.spiked:
            peak = float(v.max())
            end = st.ahp_end if st.ahp_end is not None else self.duration
            self._refr.xy = (st.amplification, 0.02)
            self._refr.xyann = (end, 0.02)
            self._refr.set_visible(True)
            self._refr_text.set_position((st.amplification, 0.035))
            self._refr_text.set_text("6 refractory: absolute, then relative")
            self._status.set_text(f"spike: peak {peak:+.1f} {unit}".rstrip())
        else:
            self._refr.set_visible(False)
            self._refr_text.set_text("")
            bump = float(v.max() - st.v_rest)
            self._status.set_text(f"no spike: a {bump:.1f} {unit} bump below threshold")


def action_potential(model: Model, amplitude: float = 15.0, width: float = 0.5, *,
                     parameter: str | None = None, levels: Any = (),
                     amplitude_max: float | None = None) -> ActionPotentialStages:
    """The all-or-nothing action potential and its stages (see
    :class:`ActionPotentialStages`), e.g. ``action_potential(model,
    parameter="temperature", levels=("E_K", "E_Na"))`` for a squid-axon model.

    Parameters
    ----------
    model : Model
        The neuron.
    amplitude : float
        Pulse amplitude (model current units).
    width : float
        Pulse duration (ms).
    parameter : str, optional
        A model parameter given a slider.
    levels : sequence of str
        Parameters drawn as dotted lines on the voltage axis.
    amplitude_max : float, optional
        Top of the amplitude slider (default 4 times ``amplitude``).

    Returns
    -------
    ActionPotentialStages

    Raises
    ------
    ValueError
        For an argument that is not a model, an unknown parameter or level.
    """
    return ActionPotentialStages(model, amplitude, width, parameter=parameter,
                                 levels=levels, amplitude_max=amplitude_max)


# ----------------------------------------------------------------------------- refractory
class RefractoryExplorer(App):
    """Two brief pulses: is the second one able to fire a second spike?

    Controls: delay between the pulse onsets (ms) first, then the second pulse's
    amplitude (model current units). Left: the first state with both pulses; right: the
    second-pulse threshold against delay (:func:`neurolab.analysis.refractory_response`,
    computed once in the background), the absolute refractory period shaded, the
    single-pulse threshold dashed, and the current (delay, amplitude) marked.

    Parameters
    ----------
    model : Model
        The neuron (a stable rest at zero current).
    delay : float
        Starting onset-to-onset delay (ms).
    amplitude : float, optional
        Starting second amplitude (default: the first pulse's).
    first : float, optional
        Amplitude of the first pulse; default twice the single-pulse threshold (the
        default of :func:`~neurolab.analysis.refractory_response`).
    amp_max : float, optional
        Largest second amplitude tried ("absolute" means none up to it) and the top of
        the slider; default ten times the single-pulse threshold.

    Attributes
    ----------
    result : RefractoryResult or None
        The threshold curve, once computed.
    trace : Trace
        Last two-pulse simulation.
    """

    onset = 5.0
    width = 0.5
    delays = np.arange(1.0, 30.01, 0.5)

    def __init__(self, model: Model, delay: float = 12.0, amplitude: float | None = None,
                 *, first: float | None = None, amp_max: float | None = None) -> None:
        model = as_model("model", model)
        if first is None or amp_max is None:
            # The single-pulse threshold, from one delay of the analysis (its defaults
            # are twice and ten times that threshold).
            single = refractory_response(model, [float(self.delays[-1])],
                                         width=self.width, onset=self.onset
                                         ).single_threshold
            first = 2.0 * single if first is None else first
            amp_max = 10.0 * single if amp_max is None else amp_max
        self.first = check_number("first", first, 0.0, lo_open=True)
        self.amp_max = check_number("amp_max", amp_max, 0.0, lo_open=True)
        amplitude = self.first if amplitude is None else amplitude
        super().__init__(figsize=(9.0, 3.6))
        self.model = model
        unit = pretty_unit(model.current_unit)
        self.delay = slider("delay", delay, 1.0, 30.0, 0.5, model.time_unit,
                            "time from the first pulse's onset to the second's")
        self.amplitude = slider("2nd amplitude", amplitude, 0.0, self.amp_max,
                                _amplitude_step(self.amp_max), unit,
                                "height of the second pulse")
        self.controls = [self.delay, self.amplitude]
        self.result: Any = None
        self._build_axes()
        self.start()
        self.job.start(self._compute_curve, self._curve_done, self._curve_error)

    def _build_axes(self) -> None:
        fig, m = self.figure, self.model
        self.ax_v = fig.add_axes((0.07, 0.15, 0.42, 0.72))
        self.ax_t = fig.add_axes((0.58, 0.15, 0.40, 0.72))
        ax = self.ax_v
        name = m.state_names[0]
        ax.set_xlim(0.0, self.onset + 30.0 + 20.0)
        ax.set_ylim(*_voltage_window(m, {}))
        ax.set_xlabel(time_label(m))
        ax.set_ylabel(axis_label(name, state_unit(m, name)))
        add_convention_note(ax, m)
        xt = ax.get_xaxis_transform()
        (self._v,) = ax.plot([], [], color="k", lw=1.3)
        (self._p1,) = ax.plot([], [], color="tab:green", lw=4, solid_capstyle="butt",
                              transform=xt)
        (self._p2,) = ax.plot([], [], color="tab:purple", lw=4, solid_capstyle="butt",
                              transform=xt)
        self._status = ax.text(0.98, 0.93, "", transform=ax.transAxes, ha="right",
                               va="top", fontsize=9)
        ax = self.ax_t
        ax.set_xlim(0.0, 30.0)
        ax.set_ylim(0.0, self.amp_max)
        ax.set_xlabel(f"delay ({m.time_unit})")
        ax.set_ylabel(f"2nd-pulse threshold ({current_label(m)[3:-1]})")
        ax.set_title("threshold of the second pulse", fontsize=10)
        (self._curve,) = ax.plot([], [], color="k", lw=1.5)
        (self._single,) = ax.plot([], [], color="0.5", ls="--", lw=1.0)
        self._abs = ax.axvspan(0.0, 0.0, color="0.8", lw=0)
        self._abs_text = ax.text(0.5, 0.93 * self.amp_max, "", fontsize=8, va="top")
        self._rel_text = ax.text(0.0, 0.0, "", fontsize=8)
        (self._marker,) = ax.plot([], [], "o", color="tab:purple", ms=8)
        self._wait = ax.text(0.5, 0.5, "computing…", transform=ax.transAxes, ha="center",
                             color="0.4")
        # The threshold curve is static (drawn once it arrives); only the run and the
        # marker change with the sliders.
        self.view.dynamic(self._v, self._p1, self._p2, self._status, self._marker)

    def _compute_curve(self, progress: Any) -> Any:
        progress(0.05)
        return refractory_response(self.model, self.delays, width=self.width,
                                   onset=self.onset, first_amplitude=self.first,
                                   amp_max=self.amp_max)

    def _curve_done(self, result: Any) -> None:
        self.result = result
        self._draw_curve()
        self.view.invalidate()
        self.update()

    def _draw_curve(self) -> None:
        r = self.result
        self._wait.set_visible(False)
        fin = np.isfinite(r.threshold)
        self._curve.set_data(r.delays[fin], r.threshold[fin])
        self._single.set_data([0.0, 30.0], [r.single_threshold] * 2)
        if np.any(r.absolute):
            end = float(r.delays[fin][0]) if np.any(fin) else 30.0
            self._abs.set_x(0.0)
            self._abs.set_width(end)
            self._abs_text.set_text(f"absolute:\nno spike up\nto {self.amp_max:g}")
        self._rel_text.set_position((12.0, r.single_threshold + 0.32 * self.amp_max))
        self._rel_text.set_text("relative refractory:\nthreshold above the\n"
                                "single-pulse one (dashed)")

    def _curve_error(self, exc: Exception) -> None:
        self.errors.show(str(exc))

    def redraw(self) -> None:
        """Simulate the two-pulse run and move the marker on the threshold curve."""
        d, a2 = self.delay.value, self.amplitude.value
        stim = pulses([self.onset, self.onset + d], [self.first, a2], self.width)
        tr = simulate(self.model, self.onset + 30.0 + 20.0, current=stim)
        self.trace = tr
        self._v.set_data(tr.t, tr.y[0])
        self._p1.set_data([self.onset, self.onset + self.width], [0.015, 0.015])
        self._p2.set_data([self.onset + d, self.onset + d + self.width], [0.015, 0.015])
        n = len(tr.spike_times)
        self._status.set_text("second spike" if n >= 2 else "no second spike")
        self._marker.set_data([d], [a2])


def _amplitude_step(top: float) -> float:
    """Slider step: 1, 2 or 5 times a power of ten near a hundred-fortieth of the range
    (1 for a range of 140)."""
    raw = top / 140.0
    e = math.floor(math.log10(raw))
    return min((m * 10.0 ** e for m in (1.0, 2.0, 5.0, 10.0)), key=lambda s: abs(s - raw))


def refractory_periods(model: Model, delay: float = 12.0, amplitude: float | None = None,
                       *, first: float | None = None, amp_max: float | None = None
                       ) -> RefractoryExplorer:
    """Absolute and relative refractory periods with a second pulse (see
    :class:`RefractoryExplorer`).

    Parameters
    ----------
    model : Model
        The neuron.
    delay : float
        Onset-to-onset delay of the second pulse (ms), 1-30.
    amplitude : float, optional
        Amplitude of the second pulse (model current units; default the first's).
    first, amp_max : float, optional
        First-pulse amplitude and largest second amplitude (default twice and ten
        times the single-pulse threshold). Both pulses last 0.5 ms.

    Returns
    -------
    RefractoryExplorer

    Raises
    ------
    ValueError
        For an argument that is not a model or a non-positive amplitude.
    """
    return RefractoryExplorer(model, delay, amplitude, first=first, amp_max=amp_max)
