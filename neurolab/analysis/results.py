"""Result types returned by :mod:`neurolab.analysis` (shared by the analysis, plots and widgets).

They are plain dataclasses of numpy arrays so that plots can update artists in place and
tests can compare numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: The kinds of equilibrium, in the words used in docs and plots.
KINDS = ("stable node", "unstable node", "stable focus", "unstable focus", "saddle",
         "center", "degenerate")

#: The kinds of bifurcation found by :func:`neurolab.analysis.bifurcations`.
BIFURCATION_KINDS = ("saddle-node", "saddle-node on invariant circle", "Hopf",
                     "fold of limit cycles")


@dataclass(frozen=True)
class FixedPoint:
    """An equilibrium of a model at a constant current.

    Attributes
    ----------
    state : numpy.ndarray
        State in ``model.state_names`` order.
    jacobian : numpy.ndarray
        Jacobian there (per ms).
    eigenvalues : numpy.ndarray
        Its eigenvalues (complex, per ms), sorted by decreasing real part.
    kind : str
        One of :data:`KINDS`.
    I : float
        The current (model current units).
    """

    state: np.ndarray
    jacobian: np.ndarray
    eigenvalues: np.ndarray
    kind: str
    I: float = 0.0

    @property
    def stable(self) -> bool:
        """True if every eigenvalue has a negative real part."""
        return bool(np.all(self.eigenvalues.real < 0))


@dataclass(frozen=True)
class Nullclines:
    """Nullclines of a two-dimensional (or reduced) model in a window of the plane.

    Each nullcline is a list of polylines (arrays of shape (n, 2) holding (x, y) points),
    because a nullcline may have several branches in the window.
    """

    x_name: str
    y_name: str
    x_nullcline: list[np.ndarray]
    y_nullcline: list[np.ndarray]


@dataclass(frozen=True)
class EquilibriumBranch:
    """Equilibria continued in the current I.

    Attributes
    ----------
    I : numpy.ndarray
        Current along the branch, shape (n,).
    states : numpy.ndarray
        States, shape (n, n_states).
    stable : numpy.ndarray
        Boolean stability at each point.
    eigenvalues : numpy.ndarray
        Eigenvalues, shape (n, n_states), complex.
    segment : numpy.ndarray
        Number of the curve each point lies on (int, shape (n,)): a range may hold
        several curves of equilibria; plot each segment as its own line. Empty means one
        curve.
    """

    I: np.ndarray
    states: np.ndarray
    stable: np.ndarray
    eigenvalues: np.ndarray
    segment: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))


@dataclass(frozen=True)
class LimitCycleBranch:
    """Periodic orbits continued in the current I.

    Attributes
    ----------
    I : numpy.ndarray
        Current of each orbit, shape (n,).
    period : numpy.ndarray
        Period (model time units, ms for most models).
    v_min, v_max : numpy.ndarray
        Extremes of the first state along each orbit.
    stable : numpy.ndarray
        Boolean orbital stability (Floquet multipliers inside the unit circle).
    multipliers : numpy.ndarray
        Largest nontrivial Floquet multiplier modulus of each orbit.
    """

    I: np.ndarray
    period: np.ndarray
    v_min: np.ndarray
    v_max: np.ndarray
    stable: np.ndarray
    multipliers: np.ndarray = field(default_factory=lambda: np.empty(0))


@dataclass(frozen=True)
class Bifurcation:
    """A bifurcation found on a branch.

    Attributes
    ----------
    kind : str
        One of :data:`BIFURCATION_KINDS`.
    I : float
        Current at the bifurcation.
    state : numpy.ndarray
        Equilibrium (or a point of the cycle) there.
    criticality : str or None
        "supercritical" or "subcritical" for a Hopf point, else None.
    lyapunov : float or None
        First Lyapunov coefficient for a Hopf point.
    """

    kind: str
    I: float
    state: np.ndarray
    criticality: str | None = None
    lyapunov: float | None = None


@dataclass(frozen=True)
class BifurcationDiagram:
    """Everything a bifurcation diagram shows: branches and the points found on them."""

    equilibria: EquilibriumBranch
    cycles: list[LimitCycleBranch]
    bifurcations: list[Bifurcation]
