"""Adaptive exponential integrate-and-fire neuron (AdEx), its firing patterns and its
bifurcation currents.

Sources:
- R. Brette and W. Gerstner, "Adaptive exponential integrate-and-fire model as an
  effective description of neuronal activity", J. Neurophysiol. 94:3637-3642 (2005):
  the model and its default parameters (C = 281 pF, g_L = 30 nS, E_L = -70.6 mV,
  V_T = -50.4 mV, Delta_T = 2 mV, tau_w = 144 ms, a = 4 nS, b = 80.5 pA,
  V_reset = E_L), preset "Brette-Gerstner 2005".
- R. Naud, N. Marcille, C. Clopath and W. Gerstner, "Firing patterns in the adaptive
  exponential integrate-and-fire model", Biol. Cybern. 99:335-347 (2008), Table 1
  and Fig. 4: the eight firing patterns under a current step, presets below.
- J. Touboul and R. Brette, "Dynamics and bifurcations of the adaptive exponential
  integrate-and-fire model", Biol. Cybern. 99:319-334 (2008): the saddle-node and
  Andronov-Hopf currents of the resting state (:meth:`AdEx.saddle_node_current`,
  :meth:`AdEx.hopf_current`).

Model (V in mV, w and I in pA, C in pF, conductances in nS, time in ms)::

    C V'      = -g_L (V - E_L) + g_L Delta_T exp((V - V_T) / Delta_T) - w + I
    tau_w w'  = a (V - E_L) - w
    if V >= V_peak:  V <- V_reset,  w <- w + b

The right-hand side is evaluated at U = min(V, V_peak). A trajectory of the model never
goes above V_peak (it is reset there), so this changes nothing along any solution. It
matters inside the one Runge-Kutta step that crosses V_peak during the upswing: its
intermediate stages can overshoot V_peak by many orders of magnitude, and without the
cap exp((V - V_T) / Delta_T) overflows and, worse, the w equation integrates that
overshoot, so the w carried into the reset is wrong (measured with RK4 at dt = 0.02 ms:
w grew to 2e5 pA after the first spike and the default model fell silent). With the
cap, w moves at most a (V_peak - E_L) / tau_w per ms during that step.

Values checked, and what could not be. The Brette-Gerstner defaults above were checked
against the Brian simulator's example of that paper (co-written by its first author).
The paper itself could not be read here, nor its spike cut-off: V_peak = 20 mV is the
course's choice (DESIGN), as is its use for the default preset.
The primary text of Naud et al. (2008), Table 1, could not be read either; its values
were checked against two independent reproductions, the ANNarchy simulator's AdEx
notebook ("as in the paper") and the Brian simulator's example of the paper (whose
author notes that P. Mueller adapted some parameters to match the figures). They agree
on six patterns (tonic, adapting, initial burst, regular bursting, delayed
accelerating, irregular), and those values are used here. For "delayed regular
bursting" and "transient" they differ; the ANNarchy rows (delayed regular bursting
C = 200, g_L = 12, E_L = -70, a = -6, tau_w = 300, b = 0, V_r = -58, I = 110; transient
C = 100, g_L = 10, E_L = -65, a = -10, tau_w = 90, b = 30, V_r = -47, I = 350) do not
show the named patterns with these equations (measured, RK4 at 0.01 ms over the 500 ms
step: the first does not fire at all, the second fires 87 spikes without stopping), and
the Brian rows do,
so the Brian rows are used (delayed regular bursting C = 100, g_L = 10, E_L = -65,
a = -10, tau_w = 90, b = 30, V_r = -47, I = 110; transient a = 10, b = 100, I = 180,
the rest as delayed regular bursting). Both reproductions cut spikes at 0 mV
(V_peak = 0 in the Naud presets) and start at V = E_L, w = 0 with the current on from
t = 0 (ANNarchy for 500 ms, Brian for 600 ms; ANNarchy also adds a 2 ms refractory
period, not used here); the presets start the same way and run 500 ms. V_T = -50 mV
and Delta_T = 2 mV in every row.
"""

from __future__ import annotations

import math

import numpy as np

from .. import stimulus as S
from .base import Preset, param
from .define import define_model

__all__ = ["AdEx", "NAUD_PATTERNS"]

#: Naud et al. (2008), Table 1, as reproduced (see the module docstring): pattern ->
#: (C pF, g_L nS, E_L mV, a nS, tau_w ms, b pA, V_reset mV, step current pA); V_T =
#: -50 mV, Delta_T = 2 mV and a spike cut-off of 0 mV throughout.
NAUD_PATTERNS: dict[str, tuple[float, ...]] = {
    "tonic": (200, 10, -70, 2, 30, 0, -58, 500),
    "adapting": (200, 12, -70, 2, 300, 60, -58, 500),
    "initial burst": (130, 18, -58, 4, 150, 120, -50, 400),
    "regular bursting": (200, 10, -58, 2, 120, 100, -46, 210),
    "delayed accelerating": (200, 12, -70, -10, 300, 0, -58, 300),
    "delayed regular bursting": (100, 10, -65, -10, 90, 30, -47, 110),
    "transient": (100, 10, -65, 10, 90, 100, -47, 180),
    "irregular": (100, 12, -60, -11, 130, 30, -48, 160),
}
#: Length of the runs that show the patterns (ms): the step lasts the whole run.
_NAUD_DURATION = 500.0


