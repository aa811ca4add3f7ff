"""Periodic orbits by shooting, continued in the injected current.

A periodic orbit through x0 with period T at current I solves

    phi_T(x0; I) - x0 = 0,      (n equations: back where it started after T)
    g . (x0 - x_ref) = 0,       (phase condition: x0 on the plane through the previous
                                 solution x_ref, normal to the flow g = f(x_ref) there)

for the n + 2 unknowns (x0, log T, I): a curve, followed by pseudo-arclength continuation
(:mod:`neurolab.analysis.continuation`), so that folds of limit cycles are passed. The
flow phi_T is the compiled RK4 integrator of :mod:`neurolab.simulate` with T / N steps;
its derivatives (the monodromy matrix M = d phi_T / d x0, and d phi_T / d I) come from
finite differences over n + 2 runs made in one parallel batch, and d phi_T / d T is
f(phi_T(x0)). The eigenvalues of M are the Floquet multipliers: one equals 1 (the flow
direction) and the orbit is stable when all others lie inside the unit circle.

Branches start at Hopf points (a small orbit along the critical eigenvector, period
2 pi / omega) and at stable orbits found by simulation; see E. J. Doedel, H. B. Keller
and J. P. Kernevez, Int. J. Bifurcation and Chaos 1:745-772 (1991) for the method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..models.base import Model
from ..simulate import run_batch
from .continuation import continue_curve, newton_bordered, state_scale

__all__ = ["CycleBranch", "Shooter", "cycle_from_hopf", "cycles_from_simulation",
           "continue_cycle", "floquet"]


def floquet(M: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Floquet multipliers of a monodromy matrix, without the trivial one (closest to 1).

    Returns
    -------
    (multipliers, largest nontrivial modulus, stable)
    """
    mu = np.linalg.eigvals(M)
    k = int(np.argmin(np.abs(mu - 1.0)))
    rest = np.delete(mu, k)
    big = float(np.max(np.abs(rest))) if rest.size else 0.0
    return rest, big, bool(big < 1.0)


def flow(model: Model, Y0: np.ndarray, currents: np.ndarray, duration: float,
         n_steps: int) -> np.ndarray:
    """States of many RK4 runs on a grid of ``n_steps`` steps: (B, n_states, n_steps + 1).

    Small batches call the model's compiled single-run loop one run
    after another: the thread start-up of the parallel batch loop costs more than such
    runs (measured 4.2 ms against 0.34 ms for 48 runs of 35 steps on a busy two-core
    machine). Large batches go through :func:`neurolab.simulate.run_batch`.

    Raises
    ------
    RuntimeError
        If a run becomes non-finite.
    """
    B, n = Y0.shape
    dt = duration / n_steps
    if B * n_steps > 200_000:
        r = run_batch(model, duration, list(currents), dt=dt, y0=Y0, method="rk4",
                      record=True)
        return r["states"]
    if not 0.0 < dt <= model.max_dt:
        raise ValueError(f"step {dt:g} outside (0, {model.max_dt:g}]")
    p = model.kernel_params
    engine = model._engine
    threshold, rearm, _hybrid, v_peak, t_ref = model._spike_settings()
    states = np.empty((B, n, n_steps + 1))
    spikes = np.empty(1)
    wave = np.zeros(1)
    Y0 = np.ascontiguousarray(Y0, dtype=float)
    for b in range(B):
        status, _, _ = engine.integrate(engine.RK4, p, Y0[b], dt, n_steps,
                                        float(currents[b]), wave, threshold, rearm, v_peak,
                                        t_ref, True, states[b], spikes)
        if status != engine.OK:
            raise RuntimeError("orbit integration diverged")
    return states


