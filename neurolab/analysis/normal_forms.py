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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_int, check_range

__all__ = ["NormalForm", "NormalFormBranch", "NormalFormDiagram", "NORMAL_FORMS",
           "normal_form", "normal_form_diagram"]


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