def _naud_preset(name: str, row: tuple[float, ...]) -> Preset:
    C, g_L, E_L, a, tau_w, b, V_reset, I = (float(x) for x in row)
    values = {"C": C, "g_L": g_L, "E_L": E_L, "V_T": -50.0, "Delta_T": 2.0,
              "tau_w": tau_w, "a": a, "b": b, "V_reset": V_reset, "V_peak": 0.0}
    return Preset(values, f"{name} (Naud et al. 2008)", S.step(I, start=0.0),
                  _NAUD_DURATION, (E_L, 0.0), None, None,
                  f"step of {I:g} pA from t = 0, starting at V = E_L, w = 0: Naud et "
                  f"al. (2008), Table 1 and Fig. 4")


_PRESETS: dict[str, Preset] = {
    "Brette-Gerstner 2005": Preset({}, "Brette & Gerstner (2005): regular spiking"),
}
_PRESETS.update({name: _naud_preset(name, row) for name, row in NAUD_PATTERNS.items()})

_AdEx = define_model(
    "AdEx",
    """
    dV/dt = (-g_L * (U - E_L) + g_L * Delta_T * exp((U - V_T) / Delta_T) - w + I) / C
    dw/dt = (a * (U - E_L) - w) / tau_w
    U = min(V, V_peak)      # V itself along every solution (it is reset at V_peak)
    """,
    {
        "C": param(281.0, "C", "pF", (50.0, 400.0), 1.0, "membrane capacitance",
                   positive=True),
        "g_L": param(30.0, "g_L", "nS", (1.0, 60.0), 0.5, "leak conductance",
                     positive=True),
        "E_L": param(-70.6, "E_L", "mV", (-80.0, -50.0), 0.1, "leak reversal potential",
                     (-200.0, 100.0)),
        "V_T": param(-50.4, "V_T", "mV", (-65.0, -35.0), 0.1,
                     "threshold of the exponential (rheobase potential of the EIF)",
                     (-200.0, 100.0)),
        "Delta_T": param(2.0, "Δ_T", "mV", (0.5, 5.0), 0.1,
                         "slope factor: sharpness of spike initiation", (0.05, 50.0),
                         ),
        "tau_w": param(144.0, "τ_w", "ms", (10.0, 500.0), 1.0,
                       "time constant of the adaptation current w", positive=True),
        "a": param(4.0, "a", "nS", (-12.0, 20.0), 0.5, "subthreshold adaptation",
                   (-1e3, 1e3)),
        "b": param(80.5, "b", "pA", (0.0, 200.0), 0.5,
                   "spike-triggered jump of w", (-1e4, 1e4)),
        "V_reset": param(-70.6, "V_reset", "mV", (-80.0, -40.0), 0.1,
                         "potential after a spike", (-200.0, 100.0)),
        "V_peak": param(20.0, "V_peak", "mV", (-20.0, 30.0), 1.0,
                        "spike cut-off: V is reset on reaching it", (-200.0, 100.0)),
    },
    current_unit="pA",
    units={"V": "mV", "w": "pA"},
    threshold="V >= V_peak",
    reset="V = V_reset; w = w + b",
    # Measured with RK4 on every preset (its own protocol; the default at 800 pA for
    # 1 s) against runs at dt = 0.001 ms. A fixed step puts a spike at the end of the
    # step in which the exponential upswing runs away, so spike times carry an error of
    # up to one step per spike. At dt = 0.01 ms every preset keeps its spike count and,
    # but for the chaotic "irregular" pattern, its spikes stay within 0.1 ms of the
    # reference (0.21 ms for the 51 spikes of "tonic"); at 0.2 ms the counts still
    # agree and the spikes stay within 1.5 ms (at 0.05 ms "tonic" gains a 52nd spike
    # at 499.5 ms, its drift of 1 ms across the run's end); at 0.5 ms counts change. 300 parameter
    # sets drawn from the slider ranges ran stable at every step up to 2 ms, so steps
    # are limited by accuracy, to 0.2 ms.
    default_dt=0.01,
    max_dt=0.2,
    equilibrium_window=(-120.0, 30.0),
    current_range=(-200.0, 1500.0),
    presets=_PRESETS,
    title="AdEx (adaptive exponential IF)",
    description=(
        "An exponential spike upswing and one adaptation current w, reset at each spike: "
        "two states (V, w) that reproduce tonic, adapting, bursting, delayed, transient "
        "and irregular firing (presets: the patterns of Naud et al. 2008, Biol. Cybern. "
        "99:335). Brette &amp; Gerstner (2005), J. Neurophysiol. 94:3637; bifurcations "
        "in Touboul &amp; Brette (2008), Biol. Cybern. 99:319."),
    plane_window=((-80.0, 0.0), (-100.0, 600.0)),
    start_current=800.0,
    start_duration=300.0,
    order=25,
)


