"""Normal forms of the four bifurcations of the dynamical-systems primer, with their
bifurcation diagrams in closed form.

Each normal form is the simplest equation showing one bifurcation at I = 0 (the
parameter plays the role of the injected current):

- "saddle-node":  x' = I + x^2. Two equilibria x = -+sqrt(-I) for I < 0 (the lower one
  stable) merge at I = 0 and vanish.
- "saddle-node on invariant circle": theta' = 1 - cos(theta) + (1 + cos(theta)) I on the
  circle (the theta neuron of Ermentrout and Kopell, SIAM J. Appl. Math. 46:233, 1986).
  For I < 0 a stable and an unstable equilibrium at cos(theta) = (1 + I) / (1 - I); for
  I > 0 the phase turns with period T = pi / sqrt(I) (substitute u = tan(theta / 2)),
  which diverges at the bifurcation.
- "supercritical Hopf": r' = I r - r^3, theta' = omega + b r^2. For I > 0 a stable cycle
  of radius sqrt(I) surrounds the unstable equilibrium.
- "subcritical Hopf": r' = I r + r^3 - r^5, theta' = omega + b r^2. An unstable cycle of
  radius r^2 = (1 - sqrt(1 + 4 I)) / 2 shrinks onto the equilibrium as I rises to 0; a
  stable cycle r^2 = (1 + sqrt(1 + 4 I)) / 2 coexists with the stable equilibrium for
  -1/4 < I < 0 (bistability), and the two cycles merge in a fold of limit cycles at
  I = -1/4. (The quintic term, as in Kuznetsov 2004 section 8.3, keeps orbits bounded
  and shows the hysteresis; without it the form is r' = I r + r^3.)

The Hopf forms are written in Cartesian coordinates (x, y) = r (cos theta, sin theta)
for phase portraits; their polar right-hand sides are ``polar_rhs``.

Besides the closed forms, :func:`normal_form_trajectory` integrates a form from a start
state, and :func:`hysteresis_sweep` sweeps the subcritical Hopf form's parameter up and
back down to show its bistability and hysteresis.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .._validation import check_array, check_choice, check_int, check_number, check_range

__all__ = ["NormalForm", "NormalFormBranch", "NormalFormDiagram", "NORMAL_FORMS",
           "normal_form", "normal_form_diagram", "normal_form_trajectory",
           "hysteresis_sweep"]


@dataclass(frozen=True)
class NormalForm:
    """A normal form: its equations and right-hand side.

    Attributes
    ----------
    name : str
        Key in :data:`NORMAL_FORMS`.
    equations : str
        The equations, as text.
    state_names : tuple of str
        Names of the states of ``rhs``.
    rhs : callable
        ``rhs(y, I)`` -> dy/dt; ``y`` of shape (n_states, ...) broadcasts.
    polar_rhs : callable or None
        For the Hopf forms, ``polar_rhs(r, I)`` -> (dr/dt, dtheta/dt).
    omega, b : float
        Frequency at the bifurcation and its dependence on amplitude (Hopf forms).
    """

    name: str
    equations: str
    state_names: tuple[str, ...]
    rhs: Callable[..., np.ndarray]
    polar_rhs: Callable[..., tuple[np.ndarray, np.ndarray]] | None = None
    omega: float = 1.0
    b: float = 0.0


@dataclass(frozen=True)
class NormalFormBranch:
    """One branch of a normal form's bifurcation diagram.

    Attributes
    ----------
    kind : str
        "equilibrium" or "cycle".
    I : numpy.ndarray
        Parameter values where the branch exists.
    value : numpy.ndarray
        The equilibrium's x or theta, or the cycle's radius r (for the SNIC cycle, which
        covers the whole circle, the value is pi: the half-turn).
    stable : bool
        Stability along the whole branch.
    period : numpy.ndarray or None
        Period of the cycle at each I (time units of the normal form).
    """

    kind: str
    I: np.ndarray
    value: np.ndarray
    stable: bool
    period: np.ndarray | None = None


@dataclass(frozen=True)
class NormalFormDiagram:
    """Closed-form bifurcation diagram of a normal form."""

    name: str
    variable: str
    branches: list[NormalFormBranch]
    bifurcations: list[tuple[str, float]]


def _sn_rhs(y, I=0.0):
    y = np.asarray(y, dtype=float)
    return np.asarray(I + y**2)


def _snic_rhs(y, I=0.0):
    th = np.asarray(y, dtype=float)
    return 1.0 - np.cos(th) + (1.0 + np.cos(th)) * I


def _hopf(sign: int, omega: float, b: float):
    def radial(r2, I):
        """r'/r as a function of r^2."""
        return I - r2 if sign < 0 else I + r2 - r2 * r2

    def rhs(y, I=0.0):
        y = np.asarray(y, dtype=float)
        x, v = y[0], y[1]
        r2 = x * x + v * v
        g = radial(r2, I)
        w = omega + b * r2
        return np.array([g * x - w * v, g * v + w * x])

    def polar(r, I=0.0):
        r = np.asarray(r, dtype=float)
        return radial(r * r, I) * r, omega + b * r * r

    return rhs, polar


