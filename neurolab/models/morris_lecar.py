"""Morris-Lecar model: a calcium current for excitation, a potassium current for recovery.

Sources:
- C. Morris and H. Lecar, "Voltage oscillations in the barnacle giant muscle fiber",
  Biophys. J. 35:193-213 (1981): the model (its reduced two-variable form, eq. 9).
- J. Rinzel and G. B. Ermentrout, "Analysis of neural excitability and oscillations",
  in C. Koch and I. Segev (eds.), *Methods in Neuronal Modeling*, MIT Press (1989;
  2nd ed. 1998), Appendix A: the form and the two parameter sets used here. The
  chapter's online version (www.math.pitt.edu/~bard/bardware/meth3/) and the XPP file
  distributed with it list the sets: Figs. 1-3 ("hopf") C = 20 uF/cm2, g_L = 2,
  E_L = -60, g_Ca = 4.4, E_Ca = 120, g_K = 8, E_K = -84, V1 = -1.2, V2 = 18, V3 = 2,
  V4 = 30, phi = 0.04; Figs. 4-6 ("snic") the same with g_Ca = 4, V3 = 12, V4 = 17.4,
  phi = 1/15 (written 0.06666667). G. B. Ermentrout and D. H. Terman, *Mathematical
  Foundations of Neuroscience*, Springer (2010), Table 3.1, gives the same two sets
  (phi rounded to 0.067).

Model (V in mV, t in ms, I in uA/cm2, conductances in mS/cm2, C in uF/cm2)::

    C V' = I - g_L (V - E_L) - g_Ca m_inf(V) (V - E_Ca) - g_K w (V - E_K)
    w'   = phi (w_inf(V) - w) / tau_w(V)
    m_inf = (1 + tanh((V - V1) / V2)) / 2,   w_inf = (1 + tanh((V - V3) / V4)) / 2
    tau_w = 1 / cosh((V - V3) / (2 V4))

The w equation is written with the rate cosh((V - V3) / (2 V4)) = 1 / tau_w, the same
function: a step that overshoots to a huge V then makes the rate overflow to infinity
(reported as a diverged run) instead of dividing by a time constant that underflowed to
zero. The calcium activation is instantaneous (m = m_inf(V)); w is the fraction of open
potassium channels. With the "hopf" set the rest loses stability through a subcritical
Andronov-Hopf bifurcation and repetitive firing starts at a nonzero rate (Hodgkin's
class 2); with the "snic" set rest and threshold merge on a saddle-node on invariant
circle and the rate rises from zero (class 1) (Rinzel and Ermentrout 1989).
"""

from __future__ import annotations

import numpy as np

from .base import Preset, param
from .define import define_model

__all__ = ["MorrisLecar"]

_SNIC = {"g_Ca": 4.0, "V3": 12.0, "V4": 17.4, "phi": 1.0 / 15.0}