class Shooter:
    """Residual and Jacobian of the multiple-shooting equations of one model.

    The orbit is cut into ``segments`` arcs of duration T / K starting at x_0 ... x_{K-1};
    the unknowns are (x_0, ..., x_{K-1}, log T, I) and the equations
    phi_{T/K}(x_k) = x_{k+1 mod K} plus the phase condition on x_0. Several short arcs
    keep the Newton iteration well conditioned on orbits with large Floquet multipliers
    (the unstable cycle of Hodgkin-Huxley grows by a factor of thousands per turn).
    """

    def __init__(self, model: Model, I_scale: float, segments: int = 8) -> None:
        self.model = model
        self.n = model.n_states
        self.K = int(segments)
        self.scale = state_scale(model)
        self.I_scale = float(I_scale)
        # RK4 at twice the model's default step keeps periods within ~1e-4 (relative).
        self.dt_target = min(2.0 * float(model.default_dt), 0.8 * float(model.max_dt))
        self.N = 20
        self.ref = np.zeros((self.K, self.n))
        self.g = np.zeros(self.K * self.n)
        self.g[0] = 1.0

    @property
    def xscale(self) -> np.ndarray:
        """Scale of the unknowns (x_0..x_{K-1}, log T, I)."""
        return np.concatenate([np.tile(self.scale * math.sqrt(self.K), self.K),
                               [0.1, self.I_scale]])

    def steps_for(self, T: float) -> int:
        """RK4 steps per arc: about twice ``default_dt`` each (at most 0.8 ``max_dt``, so
        Newton may lengthen the period), at least 20."""
        h = T / self.K
        return max(20, math.ceil(h / self.dt_target))

    def set_reference(self, x: np.ndarray, J: np.ndarray | None = None) -> np.ndarray | None:
        """Take the orbit ``x`` as the reference of the phase condition.

        The condition sum_k g_k . (x_k - r_k) = 0, with r_k the arc starts of the
        reference orbit and g_k the flow there (scaled, jointly normalised), is the
        multiple-shooting form of the integral phase condition of AUTO (Doedel et al.
        1991): it picks the phase of the new orbit closest to the old one, so points do
        not slide along the orbit from one step to the next. Given the Jacobian ``J`` at
        ``x``, return it with the phase-condition row updated.
        """
        n, K = self.n, self.K
        I = float(x[-1])
        self.ref = np.array(x[:K * n], dtype=float).reshape(K, n)
        g = (self.model.rhs(self.ref.T, I).T / self.scale).ravel()
        norm = np.linalg.norm(g)
        if norm > 0:
            self.g = g / norm
        self.N = self.steps_for(math.exp(x[-2]))
        if J is None:
            return None
        J = J.copy()
        J[-1, :] = 0.0
        J[-1, :K * n] = self.g / np.tile(self.scale, K)
        return J

    def _alignment(self, X: np.ndarray, I: float) -> float:
        """Cosine between the flow at the arc starts and at those of the reference: near 1
        unless Newton slid along the orbit."""
        g = (self.model.rhs(X.T, I).T / self.scale).ravel()
        norm = np.linalg.norm(g)
        return float(g @ self.g / norm) if norm > 0 else 0.0

    def expand(self, x0: np.ndarray, T: float, I: float) -> np.ndarray:
        """Unknown vector from one point of an (approximate) orbit: integrate it once
        around and take the K arc starts."""
        K = self.K
        N = self.steps_for(T)
        S = flow(self.model, np.asarray(x0, dtype=float)[None, :], np.array([I]), T,
                 K * N)[0]
        pts = [S[:, k * N] for k in range(K)]
        return np.concatenate([np.concatenate(pts), [math.log(T), I]])

    def first(self, x: np.ndarray) -> np.ndarray:
        """(x_0, log T, I) of an unknown vector."""
        return np.concatenate([x[:self.n], x[-2:]])

    def __call__(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
        n, K, model, sc = self.n, self.K, self.model, self.scale
        X = x[:K * n].reshape(K, n)
        logT, I = float(x[-2]), float(x[-1])
        if not -20.0 < logT < 20.0:
            raise ValueError(f"period out of range: log T = {logT}")
        T = math.exp(logT)
        h = T / K
        d = 1e-6 * sc
        dI = 1e-6 * self.I_scale
        Y0 = np.repeat(X, n + 2, axis=0).reshape(K, n + 2, n)
        Y0[:, 1:n + 1, :] += np.diag(d)[None, :, :]
        currents = np.array(([I] * (n + 1) + [I + dI]) * K)
        S = flow(model, Y0.reshape(-1, n), currents, h, self.N).reshape(K, n + 2, n, -1)
        end = S[:, :, :, -1]
        base = end[:, 0, :]
        m = K * n
        Ms = (end[:, 1:n + 1, :] - base[:, None, :]).transpose(0, 2, 1) / d  # (K, n, n)
        fb = model.rhs(base.T, I).T
        nxt = np.roll(np.arange(K), -1)
        F = np.empty(m + 1)
        F[:m] = (base - X[nxt]).ravel()
        J = np.zeros((m + 1, m + 2))
        blocks = np.zeros((K, n, K, n))
        ks = np.arange(K)
        blocks[ks, :, ks, :] = Ms
        blocks[ks, :, nxt, :] -= np.eye(n)
        J[:m, :m] = blocks.reshape(m, m)
        J[:m, m] = (fb * h).ravel()
        J[:m, m + 1] = ((end[:, n + 1, :] - base) / dI).ravel()
        F[m] = self.g @ ((X - self.ref) / sc).ravel()
        J[m, :m] = self.g / np.tile(sc, K)
        M = np.eye(n)
        for Mk in Ms:
            M = Mk @ M
        orbit = S[:, 0, :, :]
        size = np.ptp(orbit.transpose(1, 0, 2).reshape(n, -1) / sc[:, None], axis=1)
        info = {
            "M": M,
            "v_min": float(orbit[:, 0].min()),
            "v_max": float(orbit[:, 0].max()),
            "size": float(size.max()),
            "x0": X[0].copy(),
            "phase_alignment": self._alignment(X, I),
        }
        return F, J, info


@dataclass
class CycleBranch:
    """A continued branch of periodic orbits (internal, richer than LimitCycleBranch)."""

    x: np.ndarray  # (k, n + 2): x0, log T, I
    v_min: np.ndarray
    v_max: np.ndarray
    stable: np.ndarray
    multiplier: np.ndarray
    size: np.ndarray
    ends_at: list = field(default_factory=list)  # "hopf" / "period" / "range" / ...

    @property
    def I(self) -> np.ndarray:  # noqa: E743
        return self.x[:, -1]

    @property
    def period(self) -> np.ndarray:
        return np.exp(self.x[:, -2])


def _branch_from(res, shooter: Shooter) -> CycleBranch:
    infos = res.info
    mult, stab = [], []
    for inf in infos:
        _, big, st = floquet(inf["M"])
        mult.append(big)
        stab.append(st)
    return CycleBranch(
        x=np.array([shooter.first(x) for x in res.x]),
        v_min=np.array([i["v_min"] for i in infos]),
        v_max=np.array([i["v_max"] for i in infos]),
        stable=np.array(stab, dtype=bool),
        multiplier=np.array(mult),
        size=np.array([i["size"] for i in infos]),
    )


def continue_cycle(shooter: Shooter, x: np.ndarray, t0: np.ndarray,
                   I_range: tuple[float, float], max_period: float, *,
                   min_size: float = 0.0, max_points: int = 400) -> tuple[CycleBranch, str]:
    """Continue a periodic orbit ``x`` = (x0, log T, I) along ``t0`` until the current
    leaves ``I_range``, the period exceeds ``max_period``, or (once the orbit has grown
    past ``3 min_size``) it shrinks below ``1.5 min_size`` onto an equilibrium."""
    lo, hi = I_range
    grown = [False]
    why = ["max_points"]

    def stop(xx, info) -> bool:
        if info["size"] > 3.0 * min_size:
            grown[0] = True
        if not lo <= xx[-1] <= hi:
            why[0] = "range"
            return True
        if math.exp(xx[-2]) > max_period:
            why[0] = "period"
            return True
        if grown[0] and min_size > 0 and info["size"] < 1.5 * min_size:
            why[0] = "hopf"
            return True
        return False

    res = continue_curve(
        shooter, x, t0, shooter.xscale, ds=0.05, ds_min=1e-4, ds_max=0.3,
        max_points=max_points, tol=1e-8, max_angle=0.6, stop=stop,
        valid=lambda _x, info: info["phase_alignment"] > 0.8,
        on_accept=lambda xx, _i, J: shooter.set_reference(xx, J),
    )
    if res.reason != "stop":
        why[0] = res.reason
    return _branch_from(res, shooter), why[0]


def cycle_from_hopf(shooter: Shooter, state: np.ndarray, I: float,
                    amplitude: float = 0.02) -> tuple[np.ndarray, np.ndarray, float] | None:
    """A small periodic orbit next to a Hopf point, converged by Newton's method.

    The guess is x_H + amplitude * e (scaled units), e the real part of the critical
    eigenvector, with period 2 pi / omega; Newton fixes its scaled size along e.

    Returns
    -------
    (x, tangent, size) or None
        The orbit (x0, log T, I), a tangent (scaled) pointing towards larger orbits, and
        its scaled size.
    """
    model, sc, n = shooter.model, shooter.scale, shooter.n
    A = model.jacobian(state, I)
    As = A * sc[None, :] / sc[:, None]
    lam, V = np.linalg.eig(As)
    cand = np.flatnonzero(lam.imag > 0)
    if cand.size == 0:
        return None
    i = cand[np.argmin(np.abs(lam.real[cand]))]
    w = float(lam[i].imag)
    q = V[:, i]
    phis = np.linspace(0, np.pi, 33)
    best = max(phis, key=lambda p: np.linalg.norm((q * np.exp(1j * p)).real))
    e = (q * np.exp(1j * best)).real
    e /= np.linalg.norm(e)
    try:
        x = shooter.expand(state + amplitude * sc * e, 2 * math.pi / w, I)
    except (ValueError, RuntimeError):
        return None
    shooter.set_reference(x)
    rk = math.sqrt(shooter.K)
    row = np.zeros_like(x)
    row[:n] = e
    target = float(e @ (state / (sc * rk))) + amplitude / rk
    out = newton_bordered(shooter, x, shooter.xscale, row, target, tol=1e-9, max_iter=20)
    if out is None:
        return None
    xc, _, info, _ = out
    shooter.set_reference(xc)
    return xc, row, info["size"]


def cycles_from_simulation(model: Model, currents: list[float],
                           duration: float) -> list[tuple[float, np.ndarray, float]]:
    """Stable periodic orbits found by simulating from the rest state and from kicked
    equilibria at each current.

    A run counts as periodic when, over its second half, the first state crosses its mid
    level upwards at least four times at intervals equal within 0.5 %. Returns
    ``(I, x0, T)`` per orbit found (x0 at the last crossing).
    """
    dt = model.default_dt
    Is, Y0 = [], []
    lo, hi = model.equilibrium_window
    for I in currents:
        starts = [model.initial_state(I)]
        for y in model.equilibria(I):
            kick = y.copy()
            kick[0] += 0.05 * (hi - lo)
            starts.append(kick)
        for y in starts:
            Is.append(I)
            Y0.append(y)
    if not Is:
        return []
    try:
        r = run_batch(model, duration, Is, dt=dt, y0=np.array(Y0), method="rk4",
                      record=True)
    except RuntimeError:
        return []
    out = []
    half = r["states"].shape[-1] // 2
    for b, I in enumerate(Is):
        v = r["states"][b, 0, half:]
        span = np.ptp(v)
        if span < 1e-3 * (hi - lo):
            continue
        mid = 0.5 * (v.max() + v.min())
        up = np.flatnonzero((v[:-1] < mid) & (v[1:] >= mid))
        if up.size < 5:
            continue
        frac = (mid - v[up]) / (v[up + 1] - v[up])
        tc = (up + frac) * dt
        d = np.diff(tc)
        if np.ptp(d[-4:]) > 5e-3 * d[-4:].mean():
            continue
        k = half + up[-1] + 1
        out.append((float(I), r["states"][b, :, k].copy(), float(d[-4:].mean())))
    return out