_SUPER = _hopf(-1, 1.0, 0.0)
_SUB = _hopf(+1, 1.0, 0.0)

#: The four normal forms, keyed by the bifurcation's name.
NORMAL_FORMS: dict[str, NormalForm] = {
    "saddle-node": NormalForm("saddle-node", "x' = I + x^2", ("x",), _sn_rhs),
    "saddle-node on invariant circle": NormalForm(
        "saddle-node on invariant circle",
        "theta' = 1 - cos(theta) + (1 + cos(theta)) I", ("theta",), _snic_rhs),
    "supercritical Hopf": NormalForm(
        "supercritical Hopf", "r' = I r - r^3, theta' = omega + b r^2", ("x", "y"),
        _SUPER[0], _SUPER[1]),
    "subcritical Hopf": NormalForm(
        "subcritical Hopf", "r' = I r + r^3 - r^5, theta' = omega + b r^2", ("x", "y"),
        _SUB[0], _SUB[1]),
}


def normal_form(name: str) -> NormalForm:
    """The normal form of a bifurcation.

    Parameters
    ----------
    name : str
        One of "saddle-node", "saddle-node on invariant circle", "supercritical Hopf",
        "subcritical Hopf".

    Returns
    -------
    NormalForm

    Raises
    ------
    ValueError
        For an unknown name (the message lists the valid ones).
    """
    check_choice("name", name, tuple(NORMAL_FORMS))
    return NORMAL_FORMS[name]


