"""Hodgkin-Huxley model of the squid giant axon.

Source: A. L. Hodgkin and A. F. Huxley, "A quantitative description of membrane current
and its application to conduction and excitation in nerve", J. Physiol. 117:500-544
(1952), at 6.3 C. The rate functions are written in the modern convention (membrane
potential V in mV, rest near -65 mV); the 1952 paper measured the displacement from
rest with the opposite sign. Shifting the 1952 formulas by -65 mV gives the reversal
potentials E_Na = 50, E_K = -77 and E_L = -54.387 mV used here (the leak reversal is
chosen so that the resting potential is -65 mV).

Temperature enters through the factor phi = Q10 ** ((T - 6.3) / 10) that multiplies
every gating rate, with Q10 = 3 (Hodgkin, Huxley and Katz 1952).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .. import _kernels as K
from .._validation import check_array
from .base import Model, param

__all__ = ["HodgkinHuxley", "hh_rates", "gating_steady_state"]


def hh_rates(V: np.ndarray | float) -> tuple[np.ndarray, ...]:
    """Opening (alpha) and closing (beta) rates of the gates m, h, n at 6.3 C.

    Parameters
    ----------
    V : float or array_like
        Membrane potential (mV, modern convention).

    Returns
    -------
    tuple of numpy.ndarray
        ``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)`` in 1/ms.
    """
    V = np.asarray(V, dtype=float)
    out = np.empty((6, V.size))
    K.hh_rates_many(np.ascontiguousarray(V.ravel()), out)
    return tuple(o.reshape(V.shape) for o in out)


def gating_steady_state(V: np.ndarray | float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Steady states x_inf = a / (a + b) and time constants tau_x = 1 / (a + b) at 6.3 C.

    Parameters
    ----------
    V : float or array_like
        Membrane potential (mV).

    Returns
    -------
    dict
        ``{"m": (m_inf, tau_m), "h": (h_inf, tau_h), "n": (n_inf, tau_n)}``; the
        steady states are dimensionless and the time constants in ms.
    """
    am, bm, ah, bh, an, bn = hh_rates(V)
    return {
        "m": (am / (am + bm), 1.0 / (am + bm)),
        "h": (ah / (ah + bh), 1.0 / (ah + bh)),
        "n": (an / (an + bn), 1.0 / (an + bn)),
    }


