"""Phase-plane analysis: vector fields, nullclines, fixed points and their kinds,
separatrices, basins of attraction, and a reduced (V, n) plane of Hodgkin-Huxley.

A phase plane needs two state variables. Two-dimensional models (FitzHugh-Nagumo,
Izhikevich, I_Na,p + I_K) are used as they are; the four-dimensional Hodgkin-Huxley model
is drawn in its reduced (V, n) plane (:class:`ReducedHH`), with the sodium activation at
its steady state and the inactivation either fixed or tied to n by a linear fit.

Fixed points are found by :meth:`neurolab.models.base.Model.equilibria` (every root in a
window of the first state), classified from the eigenvalues of the analytic Jacobian.
Basins of attraction are computed with one parallel batch of the compiled engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .._validation import check_choice, check_int, check_number, check_positive, check_range
from ..models import FitzHughNagumo, HodgkinHuxley, INaPK, Izhikevich
from ..models.base import Model
from ..models.hodgkin_huxley import hh_rates
from ..models.persistent_sodium import boltzmann
from ..simulate import Trace, simulate
from .results import FixedPoint, Nullclines

__all__ = ["ReducedHH", "TraceDeterminant", "vector_field", "nullclines", "fixed_points",
           "classify", "trace_determinant", "separatrix", "trajectory", "basins"]


# ===================================================================================
# Reduced Hodgkin-Huxley plane
# ===================================================================================
def _efun_prime(x: np.ndarray, k: float) -> np.ndarray:
    """Derivative of x / (1 - exp(-x / k)) with respect to x (removable point filled)."""
    z = np.asarray(x, dtype=float) / k
    small = np.abs(z) < 1e-6
    zs = np.where(small, 1.0, z)
    e = np.exp(-zs)
    d = 1.0 - e
    return np.where(small, 0.5 + z / 6.0, (d - zs * e) / (d * d))


def _hh_rates_and_slopes(V: np.ndarray) -> tuple[np.ndarray, ...]:
    """(m_inf, dm_inf/dV, alpha_n, beta_n, dalpha_n/dV, dbeta_n/dV) at 6.3 C (1/ms, 1/mV)."""
    am, bm, _ah, _bh, an, bn = hh_rates(V)
    dam = 0.1 * _efun_prime(V + 40.0, 10.0)
    dbm = -bm / 18.0
    s = am + bm
    m_inf = am / s
    dm_inf = (dam * bm - am * dbm) / (s * s)
    dan = 0.01 * _efun_prime(V + 55.0, 10.0)
    dbn = -bn / 80.0
    return m_inf, dm_inf, an, bn, dan, dbn


@dataclass(frozen=True)
class ReducedHH:
    """Hodgkin-Huxley reduced to the (V, n) plane.

    The sodium activation is fast, so it is set to its steady state, m = m_inf(V). The
    inactivation h is either held at a fixed value (``h``), or tied to n by the linear
    relation h = h0 + h_slope * n. Rinzel (1985) observed that during an action potential
    of the squid-axon model h + n stays nearly constant; the fit h = 0.89 - 1.1 n is the
    one used by Izhikevich (2007), "Dynamical Systems in Neuroscience", section 5.2.
    (It is a fit, not an identity: h may go slightly negative for n > 0.81.)

    C V' = I - g_Na m_inf(V)^3 h (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L)
    n'   = phi (alpha_n(V) (1 - n) - beta_n(V) n)

    Parameters
    ----------
    model : HodgkinHuxley
        Parameters (conductances, reversal potentials, temperature) of the full model.
    h : float or None
        Fixed inactivation (dimensionless, in [0, 1]); ``None`` for h = h0 + h_slope n.
    h0, h_slope : float
        Intercept and slope of the linear relation (dimensionless).

    Attributes
    ----------
    state_names : tuple of str
        ``("V", "n")``.
    """

    model: HodgkinHuxley = field(default_factory=HodgkinHuxley)
    h: float | None = None
    h0: float = 0.89
    h_slope: float = -1.1

    state_names: ClassVar[tuple[str, ...]] = ("V", "n")
    current_unit: ClassVar[str] = HodgkinHuxley.current_unit
    time_unit: ClassVar[str] = HodgkinHuxley.time_unit
    hybrid: ClassVar[bool] = False
    spike_threshold: ClassVar[float] = HodgkinHuxley.spike_threshold
    equilibrium_window: ClassVar[tuple[float, float]] = HodgkinHuxley.equilibrium_window
    current_range: ClassVar[tuple[float, float]] = HodgkinHuxley.current_range
    @property
    def default_dt(self) -> float:
        """The full model's default step (ms), which depends on its temperature."""
        return self.model.default_dt

    def __post_init__(self) -> None:
        if not isinstance(self.model, HodgkinHuxley):
            raise ValueError(f"ReducedHH.model must be a HodgkinHuxley model, got "
                             f"{self.model!r}")
        if self.h is not None:
            object.__setattr__(self, "h", check_number("ReducedHH.h", self.h, 0.0, 1.0))
        object.__setattr__(self, "h0", check_number("ReducedHH.h0", self.h0))
        object.__setattr__(self, "h_slope", check_number("ReducedHH.h_slope", self.h_slope))

    @property
    def n_states(self) -> int:
        """Number of state variables (2)."""
        return 2

    def h_of(self, n: Any) -> np.ndarray:
        """Inactivation h used at potassium activation ``n`` (dimensionless)."""
        n = np.asarray(n, dtype=float)
        if self.h is not None:
            return np.full_like(n, self.h)
        return self.h0 + self.h_slope * n

    def _check_y(self, y: Any) -> np.ndarray:
        y = np.asarray(y, dtype=float)
        if y.ndim == 0 or y.shape[0] != 2:
            raise ValueError(f"y must have shape (2, ...) for states ('V', 'n'), got shape "
                             f"{y.shape}")
        return y

    def rhs(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """Time derivatives (dV/dt in mV/ms, dn/dt in 1/ms).

        Parameters
        ----------
        y : array_like, shape (2, ...)
            (V in mV, n); trailing axes form a batch.
        I : float or array_like
            Injected current (uA/cm2).

        Returns
        -------
        numpy.ndarray, shape (2, ...)
        """
        y = self._check_y(y)
        V, n = y[0], y[1]
        p = self.model
        m_inf, _dm, an, bn, _da, _db = _hh_rates_and_slopes(V)
        dV = (I - p.g_Na * m_inf**3 * self.h_of(n) * (V - p.E_Na)
              - p.g_K * n**4 * (V - p.E_K) - p.g_L * (V - p.E_L)) / p.C
        dn = p.phi * (an * (1.0 - n) - bn * n)
        return np.array(np.broadcast_arrays(dV, dn))

    def jacobian(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """Analytic Jacobian, shape (2, 2, ...), entry [i, j] = d f_i / d y_j (per ms).

        Parameters
        ----------
        y : array_like, shape (2, ...)
            (V in mV, n).
        I : float or array_like
            Injected current (uA/cm2); the Jacobian does not depend on it.
        """
        y = self._check_y(y)
        V, n = y[0], y[1]
        p = self.model
        m, dm, an, bn, dan, dbn = _hh_rates_and_slopes(V)
        h = self.h_of(n)
        dh = 0.0 if self.h is not None else self.h_slope
        J00 = -(p.g_Na * (3.0 * m * m * dm * h * (V - p.E_Na) + m**3 * h)
                + p.g_K * n**4 + p.g_L) / p.C
        J01 = -(p.g_Na * m**3 * dh * (V - p.E_Na) + 4.0 * p.g_K * n**3 * (V - p.E_K)) / p.C
        J10 = p.phi * (dan * (1.0 - n) - dbn * n)
        J11 = -p.phi * (an + bn)
        J00, J01, J10, J11 = np.broadcast_arrays(J00, J01, J10, J11)
        return np.array([[J00, J01], [J10, J11]])

    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray:
        am, bm, _ah, _bh, an, bn = hh_rates(v)
        return np.array([v, an / (an + bn)])

    def equilibria(self, I: float = 0.0, window: tuple[float, float] | None = None,
                   n: int = 4001) -> list[np.ndarray]:
        """Every equilibrium (V, n) with V in ``window`` (mV), sorted by V.

        On the n-nullcline n = n_inf(V); the roots of dV/dt there are bracketed on a grid
        of ``n`` points and refined with Brent's method.
        """
        from scipy.optimize import brentq

        I = check_number("I", I)
        lo, hi = window if window is not None else self.equilibrium_window
        v = np.linspace(lo, hi, n)

        def g(vv: np.ndarray) -> np.ndarray:
            return self.rhs(self._equilibrium_state(vv, I), I)[0]

        gv = g(v)
        roots = [float(x) for x in v[gv == 0.0]]
        for i in np.flatnonzero(gv[:-1] * gv[1:] < 0.0):
            roots.append(brentq(lambda x: float(g(np.array([x]))[0]), v[i], v[i + 1],
                                xtol=1e-12))
        return [self._equilibrium_state(np.array([r]), I)[:, 0] for r in sorted(roots)]

    def full_state(self, y: Any) -> np.ndarray:
        """The Hodgkin-Huxley state (V, m, h, n) that a reduced state (V, n) stands for."""
        y = self._check_y(y)
        m_inf = _hh_rates_and_slopes(y[0])[0]
        return np.array([y[0], m_inf, self.h_of(y[1]), y[1]])


PlaneModel = Model | ReducedHH


# ===================================================================================
# The plane a function works in
# ===================================================================================
@dataclass(frozen=True)
class _Plane:
    system: PlaneModel
    x_name: str
    y_name: str

    def rhs(self, X: np.ndarray, Y: np.ndarray, I: float) -> tuple[np.ndarray, np.ndarray]:
        out = self.system.rhs(np.stack([X, Y]), I)
        return out[0], out[1]


def _system(model: Any, reduced: Any, func: str) -> PlaneModel:
    """The system to analyse: the model, or its reduced plane."""
    if isinstance(model, ReducedHH):
        if reduced is not None:
            raise ValueError(f"{func}: reduced must be None when model is already a "
                             f"ReducedHH, got {reduced!r}")
        return model
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model or a ReducedHH, got {model!r}")
    if reduced is None:
        return model
    if not isinstance(model, HodgkinHuxley):
        raise ValueError(f"reduced applies to HodgkinHuxley only, got reduced={reduced!r} "
                         f"for {type(model).__name__}")
    if isinstance(reduced, ReducedHH):
        return ReducedHH(model, reduced.h, reduced.h0, reduced.h_slope)
    if isinstance(reduced, str):
        check_choice("reduced", reduced, ("h(n)",))
        return ReducedHH(model)
    if isinstance(reduced, (int, float, np.integer, np.floating)) and not isinstance(
            reduced, bool):
        return ReducedHH(model, h=check_number("reduced", reduced, 0.0, 1.0))
    raise ValueError(f"reduced must be None, 'h(n)', a fixed h in [0, 1] or a ReducedHH; "
                     f"got {reduced!r}")


def _plane(model: Any, reduced: Any, func: str) -> _Plane:
    system = _system(model, reduced, func)
    names = system.state_names
    if len(names) != 2:
        hint = (" pass reduced='h(n)', a fixed h, or a ReducedHH for the (V, n) plane"
                if isinstance(system, HodgkinHuxley) else "")
        raise ValueError(f"{func} needs a two-dimensional model; model "
                         f"{type(system).__name__} has {len(names)} state(s) {names};{hint}")
    return _Plane(system, names[0], names[1])


def _box(xlim: Any, ylim: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    return check_range("xlim", xlim), check_range("ylim", ylim)


def _current(I: Any) -> float:
    return check_number("I", I)


# ===================================================================================
# Vector field and nullclines
# ===================================================================================
def vector_field(model: PlaneModel, I: float, xlim: tuple[float, float],
                 ylim: tuple[float, float], n: int = 20, reduced: Any = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The vector field of a two-dimensional model on an n x n grid.

    Parameters
    ----------
    model : Model or ReducedHH
        A two-dimensional model, or HodgkinHuxley with ``reduced``.
    I : float
        Constant injected current (model current units).
    xlim, ylim : (float, float)
        Ranges of the first and second state (their units, e.g. mV and dimensionless).
    n : int
        Grid points per axis (>= 2).
    reduced : None, "h(n)", float or ReducedHH
        For HodgkinHuxley: the reduced (V, n) plane with h = 0.89 - 1.1 n ("h(n)"),
        with h fixed at the given value, or as given.

    Returns
    -------
    X, Y, U, V : numpy.ndarray, shape (n, n)
        Grid coordinates (``X[i, j]`` = x_j, ``Y[i, j]`` = y_i) and the time derivatives
        there (state units per ``time_unit``).
    """
    plane = _plane(model, reduced, "vector_field")
    I = _current(I)
    (x0, x1), (y0, y1) = _box(xlim, ylim)
    n = check_int("n", n, 2, 2000)
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    U, V = plane.rhs(X, Y, I)
    return X, Y, U, V


def _runs(x: np.ndarray, y: np.ndarray, inside: np.ndarray) -> list[np.ndarray]:
    """Split (x, y) into polylines over runs of ``inside`` points, each extended by one
    neighbour on either side (when finite) so that lines reach the edge of the box."""
    out = []
    idx = np.flatnonzero(inside)
    if idx.size == 0:
        return out
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate([[idx[0]], idx[breaks + 1]])
    ends = np.concatenate([idx[breaks], [idx[-1]]])
    ok = np.isfinite(y)
    for s, e in zip(starts, ends, strict=True):
        if s > 0 and ok[s - 1]:
            s -= 1
        if e < len(x) - 1 and ok[e + 1]:
            e += 1
        if e > s:
            out.append(np.column_stack([x[s:e + 1], y[s:e + 1]]))
    return out


def _graph(x: np.ndarray, y: np.ndarray, ylim: tuple[float, float],
           poles: Sequence[float] = ()) -> list[np.ndarray]:
    """Polylines of the graph y(x) inside ylim, cut at the poles (x values)."""
    inside = np.isfinite(y) & (y >= ylim[0]) & (y <= ylim[1])
    pieces = []
    edges = [-np.inf, *sorted(poles), np.inf]
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        sel = (x > a) & (x < b)
        if np.count_nonzero(sel) >= 2:
            pieces += _runs(x[sel], y[sel], inside[sel])
    return pieces


def _vertical(x: float, xlim: tuple[float, float], ylim: tuple[float, float]
              ) -> list[np.ndarray]:
    if xlim[0] <= x <= xlim[1]:
        return [np.array([[x, ylim[0]], [x, ylim[1]]])]
    return []


def _contour(Z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    import contourpy

    if not np.any(Z > 0) or not np.any(Z < 0):
        return []
    gen = contourpy.contour_generator(xs, ys, Z, line_type="Separate")
    return [np.asarray(line, dtype=float) for line in gen.lines(0.0) if len(line) >= 2]


def _analytic_nullclines(system: PlaneModel, I: float, x: np.ndarray,
                         xlim: tuple[float, float], ylim: tuple[float, float]
                         ) -> tuple[list[np.ndarray] | None, list[np.ndarray] | None]:
    """Closed-form nullclines where the model has them; None where it has not."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if isinstance(system, FitzHughNagumo):
            xn = _graph(x, x - x**3 / 3.0 + I, ylim)
            if system.b == 0.0:
                yn = _vertical(-system.a, xlim, ylim)
            else:
                yn = _graph(x, (x + system.a) / system.b, ylim)
            return xn, yn
        if isinstance(system, Izhikevich):
            p = system
            xn = _graph(x, p.k2 * x * x + p.k1 * x + p.k0 + I, ylim)
            if p.a == 0.0 or (p.u_leak == 0.0 and p.b == 0.0):
                yn = None  # u' vanishes everywhere: no curve to draw
            elif p.u_leak == 0.0:
                yn = _vertical(p.v_u, xlim, ylim)
            else:
                yn = _graph(x, p.b * (x - p.v_u) / p.u_leak, ylim)
            return xn, yn
        if isinstance(system, INaPK):
            p = system
            yn = _graph(x, boltzmann(x, p.n_half, p.n_k), ylim)
            if p.g_K == 0.0:
                return None, yn
            m = boltzmann(x, p.m_half, p.m_k)
            num = I - p.g_L * (x - p.E_L) - p.g_Na * m * (x - p.E_Na)
            xn = _graph(x, num / (p.g_K * (x - p.E_K)), ylim, poles=(p.E_K,))
            return xn, yn
        if isinstance(system, ReducedHH):
            am, bm, _ah, _bh, an, bn = hh_rates(x)
            return None, _graph(x, an / (an + bn), ylim)
    return None, None


def nullclines(model: PlaneModel, I: float, xlim: tuple[float, float],
               ylim: tuple[float, float], n: int = 400, reduced: Any = None) -> Nullclines:
    """Nullclines of a two-dimensional model in a window of its phase plane.

    Closed forms are used where the model has them: FitzHugh-Nagumo (w = v - v^3/3 + I
    and w = (v + a)/b), Izhikevich (u = k2 v^2 + k1 v + k0 + I and u = b (v - v_u)/u_leak),
    I_Na,p + I_K (n = (I - g_L (V - E_L) - g_Na m_inf(V) (V - E_Na)) / (g_K (V - E_K)),
    cut at its pole V = E_K, and n = n_inf(V)), and the n-nullcline n = n_inf(V) of the
    reduced Hodgkin-Huxley plane. Any other nullcline is the zero contour of the
    right-hand side on an n x n grid.

    Parameters
    ----------
    model : Model or ReducedHH
        A two-dimensional model, or HodgkinHuxley with ``reduced`` (see
        :func:`vector_field`).
    I : float
        Constant injected current (model current units).
    xlim, ylim : (float, float)
        Window of the plane (units of the first and second state).
    n : int
        Points along x of the closed forms, and grid points per axis of the contours
        (>= 10).
    reduced : None, "h(n)", float or ReducedHH
        See :func:`vector_field`.

    Returns
    -------
    Nullclines
        ``x_nullcline`` (where the first state's derivative vanishes) and
        ``y_nullcline``, each a list of polylines of shape (k, 2). A list is empty when
        the nullcline misses the window (or, for a degenerate parameter set, when the
        derivative vanishes everywhere).
    """
    plane = _plane(model, reduced, "nullclines")
    I = _current(I)
    xlim, ylim = _box(xlim, ylim)
    n = check_int("n", n, 10, 5000)
    xs = np.linspace(*xlim, n)
    xn, yn = _analytic_nullclines(plane.system, I, xs, xlim, ylim)
    if xn is None or yn is None:
        ys = np.linspace(*ylim, n)
        X, Y = np.meshgrid(xs, ys)
        U, V = plane.rhs(X, Y, I)
        if xn is None:
            xn = _contour(U, xs, ys)
        if yn is None:
            yn = [] if isinstance(plane.system, Izhikevich) else _contour(V, xs, ys)
    return Nullclines(plane.x_name, plane.y_name, xn, yn)


# ===================================================================================
# Fixed points and their kinds
# ===================================================================================
def _check_matrix(jacobian: Any) -> np.ndarray:
    J = np.asarray(jacobian, dtype=float) if not np.iscomplexobj(jacobian) else None
    if J is None:
        raise ValueError("jacobian must be a real matrix, got a complex array")
    if J.ndim == 0:
        J = J.reshape(1, 1)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] == 0:
        raise ValueError(f"jacobian must be a square matrix (n, n), got shape {J.shape}")
    if not np.all(np.isfinite(J)):
        raise ValueError("jacobian must contain only finite values")
    return J


def _kind_from_eigenvalues(lam: np.ndarray, rtol: float) -> str:
    scale = float(np.max(np.abs(lam))) if lam.size else 0.0
    if scale == 0.0:
        return "degenerate"
    tol = rtol * scale
    if np.any(np.abs(lam) <= tol):
        return "degenerate"  # a zero eigenvalue: det J = 0 (saddle-node point)
    re, im = lam.real, np.abs(lam.imag)
    pos, neg = re > tol, re < -tol
    on_axis = ~pos & ~neg
    if np.any(pos) and np.any(neg):
        return "saddle"
    if np.any(on_axis):
        # a nonzero purely imaginary pair; a center when every other direction attracts
        return "center" if not np.any(pos) else "degenerate"
    lead = re.max()
    leading = np.abs(re - lead) <= tol
    is_focus = bool(np.any(im[leading] > tol))
    sign = "stable" if np.all(neg) else "unstable"
    return f"{sign} {'focus' if is_focus else 'node'}"


def classify(jacobian: Any, rtol: float = 1e-9) -> str:
    """The kind of an equilibrium, from the eigenvalues of its Jacobian.

    Two dimensions (lambda_1, lambda_2 the eigenvalues): real and both negative, stable
    node; both positive, unstable node; opposite signs, saddle; a complex pair, stable
    or unstable focus by the sign of the real part, center when the real part is zero;
    a zero eigenvalue (det J = 0), degenerate. A repeated real eigenvalue
    (tr^2 = 4 det) counts as a node. In more dimensions: real parts of both signs, saddle;
    all of one sign, a focus if the leading eigenvalue (largest real part) is complex,
    else a node; a purely imaginary pair with every other eigenvalue attracting, center.
    One dimension: the sign of the single eigenvalue (a node).

    Parameters
    ----------
    jacobian : array_like, shape (n, n)
        Real Jacobian at the equilibrium (per unit time).
    rtol : float
        An eigenvalue part smaller than ``rtol`` times the largest eigenvalue modulus
        counts as zero.

    Returns
    -------
    str
        One of :data:`neurolab.analysis.results.KINDS`.
    """
    J = _check_matrix(jacobian)
    rtol = check_number("rtol", rtol, 0.0, 1.0)
    return _kind_from_eigenvalues(np.linalg.eigvals(J), rtol)


def _sorted_eigenvalues(J: np.ndarray) -> np.ndarray:
    lam = np.linalg.eigvals(J).astype(complex)
    return lam[np.lexsort((-lam.imag, -lam.real))]


def _fixed_point(system: PlaneModel, y: np.ndarray, I: float) -> FixedPoint:
    J = np.asarray(system.jacobian(y, I), dtype=float)
    lam = _sorted_eigenvalues(J)
    return FixedPoint(state=np.asarray(y, dtype=float), jacobian=J, eigenvalues=lam,
                      kind=_kind_from_eigenvalues(lam, 1e-9), I=I)


def _y_index(system: PlaneModel) -> int:
    """Which state ``ylim`` refers to: the second of a 2-D model, else the last."""
    return 1 if system.n_states <= 2 else system.n_states - 1


def fixed_points(model: PlaneModel, I: float = 0.0, xlim: tuple[float, float] | None = None,
                 ylim: tuple[float, float] | None = None, reduced: Any = None
                 ) -> list[FixedPoint]:
    """Every equilibrium in a box, with its Jacobian, eigenvalues and kind.

    Parameters
    ----------
    model : Model or ReducedHH
        Any spiking model (any number of states), or HodgkinHuxley with ``reduced``.
    I : float
        Constant injected current (model current units).
    xlim : (float, float), optional
        Range of the first state searched (default: ``model.equilibrium_window``).
    ylim : (float, float), optional
        Range kept for the second state of a two-dimensional model (the last state of a
        larger one, e.g. n of Hodgkin-Huxley); default: no limit.
    reduced : None, "h(n)", float or ReducedHH
        See :func:`vector_field`.

    Returns
    -------
    list of FixedPoint
        Sorted by the first state. Empty when there is no equilibrium in the box (the
        caller can then say so: e.g. the model fires at this current). For hybrid models
        the equilibria above the reset threshold are included when the window reaches
        them (I_Na,p's upper state), because they shape the phase line.
    """
    system = _system(model, reduced, "fixed_points")
    I = _current(I)
    window = None if xlim is None else check_range("xlim", xlim)
    yl = None if ylim is None else check_range("ylim", ylim)
    states = system.equilibria(I, window)
    iy = _y_index(system)
    out = []
    for y in states:
        if yl is not None and system.n_states > 1 and not yl[0] <= y[iy] <= yl[1]:
            continue
        out.append(_fixed_point(system, y, I))
    return out


# ===================================================================================
# Trace-determinant map
# ===================================================================================
@dataclass(frozen=True)
class TraceDeterminant:
    """Equilibria placed on the plane of trace and determinant of their 2 x 2 Jacobian.

    Attributes
    ----------
    points : numpy.ndarray, shape (k, 2)
        (trace, determinant) of each Jacobian (per unit time, and its square).
    kinds : list of str
        Kind of each point (see :func:`classify`).
    parabola : numpy.ndarray, shape (m, 2)
        The curve det = tr^2 / 4 separating nodes (below) from foci (above).
    det_zero : numpy.ndarray, shape (2, 2)
        The line det = 0; saddles lie below it.
    trace_zero : numpy.ndarray, shape (2, 2)
        The half-line tr = 0, det > 0 where centers lie, between stable (left) and
        unstable (right) foci.
    labels : dict of str to (float, float)
        A point inside each region where its kind's name can be written.
    tr_lim, det_lim : (float, float)
        Extent of the drawing.
    """

    points: np.ndarray
    kinds: list[str]
    parabola: np.ndarray
    det_zero: np.ndarray
    trace_zero: np.ndarray
    labels: dict[str, tuple[float, float]]
    tr_lim: tuple[float, float]
    det_lim: tuple[float, float]


def trace_determinant(model_or_jacobian: Any, I: float = 0.0, *,
                      tr_lim: tuple[float, float] | None = None, n: int = 201,
                      xlim: tuple[float, float] | None = None,
                      ylim: tuple[float, float] | None = None,
                      reduced: Any = None) -> TraceDeterminant:
    """The trace-determinant map of 2 x 2 Jacobians, and its region boundaries.

    For a 2 x 2 Jacobian, tr = lambda_1 + lambda_2 and det = lambda_1 lambda_2: det < 0 is
    a saddle; above it, the parabola det = tr^2 / 4 separates nodes (below) from foci
    (above), and tr < 0 is stable, tr > 0 unstable; tr = 0 with det > 0 is a center.

    Parameters
    ----------
    model_or_jacobian : Model, ReducedHH, FixedPoint, list of FixedPoint or array_like
        A two-dimensional model (its fixed points at ``I`` in the box are placed), one
        fixed point or a list of them, a 2 x 2 Jacobian, or an array (k, 2, 2).
    I : float
        Current, when a model is given (model current units).
    tr_lim : (float, float), optional
        Trace range of the drawing; default symmetric about 0, enclosing the points.
    n : int
        Points on the parabola (>= 3).
    xlim, ylim, reduced
        Passed to :func:`fixed_points` when a model is given.

    Returns
    -------
    TraceDeterminant
    """
    n = check_int("n", n, 3, 100_000)
    obj = model_or_jacobian
    if isinstance(obj, (Model, ReducedHH)):
        _plane(obj, reduced, "trace_determinant")
        jacs = [fp.jacobian for fp in fixed_points(obj, I, xlim, ylim, reduced)]
    elif isinstance(obj, FixedPoint):
        jacs = [obj.jacobian]
    elif isinstance(obj, (list, tuple)) and obj and all(isinstance(o, FixedPoint)
                                                        for o in obj):
        jacs = [o.jacobian for o in obj]
    else:
        arr = np.asarray(obj, dtype=float)
        if arr.ndim == 2:
            arr = arr[None]
        if arr.ndim != 3 or arr.shape[1:] != (2, 2):
            raise ValueError(f"model_or_jacobian must be a 2-D model, fixed point(s), a "
                             f"2 x 2 Jacobian or an array (k, 2, 2); got shape {arr.shape}")
        jacs = list(arr)
    mats = [_check_matrix(J) for J in jacs]
    for J in mats:
        if J.shape != (2, 2):
            raise ValueError(f"the trace-determinant map needs 2 x 2 Jacobians, got shape "
                             f"{J.shape}")
    pts = np.array([[np.trace(J), np.linalg.det(J)] for J in mats]).reshape(-1, 2)
    kinds = [classify(J) for J in mats]
    if tr_lim is None:
        T = float(np.max(np.abs(pts[:, 0]), initial=0.0))
        T = max(1.25 * T, 2.0 * math.sqrt(max(float(np.max(np.abs(pts[:, 1]), initial=0.0)),
                                              0.0)) * 1.25, 1e-3)
        if T == 1e-3:
            T = 1.0
        tr_lim = (-T, T)
    tr_lim = check_range("tr_lim", tr_lim)
    T = max(abs(tr_lim[0]), abs(tr_lim[1]))
    tr = np.linspace(tr_lim[0], tr_lim[1], n)
    det_hi = max(T * T / 4.0 * 1.2, float(np.max(pts[:, 1], initial=0.0)) * 1.1)
    det_lo = min(-T * T / 8.0, float(np.min(pts[:, 1], initial=0.0)) * 1.1)
    labels = {
        "stable node": (-0.8 * T, 0.08 * T * T), "unstable node": (0.8 * T, 0.08 * T * T),
        "stable focus": (-0.35 * T, 0.22 * T * T), "unstable focus": (0.35 * T, 0.22 * T * T),
        "saddle": (0.0, 0.5 * det_lo), "center": (0.0, 0.27 * T * T),
    }
    return TraceDeterminant(
        points=pts, kinds=kinds, parabola=np.column_stack([tr, tr * tr / 4.0]),
        det_zero=np.array([[tr_lim[0], 0.0], [tr_lim[1], 0.0]]),
        trace_zero=np.array([[0.0, 0.0], [0.0, det_hi]]), labels=labels,
        tr_lim=tr_lim, det_lim=(det_lo, det_hi),
    )


# ===================================================================================
# Separatrices (stable and unstable manifolds of saddles)
# ===================================================================================
def _default_ylim(system: PlaneModel, I: float, xlim: tuple[float, float]
                  ) -> tuple[float, float]:
    """The range of the second state along the y-nullcline over xlim, padded by 20 %."""
    v = np.linspace(*xlim, 401)
    if isinstance(system, (FitzHughNagumo, Izhikevich)):
        # the x-nullcline bounds the interesting region of these models better
        nc = nullclines(system, I, xlim, (-1e6, 1e6), n=401)
        ys = np.concatenate([p[:, 1] for p in nc.x_nullcline + nc.y_nullcline] or [[0.0]])
    else:
        st = system._equilibrium_state(v, I)
        ys = np.asarray(st)[1] if st is not None else np.array([0.0])
    ys = ys[np.isfinite(ys)]
    lo, hi = (float(ys.min()), float(ys.max())) if ys.size else (-1.0, 1.0)
    pad = 0.2 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def separatrix(model: PlaneModel, I: float = 0.0, saddle: Any = None, *,
               xlim: tuple[float, float] | None = None,
               ylim: tuple[float, float] | None = None, t_max: float | None = None,
               manifold: str = "stable", offset: float = 1e-4,
               reduced: Any = None) -> list[np.ndarray]:
    """The stable (or unstable) manifold of each saddle in the plane, as polylines.

    In two dimensions a saddle has exactly one attracting and one repelling direction,
    each a pair of opposite rays (the eigenvectors of the negative and of the positive
    eigenvalue); it does not have two of each. The stable manifold, made of the two
    rays' continuations, is the separatrix: starting points on either side of it go
    different ways. It is traced by integrating backward in time, dy/dt = -f(y), from the
    two points a small offset away from the saddle along the stable eigenvector, until
    the curve leaves the box or ``t_max`` is reached. The unstable manifold is traced
    forward from the unstable eigenvector in the same way.

    Parameters
    ----------
    model : Model or ReducedHH
        A two-dimensional model, or HodgkinHuxley with ``reduced``.
    I : float
        Constant injected current (model current units).
    saddle : FixedPoint or array_like, optional
        The saddle; default: every saddle in the box.
    xlim, ylim : (float, float), optional
        Box in which the curves are traced (default: the model's equilibrium window and
        the range of the y-nullcline there, padded). A curve also ends when it reaches
        another equilibrium (e.g. the unstable focus that the stable manifold of the
        I_Na,p + I_K saddle comes out of).
    t_max : float, optional
        Longest integration (time units); default 30 times the slower eigenvalue's time
        constant 1 / |lambda| of the saddle.
    manifold : {"stable", "unstable"}
        Which manifold to trace.
    offset : float
        Distance of the starting points from the saddle, as a fraction of the box.
    reduced : None, "h(n)", float or ReducedHH
        See :func:`vector_field`.

    Returns
    -------
    list of numpy.ndarray
        Two polylines (k, 2) per saddle, each starting at the saddle. Empty when there
        is no saddle in the box.

    Raises
    ------
    ValueError
        For bad arguments, or when ``saddle`` is given and is not a saddle.
    """
    from scipy.integrate import solve_ivp

    plane = _plane(model, reduced, "separatrix")
    system = plane.system
    I = _current(I)
    check_choice("manifold", manifold, ("stable", "unstable"))
    offset = check_number("offset", offset, 0.0, 0.1, lo_open=True)
    xlim = check_range("xlim", xlim) if xlim is not None else system.equilibrium_window
    ylim = check_range("ylim", ylim) if ylim is not None else _default_ylim(system, I, xlim)
    if saddle is None:
        saddles = [fp for fp in fixed_points(system, I, xlim, ylim) if fp.kind == "saddle"]
    else:
        fp = saddle if isinstance(saddle, FixedPoint) else _fixed_point(
            system, np.asarray(saddle, dtype=float).reshape(2), I)
        if fp.kind != "saddle":
            raise ValueError(f"saddle must be a saddle point, but the equilibrium at "
                             f"{fp.state.tolist()} is a {fp.kind}")
        saddles = [fp]
    if t_max is not None:
        t_max = check_positive("t_max", t_max)
    scale = np.array([xlim[1] - xlim[0], ylim[1] - ylim[0]])
    x_hi = min(xlim[1], getattr(system, "v_peak", math.inf)) if system.hybrid else xlim[1]
    sign = -1.0 if manifold == "stable" else 1.0

    def fun(_t: float, y: np.ndarray) -> np.ndarray:
        return sign * system.rhs(y, I)

    def leave(_t: float, y: np.ndarray) -> float:
        return min(y[0] - xlim[0], x_hi - y[0], y[1] - ylim[0], ylim[1] - y[1])

    leave.terminal = True  # type: ignore[attr-defined]
    ends = np.array([fp.state for fp in fixed_points(system, I, xlim, ylim)
                     if fp.kind != "saddle"]).reshape(-1, 2)

    def arrive(_t: float, y: np.ndarray) -> float:
        # reached another equilibrium (the curve ends there): scaled distance 1e-5
        if not len(ends):
            return 1.0
        return float(np.min(np.max(np.abs(ends - y) / scale, axis=1))) - 1e-5

    arrive.terminal = True  # type: ignore[attr-defined]
    out = []
    for fp in saddles:
        lam, vecs = np.linalg.eig(fp.jacobian)
        lam = lam.real
        k = int(np.argmin(lam)) if manifold == "stable" else int(np.argmax(lam))
        vec = vecs[:, k].real
        vec = vec / np.linalg.norm(vec / scale)  # unit length in box-scaled units
        T = t_max if t_max is not None else 30.0 / float(np.min(np.abs(lam)))
        for s in (1.0, -1.0):
            y0 = fp.state + s * offset * vec
            sol = solve_ivp(fun, (0.0, T), y0, method="LSODA", events=(leave, arrive),
                            rtol=1e-8, atol=1e-9 * scale, max_step=T / 400.0)
            pts = np.column_stack([fp.state, sol.y]).T
            keep = np.concatenate([[True], np.any(np.diff(pts, axis=0) != 0.0, axis=1)])
            out.append(pts[keep])
    return out


# ===================================================================================
# Trajectories
# ===================================================================================
def _full_initial(system: Model, y0: Any, axes: tuple[int, int], I: float,
                  others: Any) -> np.ndarray:
    y0 = np.asarray(y0, dtype=float).ravel()
    ns = system.n_states
    if y0.shape == (ns,):
        return y0
    if y0.shape != (2,):
        raise ValueError(f"y0 must hold the two plane coordinates or all {ns} states "
                         f"{system.state_names}, got shape {y0.shape}")
    base = _other_states(system, I, others)
    base[list(axes)] = y0
    return base


def _other_states(system: Model, I: float, others: Any) -> np.ndarray:
    if others is not None:
        arr = np.asarray(others, dtype=float)
        if arr.shape != (system.n_states,) or not np.all(np.isfinite(arr)):
            raise ValueError(f"others must be a finite state of shape ({system.n_states},) "
                             f"(the values of the states off the plane), got {others!r}")
        return arr.copy()
    return np.array(system.initial_state(I), dtype=float)


def _axes(system: Model, axes: Any) -> tuple[int, int]:
    names = system.state_names
    if axes is None:
        return (0, 1) if len(names) == 2 else (0, len(names) - 1)
    try:
        a, b = axes
    except (TypeError, ValueError):
        raise ValueError(f"axes must be a pair of state names from {names}, got "
                         f"{axes!r}") from None
    for name in (a, b):
        check_choice("axes", name, names)
    if a == b:
        raise ValueError(f"axes must name two different states, got {axes!r}")
    return names.index(a), names.index(b)


def trajectory(model: PlaneModel, I: float, y0: Any, duration: float, *,
               dt: float | None = None, method: str | None = None,
               reduced: Any = None, others: Any = None) -> Trace:
    """A trajectory from one starting point, for drawing on a phase plane.

    Parameters
    ----------
    model : Model or ReducedHH
        Any spiking model, or HodgkinHuxley with ``reduced`` (the reduced plane).
    I : float
        Constant injected current (model current units).
    y0 : array_like
        Starting state: all states, or for a model with more than two states the two
        plane coordinates (first and last state), the others taken from ``others`` or
        from the resting state.
    duration : float
        Length of the run (ms, or the model's time unit).
    dt, method
        As for :func:`neurolab.simulate.simulate`.
    reduced : None, "h(n)", float or ReducedHH
        See :func:`vector_field`; the reduced plane is integrated by scipy's RK45
        (rtol 1e-8) and sampled every ``dt``.
    others : array_like, optional
        Full state supplying the states off the plane.

    Returns
    -------
    Trace
        The run (``trace.states`` by state name; ``trace.model`` is the full model).
    """
    system = _system(model, reduced, "trajectory")
    I = _current(I)
    if isinstance(system, ReducedHH):
        return _reduced_trajectory(system, I, y0, duration, dt)
    y = _full_initial(system, y0, _axes(system, None), I, others)
    return simulate(system, duration, dt=dt, current=I, y0=y, method=method)


def _reduced_trajectory(system: ReducedHH, I: float, y0: Any, duration: float,
                        dt: float | None) -> Trace:
    from scipy.integrate import solve_ivp

    duration = check_positive("duration", duration)
    dt = check_number("dt", system.default_dt if dt is None else dt, 0.0, duration,
                      lo_open=True)
    y = np.asarray(y0, dtype=float).ravel()
    if y.shape != (2,) or not np.all(np.isfinite(y)):
        raise ValueError(f"y0 must be a finite (V, n) pair for the reduced plane, got {y0!r}")
    t = np.arange(int(round(duration / dt)) + 1) * dt
    sol = solve_ivp(lambda _t, s: system.rhs(s, I), (0.0, t[-1]), y, t_eval=t,
                    method="RK45", rtol=1e-8, atol=1e-10, max_step=1.0)
    V, n = sol.y
    thr = system.spike_threshold
    up = np.flatnonzero((V[:-1] < thr) & (V[1:] >= thr))
    spikes = t[up] + dt * (thr - V[up]) / (V[up + 1] - V[up])
    return Trace(t=t[: V.size], states={"V": V, "n": n}, current=np.full(V.size, I),
                 spike_times=spikes, model=system.model, dt=dt, method="RK45", y0=y)


# ===================================================================================
# Basins of attraction
# ===================================================================================
#: Memory for the recorded states of one batch chunk (bytes).
_CHUNK_BYTES = 32_000_000
#: Number of chunks a basin run is cut into (settled runs are dropped between chunks).
_N_CHUNKS = 20


def _settle_radius(targets: np.ndarray, others: np.ndarray, scale: np.ndarray,
                   tol: float) -> np.ndarray:
    """Scaled radius around each stable equilibrium inside which a run counts as settled:
    a quarter of the distance to the nearest other equilibrium, at most ``tol``."""
    r = np.full(len(targets), tol)
    for i, y in enumerate(targets):
        d = np.max(np.abs(others - y) / scale, axis=1) if len(others) else np.empty(0)
        d = d[d > 0]
        if d.size:
            r[i] = min(tol, 0.25 * float(d.min()))
    return r


def _run_to_end(model: Model, I: float, Y0: np.ndarray, duration: float, dt: float,
                method: str, targets: np.ndarray, radius: np.ndarray, scale: np.ndarray,
                min_spikes: int) -> tuple[np.ndarray, np.ndarray]:
    """Run every start to ``duration``; return final states and spike counts in the
    second half of the run.

    The run is cut into chunks; after each chunk, runs that have come within ``radius``
    (scaled by ``scale``) of a stable equilibrium are final and are dropped, and so are
    runs that have already fired ``min_spikes`` times in the second half. The chunks
    call the compiled batch loop directly, recording only the chunk:
    ``run_batch(record=False)`` does not return final states, and its per-run Python
    set-up costs about as much as the integration itself for 10^4 short runs.
    """
    from .. import _kernels as K
    from ..simulate import METHODS, SimulationDiverged

    B, ns = Y0.shape
    n_steps = max(1, int(round(duration / dt)))
    chunk = max(1, -(-n_steps // _N_CHUNKS))
    chunk = max(1, min(chunk, _CHUNK_BYTES // (B * ns * 8) - 1))
    threshold, rearm, hybrid, v_peak, t_ref = model._spike_settings()
    P1 = model.kernel_params
    final = Y0.copy()
    counts = np.zeros(B, dtype=np.int64)
    live = np.arange(B)
    y = np.ascontiguousarray(Y0)
    W = np.zeros((1, 1))
    done = 0
    while done < n_steps and live.size:
        m = min(chunk, n_steps - done)
        nb = live.size
        states = np.empty((nb, ns, m + 1))
        spikes = np.empty((nb, 1))
        status = np.zeros(nb, dtype=np.int64)
        cnt = np.zeros(nb, dtype=np.int64)
        where = np.zeros(nb, dtype=np.int64)
        K.integrate_batch(model._code, METHODS[method], np.tile(P1, (nb, 1)), y, dt, m,
                          np.full(nb, I), W, threshold, rearm, hybrid, v_peak, t_ref, True,
                          states, spikes, status, cnt, where)
        bad = np.flatnonzero(status == K.DIVERGED)
        if bad.size:
            raise SimulationDiverged(model, (done + where[bad[0]]) * dt, dt, method)
        if 2 * done >= n_steps:
            counts[live] += cnt
        y = np.ascontiguousarray(states[:, :, -1])
        final[live] = y
        done += m
        if len(targets):
            d = np.abs(y[:, None, :] - targets[None]) / scale
            settled = np.any(np.max(d, axis=2) <= radius[None], axis=1)
            if 2 * done < n_steps:
                settled &= cnt == 0
        else:
            settled = np.zeros(live.size, dtype=bool)
        settled |= counts[live] >= min_spikes
        live, y = live[~settled], np.ascontiguousarray(y[~settled])
    return final, counts


def basins(model: Model, I: float, xlim: tuple[float, float], ylim: tuple[float, float],
           n: int = 100, duration: float | None = None, *, dt: float | None = None,
           method: str | None = None, axes: Any = None, others: Any = None,
           tol: float = 0.05, min_spikes: int = 2
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Basins of attraction on a grid of starting points in the phase plane.

    Every grid point is run, all in one parallel batch of the compiled engine, and
    labelled by where it ends: the index of the stable equilibrium it ends near, or the
    index of "spiking" when it still fires repeatedly in the second half of the run (a
    stable limit cycle, or repeated resets of a hybrid model).

    Parameters
    ----------
    model : Model
        A model with at least two states (for Hodgkin-Huxley the plane is (V, n) by
        default and m, h start from ``others`` or their resting values).
    I : float
        Constant injected current (model current units).
    xlim, ylim : (float, float)
        Ranges of the two plane states.
    n : int
        Grid points per axis (>= 2).
    duration : float, optional
        Length of each run (ms); default 20 time constants 1/|Re lambda| of the slowest
        stable equilibrium, at least 50 and at most 2000 time units. Runs that have
        settled at a stable equilibrium are stopped early, so a long duration costs
        little unless many runs keep firing.
    dt : float, optional
        Time step; default half of ``model.max_dt`` (halved, down to
        ``model.default_dt``, if a run diverges): the labels only need the end point,
        though points within a step's error of the separatrix may be labelled
        differently from a run at the default step.
    method : str, optional
        As for :func:`neurolab.simulate.simulate`.
    axes : (str, str), optional
        Names of the plane's states; default the first and the last state.
    others : array_like, optional
        Full state supplying the states off the plane (default: resting state at I).
    tol : float
        A run counts as ending at an equilibrium when every plane coordinate is within
        ``tol`` of the box size of it (and other states within ``tol`` in absolute value).
    min_spikes : int
        Spikes in the second half of the run that make a run "spiking".

    Returns
    -------
    X, Y : numpy.ndarray, shape (n, n)
        Grid of starting points (``X[i, j]`` = x_j, ``Y[i, j]`` = y_i).
    labels : numpy.ndarray of int, shape (n, n)
        Index into ``attractors``, or -1 where the run has not settled (lengthen
        ``duration``).
    attractors : list
        The stable equilibria (FixedPoint) followed by the string "spiking".
    """
    if isinstance(model, ReducedHH) or not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model (basins run the compiled "
                         f"engine; for Hodgkin-Huxley pass the full model), got {model!r}")
    if model.n_states < 2:
        raise ValueError(f"basins need a model with at least two states; "
                         f"{type(model).__name__} has {model.n_states}")
    I = _current(I)
    xlim, ylim = _box(xlim, ylim)
    n = check_int("n", n, 2, 2000)
    tol = check_number("tol", tol, 0.0, 1.0, lo_open=True)
    min_spikes = check_int("min_spikes", min_spikes, 1)
    ia, ib = _axes(model, axes)
    all_eq = fixed_points(model, I)
    stable = [fp for fp in all_eq if fp.stable and fp.state[0] < model._equilibrium_limit()]
    if duration is None:
        rates = [float(np.min(np.abs(fp.eigenvalues.real))) for fp in stable]
        duration = min(max(20.0 / min(rates), 50.0), 2000.0) if rates else 200.0
    duration = check_positive("duration", duration)
    dt_given = dt is not None
    dt = check_number("dt", 0.5 * model.max_dt if dt is None else dt, 0.0, model.max_dt,
                      lo_open=True)
    method = check_choice("method", model.default_method if method is None else method,
                          ("rk4", "rk2", "euler"))
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    Y0 = np.tile(_other_states(model, I, others), (n * n, 1))
    Y0[:, ia] = X.ravel()
    Y0[:, ib] = Y.ravel()
    scale = np.ones(model.n_states)
    scale[ia] = xlim[1] - xlim[0]
    scale[ib] = ylim[1] - ylim[0]
    targets = np.array([fp.state for fp in stable]).reshape(-1, model.n_states)
    others_eq = np.array([fp.state for fp in all_eq]).reshape(-1, model.n_states)
    radius = _settle_radius(targets, others_eq, scale, tol)
    from ..simulate import SimulationDiverged

    while True:
        try:
            final, counts = _run_to_end(model, I, Y0, duration, dt, method, targets,
                                        radius, scale, min_spikes)
            break
        except SimulationDiverged:
            if dt_given or dt <= model.default_dt:
                raise
            dt = max(0.5 * dt, model.default_dt)  # the default step was too coarse
    labels = np.full(n * n, -1, dtype=np.int64)
    if stable:
        d = np.max(np.abs(final[:, None, :] - targets[None]) / scale, axis=2)
        near = np.argmin(d, axis=1)
        ok = d[np.arange(d.shape[0]), near] <= tol
        labels[ok] = near[ok]
    labels[counts >= min_spikes] = len(stable)
    return X, Y, labels.reshape(n, n), [*stable, "spiking"]

