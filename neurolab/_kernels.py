"""Compiled equations of every spiking model and the one time loop that integrates them.

Why one file: numba's on-disk cache is keyed on the source file that holds a compiled
function. The time loop inlines the model equations it calls, so if those equations
lived in other files, editing them would leave a stale cached loop behind. Keeping the
compiled right-hand sides, Jacobians, reset rules and the loop together makes any edit
invalidate the cache, and the integer-code dispatch (``code``) lets a fresh kernel load
the loop from cache instead of recompiling it (see ``shared/notes/numba-caching.md``).

The model classes in :mod:`neurolab.models` hold parameters, presets and citations; each
packs its parameters into a float array in the order documented beside its kernel here.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

# Model codes (one per right-hand side below).
HH = 0
LIF = 1
INAP = 2
INAPK = 3
FHN = 4
IZH = 5

# Integration methods.
EULER = 0
RK2 = 1
RK4 = 2
#: Forward Euler of the first state, then of the others with the already-updated first
#: state (Gauss-Seidel order); for hybrid models the reset is applied to the end-of-step
#: state. This is the update of the script behind Izhikevich (2004), Fig. 1.
IZHIKEVICH = 3

# Status codes returned by the loop.
OK = 0
DIVERGED = 1


# --------------------------------------------------------------------------------------
# Hodgkin-Huxley, modern convention (V in mV, rest near -65 mV).
# p = [C, g_Na, g_K, g_L, E_Na, E_K, E_L, phi]; phi = Q10 ** ((T - 6.3) / 10).
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _efun(x, k):
    """x / (1 - exp(-x / k)) with its removable singularity at x = 0 filled in."""
    z = x / k
    if abs(z) < 1e-6:
        return k * (1.0 + 0.5 * z)
    return x / (1.0 - math.exp(-z))


@njit(cache=True)
def _defun(x, k):
    """Derivative of ``_efun`` with respect to x."""
    z = x / k
    if abs(z) < 1e-6:
        return 0.5 + z / 6.0
    e = math.exp(-z)
    d = 1.0 - e
    return (d - z * e) / (d * d)


_E25 = math.exp(2.5)
_E10 = math.exp(1.0)
_E30 = math.exp(3.0)


@njit(cache=True)
def hh_rates(V):
    """Opening and closing rates (1/ms) of m, h, n at 6.3 C, V in mV (modern convention).

    alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10)),  beta_m = 4 exp(-(V + 65) / 18)
    alpha_h = 0.07 exp(-(V + 65) / 20),                 beta_h = 1 / (1 + exp(-(V + 35) / 10))
    alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55) / 10)), beta_n = 0.125 exp(-(V + 65) / 80)

    All six exponentials are powers of e0 = exp(-(V + 65) / 720) (720 is the least common
    multiple of 10, 18, 20 and 80), so one exp and a few multiplications give them all.
    """
    x = V + 65.0
    e0 = math.exp(-x / 720.0)
    e2 = e0 * e0
    e4 = e2 * e2
    e8 = e4 * e4
    e9 = e8 * e0  # exp(-x/80)
    e18 = e9 * e9
    e36 = e18 * e18  # exp(-x/20)
    e40 = e36 * e4  # exp(-x/18)
    e72 = e36 * e36  # exp(-x/10)
    # alpha_m: exp(-(V+40)/10) = e72 * exp(2.5)
    u = V + 40.0
    if abs(u) < 1e-5:
        am = 0.1 * (10.0 + 0.5 * u)
    else:
        am = 0.1 * u / (1.0 - e72 * _E25)
    bm = 4.0 * e40
    ah = 0.07 * e36
    bh = 1.0 / (1.0 + e72 * _E30)
    w = V + 55.0
    if abs(w) < 1e-5:
        an = 0.01 * (10.0 + 0.5 * w)
    else:
        an = 0.01 * w / (1.0 - e72 * _E10)
    bn = 0.125 * e9
    return am, bm, ah, bh, an, bn


@njit(cache=True)
def hh_rates_many(V, out):
    """``hh_rates`` for a 1-D array of potentials; ``out`` has shape (6, len(V))."""
    for j in range(V.shape[0]):
        r = hh_rates(V[j])
        for i in range(6):
            out[i, j] = r[i]


@njit(cache=True)
def _hh_rhs(p, V, m, h, n, I):
    C, gNa, gK, gL, ENa, EK, EL, phi = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
    am, bm, ah, bh, an, bn = hh_rates(V)
    n2 = n * n
    return (
        (I - gNa * m * m * m * h * (V - ENa) - gK * n2 * n2 * (V - EK) - gL * (V - EL)) / C,
        phi * (am * (1.0 - m) - bm * m),
        phi * (ah * (1.0 - h) - bh * h),
        phi * (an * (1.0 - n) - bn * n),
    )


@njit(cache=True)
def _hh_jac(p, y, I, J):
    V, m, h, n = y[0], y[1], y[2], y[3]
    C, gNa, gK, gL, ENa, EK, phi = p[0], p[1], p[2], p[3], p[4], p[5], p[7]
    am, bm, ah, bh, an, bn = hh_rates(V)
    dam = 0.1 * _defun(V + 40.0, 10.0)
    dbm = -bm / 18.0
    dah = -ah / 20.0
    dbh = bh * (1.0 - bh) / 10.0
    dan = 0.01 * _defun(V + 55.0, 10.0)
    dbn = -bn / 80.0
    J[0, 0] = -(gNa * m**3 * h + gK * n**4 + gL) / C
    J[0, 1] = -3.0 * gNa * m * m * h * (V - ENa) / C
    J[0, 2] = -gNa * m**3 * (V - ENa) / C
    J[0, 3] = -4.0 * gK * n**3 * (V - EK) / C
    J[1, 0] = phi * (dam * (1.0 - m) - dbm * m)
    J[1, 1] = -phi * (am + bm)
    J[1, 2] = 0.0
    J[1, 3] = 0.0
    J[2, 0] = phi * (dah * (1.0 - h) - dbh * h)
    J[2, 1] = 0.0
    J[2, 2] = -phi * (ah + bh)
    J[2, 3] = 0.0
    J[3, 0] = phi * (dan * (1.0 - n) - dbn * n)
    J[3, 1] = 0.0
    J[3, 2] = 0.0
    J[3, 3] = -phi * (an + bn)


# --------------------------------------------------------------------------------------
# Leaky integrate-and-fire. p = [tau_m, R, E_L, V_th, V_reset, t_ref]
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _lif_rhs(p, V, I):
    return (-(V - p[2]) + p[1] * I) / p[0]


@njit(cache=True)
def _lif_jac(p, y, I, J):
    J[0, 0] = -1.0 / p[0]


# --------------------------------------------------------------------------------------
# Persistent sodium plus leak (I_Na,p), and I_Na,p + I_K.
# INaP:  p = [C, g_L, E_L, g_Na, E_Na, m_half, m_k, V_peak, V_reset]
# INaPK: p = [C, g_L, E_L, g_Na, E_Na, m_half, m_k, g_K, E_K, n_half, n_k, tau_n]
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _boltzmann(V, half, k):
    return 1.0 / (1.0 + math.exp((half - V) / k))


@njit(cache=True)
def _inap_rhs(p, V, I):
    minf = _boltzmann(V, p[5], p[6])
    return (I - p[1] * (V - p[2]) - p[3] * minf * (V - p[4])) / p[0]


@njit(cache=True)
def _inap_jac(p, y, I, J):
    V = y[0]
    minf = _boltzmann(V, p[5], p[6])
    dminf = minf * (1.0 - minf) / p[6]
    J[0, 0] = (-p[1] - p[3] * (dminf * (V - p[4]) + minf)) / p[0]


@njit(cache=True)
def _inapk_rhs(p, V, n, I):
    minf = _boltzmann(V, p[5], p[6])
    ninf = _boltzmann(V, p[9], p[10])
    dV = (I - p[1] * (V - p[2]) - p[3] * minf * (V - p[4]) - p[7] * n * (V - p[8])) / p[0]
    return dV, (ninf - n) / p[11]


@njit(cache=True)
def _inapk_jac(p, y, I, J):
    V, n = y[0], y[1]
    minf = _boltzmann(V, p[5], p[6])
    ninf = _boltzmann(V, p[9], p[10])
    dminf = minf * (1.0 - minf) / p[6]
    dninf = ninf * (1.0 - ninf) / p[10]
    J[0, 0] = (-p[1] - p[3] * (dminf * (V - p[4]) + minf) - p[7] * n) / p[0]
    J[0, 1] = -p[7] * (V - p[8]) / p[0]
    J[1, 0] = dninf / p[11]
    J[1, 1] = -1.0 / p[11]


# --------------------------------------------------------------------------------------
# FitzHugh-Nagumo (dimensionless). p = [a, b, tau]
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _fhn_rhs(p, v, w, I):
    return v - v * v * v / 3.0 - w + I, (v + p[0] - p[1] * w) / p[2]


@njit(cache=True)
def _fhn_jac(p, y, I, J):
    v = y[0]
    J[0, 0] = 1.0 - v * v
    J[0, 1] = -1.0
    J[1, 0] = 1.0 / p[2]
    J[1, 1] = -p[1] / p[2]


# --------------------------------------------------------------------------------------
# Izhikevich simple model, with the variants used by some 2004 presets.
# v' = k2 v^2 + k1 v + k0 - u + I;  u' = a (b (v - v_u) - u_leak u)
# p = [a, b, c, d, v_peak, k2, k1, k0, v_u, u_leak]
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _izh_rhs(p, v, u, I):
    return p[5] * v * v + p[6] * v + p[7] - u + I, p[0] * (p[1] * (v - p[8]) - p[9] * u)


@njit(cache=True)
def _izh_jac(p, y, I, J):
    v = y[0]
    J[0, 0] = 2.0 * p[5] * v + p[6]
    J[0, 1] = -1.0
    J[1, 0] = p[0] * p[1]
    J[1, 1] = -p[0] * p[9]


# --------------------------------------------------------------------------------------
# Dispatch by integer code.
# --------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def f4(code, p, y0, y1, y2, y3, I):
    """dy/dt of model ``code`` for up to four states held as scalars (unused ones are 0).

    Scalars in and a 4-tuple out keep the hot loop in registers: one code path for every
    model, with no per-model copy of the loop. It is inlined at numba's level into the
    step (measured: 4.8 -> 3.3 ms for 1 s of Hodgkin-Huxley at dt = 0.05 ms).
    """
    if code == HH:
        return _hh_rhs(p, y0, y1, y2, y3, I)
    elif code == LIF:
        return _lif_rhs(p, y0, I), 0.0, 0.0, 0.0
    elif code == INAP:
        return _inap_rhs(p, y0, I), 0.0, 0.0, 0.0
    elif code == INAPK:
        a, b = _inapk_rhs(p, y0, y1, I)
        return a, b, 0.0, 0.0
    elif code == FHN:
        a, b = _fhn_rhs(p, y0, y1, I)
        return a, b, 0.0, 0.0
    else:
        a, b = _izh_rhs(p, y0, y1, I)
        return a, b, 0.0, 0.0


@njit(cache=True)
def rhs(code, p, y, I, out):
    """Write dy/dt of model ``code`` at state ``y`` and current ``I`` into ``out``."""
    n = y.shape[0]
    z = np.zeros(4)
    for i in range(n):
        z[i] = y[i]
    d = f4(code, p, z[0], z[1], z[2], z[3], I)
    for i in range(n):
        out[i] = d[i]


@njit(cache=True)
def jac(code, p, y, I, J):
    """Write the Jacobian d(dy/dt)/dy of model ``code`` into ``J``."""
    if code == HH:
        _hh_jac(p, y, I, J)
    elif code == LIF:
        _lif_jac(p, y, I, J)
    elif code == INAP:
        _inap_jac(p, y, I, J)
    elif code == INAPK:
        _inapk_jac(p, y, I, J)
    elif code == FHN:
        _fhn_jac(p, y, I, J)
    else:
        _izh_jac(p, y, I, J)


@njit(cache=True)
def apply_reset(code, p, y):
    """Apply the reset rule of a hybrid model to ``y`` in place."""
    if code == LIF:
        y[0] = p[4]
    elif code == INAP:
        y[0] = p[8]
    elif code == IZH:
        y[0] = p[2]
        y[1] = y[1] + p[3]


@njit(cache=True)
def rhs_many(code, p, Y, I, out):
    """Right-hand side for many states: ``Y`` and ``out`` of shape (n_states, N)."""
    ns = Y.shape[0]
    y = np.empty(ns)
    f = np.empty(ns)
    for j in range(Y.shape[1]):
        for i in range(ns):
            y[i] = Y[i, j]
        rhs(code, p, y, I[j], f)
        for i in range(ns):
            out[i, j] = f[i]


@njit(cache=True)
def jac_many(code, p, Y, I, out):
    """Jacobians for many states: ``Y`` (n_states, N), ``out`` (n_states, n_states, N)."""
    ns = Y.shape[0]
    y = np.empty(ns)
    J = np.zeros((ns, ns))
    for j in range(Y.shape[1]):
        for i in range(ns):
            y[i] = Y[i, j]
        jac(code, p, y, I[j], J)
        for a in range(ns):
            for b in range(ns):
                out[a, b, j] = J[a, b]


# --------------------------------------------------------------------------------------
# The time loop.
# --------------------------------------------------------------------------------------
@njit(cache=True)
def _current(I0, wave, k, frac):
    """Injected current at t = (k + frac) dt; ``wave`` holds samples at half steps."""
    if wave.shape[0] <= 1:
        return I0
    x = 2.0 * (k + frac)
    i = int(x)
    last = wave.shape[0] - 1
    if i >= last:
        return I0 + wave[last]
    r = x - i
    if r == 0.0:
        return I0 + wave[i]
    return I0 + (1.0 - r) * wave[i] + r * wave[i + 1]


@njit(cache=True)
def _step(code, method, p, a0, a1, a2, a3, h, Ia, Im, Ib):
    """One step of size ``h``; returns the new state and dV/dt at the start."""
    k1 = f4(code, p, a0, a1, a2, a3, Ia)
    if method == EULER:
        return (a0 + h * k1[0], a1 + h * k1[1], a2 + h * k1[2], a3 + h * k1[3]), k1[0]
    if method == IZHIKEVICH:
        b0 = a0 + h * k1[0]
        k2 = f4(code, p, b0, a1, a2, a3, Ia)
        return (b0, a1 + h * k2[1], a2 + h * k2[2], a3 + h * k2[3]), k1[0]
    if method == RK2:
        k2 = f4(code, p, a0 + h * k1[0], a1 + h * k1[1], a2 + h * k1[2], a3 + h * k1[3], Ib)
        g = 0.5 * h
        return (a0 + g * (k1[0] + k2[0]), a1 + g * (k1[1] + k2[1]),
                a2 + g * (k1[2] + k2[2]), a3 + g * (k1[3] + k2[3])), k1[0]
    g = 0.5 * h
    k2 = f4(code, p, a0 + g * k1[0], a1 + g * k1[1], a2 + g * k1[2], a3 + g * k1[3], Im)
    k3 = f4(code, p, a0 + g * k2[0], a1 + g * k2[1], a2 + g * k2[2], a3 + g * k2[3], Im)
    k4 = f4(code, p, a0 + h * k3[0], a1 + h * k3[1], a2 + h * k3[2], a3 + h * k3[3], Ib)
    s = h / 6.0
    return (
        a0 + s * (k1[0] + 2.0 * k2[0] + 2.0 * k3[0] + k4[0]),
        a1 + s * (k1[1] + 2.0 * k2[1] + 2.0 * k3[1] + k4[1]),
        a2 + s * (k1[2] + 2.0 * k2[2] + 2.0 * k3[2] + k4[2]),
        a3 + s * (k1[3] + 2.0 * k2[3] + 2.0 * k3[3] + k4[3]),
    ), k1[0]


@njit(cache=True)
def _hermite_crossing(v0, v1, f0, f1, h, level):
    """Fraction in [0, 1] of a step where the cubic Hermite interpolant reaches ``level``."""
    # Linear guess, then Newton on the cubic through (v0, f0) and (v1, f1).
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
def integrate(
    code, method, p, y0, dt, n_steps, I0, wave, threshold, rearm, hybrid, v_peak, t_ref,
    record, states, spikes,
):
    """Integrate one model over ``n_steps`` steps of ``dt`` ms.

    ``wave`` holds the time-varying part of the current at half steps (length
    2 n_steps + 1), or a single unused value when the current is the constant ``I0``.
    Smooth models spike when the first state crosses ``threshold`` upwards (re-armed once
    it falls ``rearm`` below); hybrid ones when it reaches ``v_peak``, after which the
    reset rule is applied and the state held for ``t_ref`` ms. ``states`` is
    (n_states, n_steps + 1) when ``record``; ``spikes`` receives spike times (ms); spikes
    beyond its length are counted, not stored, so the caller can retry with more room.

    Returns ``(status, n_spikes, step)``: status ``OK``, or ``DIVERGED`` at grid step
    ``step``.
    """
    ns = y0.shape[0]
    y = np.zeros(4)
    for i in range(ns):
        y[i] = y0[i]
    a0, a1, a2, a3 = y[0], y[1], y[2], y[3]
    cap = spikes.shape[0]
    if record:
        for i in range(ns):
            states[i, 0] = y[i]
    has_wave = wave.shape[0] > 1
    n_sp = 0
    armed = True
    ref_end = -1.0
    Ia = I0
    Im = I0
    Ib = I0
    for k in range(n_steps):
        t = k * dt
        if has_wave:
            Ia = I0 + wave[2 * k]
            Im = I0 + wave[2 * k + 1]
            Ib = I0 + wave[2 * k + 2]
        if not hybrid:
            (b0, b1, b2, b3), f0 = _step(code, method, p, a0, a1, a2, a3, dt, Ia, Im, Ib)
            if armed:
                if a0 < threshold and b0 >= threshold:
                    f1 = f4(code, p, b0, b1, b2, b3, Ib)[0]
                    th = _hermite_crossing(a0, b0, f0, f1, dt, threshold)
                    if n_sp < cap:
                        spikes[n_sp] = t + th * dt
                    n_sp += 1
                    armed = False
            elif b0 < threshold - rearm:
                armed = True
            a0, a1, a2, a3 = b0, b1, b2, b3
        else:
            t_end = t + dt
            if ref_end < t_end:
                frac0 = 0.0
                if ref_end > t:
                    frac0 = (ref_end - t) / dt
                # Integrate [t + frac0 dt, t_end]; a reset part-way restarts the rest.
                for _event in range(4):
                    h = (1.0 - frac0) * dt
                    if h <= 1e-12 * dt:
                        break
                    if frac0 > 0.0:
                        Ia = _current(I0, wave, k, frac0)
                        Im = _current(I0, wave, k, 0.5 * (frac0 + 1.0))
                    (b0, b1, b2, b3), f0 = _step(code, method, p, a0, a1, a2, a3, h, Ia, Im,
                                                 Ib)
                    if b0 >= v_peak:
                        th = 0.0
                        if a0 < v_peak:
                            # Cubic Hermite crossing: O(h^4) like RK4, where a linear
                            # one would cost O(h^2) in every spike time.
                            f1 = f4(code, p, b0, b1, b2, b3, Ib)[0]
                            th = _hermite_crossing(a0, b0, f0, f1, h, v_peak)
                        ts = t + frac0 * dt + th * h
                        if n_sp < cap:
                            spikes[n_sp] = ts
                        n_sp += 1
                        if method == IZHIKEVICH:
                            # As the published script: reset the end-of-step state
                            # (its slow states saw the overshoot) and end the step.
                            th = 1.0
                        y[0] = a0 + th * (b0 - a0)
                        y[1] = a1 + th * (b1 - a1)
                        y[2] = a2 + th * (b2 - a2)
                        y[3] = a3 + th * (b3 - a3)
                        apply_reset(code, p, y)
                        a0, a1, a2, a3 = y[0], y[1], y[2], y[3]
                        ref_end = ts + t_ref
                        if ref_end >= t_end or method == IZHIKEVICH:
                            break
                        frac0 = (ref_end - t) / dt
                        continue
                    a0, a1, a2, a3 = b0, b1, b2, b3
                    break
        if not math.isfinite(a0 + a1 + a2 + a3):
            return DIVERGED, n_sp, k + 1
        if record:
            states[0, k + 1] = a0
            if ns > 1:
                states[1, k + 1] = a1
                if ns > 2:
                    states[2, k + 1] = a2
                    states[3, k + 1] = a3
    return OK, n_sp, n_steps


@njit(cache=True, parallel=True)
def integrate_batch(
    code, method, P, Y0, dt, n_steps, I0, waves, threshold, rearm, hybrid, v_peak, t_ref,
    record, states, spikes, status, counts, where,
):
    """Run :func:`integrate` for each row of ``P``/``Y0``/``I0`` in parallel.

    ``waves`` has one row per run or a single row shared by all; ``states`` is
    (B, n_states, n_steps + 1) when recording; ``spikes`` is (B, capacity).
    """
    B = P.shape[0]
    shared = waves.shape[0] == 1
    for b in prange(B):
        w = waves[0] if shared else waves[b]
        st = states[b] if record else states[0]
        s, n, k = integrate(
            code, method, P[b], Y0[b], dt, n_steps, I0[b], w, threshold, rearm, hybrid,
            v_peak, t_ref, record, st, spikes[b],
        )
        status[b] = s
        counts[b] = n
        where[b] = k
