"""Pseudo-arclength continuation of a curve of solutions of F(x) = 0, F: R^(m+1) -> R^m.

One routine serves equilibria (x = (state, I)) and periodic orbits (x = (x0, T, I)).
The curve is followed in scaled coordinates z = x / scale, so that a step of length
``ds`` means the same thing for a membrane potential in mV, a gating variable in [0, 1]
and a current. Each step predicts along the unit tangent t and corrects with Newton's
method on the bordered system

    F(x) = 0,   t . (z - z_predicted) = 0,

which stays well posed at folds, where the curve turns back in the parameter (Keller's
method; see E. Allgower and K. Georg, "Introduction to Numerical Continuation Methods",
SIAM 2003, ch. 2).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq

from ..models.base import Model

__all__ = ["ContinuationResult", "continue_curve", "tangent", "newton_bordered", "state_scale",
           "trace_equilibria", "EquilibriumPoint", "locate_points"]

#: ``fj(x) -> (F, J, info)``: residual (m,), Jacobian (m, m + 1) in original units, and
#: anything the caller wants stored with an accepted point.
SystemFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, Any]]


@dataclass
class ContinuationResult:
    """Points of a continued curve, in order.

    Attributes
    ----------
    x : numpy.ndarray
        Points, shape (k, m + 1), original units.
    info : list
        What ``fj`` returned as ``info`` at each point (its last evaluation there).
    jacobians : list of numpy.ndarray
        Jacobian of F at each point (its last evaluation there).
    reason : str
        Why the continuation stopped ("stop", "max_points", "step too small").
    """

    x: np.ndarray
    info: list = field(default_factory=list)
    jacobians: list = field(default_factory=list)
    reason: str = ""


def tangent(Jz: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """Unit tangent (scaled coordinates) of the curve with scaled Jacobian ``Jz``.

    Oriented along ``previous`` when given (so the curve is not run backwards).
    """
    if previous is None:
        # The null vector is the last right singular vector.
        _, _, vt = np.linalg.svd(Jz)
        t = vt[-1]
    else:
        A = np.vstack([Jz, previous])
        b = np.zeros(A.shape[0])
        b[-1] = 1.0
        try:
            t = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            _, _, vt = np.linalg.svd(Jz)
            t = vt[-1]
        if previous @ t < 0:
            t = -t
    return t / np.linalg.norm(t)


def newton_bordered(fj: SystemFn, x: np.ndarray, scale: np.ndarray, row: np.ndarray,
                    target: float, *, tol: float = 1e-9, max_iter: int = 8,
                    ) -> tuple[np.ndarray, np.ndarray, Any, int] | None:
    """Solve F(x) = 0 together with ``row . (x / scale) = target`` by Newton's method.

    Returns ``(x, J, info, iterations)`` or ``None`` when Newton does not converge
    (scaled step below ``tol``) within ``max_iter`` iterations or meets a failure.
    """
    x = np.array(x, dtype=float)
    prev = np.inf
    for it in range(1, max_iter + 1):
        try:
            F, J, info = fj(x)
        except (ArithmeticError, ValueError, RuntimeError):
            return None
        if not (np.all(np.isfinite(F)) and np.all(np.isfinite(J))):
            return None
        Jz = J * scale
        A = np.vstack([Jz, row])
        rhs = -np.append(F, row @ (x / scale) - target)
        try:
            dz = np.linalg.solve(A, rhs)
        except np.linalg.LinAlgError:
            return None
        step = float(np.max(np.abs(dz)))
        if not np.isfinite(step) or (it > 2 and step > 2.0 * prev) or step > 1.0:
            return None
        x = x + dz * scale
        prev = step
        if step < tol:
            return x, J, info, it
    return None


def continue_curve(
    fj: SystemFn,
    x0: np.ndarray,
    t0: np.ndarray,
    scale: np.ndarray,
    *,
    ds: float = 0.05,
    ds_min: float = 1e-5,
    ds_max: float = 0.5,
    max_points: int = 1000,
    tol: float = 1e-9,
    max_angle: float = 0.5,
    stop: Callable[[np.ndarray, Any], bool] | None = None,
    valid: Callable[[np.ndarray, Any], bool] | None = None,
    on_accept: Callable[[np.ndarray, Any, np.ndarray], np.ndarray | None] | None = None,
) -> ContinuationResult:
    """Follow the solution curve of F(x) = 0 from ``x0`` along tangent ``t0``.

    Parameters
    ----------
    fj : callable
        ``fj(x) -> (F, J, info)`` with F of shape (m,) and J of shape (m, m + 1).
    x0 : numpy.ndarray
        A solution, shape (m + 1,).
    t0 : numpy.ndarray
        Initial direction in scaled coordinates (need not be exact; it orients the
        tangent).
    scale : numpy.ndarray
        Typical size of each coordinate; z = x / scale.
    ds, ds_min, ds_max : float
        Initial, smallest and largest step (scaled arclength).
    max_points : int
        Most points to compute.
    tol : float
        Newton tolerance on the scaled correction.
    max_angle : float
        Largest angle (rad) between successive tangents; a sharper turn halves the step,
        which keeps the corrector from jumping to a neighbouring branch.
    stop : callable, optional
        ``stop(x, info) -> bool``, asked after each accepted point (that point is kept).
    valid : callable, optional
        ``valid(x, info) -> bool``: a corrected point it refuses is treated like a
        failed correction (the step is halved).
    on_accept : callable, optional
        ``on_accept(x, info, J)``, told of each accepted point. It may change the
        system (e.g. move a phase condition) and then returns the new Jacobian at x, from
        which the tangent is recomputed; otherwise it returns None.

    Returns
    -------
    ContinuationResult
    """
    scale = np.asarray(scale, dtype=float)
    first = fj(np.asarray(x0, dtype=float))
    x = np.asarray(x0, dtype=float)
    J, info = first[1], first[2]
    t = tangent(J * scale, np.asarray(t0, dtype=float) / np.linalg.norm(t0))
    out = ContinuationResult(x=np.empty(0), info=[info], jacobians=[J])
    pts = [x.copy()]
    if on_accept is not None:
        Jnew = on_accept(x, info, J)
        if Jnew is not None:
            t = tangent(Jnew * scale, t)
    h = float(ds)
    cos_max = np.cos(max_angle)
    reason = "max_points"
    while len(pts) < max_points:
        z = x / scale
        zp = z + h * t
        res = newton_bordered(fj, zp * scale, scale, t, float(t @ zp), tol=tol)
        if res is not None:
            xn, Jn, infon, its = res
            tn = tangent(Jn * scale, t)
            if tn @ t < cos_max or (valid is not None and not valid(xn, infon)):
                res = None
        if res is None:
            h *= 0.5
            if h < ds_min:
                reason = "step too small"
                break
            continue
        x, t, J, info = xn, tn, Jn, infon
        pts.append(x.copy())
        out.info.append(info)
        out.jacobians.append(J)
        if on_accept is not None:
            Jnew = on_accept(x, info, J)
            if Jnew is not None:
                t = tangent(Jnew * scale, t)
        if its <= 3:
            h = min(h * 1.5, ds_max)
        if stop is not None and stop(x, info):
            reason = "stop"
            break
    out.x = np.array(pts)
    out.reason = reason
    return out


# ------------------------------------------------------------------------------
# Curves of equilibria f(y, I) = 0 and the fold and Hopf points on them.
# ------------------------------------------------------------------------------


def state_scale(model: Model) -> np.ndarray:
    """Typical size of each state (a tenth of its spread over the equilibrium window).

    Used to make continuation steps and finite differences mean the same thing for a
    potential in mV and a gating variable in [0, 1].
    """
    lo, hi = model.equilibrium_window
    v = np.linspace(lo, hi, 201)
    ys = model._equilibrium_state(v, 0.0)
    n = model.n_states
    spread = np.ones(n)
    spread[0] = hi - lo
    if ys is not None:
        ys = np.where(np.isfinite(ys), ys, np.nan)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a state all NaN: no spread
            spread = np.nanmax(ys, axis=1) - np.nanmin(ys, axis=1)
        spread = np.where(np.isfinite(spread), spread, 1.0)
    spread = np.where(spread > 1e-6 * (hi - lo) / 100, spread, 1.0)
    return 0.1 * spread


def _system(model: Model):
    n = model.n_states

    def fj(x: np.ndarray):
        y, I = x[:n], float(x[n])
        F = model.rhs(y, I)
        J = np.empty((n, n + 1))
        J[:, :n] = model.jacobian(y, I)
        J[:, n] = model.current_derivative(y, I)
        return F, J, None

    return fj


def _inside(model: Model, lo: float, hi: float, x: np.ndarray) -> bool:
    wlo, whi = model.equilibrium_window
    return lo <= x[-1] <= hi and wlo <= x[0] <= whi


def _clip(model: Model, lo: float, hi: float, pts: np.ndarray) -> np.ndarray:
    """Keep the points inside the box; end on the current boundary by interpolation."""
    keep = [_inside(model, lo, hi, p) for p in pts]
    out = []
    for k, p in enumerate(pts):
        if keep[k]:
            out.append(p)
            continue
        if k > 0 and keep[k - 1]:
            q = pts[k - 1]
            for b in (lo, hi):
                if (p[-1] - b) * (q[-1] - b) < 0:
                    s = (b - q[-1]) / (p[-1] - q[-1])
                    out.append(q + s * (p - q))
            break
        if out:
            break
    return np.array(out)


def _covered(seed: np.ndarray, branches: list[np.ndarray], scale: np.ndarray) -> bool:
    for X in branches:
        z = X / scale
        s = seed / scale
        if np.min(np.linalg.norm(z - s, axis=1)) < 0.05:
            return True
        I = X[:, -1]
        for k in range(len(X) - 1):
            a, b = I[k], I[k + 1]
            if (a - seed[-1]) * (b - seed[-1]) <= 0 and a != b:
                w = (seed[-1] - a) / (b - a)
                p = (X[k] + w * (X[k + 1] - X[k])) / scale
                if np.linalg.norm(p - s) < 0.05:
                    return True
    return False


@functools.lru_cache(maxsize=64)
def trace_equilibria(model: Model, lo: float, hi: float,
                     max_points: int = 4000) -> tuple[np.ndarray, ...]:
    """All curves of equilibria that cross the box ``[lo, hi] x equilibrium_window``.

    Seeds are the equilibria found by :meth:`Model.equilibria` at the two ends and at a
    few currents in between; each seed not already on a traced curve is continued in both
    directions. Returns one array of shape (k, n_states + 1) per curve, columns
    (state..., I), ordered along the curve.
    """
    n = model.n_states
    sc = np.append(state_scale(model), 0.1 * (hi - lo))
    fj = _system(model)
    ds_max = 0.3
    curves: list[np.ndarray] = []
    for I in np.linspace(lo, hi, 9):
        for y in model.equilibria(float(I)):
            seed = np.append(y, I)
            if _covered(seed, curves, sc):
                continue
            halves = []
            for direction in (1.0, -1.0):
                t0 = np.zeros(n + 1)
                t0[n] = direction
                t0[0] = 1e-3
                res = continue_curve(
                    fj, seed, t0, sc, ds=0.05, ds_max=ds_max, max_points=max_points,
                    tol=1e-10,
                    stop=lambda x, _i: not _inside(model, lo, hi, x),
                )
                halves.append(_clip(model, lo, hi, res.x))
            fwd, bwd = halves
            parts = [p for p in (bwd[::-1], fwd[1:] if len(fwd) else fwd) if len(p)]
            if parts:
                curve = np.vstack(parts)
                if len(curve) >= 2:
                    curves.append(curve)
    return tuple(curves)


@dataclass(frozen=True)
class EquilibriumPoint:
    """A special point located on a curve of equilibria (internal)."""

    kind: str  # "fold" or "hopf"
    I: float
    state: np.ndarray
    omega: float = 0.0
    curve: int = 0


def _hopf_test(lam: np.ndarray) -> float:
    """Product of the sums of eigenvalue pairs: zero when a pair sums to zero."""
    n = lam.shape[-1]
    out = 1.0 + 0j
    for i in range(n):
        for j in range(i + 1, n):
            out = out * (lam[i] + lam[j])
    return float(out.real)


def _det(model: Model, x: np.ndarray) -> float:
    n = model.n_states
    return float(np.linalg.det(model.jacobian(x[:n], float(x[n]))))


def _polish_fold(model: Model, x: np.ndarray, sc: np.ndarray) -> np.ndarray:
    """Newton on the fold system f(y, I) = 0, det J(y, I) = 0 from an estimate ``x``.

    Across a fold, hyperplanes normal to a long chord may meet the curve of equilibria
    twice or not at all, so the chord estimate can sit off the fold (measured: 0.01
    uA-units early for Izhikevich's class-1 cell, whose fold is known in closed form).
    The augmented system pins it down; its Jacobian comes from central differences.
    Returns ``x`` unchanged if Newton does not converge.
    """
    n = model.n_states

    def G(z: np.ndarray) -> np.ndarray:
        f = model.rhs(z[:n], float(z[n]))
        return np.append(f, _det(model, z))

    z = np.array(x, dtype=float)
    for _ in range(12):
        g = G(z)
        A = np.empty((n + 1, n + 1))
        for j in range(n + 1):
            h = 1e-6 * sc[j]
            e = np.zeros(n + 1)
            e[j] = h
            A[:, j] = (G(z + e) - G(z - e)) / (2 * h)
        try:
            dz = np.linalg.solve(A, -g)
        except np.linalg.LinAlgError:
            return np.asarray(x, dtype=float)
        if not np.all(np.isfinite(dz)) or np.max(np.abs(dz / sc)) > 0.5:
            return np.asarray(x, dtype=float)
        z = z + dz
        if np.max(np.abs(dz / sc)) < 1e-11:
            return z
    return z if np.max(np.abs(G(z)[:n])) < 1e-8 else np.asarray(x, dtype=float)


def _psi(model: Model, x: np.ndarray) -> float:
    n = model.n_states
    return _hopf_test(np.linalg.eigvals(model.jacobian(x[:n], float(x[n]))))


def locate_points(model: Model, curves: tuple[np.ndarray, ...]) -> list[EquilibriumPoint]:
    """Saddle-node (fold) and Hopf points on the curves, refined to ~1e-10.

    Between two consecutive points where a test function changes sign (det J for a fold,
    the product of pairwise eigenvalue sums for a Hopf point), the curve is re-solved on
    hyperplanes across the chord and the root of the test function found by Brent's
    method. A zero of the Hopf test without a complex pair on the imaginary axis (a
    "neutral saddle", real eigenvalues +-mu) is discarded.
    """
    n = model.n_states
    fj = _system(model)
    out: list[EquilibriumPoint] = []
    for ci, X in enumerate(curves):
        lo, hi = X[:, -1].min(), X[:, -1].max()
        sc = np.append(state_scale(model), 0.1 * max(hi - lo, 1e-9))
        dets = np.array([_det(model, x) for x in X])
        psis = np.array([_psi(model, x) for x in X]) if n >= 2 else np.zeros(len(X))
        for k in range(len(X) - 1):
            a, b = X[k], X[k + 1]
            chord = (b - a) / sc
            u = chord / np.linalg.norm(chord)

            def point(s: float, a=a, b=b, u=u, sc=sc) -> np.ndarray:
                guess = a + s * (b - a)
                res = newton_bordered(fj, guess, sc, u, float(u @ (guess / sc)), tol=1e-12,
                                      max_iter=20)
                return guess if res is None else res[0]

            if dets[k] * dets[k + 1] < 0:
                s = brentq(lambda s: _det(model, point(s)), 0.0, 1.0, xtol=1e-12)
                x = _polish_fold(model, point(s), sc)
                out.append(EquilibriumPoint("fold", float(x[n]), x[:n].copy(), curve=ci))
            if n >= 2 and psis[k] * psis[k + 1] < 0:
                s = brentq(lambda s: _psi(model, point(s)), 0.0, 1.0, xtol=1e-12)
                x = point(s)
                lam = np.linalg.eigvals(model.jacobian(x[:n], float(x[n])))
                pair = lam[np.abs(lam.imag) > 1e-9]
                if pair.size:
                    i = int(np.argmin(np.abs(pair.real)))
                    w = abs(float(pair[i].imag))
                    if abs(pair[i].real) < 1e-6 * max(w, 1e-12) + 1e-9:
                        out.append(EquilibriumPoint("hopf", float(x[n]), x[:n].copy(),
                                                    omega=w, curve=ci))
    return out