class AdEx(_AdEx):
    """Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005).

    C V' = -g_L (V - E_L) + g_L Delta_T exp((V - V_T) / Delta_T) - w + I,
    tau_w w' = a (V - E_L) - w; at V >= V_peak: V <- V_reset, w <- w + b.
    States: V (mV), w (pA). Current in pA, time in ms.
    """

    def _check(self) -> None:
        if not self.V_reset < self.V_peak:
            raise ValueError(f"AdEx.V_reset must be below V_peak={self.V_peak:g} mV, "
                             f"got {self.V_reset:g} mV")

    # ------------------------------------------------------------- closed forms
    def _current_on_branch(self, V: float) -> float:
        """The current I(V) = (g_L + a)(V - E_L) - g_L Delta_T exp((V - V_T)/Delta_T)
        at which V is an equilibrium (with w = a (V - E_L)), in pA."""
        e = math.exp((V - self.V_T) / self.Delta_T)
        return (self.g_L + self.a) * (V - self.E_L) - self.g_L * self.Delta_T * e

    def saddle_node_current(self) -> float:
        """Current (pA) at which the resting state and the threshold saddle merge.

        On the curve of equilibria (w = a (V - E_L)) the current is
        I(V) = (g_L + a)(V - E_L) - g_L Delta_T exp((V - V_T) / Delta_T), and the
        Jacobian has det J = I'(V) / (C tau_w) with
        I'(V) = g_L + a - g_L exp((V - V_T) / Delta_T). The fold is where I'(V) = 0:

            V_sn = V_T + Delta_T ln(1 + a / g_L),
            I_sn = I(V_sn) = (g_L + a)(V_sn - E_L - Delta_T)

        (Touboul & Brette 2008). For a < C / tau_w this is the rheobase, the
        current at which the rest disappears; for a > C / tau_w the rest has already
        lost stability at :meth:`hopf_current`.

        Raises
        ------
        ValueError
            If a <= -g_L: then I'(V) < 0 everywhere, there is one equilibrium at every
            current and no fold; or if V_sn >= V_peak (the fold lies beyond the
            cut-off, where the model resets instead).
        """
        if not self.a > -self.g_L:
            raise ValueError(f"a must be > -g_L = {-self.g_L:g} nS for a saddle-node "
                             f"current; got a = {self.a:g} nS (one equilibrium at every "
                             f"current)")
        V = self.V_T + self.Delta_T * math.log1p(self.a / self.g_L)
        self._below_peak(V, "saddle-node")
        return (self.g_L + self.a) * (V - self.E_L - self.Delta_T)

    def hopf_current(self) -> float:
        """Current (pA) at which the resting state loses stability in an Andronov-Hopf
        bifurcation.

        On the curve of equilibria, trace J = (g_L (e - 1)) / C - 1 / tau_w with
        e = exp((V - V_T) / Delta_T); it vanishes at

            V_H = V_T + Delta_T ln(1 + C / (g_L tau_w)),

        where det J = (a - C / tau_w) / (C tau_w): a Hopf point (positive determinant)
        exactly when a > C / tau_w (Touboul & Brette 2008). Then

            I_H = I(V_H) = (g_L + a)(V_H - E_L) - Delta_T (g_L + C / tau_w)

        and I_H < :meth:`saddle_node_current` (V_H < V_sn, and I(V) rises up to V_sn).

        Raises
        ------
        ValueError
            If a <= C / tau_w (the trace vanishes at a saddle: no Hopf point; the rest
            is lost at the saddle-node), or if V_H >= V_peak.
        """
        ratio = self.C / self.tau_w
        if not self.a > ratio:
            raise ValueError(f"a must exceed C / tau_w = {ratio:g} nS for a Hopf point; "
                             f"got a = {self.a:g} nS (the rest is lost at the "
                             f"saddle-node current instead)")
        V = self.V_T + self.Delta_T * math.log1p(ratio / self.g_L)
        self._below_peak(V, "Hopf")
        return (self.g_L + self.a) * (V - self.E_L) - self.Delta_T * (self.g_L + ratio)

    def _below_peak(self, V: float, what: str) -> None:
        if not V < self.V_peak:
            raise ValueError(f"the {what} point lies at V = {V:g} mV, not below "
                             f"V_peak = {self.V_peak:g} mV, where the model resets")

    def _fallback_state(self) -> np.ndarray:
        eq = self.equilibria(0.0)
        return eq[0] if eq else np.array([self.V_reset, 0.0])
