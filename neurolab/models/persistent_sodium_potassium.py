"""Persistent sodium plus potassium, I_Na,p + I_K: the two-dimensional model.

Source: E. M. Izhikevich, "Dynamical Systems in Neuroscience: The Geometry of
Excitability and Bursting", MIT Press (2007), chapter 4 (figure 4.4):

    C V' = I - g_L (V - E_L) - g_Na m_inf(V) (V - E_Na) - g_K n (V - E_K)
    n'   = (n_inf(V) - n) / tau

with Boltzmann activations x_inf(V) = 1 / (1 + exp((V_half - V) / k)). Defaults: the
persistent sodium membrane of :mod:`neurolab.models.persistent_sodium` plus g_K = 10,
E_K = -90 mV, n_inf(V_half = -25 mV, k = 5), tau = 1 ms ("high-threshold" preset: a
saddle-node on invariant circle near I = 4.51 uA/cm2). The "low-threshold" preset has
E_L = -78 mV and n_inf(V_half = -45 mV), whose rest loses stability through an
Andronov-Hopf bifurcation.
"""

from __future__ import annotations

from .base import param
from .define import define_model
from .persistent_sodium import SODIUM_PARAMETERS

__all__ = ["INaPK"]

_INaPK = define_model(
    "INaPK",
    """
    dV/dt = (I - g_L * (V - E_L) - g_Na * m_inf * (V - E_Na) - g_K * n * (V - E_K)) / C
    dn/dt = (n_inf - n) / tau
    m_inf = 1 / (1 + exp((m_half - V) / m_k))
    n_inf = 1 / (1 + exp((n_half - V) / n_k))
    """,
    {
        **SODIUM_PARAMETERS,
        "g_K": param(10.0, "g_K", "mS/cm2", (0.0, 30.0), 0.5, "potassium conductance",
                     (0.0, 1e4)),
        "E_K": param(-90.0, "E_K", "mV", (-100.0, -60.0), 1.0,
                     "potassium reversal potential", (-200.0, 200.0)),
        "n_half": param(-25.0, "V_1/2,n", "mV", (-60.0, 0.0), 0.5,
                        "half-activation voltage of n_inf", (-200.0, 200.0)),
        "n_k": param(5.0, "k_n", "mV", (2.0, 15.0), 0.5, "slope factor of n_inf",
                     positive=True),
        "tau": param(1.0, "tau", "ms", (0.1, 10.0), 0.1, "time constant of n",
                     positive=True),
    },
    current_unit="uA/cm2",
    units={"V": "mV", "n": ""},
    spike_threshold=-20.0,
    spike_rearm=10.0,
    default_dt=0.01,
    max_dt=0.2,
    equilibrium_window=(-100.0, 60.0),
    current_range=(-10.0, 60.0),
    presets={"high-threshold": {}, "low-threshold": {"E_L": -78.0, "n_half": -45.0}},
    title="I_Na,p + I_K",
    description=(
        "Persistent sodium plus a slower potassium gate: two states (V, n). Compare the "
        "presets high- and low-threshold. Izhikevich (2007), ch. 4."),
    plane_window=((-85.0, 10.0), (-0.05, 0.7)),
    start_current=10.0,
    start_duration=100.0,
    order=40,
)


class INaPK(_INaPK):
    """Persistent sodium plus potassium model, I_Na,p + I_K (Izhikevich 2007, ch. 4).

    States: V (mV), n (dimensionless). Current in uA/cm2, time in ms.
    """

    def _reversal_bounds(self, I: float) -> tuple[float, float]:
        return self._conductance_bounds(I, [self.E_L, self.E_Na, self.E_K], self.g_L)