_MorrisLecar = define_model(
    "MorrisLecar",
    """
    dV/dt = (I - I_L - I_Ca - I_K) / C
    dw/dt = phi * (w_inf - w) * cosh((V - V3) / (2 * V4))   # = phi (w_inf - w) / tau_w
    I_L = g_L * (V - E_L)                  # leak current (uA/cm2)
    I_Ca = g_Ca * m_inf * (V - E_Ca)       # calcium current, instantaneous activation
    I_K = g_K * w * (V - E_K)              # potassium current
    m_inf = 0.5 * (1 + tanh((V - V1) / V2))
    w_inf = 0.5 * (1 + tanh((V - V3) / V4))
    tau_w = 1 / cosh((V - V3) / (2 * V4))  # time constant of w, in units of 1/phi
    """,
    {
        "C": param(20.0, "C", "uF/cm2", (5.0, 40.0), 0.5, "membrane capacitance",
                   positive=True),
        "g_L": param(2.0, "g_L", "mS/cm2", (0.0, 5.0), 0.1, "leak conductance",
                     (0.0, 1e3)),
        "E_L": param(-60.0, "E_L", "mV", (-80.0, -40.0), 1.0, "leak reversal potential",
                     (-200.0, 200.0)),
        "g_Ca": param(4.4, "g_Ca", "mS/cm2", (0.0, 8.0), 0.1,
                      "maximal calcium conductance", (0.0, 1e3)),
        "E_Ca": param(120.0, "E_Ca", "mV", (60.0, 150.0), 1.0,
                      "calcium reversal potential", (-200.0, 200.0)),
        "g_K": param(8.0, "g_K", "mS/cm2", (0.0, 16.0), 0.1,
                     "maximal potassium conductance", (0.0, 1e3)),
        "E_K": param(-84.0, "E_K", "mV", (-100.0, -60.0), 1.0,
                     "potassium reversal potential", (-200.0, 200.0)),
        "V1": param(-1.2, "V_1", "mV", (-20.0, 20.0), 0.1,
                    "half-activation voltage of m_inf", (-200.0, 200.0)),
        "V2": param(18.0, "V_2", "mV", (5.0, 40.0), 0.1, "slope of m_inf",
                    positive=True),
        "V3": param(2.0, "V_3", "mV", (-10.0, 30.0), 0.1,
                    "half-activation voltage of w_inf", (-200.0, 200.0)),
        "V4": param(30.0, "V_4", "mV", (10.0, 40.0), 0.1, "slope of w_inf",
                    positive=True),
        "phi": param(0.04, "φ", "1/ms", (0.01, 0.2), 0.001,
                     "rate scale of the potassium gate", positive=True),
    },
    current_unit="uA/cm2",
    units={"V": "mV", "w": ""},
    # Spikes peak near +20 to +40 mV; subthreshold swings stay below -20 mV.
    spike_threshold=0.0,
    spike_rearm=10.0,
    # Measured with RK4 over 1 s at currents 0-150 uA/cm2, against runs at dt = 0.005
    # ms: spike times of both presets stay within 2e-6 ms of the reference at
    # dt = 0.1 ms, 1e-3 ms at 0.5 ms and 0.015 ms at 1 ms (0.2 ms at 2 ms); the presets
    # stay stable up to 4 ms. 300 parameter sets drawn from the slider ranges all ran
    # stable at every dt up to 1 ms, so larger steps are refused.
    default_dt=0.1,
    max_dt=1.0,
    equilibrium_window=(-90.0, 60.0),
    current_range=(0.0, 150.0),
    presets={
        "hopf": Preset({}, "hopf: class 2 (Rinzel & Ermentrout 1989, Figs. 1-3)"),
        "snic": Preset(_SNIC, "snic: class 1 (Rinzel & Ermentrout 1989, Figs. 4-6)"),
    },
    title="Morris-Lecar",
    description=(
        "An instantaneous calcium current excites, a slower potassium gate recovers: two "
        "states (V, w). One change of parameter set turns class 2 excitability (preset "
        "hopf: the rest loses stability in a Hopf bifurcation, firing starts at a finite "
        "rate) into class 1 (preset snic: a saddle-node on an invariant circle, firing "
        "from zero rate). Morris &amp; Lecar (1981), Biophys. J. 35:193, in the form of "
        "Rinzel &amp; Ermentrout (1989), <i>Methods in Neuronal Modeling</i>."),
    plane_window=((-70.0, 50.0), (-0.05, 0.6)),
    start_current=100.0,
    start_duration=500.0,
    order=45,
)


class MorrisLecar(_MorrisLecar):
    """Morris-Lecar (1981) model in the form of Rinzel & Ermentrout (1989).

    C V' = I - g_L (V - E_L) - g_Ca m_inf(V) (V - E_Ca) - g_K w (V - E_K),
    w' = phi (w_inf(V) - w) / tau_w(V). Defaults: preset "hopf" (class 2); preset
    "snic" gives class 1. States: V (mV), w (dimensionless). Current in uA/cm2, time
    in ms.
    """

    def _reversal_bounds(self, I: float) -> tuple[float, float]:
        return self._conductance_bounds(I, [self.E_L, self.E_Ca, self.E_K], self.g_L)

    def _fallback_state(self) -> np.ndarray:
        # No isolated equilibrium at I = 0 (e.g. every conductance at zero, a continuum
        # of them): start at E_L with w at its steady state there.
        eq = self.equilibria(0.0)
        return eq[0] if eq else self._equilibrium_state(np.array([self.E_L]), 0.0)[:, 0]
