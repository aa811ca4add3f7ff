"""Phase-plane analysis: vector fields, nullclines, fixed points and their kinds,
separatrices and basins of attraction.

A phase plane needs two state variables. Two-dimensional models are used as they are; a
model with more states is drawn in one of its reductions (``reduced=``), a
two-dimensional model made by replacing the other states with expressions, e.g. the
(V, n) plane of Hodgkin-Huxley with m = m_inf(V) and h = 0.89 - 1.1 n (see
:meth:`neurolab.models.base.Model.reduce`).

Nullclines come in closed form where an equation is linear in one of the two states
(solved symbolically when the model's code was generated), and as zero contours
otherwise. Fixed points are found by :meth:`neurolab.models.base.Model.equilibria` and
classified from the eigenvalues of the exact Jacobian. Basins of attraction are
computed with one parallel batch of the compiled engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_choice, check_int, check_number, check_positive, check_range
from ..models.base import Model
from ..simulate import Trace, simulate
from .results import FixedPoint, Nullclines

__all__ = ["TraceDeterminant", "vector_field", "nullclines", "fixed_points",
           "classify", "trace_determinant", "separatrix", "trajectory", "basins",
           "default_window"]

PlaneModel = Model


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
    """The system to analyse: the model, or the reduction ``reduced`` of it."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model, got {model!r}")
    if reduced is None:
        return model
    if isinstance(reduced, Model):
        return reduced
    return model.reduce(reduced)


def _plane(model: Any, reduced: Any, func: str) -> _Plane:
    system = _system(model, reduced, func)
    names = system.state_names
    if len(names) != 2:
        hint = ""
        if system.reductions:
            options = ", ".join(repr(k) for k in system.reductions)
            hint = f" pass reduced= one of {options}, or a dict state -> expression"
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
    model : Model
        A two-dimensional model, or a larger one with ``reduced``.
    I : float
        Constant injected current (model current units).
    xlim, ylim : (float, float)
        Ranges of the first and second state (their units, e.g. mV and dimensionless).
    n : int
        Grid points per axis (>= 2).
    reduced : None, str, dict or Model
        For a model with more than two states: the name of one of its reductions
        (e.g. ``"h(n)"`` for Hodgkin-Huxley: m = m_inf(V), h = 0.89 - 1.1 n), a dict
        state -> expression or number (e.g. ``{"m": "m_inf", "h": 0.6}``), or an
        already reduced model (see :meth:`neurolab.models.base.Model.reduce`).

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


def _crossings(s: np.ndarray, f: np.ndarray) -> list[float]:
    """Where f changes sign (or is exactly 0) along the grid s, by linear interpolation."""
    out = [float(x) for x in s[f == 0.0]]
    i = np.flatnonzero((f[:-1] * f[1:]) < 0.0)
    out += [float(s[k] - f[k] * (s[k + 1] - s[k]) / (f[k + 1] - f[k])) for k in i]
    return sorted(out)


def _analytic_nullclines(system: PlaneModel, I: float, xs: np.ndarray, ys: np.ndarray,
                         xlim: tuple[float, float], ylim: tuple[float, float]
                         ) -> list[list[np.ndarray] | None]:
    """Each nullcline in closed form where its equation is linear in one state (num +
    den * s = 0, solved when the model's code was generated); None where it is not.

    Where den vanishes on the whole grid the equation does not depend on that state, and
    its nullcline is the set of lines at the roots of num (none if num vanishes too: the
    derivative is zero everywhere and there is no curve to draw). The graph is cut at
    the poles, where den changes sign."""
    engine = system._engine
    axes = engine.NULLCLINE_AXES
    if axes is None:
        return [None, None]
    grids = [ys if axis == 0 else xs for axis in (a if a is not None else 1 for a in axes)]
    forms = engine.nullcline_forms(system.kernel_params, grids, float(I))
    out: list[list[np.ndarray] | None] = []
    for axis, form, s in zip(axes, forms, grids, strict=True):
        if form is None:
            out.append(None)
            continue
        num, den = (np.asarray(f, dtype=float) for f in form)
        if not (np.all(np.isfinite(num)) and np.all(np.isfinite(den))):
            out.append(None)
            continue
        lim_s, lim_v = (xlim, ylim) if axis == 1 else (ylim, xlim)
        if np.all(den == 0.0):
            if np.all(num == 0.0):
                out.append([])
                continue
            lines = [_vertical(r, lim_s, lim_v) for r in _crossings(s, num)]
            pieces = [seg for group in lines for seg in group]
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(den != 0.0, -num / den, np.nan)
            pieces = _graph(s, v, lim_v, poles=_crossings(s, den))
        if axis == 0:  # a graph over the second state: swap to (x, y)
            pieces = [seg[:, ::-1] for seg in pieces]
        out.append(pieces)
    return out