@dataclass(frozen=True)
class HodgkinHuxley(Model):
    """Hodgkin-Huxley (1952) squid-axon model: C V' = I - I_Na - I_K - I_L.

    I_Na = g_Na m^3 h (V - E_Na), I_K = g_K n^4 (V - E_K), I_L = g_L (V - E_L); each gate
    x in {m, h, n} obeys x' = phi (alpha_x(V) (1 - x) - beta_x(V) x). Default parameters
    are those of Hodgkin & Huxley (1952) at 6.3 C in the modern voltage convention.
    States: V (mV), m, h, n (dimensionless). Current in uA/cm2, time in ms.
    """

    C: float = param(1.0, "C", "uF/cm2", (0.5, 2.0), 0.05, "membrane capacitance",
                     positive=True)
    g_Na: float = param(120.0, "g_Na", "mS/cm2", (0.0, 200.0), 1.0,
                        "maximal sodium conductance", (0.0, 1e4))
    g_K: float = param(36.0, "g_K", "mS/cm2", (0.0, 80.0), 0.5,
                       "maximal potassium conductance", (0.0, 1e4))
    g_L: float = param(0.3, "g_L", "mS/cm2", (0.0, 1.0), 0.01, "leak conductance", (0.0, 1e3))
    E_Na: float = param(50.0, "E_Na", "mV", (20.0, 80.0), 1.0, "sodium reversal potential",
                        (-200.0, 200.0))
    E_K: float = param(-77.0, "E_K", "mV", (-100.0, -50.0), 1.0,
                       "potassium reversal potential", (-200.0, 200.0))
    E_L: float = param(-54.387, "E_L", "mV", (-80.0, -40.0), 0.5, "leak reversal potential",
                       (-200.0, 200.0))
    temperature: float = param(6.3, "T", "degC", (0.0, 30.0), 0.5,
                               "temperature; scales every gating rate by Q10^((T-6.3)/10)",
                               (-10.0, 45.0))
    q10: float = param(3.0, "Q10", "", (1.0, 4.0), 0.1,
                       "factor by which rates grow per 10 degC", (1.0, 10.0))

    state_names: ClassVar[tuple[str, ...]] = ("V", "m", "h", "n")
    _code: ClassVar[int] = K.HH
    spike_threshold: ClassVar[float] = 0.0
    spike_rearm: ClassVar[float] = 10.0
    # RK4 loses stability during the spike at dt = 0.1 ms (6.3 C; measured), so steps
    # above 0.08 ms are refused. The default step shrinks when warming speeds up the
    # gates (see default_dt).
    max_dt: ClassVar[float] = 0.08
    equilibrium_window: ClassVar[tuple[float, float]] = (-100.0, 50.0)
    current_range: ClassVar[tuple[float, float]] = (-10.0, 200.0)
    presets: ClassVar[dict[str, dict[str, float]]] = {
        "squid axon 6.3 C": {},
        "squid axon 18.5 C": {"temperature": 18.5},
    }

    @property
    def default_dt(self) -> float:  # type: ignore[override]
        """Default step (ms): 0.05 / k with k = ceil(sqrt(phi / 4.5)), so 0.05 up to phi = 4.5
        (about 20 C) and 0.025 at 30 C; a whole fraction of 0.05 keeps grids round.

        RK4 at 0.05 ms keeps spike times within 0.01 ms of a converged reference over 1 s
        at 10 uA/cm2 and 6.3 C (tests/test_engine.py). Warming multiplies every gating
        rate by phi; measured with RK4 over currents 0-200 uA/cm2, the largest stable
        step falls from 0.08 ms (phi <= 4.5) to 0.04 ms at 30 C (phi = 13.5), where
        0.05 ms diverges.
        """
        return 0.05 / max(1, math.ceil((self.phi / 4.5) ** 0.5))

    @property
    def phi(self) -> float:
        """Temperature factor Q10 ** ((T - 6.3) / 10) of the gating rates."""
        return self.q10 ** ((self.temperature - 6.3) / 10.0)

    def currents(self, y: np.ndarray) -> dict[str, np.ndarray]:
        """The ionic currents at a state (uA/cm2, outward positive).

        I_Na = g_Na m^3 h (V - E_Na), I_K = g_K n^4 (V - E_K) and I_L = g_L (V - E_L)
        (Hodgkin and Huxley 1952, eq. 26; modern voltage convention), so that
        C dV/dt = I - I_Na - I_K - I_L. Used, e.g., to show the currents of a
        voltage-clamp run.

        Parameters
        ----------
        y : array_like
            States (V in mV, m, h, n dimensionless), shape (4, ...).

        Returns
        -------
        dict
            ``{"Na": I_Na, "K": I_K, "L": I_L}``, arrays of shape ``y.shape[1:]``
            (uA/cm2).

        Raises
        ------
        ValueError
            If ``y`` is not finite or its first axis does not hold the 4 states.
        """
        y = check_array("y", y)
        if y.ndim == 0 or y.shape[0] != 4:
            raise ValueError(f"y must have shape (4, ...) for states {self.state_names}, "
                             f"got shape {y.shape}")
        V, m, h, n = y
        return {"Na": self.g_Na * m**3 * h * (V - self.E_Na),
                "K": self.g_K * n**4 * (V - self.E_K),
                "L": self.g_L * (V - self.E_L)}

    def _kernel_params(self) -> np.ndarray:
        return np.array([self.C, self.g_Na, self.g_K, self.g_L, self.E_Na, self.E_K,
                         self.E_L, self.phi])

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray:
        ss = gating_steady_state(v)
        return np.array([v, ss["m"][0], ss["h"][0], ss["n"][0]])

    def _reversal_bounds(self, I: float) -> tuple[float, float]:
        return self._conductance_bounds(I, [self.E_Na, self.E_K, self.E_L], self.g_L)

    def _fallback_state(self) -> np.ndarray:
        # No equilibrium to start from (e.g. no leak and a net current): start at E_L
        # with every gate at its steady state there.
        eq = self.equilibria(0.0)
        return eq[0] if eq else self._equilibrium_state(np.array(self.E_L), 0.0)