def normal_form_diagram(name: str, I_range: tuple[float, float] = (-1.0, 1.0),
                        n: int = 201) -> NormalFormDiagram:
    """Bifurcation diagram of a normal form, in closed form.

    Parameters
    ----------
    name : str
        See :func:`normal_form`.
    I_range : (float, float)
        Parameter range (for the subcritical Hopf form, the part below -1/4 has no
        cycles).
    n : int
        Number of parameter values (>= 2).

    Returns
    -------
    NormalFormDiagram
        Branches of equilibria and cycles with stability (and cycle periods), and the
        bifurcation points inside the range as (kind, I).
    """
    nf = normal_form(name)
    lo, hi = check_range("I_range", I_range)
    n = check_int("n", n, 2, 1_000_000)
    I = np.linspace(lo, hi, n)
    br: list[NormalFormBranch] = []
    pts: list[tuple[str, float]] = []
    if name == "saddle-node":
        neg = I[I <= 0]
        br += [NormalFormBranch("equilibrium", neg, -np.sqrt(-neg), True),
               NormalFormBranch("equilibrium", neg, np.sqrt(-neg), False)]
        pts.append(("saddle-node", 0.0))
        var = "x"
    elif name == "saddle-node on invariant circle":
        neg = I[I <= 0]
        c = (1.0 + neg) / (1.0 - neg)
        br += [NormalFormBranch("equilibrium", neg, -np.arccos(c), True),
               NormalFormBranch("equilibrium", neg, np.arccos(c), False)]
        pos = I[I > 0]
        br.append(NormalFormBranch("cycle", pos, np.full(pos.shape, math.pi), True,
                                   math.pi / np.sqrt(pos)))
        pts.append(("saddle-node on invariant circle", 0.0))
        var = "theta"
    elif name == "supercritical Hopf":
        br += [NormalFormBranch("equilibrium", I[I <= 0], np.zeros(np.sum(I <= 0)), True),
               NormalFormBranch("equilibrium", I[I >= 0], np.zeros(np.sum(I >= 0)), False)]
        pos = I[I >= 0]
        r = np.sqrt(pos)
        br.append(NormalFormBranch("cycle", pos, r, True,
                                   2 * math.pi / (nf.omega + nf.b * r * r)))
        pts.append(("Hopf", 0.0))
        var = "r"
    else:
        br += [NormalFormBranch("equilibrium", I[I <= 0], np.zeros(np.sum(I <= 0)), True),
               NormalFormBranch("equilibrium", I[I >= 0], np.zeros(np.sum(I >= 0)), False)]
        mid = I[(I >= -0.25) & (I <= 0)]
        r_u = np.sqrt(np.maximum((1 - np.sqrt(1 + 4 * mid)) / 2, 0.0))
        br.append(NormalFormBranch("cycle", mid, r_u, False,
                                   2 * math.pi / (nf.omega + nf.b * r_u**2)))
        big = I[I >= -0.25]
        r_s = np.sqrt((1 + np.sqrt(1 + 4 * big)) / 2)
        br.append(NormalFormBranch("cycle", big, r_s, True,
                                   2 * math.pi / (nf.omega + nf.b * r_s**2)))
        pts += [("fold of limit cycles", -0.25), ("Hopf", 0.0)]
        var = "r"
    br = [b for b in br if b.I.size]
    pts = [p for p in pts if lo <= p[1] <= hi]
    return NormalFormDiagram(name, var, br, pts)


