"""A hand-written numba kernel of Hodgkin-Huxley, the yardstick of the generated engine.

The course's engine is generated from the text of a model's equations. To show what that
costs, this module keeps a kernel written by hand for one model: the same equations, the
same RK4 step and the same spike detection (upward crossings of 0 mV, located on the
cubic Hermite interpolant), with the rate functions sharing one exponential (all six are
powers of exp(-(V + 65)/720)). It is the shape of the engine the course had before
models were generated. Used by ``bench_models.py`` only.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_E25 = math.exp(2.5)
_E10 = math.exp(1.0)
_E30 = math.exp(3.0)


@njit(cache=True, inline="always")
def _rates(V):
    x = V + 65.0
    e0 = math.exp(-x / 720.0)
    e2 = e0 * e0
    e4 = e2 * e2
    e8 = e4 * e4
    e9 = e8 * e0
    e18 = e9 * e9
    e36 = e18 * e18
    e40 = e36 * e4
    e72 = e36 * e36
    u = V + 40.0
    am = 0.1 * (10.0 + 0.5 * u) if abs(u) < 1e-5 else 0.1 * u / (1.0 - e72 * _E25)
    w = V + 55.0
    an = 0.01 * (10.0 + 0.5 * w) if abs(w) < 1e-5 else 0.01 * w / (1.0 - e72 * _E10)
    return am, 4.0 * e40, 0.07 * e36, 1.0 / (1.0 + e72 * _E30), an, 0.125 * e9


@njit(cache=True, inline="always")
def _f(p, V, m, h, n, I):
    C, gNa, gK, gL, ENa, EK, EL, phi = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
    am, bm, ah, bh, an, bn = _rates(V)
    n2 = n * n
    return ((I - gNa * m * m * m * h * (V - ENa) - gK * n2 * n2 * (V - EK)
             - gL * (V - EL)) / C,
            phi * (am * (1.0 - m) - bm * m), phi * (ah * (1.0 - h) - bh * h),
            phi * (an * (1.0 - n) - bn * n))


@njit(cache=True)
def _crossing(v0, v1, f0, f1, h, level):
    th = (level - v0) / (v1 - v0)
    lin = th
    for _ in range(8):
        t2 = th * th
        t3 = t2 * th
        val = ((2 * t3 - 3 * t2 + 1) * v0 + (t3 - 2 * t2 + th) * h * f0
               + (-2 * t3 + 3 * t2) * v1 + (t3 - t2) * h * f1 - level)
        d = ((6 * t2 - 6 * th) * v0 + (3 * t2 - 4 * th + 1) * h * f0
             + (-6 * t2 + 6 * th) * v1 + (3 * t2 - 2 * th) * h * f1)
        if d <= 0.0:
            return lin
        step = val / d
        th -= step
        if th < 0.0 or th > 1.0:
            return lin
        if abs(step) < 1e-13:
            break
    return th


@njit(cache=True)
def run(p, y0, dt, n_steps, I, states, spikes):
    """RK4 over n_steps steps of dt (ms) at constant current I; records every state and
    returns the number of spikes written into ``spikes`` (ms)."""
    a0, a1, a2, a3 = y0[0], y0[1], y0[2], y0[3]
    states[0, 0], states[1, 0], states[2, 0], states[3, 0] = a0, a1, a2, a3
    armed = True
    n_sp = 0
    g = 0.5 * dt
    r = dt / 6.0
    for k in range(n_steps):
        k1 = _f(p, a0, a1, a2, a3, I)
        k2 = _f(p, a0 + g * k1[0], a1 + g * k1[1], a2 + g * k1[2], a3 + g * k1[3], I)
        k3 = _f(p, a0 + g * k2[0], a1 + g * k2[1], a2 + g * k2[2], a3 + g * k2[3], I)
        k4 = _f(p, a0 + dt * k3[0], a1 + dt * k3[1], a2 + dt * k3[2], a3 + dt * k3[3], I)
        b0 = a0 + r * (k1[0] + 2.0 * k2[0] + 2.0 * k3[0] + k4[0])
        b1 = a1 + r * (k1[1] + 2.0 * k2[1] + 2.0 * k3[1] + k4[1])
        b2 = a2 + r * (k1[2] + 2.0 * k2[2] + 2.0 * k3[2] + k4[2])
        b3 = a3 + r * (k1[3] + 2.0 * k2[3] + 2.0 * k3[3] + k4[3])
        if armed and a0 < 0.0 and b0 >= 0.0:
            f1 = _f(p, b0, b1, b2, b3, I)[0]
            if n_sp < spikes.shape[0]:
                spikes[n_sp] = (k + _crossing(a0, b0, k1[0], f1, dt, 0.0)) * dt
            n_sp += 1
            armed = False
        elif b0 < -10.0:
            armed = True
        a0, a1, a2, a3 = b0, b1, b2, b3
        states[0, k + 1], states[1, k + 1] = a0, a1
        states[2, k + 1], states[3, k + 1] = a2, a3
    return n_sp


def simulate_handwritten(model, duration: float, I: float, y0: np.ndarray) -> np.ndarray:
    """Spike times (ms) of the hand-written kernel for a HodgkinHuxley-like model at the
    model's default step, allocating the same record as the engine does."""
    dt = float(model.default_dt)
    n = int(round(duration / dt))
    p = np.array([model.C, model.g_Na, model.g_K, model.g_L, model.E_Na, model.E_K,
                  model.E_L, model.phi])
    states = np.empty((4, n + 1))
    spikes = np.empty(n + 1)
    k = run(p, np.ascontiguousarray(y0, dtype=float), dt, n, float(I), states, spikes)
    return spikes[:k].copy()
