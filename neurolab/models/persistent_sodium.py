"""Persistent sodium models: I_Na,p (one dimension) and I_Na,p + I_K (two dimensions).

Source: E. M. Izhikevich, "Dynamical Systems in Neuroscience: The Geometry of
Excitability and Bursting", MIT Press (2007), chapter 4 (figures 4.1 and 4.4).

I_Na,p:        C V' = I - g_L (V - E_L) - g_Na m_inf(V) (V - E_Na)
I_Na,p + I_K:  C V' = I - g_L (V - E_L) - g_Na m_inf(V) (V - E_Na) - g_K n (V - E_K)
               n'   = (n_inf(V) - n) / tau
with Boltzmann activations x_inf(V) = 1 / (1 + exp((V_half - V) / k)).

Defaults: C = 1 uF/cm2, g_L = 8, E_L = -80 mV, g_Na = 20, E_Na = 60 mV,
m_inf(V_half = -20 mV, k = 15); g_K = 10, E_K = -90 mV, n_inf(V_half = -25 mV, k = 5),
tau = 1 ms ("high-threshold" preset: saddle-node on invariant circle near
I = 4.51 uA/cm2). The "low-threshold" preset has E_L = -78 mV and n_inf(V_half = -45 mV),
whose rest loses stability through an Andronov-Hopf bifurcation.

The one-dimensional I_Na,p model cannot come back down from its upper ("spike") state by
itself; a reset rule stands in for the potassium current: when V reaches V_peak it is
set to V_reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .. import _kernels as K
from .base import Model, param

__all__ = ["INaP", "INaPK", "boltzmann"]


def boltzmann(V: np.ndarray | float, half: float, k: float) -> np.ndarray:
    """Boltzmann activation 1 / (1 + exp((half - V) / k)); V, half and k in mV."""
    return 1.0 / (1.0 + np.exp((half - np.asarray(V, dtype=float)) / k))


def _common():
    return dict(
        C=param(1.0, "C", "uF/cm2", (0.5, 2.0), 0.05, "membrane capacitance", positive=True),
        g_L=param(8.0, "g_L", "mS/cm2", (1.0, 20.0), 0.5, "leak conductance", positive=True),
        E_L=param(-80.0, "E_L", "mV", (-90.0, -60.0), 0.5, "leak reversal potential",
                  (-200.0, 200.0)),
        g_Na=param(20.0, "g_Na", "mS/cm2", (0.0, 40.0), 0.5,
                   "persistent sodium conductance", (0.0, 1e4)),
        E_Na=param(60.0, "E_Na", "mV", (30.0, 90.0), 1.0, "sodium reversal potential",
                   (-200.0, 200.0)),
        m_half=param(-20.0, "V_1/2,m", "mV", (-40.0, 0.0), 0.5,
                     "half-activation voltage of m_inf", (-200.0, 200.0)),
        m_k=param(15.0, "k_m", "mV", (5.0, 25.0), 0.5, "slope factor of m_inf",
                  positive=True),
    )


_C = _common()


@dataclass(frozen=True)
class INaP(Model):
    """One-dimensional persistent sodium plus leak model with a reset (Izhikevich 2007, ch. 4).

    States: V (mV). Current in uA/cm2, time in ms. When V reaches ``V_peak`` the engine
    records a spike and sets V to ``V_reset``.
    """

    C: float = _C["C"]
    g_L: float = _C["g_L"]
    E_L: float = _C["E_L"]
    g_Na: float = _C["g_Na"]
    E_Na: float = _C["E_Na"]
    m_half: float = _C["m_half"]
    m_k: float = _C["m_k"]
    V_peak: float = param(0.0, "V_peak", "mV", (-30.0, 20.0), 1.0,
                          "potential at which a spike is recorded and V is reset",
                          (-200.0, 200.0))
    V_reset: float = param(-70.0, "V_reset", "mV", (-90.0, -50.0), 1.0,
                           "potential after the reset", (-200.0, 200.0))

    state_names: ClassVar[tuple[str, ...]] = ("V",)
    _code: ClassVar[int] = K.INAP
    hybrid: ClassVar[bool] = True
    default_dt: ClassVar[float] = 0.01
    # RK4 diverges at 0.4 ms with the defaults (currents -20 to 40; measured), not at 0.3.
    max_dt: ClassVar[float] = 0.25
    equilibrium_window: ClassVar[tuple[float, float]] = (-100.0, 60.0)
    current_range: ClassVar[tuple[float, float]] = (-20.0, 40.0)
    presets: ClassVar[dict[str, dict[str, float]]] = {"Izhikevich 2007": {}}

    def _check(self) -> None:
        if not self.V_reset < self.V_peak:
            raise ValueError(f"INaP.V_reset must be below V_peak={self.V_peak:g} mV, "
                             f"got {self.V_reset:g} mV")

    def _kernel_params(self) -> np.ndarray:
        return np.array([self.C, self.g_L, self.E_L, self.g_Na, self.E_Na, self.m_half,
                         self.m_k, self.V_peak, self.V_reset])

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray:
        return np.array([v])

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

    def _equilibrium_limit(self) -> float:
        return self.V_peak

    def _fallback_state(self) -> np.ndarray:
        # No rest below V_peak at I = 0: the model fires; start from the reset value.
        return np.array([self.V_reset])

    def _spike_settings(self) -> tuple[float, float, bool, float, float]:
        return self.V_peak, 0.0, True, self.V_peak, 0.0


@dataclass(frozen=True)
class INaPK(Model):
    """Persistent sodium plus potassium model, I_Na,p + I_K (Izhikevich 2007, ch. 4).

    States: V (mV), n (dimensionless). Current in uA/cm2, time in ms.
    """

    C: float = _C["C"]
    g_L: float = _C["g_L"]
    E_L: float = _C["E_L"]
    g_Na: float = _C["g_Na"]
    E_Na: float = _C["E_Na"]
    m_half: float = _C["m_half"]
    m_k: float = _C["m_k"]
    g_K: float = param(10.0, "g_K", "mS/cm2", (0.0, 30.0), 0.5, "potassium conductance",
                       (0.0, 1e4))
    E_K: float = param(-90.0, "E_K", "mV", (-100.0, -60.0), 1.0,
                       "potassium reversal potential", (-200.0, 200.0))
    n_half: float = param(-25.0, "V_1/2,n", "mV", (-60.0, 0.0), 0.5,
                          "half-activation voltage of n_inf", (-200.0, 200.0))
    n_k: float = param(5.0, "k_n", "mV", (2.0, 15.0), 0.5, "slope factor of n_inf",
                       positive=True)
    tau: float = param(1.0, "tau", "ms", (0.1, 10.0), 0.1, "time constant of n",
                       positive=True)

    state_names: ClassVar[tuple[str, ...]] = ("V", "n")
    _code: ClassVar[int] = K.INAPK
    spike_threshold: ClassVar[float] = -20.0
    spike_rearm: ClassVar[float] = 10.0
    default_dt: ClassVar[float] = 0.01
    max_dt: ClassVar[float] = 0.2
    equilibrium_window: ClassVar[tuple[float, float]] = (-100.0, 60.0)
    current_range: ClassVar[tuple[float, float]] = (-10.0, 60.0)
    presets: ClassVar[dict[str, dict[str, float]]] = {
        "high-threshold": {},
        "low-threshold": {"E_L": -78.0, "n_half": -45.0},
    }

    def _kernel_params(self) -> np.ndarray:
        return np.array([self.C, self.g_L, self.E_L, self.g_Na, self.E_Na, self.m_half,
                         self.m_k, self.g_K, self.E_K, self.n_half, self.n_k, self.tau])

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray:
        return np.array([v, boltzmann(v, self.n_half, self.n_k)])

    def _reversal_bounds(self, I: float) -> tuple[float, float]:
        return self._conductance_bounds(I, [self.E_L, self.E_Na, self.E_K], self.g_L)