# ----------------------------------------------------------------------------- runs
def _solve(rhs: Callable[[np.ndarray, float], np.ndarray], y0: np.ndarray, I: float,
           t_end: float, n: int, escape: float | None = None,
           size: Callable[[np.ndarray], float] | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Solve y' = rhs(y, I) from y0 with scipy's RK45 (rtol 1e-6, atol 1e-9), sampled at
    n evenly spaced times in [0, t_end]; stop once ``size(y)`` (default max |y|) exceeds
    ``escape``."""
    from scipy.integrate import solve_ivp

    events = None
    if escape is not None:
        measure = size if size is not None else (lambda y: float(np.max(np.abs(y))))

        def leave(_t: float, y: np.ndarray) -> float:
            return float(escape - measure(y))

        leave.terminal = True  # type: ignore[attr-defined]
        events = leave
    t = np.linspace(0.0, t_end, n)
    sol = solve_ivp(lambda _t, y: np.atleast_1d(rhs(y, I)), (0.0, t_end), y0, t_eval=t,
                    rtol=1e-6, atol=1e-9, events=events)
    return sol.t, sol.y


def normal_form_trajectory(name: str, y0: Sequence[float] | np.ndarray, I: float,
                           t_end: float, n: int = 300, *, escape: float | None = None
                           ) -> tuple[np.ndarray, np.ndarray]:
    """A solution of a normal form from a start state.

    Integrated with scipy's adaptive RK45 (relative tolerance 1e-6, absolute 1e-9). The
    Hopf forms are integrated in polar coordinates, where the radius moves smoothly and
    the solver needs few steps, and returned in Cartesian (x, y).

    Parameters
    ----------
    name : str
        See :func:`normal_form`.
    y0 : sequence of float
        Start state in the form's ``state_names``: (x,) for the saddle-node, (theta,)
        (radians, not wrapped) for the SNIC, (x, y) for the Hopf forms
        (dimensionless).
    I : float
        The parameter (dimensionless).
    t_end : float
        Length of the run (time units of the normal form), > 0.
    n : int
        Number of evenly spaced output times in [0, t_end] (>= 2).
    escape : float, optional
        Stop when the state leaves the ball of this radius (|x|, |theta| or the Hopf
        radius r), > 0: the saddle-node's x reaches infinity in finite time for I > 0.
        The outputs then end at the last output time before the escape.

    Returns
    -------
    t : numpy.ndarray
        Output times, shape (m,) with m <= n (m < n only after an escape).
    y : numpy.ndarray
        States, shape (n_states, m).

    Raises
    ------
    ValueError
        For an unknown name, a start state of the wrong length or not finite, a
        non-finite I, t_end <= 0, n < 2 or escape <= 0.
    """
    nf = normal_form(name)
    y0 = check_array("y0", y0, ndim=1)
    if y0.shape != (len(nf.state_names),):
        raise ValueError(f"y0 must hold the {len(nf.state_names)} state(s) "
                         f"{nf.state_names} of the {name} form, got shape {y0.shape}")
    I = check_number("I", I)
    t_end = check_number("t_end", t_end, 0.0, lo_open=True)
    n = check_int("n", n, 2, 10_000_000)
    if escape is not None:
        escape = check_number("escape", escape, 0.0, lo_open=True)
    polar = nf.polar_rhs
    if polar is None:
        return _solve(nf.rhs, y0, I, t_end, n, escape)

    def rhs(p: np.ndarray, I: float) -> np.ndarray:
        dr, dth = polar(p[0], I)
        return np.array([dr, dth])

    start = np.array([math.hypot(y0[0], y0[1]), math.atan2(y0[1], y0[0])])
    t, p = _solve(rhs, start, I, t_end, n, escape, size=lambda q: abs(float(q[0])))
    return t, np.array([p[0] * np.cos(p[1]), p[0] * np.sin(p[1])])


def hysteresis_sweep(I_lo: float = -0.4, I_hi: float = 0.2, steps: int = 31,
                     settle: float = 40.0, kick: float = 0.02
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Quasi-static sweep of the subcritical Hopf normal form, up then back down.

    At each of ``steps`` evenly spaced values of I the amplitude equation
    r' = I r + r^3 - r^5 runs for ``settle`` time units from where the previous step
    ended, after a small kick (r raised to at least ``kick``, standing in for noise;
    without it r would decay to nothing below the bifurcation and take ever longer to
    grow after it). Going up, r stays near 0 until I passes the Hopf point I = 0 and
    then jumps to the stable cycle r^2 = (1 + sqrt(1 + 4 I)) / 2; going down it stays on
    that cycle until the fold of cycles at I = -1/4 and then falls to 0: the two
    thresholds differ (hysteresis), and between them both states are stable.

    Parameters
    ----------
    I_lo, I_hi : float
        Ends of the sweep (dimensionless), I_lo < I_hi.
    steps : int
        Number of parameter values (>= 2).
    settle : float
        Time spent at each value (time units of the normal form), > 0.
    kick : float
        Smallest amplitude each step starts from, > 0.

    Returns
    -------
    I_up, r_up, I_down, r_down : numpy.ndarray
        Parameter values and the amplitude reached at each, on the way up and down
        (``I_down`` is ``I_up`` reversed).

    Raises
    ------
    ValueError
        If I_lo >= I_hi, steps < 2, settle <= 0 or kick <= 0.
    """
    lo, hi = check_range("(I_lo, I_hi)", (I_lo, I_hi))
    steps = check_int("steps", steps, 2, 100_000)
    settle = check_number("settle", settle, 0.0, lo_open=True)
    kick = check_number("kick", kick, 0.0, lo_open=True)
    polar = _SUB[1]

    def radial(y: np.ndarray, I: float) -> np.ndarray:
        return polar(y, I)[0]

    up = np.linspace(lo, hi, steps)
    down = up[::-1]
    r = 0.0
    out = []
    for sweep in (up, down):
        rs = []
        for I in sweep:
            _t, y = _solve(radial, np.array([max(r, kick)]), float(I), settle, 2)
            r = float(y[0, -1])
            rs.append(r)
        out.append(np.array(rs))
    return up, out[0], down, out[1]
