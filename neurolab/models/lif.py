"""Leaky integrate-and-fire neuron.

tau_m V' = -(V - E_L) + R I; when V reaches V_th a spike is recorded, V is set to
V_reset and held there for the absolute refractory period t_ref. Units: V in mV,
I in nA, R in MOhm (so R I is in mV), times in ms. The defaults (tau_m = 10 ms,
R = 10 MOhm, E_L = V_reset = -65 mV, V_th = -50 mV, t_ref = 2 ms) follow the teaching
values of Gerstner et al., "Neuronal Dynamics" (Cambridge University Press, 2014), ch. 1.
"""

from __future__ import annotations

import math

import numpy as np

from .base import param
from .define import define_model

__all__ = ["LIF"]

_LIF = define_model(
    "LIF",
    "dV/dt = (-(V - E_L) + R * I) / tau_m",
    {
        "tau_m": param(10.0, "tau_m", "ms", (1.0, 50.0), 0.5, "membrane time constant",
                       positive=True),
        "R": param(10.0, "R", "MOhm", (1.0, 50.0), 0.5, "membrane resistance",
                   positive=True),
        "E_L": param(-65.0, "E_L", "mV", (-80.0, -50.0), 0.5, "resting (leak) potential",
                     (-200.0, 100.0)),
        "V_th": param(-50.0, "V_th", "mV", (-65.0, -30.0), 0.5, "firing threshold",
                      (-200.0, 100.0)),
        "V_reset": param(-65.0, "V_reset", "mV", (-80.0, -50.0), 0.5,
                         "potential after a spike", (-200.0, 100.0)),
        "t_ref": param(2.0, "t_ref", "ms", (0.0, 10.0), 0.1, "absolute refractory period",
                       (0.0, 1000.0)),
    },
    current_unit="nA",
    units={"V": "mV"},
    threshold="V >= V_th",
    reset="V = V_reset",
    refractory="t_ref",
    default_dt=0.05,
    max_dt=1.0,
    current_range=(-2.0, 5.0),
    presets={"default": {}},
    title="Leaky integrate-and-fire",
    description=(
        "A leaky membrane (RC circuit) with a fixed threshold and a reset; one state. "
        "Lapicque (1907); see Gerstner et al. (2014), <i>Neuronal Dynamics</i>, ch. 1."),
    start_current=2.0,
    start_duration=200.0,
    order=20,
)


class LIF(_LIF):
    """Leaky integrate-and-fire neuron: tau_m V' = -(V - E_L) + R I, reset at V_th.

    States: V (mV). Current in nA, time in ms.
    """

    def _check(self) -> None:
        if not self.V_reset < self.V_th:
            raise ValueError(
                f"LIF.V_reset must be below V_th={self.V_th:g} mV, got {self.V_reset:g} mV"
            )

    def rheobase(self) -> float:
        """Smallest constant current (nA) that makes the neuron fire: (V_th - E_L) / R."""
        return (self.V_th - self.E_L) / self.R

    def rate(self, I: float | np.ndarray) -> np.ndarray:
        """Analytic firing rate (Hz) for a constant current (nA).

        For R I > V_th - E_L the time to climb from V_reset to V_th is
        T = tau_m ln((R I + E_L - V_reset) / (R I + E_L - V_th)), and the rate is
        1000 / (t_ref + T); below rheobase the rate is 0.
        """
        I = np.asarray(I, dtype=float)
        drive = self.R * I + self.E_L
        with np.errstate(divide="ignore", invalid="ignore"):
            T = self.tau_m * np.log((drive - self.V_reset) / (drive - self.V_th))
            r = np.where(drive > self.V_th, 1000.0 / (self.t_ref + T), 0.0)
        return r

    def _fallback_state(self) -> np.ndarray:
        return np.array([self.V_reset])

    def rest(self, I: float = 0.0) -> np.ndarray:
        """Resting potential E_L + R I, or ``ValueError`` if it lies at or above V_th."""
        v = self.E_L + self.R * float(I)
        if v >= self.V_th or math.isnan(v):
            raise ValueError(
                f"LIF has no stable resting state at I={I:g} nA: E_L + R I = {v:g} mV "
                f"reaches V_th={self.V_th:g} mV, so it fires"
            )
        return np.array([v])
