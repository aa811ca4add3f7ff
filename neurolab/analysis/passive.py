"""The passive membrane: closed-form response of an RC circuit to a current step.

A membrane without voltage-gated channels is a resistor R in parallel with a capacitor
C: C dV/dt = -(V - E_L) / R + I(t). Its response to a step of current is the charging
curve of an RC circuit, which the course compares with simulations (of a leaky
integrate-and-fire neuron whose threshold is out of reach).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_number

__all__ = ["passive_step_response"]


def passive_step_response(t: Any, R: float, C: float, I: float, start: float, stop: float,
                          E_L: float = -65.0) -> np.ndarray:
    """Membrane potential of a passive RC membrane driven by a current step.

    C dV/dt = -(V - E_L) / R + I(t) with I(t) = I for start <= t < stop, else 0, and
    V = E_L at t = 0 <= start. With tau = R C the solution is
    V = E_L + R I (1 - exp(-(t - start) / tau)) while the step is on, and an exponential
    decay back to E_L, with the same tau, after it (any textbook on RC circuits, e.g.
    Dayan and Abbott, "Theoretical Neuroscience", MIT Press 2001, ch. 5). At
    t = start + tau the membrane has covered 1 - 1/e (63 %) of its way to E_L + R I.

    Parameters
    ----------
    t : array_like
        Times (ms), >= 0.
    R : float
        Membrane resistance (MOhm), > 0.
    C : float
        Membrane capacitance (nF), > 0; tau = R C in ms.
    I : float
        Step amplitude (nA).
    start, stop : float
        Onset and offset of the step (ms), 0 <= start <= stop.
    E_L : float
        Resting potential (mV).

    Returns
    -------
    numpy.ndarray
        V (mV) at ``t``, of the shape of ``t``.

    Raises
    ------
    ValueError
        If R or C is not positive, the step's times are out of order or negative, or
        ``t`` holds a negative or non-finite time.
    """
    R = check_number("R", R, 0.0, lo_open=True)
    C = check_number("C", C, 0.0, lo_open=True)
    I = check_number("I", I)
    start = check_number("start", start, 0.0)
    stop = check_number("stop", stop, start)
    E_L = check_number("E_L", E_L)
    t = np.asarray(t, dtype=float)
    bad = ~np.isfinite(t) | (t < 0.0)
    if np.any(bad):
        raise ValueError(f"t must be finite and >= 0 ms, got {t[bad].flat[0]:g}")
    tau = R * C
    on = np.clip(t, start, stop) - start          # time spent charging so far
    v_on = R * I * -np.expm1(-on / tau)           # depolarization reached
    off = np.maximum(t - stop, 0.0)               # time spent decaying
    return E_L + v_on * np.exp(-off / tau)
