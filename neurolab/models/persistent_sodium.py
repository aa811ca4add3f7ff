"""Persistent sodium plus leak, I_Na,p: the one-dimensional model, with a reset.

Source: E. M. Izhikevich, "Dynamical Systems in Neuroscience: The Geometry of
Excitability and Bursting", MIT Press (2007), chapter 4 (figure 4.1):

    C V' = I - g_L (V - E_L) - g_Na m_inf(V) (V - E_Na)

with the Boltzmann activation m_inf(V) = 1 / (1 + exp((V_half - V) / k)). Defaults:
C = 1 uF/cm2, g_L = 8, E_L = -80 mV, g_Na = 20, E_Na = 60 mV, m_inf(V_half = -20 mV,
k = 15).

The model cannot come back down from its upper ("spike") state by itself; a reset rule
stands in for the potassium current: when V reaches V_peak it is set to V_reset.
"""

from __future__ import annotations

import numpy as np

from .base import param
from .define import define_model

__all__ = ["INaP", "boltzmann", "SODIUM_PARAMETERS"]


def boltzmann(V: np.ndarray | float, half: float, k: float) -> np.ndarray:
    """Boltzmann activation 1 / (1 + exp((half - V) / k)); V, half and k in mV."""
    return 1.0 / (1.0 + np.exp((half - np.asarray(V, dtype=float)) / k))


#: Leak and persistent sodium parameters of Izhikevich (2007), ch. 4 (shared with the
#: I_Na,p + I_K model, which adds a potassium current to the same membrane).
SODIUM_PARAMETERS = {
    "C": param(1.0, "C", "uF/cm2", (0.5, 2.0), 0.05, "membrane capacitance", positive=True),
    "g_L": param(8.0, "g_L", "mS/cm2", (1.0, 20.0), 0.5, "leak conductance", positive=True),
    "E_L": param(-80.0, "E_L", "mV", (-90.0, -60.0), 0.5, "leak reversal potential",
                 (-200.0, 200.0)),
    "g_Na": param(20.0, "g_Na", "mS/cm2", (0.0, 40.0), 0.5,
                  "persistent sodium conductance", (0.0, 1e4)),
    "E_Na": param(60.0, "E_Na", "mV", (30.0, 90.0), 1.0, "sodium reversal potential",
                  (-200.0, 200.0)),
    "m_half": param(-20.0, "V_1/2,m", "mV", (-40.0, 0.0), 0.5,
                    "half-activation voltage of m_inf", (-200.0, 200.0)),
    "m_k": param(15.0, "k_m", "mV", (5.0, 25.0), 0.5, "slope factor of m_inf",
                 positive=True),
}

_INaP = define_model(
    "INaP",
    """
    dV/dt = (I - g_L * (V - E_L) - g_Na * m_inf * (V - E_Na)) / C
    m_inf = 1 / (1 + exp((m_half - V) / m_k))
    """,
    {
        **SODIUM_PARAMETERS,
        "V_peak": param(0.0, "V_peak", "mV", (-30.0, 20.0), 1.0,
                        "potential at which a spike is recorded and V is reset",
                        (-200.0, 200.0)),
        "V_reset": param(-70.0, "V_reset", "mV", (-90.0, -50.0), 1.0,
                         "potential after the reset", (-200.0, 200.0)),
    },
    current_unit="uA/cm2",
    units={"V": "mV"},
    threshold="V >= V_peak",
    reset="V = V_reset",
    default_dt=0.01,
    # RK4 diverges at 0.4 ms with the defaults (currents -20 to 40; measured), not at 0.3.
    max_dt=0.25,
    equilibrium_window=(-100.0, 60.0),
    current_range=(-20.0, 40.0),
    presets={"Izhikevich 2007": {}},
    title="I_Na,p",
    description=(
        "Persistent sodium plus leak: one state, a saddle-node bifurcation, and a reset "
        "in place of the downstroke. Izhikevich (2007), <i>Dynamical Systems in "
        "Neuroscience</i>, ch. 4."),
    start_current=5.0,
    start_duration=50.0,
    order=30,
)


class INaP(_INaP):
    """One-dimensional persistent sodium plus leak model with a reset (Izhikevich 2007, ch. 4).

    States: V (mV). Current in uA/cm2, time in ms. When V reaches ``V_peak`` the engine
    records a spike and sets V to ``V_reset``.
    """

    def _check(self) -> None:
        if not self.V_reset < self.V_peak:
            raise ValueError(f"INaP.V_reset must be below V_peak={self.V_peak:g} mV, "
                             f"got {self.V_reset:g} mV")

    def equilibria(self, I: float = 0.0, window: tuple[float, float] | None = None,
                   n: int = 4001) -> list[np.ndarray]:
        """Every equilibrium in ``window``, including the upper "spike" state above
        ``V_peak`` that the reset keeps trajectories from reaching. The default window
        is ``equilibrium_window`` widened to the range the reversal potentials bound
        (:meth:`Model._conductance_bounds`), so no equilibrium is missed. See
        :meth:`Model.equilibria`."""
        return super().equilibria(I, window, n)

    def _reversal_bounds(self, I: float) -> tuple[float, float]:
        return self._conductance_bounds(I, [self.E_L, self.E_Na], self.g_L)

    def _fallback_state(self) -> np.ndarray:
        # No rest below V_peak at I = 0: the model fires; start from the reset value.
        return np.array([self.V_reset])
