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

The reduced (V, n) plane drawn for this model sets the fast sodium activation to its
steady state, m = m_inf(V), and ties the inactivation to n by h = 0.89 - 1.1 n: Rinzel
(1985) observed that h + n stays nearly constant during an action potential, and this
linear fit is the one of Izhikevich (2007), "Dynamical Systems in Neuroscience",
section 5.2 (a fit, not an identity: h goes slightly negative for n > 0.81).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_array
from .base import Reduction, param
from .define import define_model

__all__ = ["HodgkinHuxley", "hh_rates", "gating_steady_state"]

_EQUATIONS = """
dV/dt = (I - I_Na - I_K - I_L) / C
dm/dt = phi * (alpha_m * (1 - m) - beta_m * m)
dh/dt = phi * (alpha_h * (1 - h) - beta_h * h)
dn/dt = phi * (alpha_n * (1 - n) - beta_n * n)

I_Na = g_Na * m**3 * h * (V - E_Na)        # sodium current (uA/cm2)
I_K = g_K * n**4 * (V - E_K)               # potassium current
I_L = g_L * (V - E_L)                      # leak current
phi = q10**((temperature - 6.3) / 10)      # temperature factor of every rate

# Rates (1/ms) at 6.3 C, V in mV (modern convention); vtrap(x, y) = x / (exp(x/y) - 1).
alpha_m = 0.1 * vtrap(-(V + 40), 10)
beta_m = 4 * exp(-(V + 65) / 18)
alpha_h = 0.07 * exp(-(V + 65) / 20)
beta_h = 1 / (1 + exp(-(V + 35) / 10))
alpha_n = 0.01 * vtrap(-(V + 55), 10)
beta_n = 0.125 * exp(-(V + 65) / 80)

# Steady states and time constants (ms) of the gates at 6.3 C.
m_inf = alpha_m / (alpha_m + beta_m)
h_inf = alpha_h / (alpha_h + beta_h)
n_inf = alpha_n / (alpha_n + beta_n)
tau_m = 1 / (alpha_m + beta_m)
tau_h = 1 / (alpha_h + beta_h)
tau_n = 1 / (alpha_n + beta_n)
"""

_HodgkinHuxley = define_model(
    "HodgkinHuxley",
    _EQUATIONS,
    {
        "C": param(1.0, "C", "uF/cm2", (0.5, 2.0), 0.05, "membrane capacitance",
                   positive=True),
        "g_Na": param(120.0, "g_Na", "mS/cm2", (0.0, 200.0), 1.0,
                      "maximal sodium conductance", (0.0, 1e4)),
        "g_K": param(36.0, "g_K", "mS/cm2", (0.0, 80.0), 0.5,
                     "maximal potassium conductance", (0.0, 1e4)),
        "g_L": param(0.3, "g_L", "mS/cm2", (0.0, 1.0), 0.01, "leak conductance",
                     (0.0, 1e3)),
        "E_Na": param(50.0, "E_Na", "mV", (20.0, 80.0), 1.0, "sodium reversal potential",
                      (-200.0, 200.0)),
        "E_K": param(-77.0, "E_K", "mV", (-100.0, -50.0), 1.0,
                     "potassium reversal potential", (-200.0, 200.0)),
        "E_L": param(-54.387, "E_L", "mV", (-80.0, -40.0), 0.001,
                     "leak reversal potential", (-200.0, 200.0)),
        "temperature": param(6.3, "T", "degC", (0.0, 30.0), 0.1,
                             "temperature; scales every gating rate by Q10^((T-6.3)/10)",
                             (-10.0, 45.0)),
        "q10": param(3.0, "Q10", "", (1.0, 4.0), 0.1,
                     "factor by which rates grow per 10 degC", (1.0, 10.0)),
    },
    current_unit="uA/cm2",
    units={"V": "mV", "m": "", "h": "", "n": ""},
    spike_threshold=0.0,
    spike_rearm=10.0,
    # RK4 loses stability during the spike at dt = 0.1 ms (6.3 C; measured), so steps
    # above 0.08 ms are refused. The default step shrinks when warming speeds up the
    # gates (see HodgkinHuxley.default_dt).
    max_dt=0.08,
    equilibrium_window=(-100.0, 50.0),
    current_range=(-10.0, 200.0),
    presets={"squid axon 6.3 C": {}, "squid axon 18.5 C": {"temperature": 18.5}},
    title="Hodgkin-Huxley",
    description=(
        "Squid giant axon: sodium (m³h), potassium (n⁴) and leak currents, four states. "
        "Hodgkin &amp; Huxley (1952), J. Physiol. 117:500. Phase plane: the reduced "
        "(V, n) plane."),
    reductions={"h(n)": Reduction({"m": "m_inf", "h": "0.89 - 1.1*n"},
                                  "m = m∞(V), h = 0.89 − 1.1 n")},
    plane="h(n)",
    plane_window=((-85.0, 50.0), (0.25, 0.8)),
    start_current=10.0,
    start_duration=200.0,
    convention=("Modern convention: V = inside − outside, rest near −65 mV\n"
                "(Hodgkin & Huxley 1952: V from rest, depolarization negative)"),
    order=10,
)


class HodgkinHuxley(_HodgkinHuxley):
    """Hodgkin-Huxley (1952) squid-axon model: C V' = I - I_Na - I_K - I_L.

    I_Na = g_Na m^3 h (V - E_Na), I_K = g_K n^4 (V - E_K), I_L = g_L (V - E_L); each gate
    x in {m, h, n} obeys x' = phi (alpha_x(V) (1 - x) - beta_x(V) x). Default parameters
    are those of Hodgkin & Huxley (1952) at 6.3 C in the modern voltage convention.
    States: V (mV), m, h, n (dimensionless). Current in uA/cm2, time in ms.
    """

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
        C dV/dt = I - I_Na - I_K - I_L.

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
        e = self.expressions(y)
        return {"Na": e["I_Na"], "K": e["I_K"], "L": e["I_L"]}

    def _reversal_bounds(self, I: float) -> tuple[float, float]:
        return self._conductance_bounds(I, [self.E_Na, self.E_K, self.E_L], self.g_L)

    def _fallback_state(self) -> np.ndarray:
        # No equilibrium to start from (e.g. no leak and a net current): start at E_L
        # with every gate at its steady state there.
        eq = self.equilibria(0.0)
        return eq[0] if eq else self._equilibrium_state(np.array([self.E_L]), 0.0)[:, 0]


def _gates(V: np.ndarray | float) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    V = np.asarray(V, dtype=float)
    y = np.zeros((4, *V.shape))
    y[0] = V
    return V, HodgkinHuxley().expressions(y)


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
    _, e = _gates(V)
    return tuple(e[k] for k in ("alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n",
                                "beta_n"))


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
    _, e = _gates(V)
    return {g: (e[f"{g}_inf"], e[f"tau_{g}"]) for g in ("m", "h", "n")}