def nullclines(model: PlaneModel, I: float, xlim: tuple[float, float],
               ylim: tuple[float, float], n: int = 400, reduced: Any = None) -> Nullclines:
    """Nullclines of a two-dimensional model in a window of its phase plane.

    A nullcline whose equation is linear in one of the two states is drawn in closed
    form, as the graph s = -num / den solved symbolically from the equations (e.g.
    w = v - v^3/3 + I and w = (v + a)/b for FitzHugh-Nagumo; n = n_inf(V) for a gating
    variable; the V-nullcline of I_Na,p + I_K, cut at its pole V = E_K). Where the
    equation does not depend on that state for the given parameters, the nullcline is
    the straight lines at the roots of num (e.g. v = -a when b = 0), and nothing when
    the derivative vanishes everywhere. Any other nullcline is the zero contour of the
    right-hand side on an n x n grid.

    Parameters
    ----------
    model : Model
        A two-dimensional model, or a larger one with ``reduced`` (see
        :func:`vector_field`).
    I : float
        Constant injected current (model current units).
    xlim, ylim : (float, float)
        Window of the plane (units of the first and second state).
    n : int
        Points along x of the closed forms, and grid points per axis of the contours
        (>= 10).
    reduced : None, str, dict or Model
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
    ys = np.linspace(*ylim, n)
    xn, yn = _analytic_nullclines(plane.system, I, xs, ys, xlim, ylim)
    if xn is None or yn is None:
        X, Y = np.meshgrid(xs, ys)
        U, V = plane.rhs(X, Y, I)
        if xn is None:
            xn = _contour(U, xs, ys)
        if yn is None:
            yn = _contour(V, xs, ys)
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
    model : Model
        Any spiking model (any number of states), or its reduction ``reduced``.
    I : float
        Constant injected current (model current units).
    xlim : (float, float), optional
        Range of the first state searched (default: ``model.equilibrium_window``).
    ylim : (float, float), optional
        Range kept for the second state of a two-dimensional model (the last state of a
        larger one, e.g. n of Hodgkin-Huxley); default: no limit.
    reduced : None, str, dict or Model
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
    model_or_jacobian : Model, FixedPoint, list of FixedPoint or array_like
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
    if isinstance(obj, Model):
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
    st = system._equilibrium_state(v, I)
    ys = np.asarray(st)[1] if st is not None else np.array([0.0])
    # An x-nullcline that is a graph without poles over the window (a cubic, a parabola)
    # bounds the interesting region too.
    wide = (-1e6, 1e6)
    xn = _analytic_nullclines(system, I, v, np.linspace(*wide, 401), xlim, wide)[0]
    if xn is not None and len(xn) == 1 and len(xn[0]) >= len(v) - 2:
        ys = np.concatenate([ys, xn[0][:, 1]])
    ys = ys[np.isfinite(ys)]
    lo, hi = (float(ys.min()), float(ys.max())) if ys.size else (-1.0, 1.0)
    pad = 0.2 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def default_window(model: PlaneModel, I: float = 0.0, reduced: Any = None
                   ) -> tuple[tuple[float, float], tuple[float, float]]:
    """A window of the phase plane that shows the interesting region: the model's
    ``plane_window`` if it declares one, else its equilibrium window in the first state
    and, in the second, the range of the curve on which the second state's equation
    vanishes there (and of the first state's nullcline, where that is a graph without
    poles), padded by 20 %.

    Parameters
    ----------
    model : Model
        A two-dimensional model, or a larger one with ``reduced``.
    I : float
        Current at which the curves are taken (model current units).
    reduced : None, str, dict or Model
        See :func:`vector_field`.

    Returns
    -------
    ((float, float), (float, float))
        ``(xlim, ylim)`` in the units of the two states.
    """
    plane = _plane(model, reduced, "default_window")
    declared = getattr(plane.system, "plane_window", None) or getattr(model, "plane_window",
                                                                      None)
    if declared:
        return (tuple(map(float, declared[0])), tuple(map(float, declared[1])))
    xlim = tuple(map(float, plane.system.equilibrium_window))
    return xlim, _default_ylim(plane.system, _current(I), xlim)


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
    model : Model
        A two-dimensional model, or a larger one with ``reduced``.
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
    reduced : None, str, dict or Model
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
    x_hi = min(xlim[1], system._equilibrium_limit())
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
    model : Model
        Any spiking model, or its reduction ``reduced``.
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
    reduced : None, str, dict or Model
        See :func:`vector_field`; the reduced model is simulated.
    others : array_like, optional
        Full state supplying the states off the plane.

    Returns
    -------
    Trace
        The run (``trace.states`` by state name; ``trace.model`` is the full model).
    """
    system = _system(model, reduced, "trajectory")
    I = _current(I)
    y = _full_initial(system, y0, _axes(system, None), I, others)
    return simulate(system, duration, dt=dt, current=I, y0=y, method=method)


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
    from ..simulate import METHODS, SimulationDiverged

    B, ns = Y0.shape
    n_steps = max(1, int(round(duration / dt)))
    chunk = max(1, -(-n_steps // _N_CHUNKS))
    chunk = max(1, min(chunk, _CHUNK_BYTES // (B * ns * 8) - 1))
    threshold, rearm, _hybrid, v_peak, t_ref = model._spike_settings()
    engine = model._engine
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
        engine.integrate_batch(METHODS[method], np.tile(P1, (nb, 1)), y, dt, m,
                               np.full(nb, I), W, threshold, rearm, v_peak, t_ref, True,
                               states, spikes, status, cnt, where)
        bad = np.flatnonzero(status == engine.DIVERGED)
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
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model, got {model!r}")
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

