"""Bifurcation analysis in the injected current: equilibria, limit cycles and the points
where they change.

- :func:`equilibrium_branch`: every curve of equilibria in a current range, continued by
  pseudo-arclength (so folds are passed), with eigenvalues and stability.
- :func:`limit_cycles`: stable and unstable periodic orbits, continued by multiple
  shooting from each Hopf point and from stable orbits found by simulation; period, V
  min and max, Floquet stability.
- :func:`bifurcations`: saddle-node, saddle-node on invariant circle, Hopf (with
  criticality from :func:`first_lyapunov_coefficient`) and fold of limit cycles, sorted
  by current.
- :func:`bifurcation_diagram`: all of it bundled for plotting.

Method notes are in :mod:`neurolab.analysis.continuation` and
:mod:`neurolab.analysis.cycles`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from .._validation import check_range
from ..models.base import Model
from ..simulate import run_batch
from .continuation import EquilibriumPoint, locate_points, state_scale, trace_equilibria
from .cycles import (
    CycleBranch,
    Shooter,
    continue_cycle,
    cycle_from_hopf,
    cycles_from_simulation,
)
from .results import (
    Bifurcation,
    BifurcationDiagram,
    EquilibriumBranch,
    LimitCycleBranch,
)

__all__ = ["equilibrium_branch", "limit_cycles", "bifurcations", "bifurcation_diagram",
           "first_lyapunov_coefficient"]


def _check(model: Model, I_range) -> tuple[float, float]:
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model (an instance of a model class), got "
                         f"{model!r:.60}")
    return check_range("I_range", I_range)


# ------------------------------------------------------------------------ equilibria
def equilibrium_branch(model: Model, I_range: tuple[float, float]) -> EquilibriumBranch:
    """Equilibria of ``model`` for currents in ``I_range``, continued by pseudo-arclength.

    Every equilibrium found at the ends of the range (and at seven currents in between)
    seeds a curve unless it already lies on one; each curve is followed both ways until
    it leaves the box ``I_range x model.equilibrium_window`` (first state). Folds, where
    the curve turns back in I, are passed.

    Parameters
    ----------
    model : Model
        Any model of :mod:`neurolab.models`.
    I_range : (float, float)
        Currents (model current units), low < high.

    Returns
    -------
    EquilibriumBranch
        Points of all curves, one after another; ``segment`` numbers the curve each point
        belongs to (plot each segment as its own line). ``eigenvalues`` (per time unit)
        are sorted by decreasing real part. Empty arrays if there is no equilibrium in
        the box.

    Raises
    ------
    ValueError
        For a bad model or range.
    """
    lo, hi = _check(model, I_range)
    curves = trace_equilibria(model, lo, hi)
    n = model.n_states
    if not curves:
        return EquilibriumBranch(I=np.empty(0), states=np.empty((0, n)),
                                 stable=np.empty(0, dtype=bool),
                                 eigenvalues=np.empty((0, n), dtype=complex),
                                 segment=np.empty(0, dtype=int))
    X = np.vstack(curves)
    seg = np.concatenate([np.full(len(c), i) for i, c in enumerate(curves)])
    J = model.jacobian(X[:, :n].T, X[:, n]).transpose(2, 0, 1)
    lam = np.linalg.eigvals(J)
    order = np.argsort(-lam.real, axis=1, kind="stable")
    lam = np.take_along_axis(lam, order, axis=1)
    return EquilibriumBranch(I=X[:, n].copy(), states=X[:, :n].copy(),
                             stable=np.all(lam.real < 0, axis=1), eigenvalues=lam,
                             segment=seg)


# ------------------------------------------------------------------ Lyapunov coefficient
def _fd_steps(vecs: list[np.ndarray], scale: np.ndarray, rel: float) -> list[float]:
    steps = []
    for v in vecs:
        a = np.abs(v)
        nz = a > 1e-14 * a.max() if a.max() > 0 else a > 0
        steps.append(rel * float(np.min(scale[nz] / a[nz])) if np.any(nz) else rel)
    return steps


def _multilinear(f, x0: np.ndarray, vecs: list[np.ndarray], scale: np.ndarray,
                 rel: float) -> np.ndarray:
    """Symmetric k-linear form D^k f(x0)[v1, ..., vk] (k = 2 or 3) of real vectors by
    central differences over the 2^k sign patterns (error O(h^2))."""
    k = len(vecs)
    hs = _fd_steps(vecs, scale, rel)
    signs = np.array(np.meshgrid(*[[1.0, -1.0]] * k, indexing="ij")).reshape(k, -1).T
    pts = np.array([x0 + sum(s[j] * hs[j] * vecs[j] for j in range(k)) for s in signs])
    vals = np.asarray(f(pts.T), dtype=float)
    w = np.prod(signs, axis=1)
    return (vals @ w) / (2.0 ** k * np.prod(hs))


def _complex_form(f, x0, vecs, scale, rel) -> np.ndarray:
    """Multilinear form of complex vectors, expanded into real and imaginary parts."""
    k = len(vecs)
    out = np.zeros(x0.shape[0], dtype=complex)
    for pattern in np.ndindex(*([2] * k)):
        coef = 1.0 + 0j
        args = []
        for j, p in enumerate(pattern):
            part = vecs[j].imag if p else vecs[j].real
            if not np.any(part):
                coef = 0.0
                break
            coef *= 1j if p else 1.0
            args.append(part)
        if coef == 0.0:
            continue
        out += coef * _multilinear(f, x0, args, scale, rel)
    return out


def lyapunov_from_rhs(f: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, A: np.ndarray,
                      scale: np.ndarray | None = None) -> tuple[float, float]:
    """First Lyapunov coefficient of ``y' = f(y)`` at a Hopf point ``x0`` with Jacobian
    ``A``; ``f`` maps states of shape (n, k) to derivatives (n, k). Returns (l1, omega).
    See :func:`first_lyapunov_coefficient`."""
    x0 = np.asarray(x0, dtype=float)
    n = x0.shape[0]
    scale = np.ones(n) if scale is None else np.asarray(scale, dtype=float)
    lam, V = np.linalg.eig(A)
    cand = np.flatnonzero(lam.imag > 0)
    if cand.size == 0:
        raise ValueError("the Jacobian has no complex pair of eigenvalues: not a Hopf point")
    i = cand[np.argmin(np.abs(lam.real[cand]))]
    w = float(lam[i].imag)
    q = V[:, i] / np.linalg.norm(V[:, i])
    lamT, U = np.linalg.eig(A.T)
    p = U[:, int(np.argmin(np.abs(lamT + 1j * w)))]
    p = p / np.conj(np.vdot(p, q))

    def B(a, b):
        return _complex_form(f, x0, [a, b], scale, 1e-3)

    def C(a, b, c):
        return _complex_form(f, x0, [a, b, c], scale, 1e-2)

    qb = np.conj(q)
    c1 = np.vdot(p, C(q, q, qb))
    c2 = np.vdot(p, B(q, np.linalg.solve(A.astype(complex), B(q, qb))))
    c3 = np.vdot(p, B(qb, np.linalg.solve(2j * w * np.eye(n) - A, B(q, q))))
    return float((c1 - 2.0 * c2 + c3).real / (2.0 * w)), w


def first_lyapunov_coefficient(model: Model, state, I: float) -> float:
    """First Lyapunov coefficient l1 of a Hopf point: its sign gives the criticality.

    Kuznetsov's invariant formula, with A the Jacobian, A q = i w q, A^T p = -i w p,
    <q, q> = <p, q> = 1 (<a, b> = conj(a) . b), and B, C the second and third derivatives
    of the right-hand side (here by central differences):

        l1 = Re( <p, C(q, q, conj q)> - 2 <p, B(q, A^-1 B(q, conj q))>
                 + <p, B(conj q, (2 i w - A)^-1 B(q, q))> ) / (2 w)

    (Y. A. Kuznetsov, "Elements of Applied Bifurcation Theory", 3rd ed., Springer 2004,
    section 3.5). l1 < 0: supercritical (a small stable cycle is born); l1 > 0:
    subcritical (a small unstable cycle dies). Near the Hopf point, orbits have
    |z|^2 = -Re(lambda) / (w l1), where x = x_H + 2 Re(z q).

    Parameters
    ----------
    model : Model
        A model with at least two states.
    state : array_like
        The equilibrium at the Hopf point (``model.state_names`` order).
    I : float
        The current there.

    Returns
    -------
    float
        l1, in the model's state units^-2 per time unit.

    Raises
    ------
    ValueError
        If the Jacobian has no complex pair of eigenvalues.
    """
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model, got {model!r:.60}")
    y = np.asarray(state, dtype=float)
    if y.shape != (model.n_states,) or not np.all(np.isfinite(y)):
        raise ValueError(f"state must be a finite array of shape ({model.n_states},), got "
                         f"{np.shape(state)}")
    I = float(I)
    l1, _ = lyapunov_from_rhs(lambda Y: model.rhs(Y, I), y, model.jacobian(y, I),
                              state_scale(model))
    return l1


# ------------------------------------------------------------------------ cycles
def _covered_cycle(branches: list[CycleBranch], I: float, T: float) -> bool:
    for b in branches:
        Ib, Tb = b.I, b.period
        for k in range(len(Ib) - 1):
            if (Ib[k] - I) * (Ib[k + 1] - I) <= 0 and Ib[k] != Ib[k + 1]:
                w = (I - Ib[k]) / (Ib[k + 1] - Ib[k])
                if abs(Tb[k] + w * (Tb[k + 1] - Tb[k]) - T) < 0.02 * T:
                    return True
    return False


@functools.lru_cache(maxsize=16)
def _cycle_branches(model: Model, lo: float, hi: float,
                    max_period: float) -> tuple[tuple[CycleBranch, str], ...]:
    hopfs = [p for p in locate_points(model, trace_equilibria(model, lo, hi))
             if p.kind == "hopf"]
    out: list[tuple[CycleBranch, str]] = []
    shooter = Shooter(model, 0.1 * (hi - lo))
    for h in hopfs:
        if any(why == "hopf" and abs(b.I[-1] - h.I) < 1e-3 * (hi - lo) for b, why in out):
            continue
        start = cycle_from_hopf(shooter, h.state, h.I)
        if start is None:
            continue
        x, tan, size = start
        br, why = continue_cycle(shooter, x, tan, (lo, hi), max_period, min_size=size)
        if len(br.I) >= 2:
            out.append((br, why))
    sims = cycles_from_simulation(model, [lo, hi], 1000.0)
    for I, x0, T in sims:
        if _covered_cycle([b for b, _ in out], I, T):
            continue
        try:
            x = shooter.expand(x0, T, I)
        except (ValueError, RuntimeError):
            continue
        shooter.set_reference(x)
        row = np.zeros_like(x)
        row[-1] = 1.0
        from .continuation import newton_bordered
        res = newton_bordered(shooter, x, shooter.xscale, row, I / shooter.xscale[-1],
                              tol=1e-9, max_iter=20)
        if res is None:
            continue
        xc = res[0]
        halves = []
        for direction in (1.0, -1.0):
            shooter.set_reference(xc)
            t0 = np.zeros_like(xc)
            t0[-1] = direction
            br, why = continue_cycle(shooter, xc, t0, (lo, hi), max_period)
            halves.append((br, why))
        (f, fw), (b, bw) = halves
        joined = CycleBranch(
            x=np.vstack([b.x[::-1], f.x[1:]]),
            v_min=np.concatenate([b.v_min[::-1], f.v_min[1:]]),
            v_max=np.concatenate([b.v_max[::-1], f.v_max[1:]]),
            stable=np.concatenate([b.stable[::-1], f.stable[1:]]),
            multiplier=np.concatenate([b.multiplier[::-1], f.multiplier[1:]]),
            size=np.concatenate([b.size[::-1], f.size[1:]]),
            ends_at=[bw, fw],
        )
        out.append((joined, f"{bw}/{fw}"))
    return tuple(out)


def _default_max_period(model: Model) -> float:
    return 200.0 if model.time_unit == "ms" else 1000.0


def limit_cycles(model: Model, I_range: tuple[float, float], *,
                 max_period: float | None = None) -> list[LimitCycleBranch]:
    """Stable and unstable periodic orbits for currents in ``I_range``.

    Branches start at every Hopf point of the equilibria (a small orbit along the
    critical eigenvector) and at stable orbits found by simulating at both ends of the
    range; each is continued by multiple shooting with pseudo-arclength steps, so folds
    of limit cycles are passed. A branch ends where the current leaves the range, where
    the orbit shrinks onto a Hopf point, or where its period exceeds ``max_period``
    (an orbit approaching a saddle-node on invariant circle or a homoclinic orbit).

    Parameters
    ----------
    model : Model
        A smooth model (not LIF, INaP or Izhikevich, whose spikes are resets: their
        "cycles" are not orbits of a smooth flow).
    I_range : (float, float)
        Currents (model current units).
    max_period : float, optional
        Longest period followed (time units); default 200 ms (1000 for dimensionless
        models).

    Returns
    -------
    list of LimitCycleBranch
        One per branch, points in continuation order; ``multipliers`` holds the largest
        nontrivial Floquet multiplier modulus. An empty list means no periodic orbit was
        found: no Hopf point in the range and no oscillation at either end.

    Raises
    ------
    ValueError
        For a bad argument or a hybrid model.
    """
    lo, hi = _check(model, I_range)
    if model.hybrid:
        raise ValueError(f"limit_cycles needs a smooth model; {type(model).__name__} fires "
                         f"by a reset rule, so its spiking is not a periodic orbit of a "
                         f"smooth flow")
    mp = _default_max_period(model) if max_period is None else max_period
    from .._validation import check_positive
    mp = check_positive("max_period", mp)
    return [LimitCycleBranch(I=b.I.copy(), period=b.period.copy(), v_min=b.v_min.copy(),
                             v_max=b.v_max.copy(), stable=b.stable.copy(),
                             multipliers=b.multiplier.copy())
            for b, _ in _cycle_branches(model, lo, hi, mp)]


# ------------------------------------------------------------------------ bifurcations
def _is_snic(model: Model, p: EquilibriumPoint, lo: float, hi: float) -> bool:
    """Whether the orbit leaving a saddle-node comes back to it (an invariant circle).

    Just past the fold, on the side where the pair of equilibria has gone, the run starts
    at the fold point (10^-4 of the current range past it, or 10^-3 or 10^-2 if the run
    has not left within 2 s). If it leaves (scaled distance > 1) and later returns within
    0.2 of it, the saddle-node lies on an invariant circle: the orbit is a cycle through the
    ghost of the fold, whose period diverges as the current approaches the fold.
    """
    n = model.n_states
    sc = state_scale(model)
    dt = model.default_dt
    # The closer to the fold, the longer the passage past its ghost: if the run has not
    # left within its length (slow recovery variables, e.g. Izhikevich's class-1 cell),
    # step further past the fold and look again.
    for frac in (1e-4, 1e-3, 1e-2):
        eps = frac * (hi - lo)
        # Side without equilibria: where the fold's curve does not continue.
        for side in (1.0, -1.0):
            I = p.I + side * eps
            near = [y for y in model.equilibria(I)
                    if np.linalg.norm((y - p.state) / sc) < 0.5]
            if not near:
                break
        else:
            return False
        try:
            r = run_batch(model, 2000.0, [I], dt=dt, y0=p.state[None, :], method="rk4",
                          record=True)
        except RuntimeError:
            return False
        Y = r["states"][0]
        d = np.linalg.norm((Y - p.state[:, None]) / sc[:, None], axis=0)
        left = np.flatnonzero(d > 1.0)
        if left.size == 0 or n == 0:
            continue
        return bool(np.min(d[left[0]:]) < 0.2)
    return False


def _cycle_folds(model: Model, branches) -> list[Bifurcation]:
    out = []
    for b, _ in branches:
        I = b.I
        z = b.x / np.concatenate([state_scale(model), [0.1, 1.0]])
        s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(z, axis=0), axis=1))])
        tol = 1e-6 * max(float(np.ptp(I)), 1e-12)
        turns = []
        ext, direction = 0, 0
        for k in range(1, len(I)):
            if direction >= 0 and I[k] > I[ext]:
                ext, direction = k, 1 if direction or I[k] - I[0] > tol else 0
            elif direction <= 0 and I[k] < I[ext]:
                ext, direction = k, -1 if direction or I[0] - I[k] > tol else 0
            elif direction and abs(I[k] - I[ext]) > tol:
                turns.append(ext)
                ext, direction = k, -direction
        for k in turns:
            if not 0 < k < len(I) - 1:
                continue
            coef = np.polyfit(s[k - 1:k + 2] - s[k], I[k - 1:k + 2], 2)
            Iv = float(I[k])
            if coef[0] != 0:
                sv = -coef[1] / (2 * coef[0])
                if abs(sv) <= max(s[k + 1] - s[k], s[k] - s[k - 1]):
                    Iv = float(np.polyval(coef, sv))
            out.append(Bifurcation("fold of limit cycles", Iv,
                                   b.x[k, :model.n_states].copy()))
    return out


@functools.lru_cache(maxsize=16)
def _analyse(model: Model, lo: float, hi: float, max_period: float,
             with_cycles: bool):
    curves = trace_equilibria(model, lo, hi)
    pts = locate_points(model, curves)
    found: list[Bifurcation] = []
    for p in pts:
        if p.kind == "fold":
            kind = ("saddle-node on invariant circle" if _is_snic(model, p, lo, hi)
                    else "saddle-node")
            found.append(Bifurcation(kind, p.I, p.state))
        else:
            l1 = first_lyapunov_coefficient(model, p.state, p.I)
            found.append(Bifurcation("Hopf", p.I, p.state,
                                     "supercritical" if l1 < 0 else "subcritical", l1))
    branches = (_cycle_branches(model, lo, hi, max_period)
                if with_cycles and not model.hybrid else ())
    found += _cycle_folds(model, branches)
    found.sort(key=lambda b: b.I)
    return tuple(found), branches


def bifurcations(model: Model, I_range: tuple[float, float], *,
                 cycles: bool = True, max_period: float | None = None) -> list[Bifurcation]:
    """Bifurcations of ``model`` as the current sweeps ``I_range``, sorted by current.

    Kinds (see :data:`neurolab.analysis.BIFURCATION_KINDS`):

    - "saddle-node": a fold of the equilibria (det J = 0), located to ~1e-10;
    - "saddle-node on invariant circle": a fold whose unstable manifold comes back to it
      (checked by simulating just past the fold: the orbit leaves and returns), so the
      firing period diverges there;
    - "Hopf": a complex pair crosses the imaginary axis; ``criticality`` from the sign
      of the first Lyapunov coefficient (``lyapunov``);
    - "fold of limit cycles": a turning point in I of a cycle branch (a stable and an
      unstable orbit merge), located by a parabola through the three points around it.

    For hybrid models (LIF, INaP, Izhikevich) the reset closes the orbit: a fold whose
    run returns after the reset is reported as a saddle-node on invariant circle.

    Parameters
    ----------
    model : Model
        Any model.
    I_range : (float, float)
        Currents (model current units).
    cycles : bool
        Also continue limit cycles to find their folds (smooth models only).
    max_period : float, optional
        See :func:`limit_cycles`.

    Returns
    -------
    list of Bifurcation
        Empty when nothing happens in the range (e.g. LIF, whose firing threshold is a
        reset, not a bifurcation of a smooth flow).
    """
    lo, hi = _check(model, I_range)
    mp = _default_max_period(model) if max_period is None else float(max_period)
    found, _ = _analyse(model, lo, hi, mp, bool(cycles))
    return list(found)


def bifurcation_diagram(model: Model, I_range: tuple[float, float],
                        progress: Callable[[float], None] | None = None,
                        ) -> BifurcationDiagram:
    """Equilibria, limit cycles and bifurcations of ``model`` over ``I_range``, for
    :func:`neurolab.plots.plot_bifurcation_diagram`.

    Parameters
    ----------
    model : Model
        Any model (limit cycles only for smooth ones).
    I_range : (float, float)
        Currents (model current units).
    progress : callable, optional
        Called with the fraction done (0 to 1), e.g. to drive a progress bar.

    Returns
    -------
    BifurcationDiagram
    """
    lo, hi = _check(model, I_range)

    def tell(x: float) -> None:
        if progress is not None:
            progress(float(x))

    tell(0.0)
    eq = equilibrium_branch(model, (lo, hi))
    tell(0.2)
    mp = _default_max_period(model)
    found, branches = _analyse(model, lo, hi, mp, True)
    tell(0.9)
    cycles = [LimitCycleBranch(I=b.I.copy(), period=b.period.copy(), v_min=b.v_min.copy(),
                               v_max=b.v_max.copy(), stable=b.stable.copy(),
                               multipliers=b.multiplier.copy()) for b, _ in branches]
    tell(1.0)
    return BifurcationDiagram(equilibria=eq, cycles=cycles, bifurcations=list(found))


