"""What every spiking model shares: parameter metadata, presets, equations, equilibria.

A model is a frozen dataclass whose fields are its parameters. Each field is declared
with :func:`param`, which records the label used in the equations, the unit, the range
a slider offers, the step, a one-line meaning, and the range of values that make
physical sense. The widgets are built from this metadata and the constructor checks
every value against it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from .. import _kernels as K
from .._validation import check_number


@dataclass(frozen=True)
class ParamInfo:
    """Metadata of one model parameter.

    Attributes
    ----------
    label : str
        Symbol as written in the equations (e.g. ``"g_Na"``).
    unit : str
        Unit of the value (e.g. ``"mS/cm2"``); empty for dimensionless numbers.
    slider : tuple of float
        ``(low, high)`` range offered by a slider.
    step : float
        Slider step.
    meaning : str
        One-line description.
    valid : tuple of float
        ``(low, high)`` range the model accepts; values outside raise ``ValueError``.
    """

    label: str
    unit: str
    slider: tuple[float, float]
    step: float
    meaning: str
    valid: tuple[float, float] = (-math.inf, math.inf)
    valid_open: tuple[bool, bool] = (False, False)


def param(
    default: float,
    label: str,
    unit: str,
    slider: tuple[float, float],
    step: float,
    meaning: str,
    valid: tuple[float, float] = (-math.inf, math.inf),
    *,
    positive: bool = False,
) -> Any:
    """Declare a model parameter with its metadata (use as a dataclass field default).

    Parameters
    ----------
    default : float
        Default value.
    label, unit, slider, step, meaning, valid
        See :class:`ParamInfo`.
    positive : bool
        Shorthand for ``valid=(0, inf)`` with zero excluded.
    """
    if positive:
        info = ParamInfo(label, unit, slider, step, meaning, (0.0, math.inf), (True, False))
    else:
        info = ParamInfo(label, unit, slider, step, meaning, valid)
    return field(default=default, metadata={"info": info})


@functools.lru_cache(maxsize=512)
def _scan_equilibria(model: Model, I: float, window: tuple[float, float],
                     n: int) -> tuple[tuple[float, ...], ...]:
    """Cached equilibrium scan (models are frozen, hence hashable)."""
    return tuple(tuple(map(float, y)) for y in model._scan(I, window, n))


class Model:
    """Base class of the spiking models (mixed into frozen dataclasses).

    Subclasses set the class attributes below and implement ``_kernel_params`` and
    ``_equilibrium_state``; everything else (right-hand side, Jacobian, equilibria,
    resting state, presets, validation) is shared.
    """

    #: Names of the state variables, in the order of ``y``.
    state_names: ClassVar[tuple[str, ...]] = ()
    #: Engine code of the compiled equations (see :mod:`neurolab._kernels`).
    _code: ClassVar[int] = -1
    #: Unit of the injected current and of time.
    current_unit: ClassVar[str] = "uA/cm2"
    time_unit: ClassVar[str] = "ms"
    voltage_unit: ClassVar[str] = "mV"
    #: Whether the engine applies a reset rule (LIF, Izhikevich, I_Na,p).
    hybrid: ClassVar[bool] = False
    #: For smooth models, spikes are upward crossings of this level by the first state.
    spike_threshold: ClassVar[float] = 0.0
    #: The first state must fall this far below the threshold before another spike counts.
    spike_rearm: ClassVar[float] = 10.0
    #: Default step (ms) and method of the engine for this model.
    default_dt: ClassVar[float] = 0.025
    default_method: ClassVar[str] = "rk4"
    #: Largest step the engine accepts for this model (ms).
    max_dt: ClassVar[float] = 1.0
    #: Window of the first state searched for equilibria, and the grid density.
    equilibrium_window: ClassVar[tuple[float, float]] = (-120.0, 60.0)
    #: Named parameter sets: name -> dict of field values.
    presets: ClassVar[dict[str, dict[str, float]]] = {}
    #: Slider range of the injected current for widgets and property tests.
    current_range: ClassVar[tuple[float, float]] = (-20.0, 20.0)

    # ---------------------------------------------------------------- construction
    def __post_init__(self) -> None:
        for f in fields(self):
            info: ParamInfo | None = f.metadata.get("info")
            value = getattr(self, f.name)
            if info is None:
                continue
            lo, hi = info.valid
            check_number(
                f"{type(self).__name__}.{f.name}", value, lo, hi,
                lo_open=info.valid_open[0], hi_open=info.valid_open[1],
            )
            object.__setattr__(self, f.name, float(value))
        self._check()

    def _check(self) -> None:
        """Cross-parameter checks of a subclass (raise ValueError)."""

    @classmethod
    def parameter_info(cls) -> dict[str, ParamInfo]:
        """Metadata of every parameter, in declaration order.

        Returns
        -------
        dict of str to ParamInfo
        """
        return {f.name: f.metadata["info"] for f in fields(cls) if "info" in f.metadata}

    @classmethod
    def preset(cls, name: str, **changes: float) -> Model:
        """Build the model with a named parameter set, optionally changed further.

        Raises
        ------
        ValueError
            If ``name`` is not a preset of this model; the message lists the valid names.
        """
        if name not in cls.presets:
            valid = ", ".join(repr(k) for k in cls.presets)
            raise ValueError(f"preset must be one of {valid}; got {name!r}")
        values = dict(cls.presets[name])
        values.update(changes)
        return cls(**values)

    def replace(self, **changes: float) -> Model:
        """Return a copy with some parameters changed (validated like the constructor)."""
        names = {f.name for f in fields(self)}
        for key in changes:
            if key not in names:
                valid = ", ".join(sorted(names))
                raise ValueError(f"{key!r} is not a parameter of {type(self).__name__}; "
                                 f"valid names: {valid}")
        return dataclasses.replace(self, **changes)

    def params(self) -> dict[str, float]:
        """Parameter values as a dict, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def n_states(self) -> int:
        """Number of state variables."""
        return len(self.state_names)

    # ---------------------------------------------------------------- equations
    def _kernel_params(self) -> np.ndarray:
        raise NotImplementedError

    @property
    def kernel_params(self) -> np.ndarray:
        """Parameters packed in the order the compiled equations expect."""
        return np.ascontiguousarray(self._kernel_params(), dtype=float)

    def _prepare(self, y: Any, I: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
        y = np.asarray(y, dtype=float)
        if y.ndim == 0 or y.shape[0] != self.n_states:
            raise ValueError(
                f"y must have shape ({self.n_states}, ...) for states {self.state_names}, "
                f"got shape {y.shape}"
            )
        I = np.asarray(I, dtype=float)
        shape = np.broadcast_shapes(y.shape[1:], I.shape)
        Y = np.ascontiguousarray(np.broadcast_to(y, (self.n_states, *shape))).reshape(
            self.n_states, -1
        )
        Ib = np.ascontiguousarray(np.broadcast_to(I, shape)).reshape(-1)
        return Y, Ib, shape

    def rhs(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """Time derivatives of the state.

        Parameters
        ----------
        y : array_like, shape (n_states, ...)
            State(s) in ``state_names`` order; trailing axes form a batch.
        I : float or array_like
            Injected current (model's ``current_unit``), broadcast against the batch.

        Returns
        -------
        numpy.ndarray, shape (n_states, ...)
            dy/dt in state units per ``time_unit``.
        """
        Y, Ib, shape = self._prepare(y, I)
        out = np.empty_like(Y)
        K.rhs_many(self._code, self.kernel_params, Y, Ib, out)
        return out.reshape(self.n_states, *shape)

    def jacobian(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """Analytic Jacobian d(dy/dt)/dy.

        Parameters
        ----------
        y : array_like, shape (n_states, ...)
            State(s); trailing axes form a batch.
        I : float or array_like
            Injected current.

        Returns
        -------
        numpy.ndarray, shape (n_states, n_states, ...)
            Entry ``[i, j]`` is d f_i / d y_j, per ``time_unit``.
        """
        Y, Ib, shape = self._prepare(y, I)
        out = np.zeros((self.n_states, self.n_states, Y.shape[1]))
        K.jac_many(self._code, self.kernel_params, Y, Ib, out)
        return out.reshape(self.n_states, self.n_states, *shape)

    # ---------------------------------------------------------------- equilibria
    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray | None:
        """State on the curve where every equation but the first is zero, given the first
        state ``v`` (array). Return ``None`` where no such curve exists."""
        raise NotImplementedError

    def _equilibrium_limit(self) -> float:
        """Upper bound of the first state for a resting state (hybrid models reset above it)."""
        return math.inf

    def equilibria(self, I: float = 0.0, window: tuple[float, float] | None = None,
                   n: int = 4001) -> list[np.ndarray]:
        """Every equilibrium whose first state lies in ``window``.

        The other states are slaved to the first on the curve where their own equations
        vanish, so the equilibria are the roots of one scalar function, bracketed on a
        fine grid and refined with Brent's method.

        Parameters
        ----------
        I : float
            Injected current (``current_unit``).
        window : (float, float), optional
            Range of the first state to search; default ``equilibrium_window``.
        n : int
            Number of grid points of the bracketing scan.

        Returns
        -------
        list of numpy.ndarray
            States in ``state_names`` order, sorted by the first state.
        """
        I = check_number("I", I)
        if window is not None:
            window = tuple(window)
        else:
            window = self.equilibrium_window
            bounds = self._reversal_bounds(I)
            if bounds is not None:
                wide = (min(window[0], bounds[0]), max(window[1], bounds[1]))
                # Keep the grid as fine as on the class window.
                n = int(math.ceil(n * (wide[1] - wide[0]) / (window[1] - window[0])))
                window = wide
        return [np.array(y) for y in _scan_equilibria(self, I, window, int(n))]

    def _reversal_bounds(self, I: float) -> tuple[float, float] | None:
        """For conductance-based models: an interval of the first state that holds every
        equilibrium at current ``I`` (the default window is widened to it), or None."""
        return None

    def _conductance_bounds(self, I: float, reversals: list[float],
                            g_leak: float) -> tuple[float, float]:
        """Bounds for C V' = I - sum g_i(...) (V - E_i) with a leak g_leak: every
        conductance term pulls V toward its reversal potential, so above
        max(E) + max(I, 0) / g_leak the net current is outward and below
        min(E) + min(I, 0) / g_leak inward, and the equilibria lie in between. Without
        a leak the reversal range is widened by 50 mV (only a heuristic then). Either way
        the interval is clipped to [-250, 250] mV, beyond any physiological state."""
        lo, hi = min(reversals) - 1.0, max(reversals) + 1.0
        if g_leak > 0.0:
            lo, hi = lo + min(I, 0.0) / g_leak, hi + max(I, 0.0) / g_leak
        else:
            lo, hi = lo - 50.0, hi + 50.0
        return max(lo, -250.0), min(hi, 250.0)

    def _scan(self, I: float, window: tuple[float, float], n: int) -> list[np.ndarray]:
        lo, hi = window
        v = np.linspace(lo, hi, n)

        def g(vv: np.ndarray) -> np.ndarray:
            ys = self._equilibrium_state(np.atleast_1d(vv), I)
            if ys is None:
                return np.full(np.shape(np.atleast_1d(vv)), np.nan)
            return self.rhs(ys, I)[0]

        gv = g(v)
        finite = np.isfinite(gv[:-1]) & np.isfinite(gv[1:])
        # Isolated exact zeros only: a function that vanishes on a whole stretch (e.g. no
        # conductance and no current) has a continuum, not a list, of equilibria.
        zero = gv == 0.0
        flat = np.zeros_like(zero)
        flat[1:] |= zero[:-1]
        flat[:-1] |= zero[1:]
        exact = np.flatnonzero(zero & ~flat)
        nonzero = gv != 0.0
        change = np.flatnonzero(finite & nonzero[:-1] & nonzero[1:]
                                & (np.signbit(gv[:-1]) != np.signbit(gv[1:])))
        roots: list[float] = [float(v[i]) for i in exact]
        if change.size:
            # Bisect every bracket at once: one vectorized evaluation per halving, and no
            # scipy import on the way to a simulation's first resting state (cold start).
            a, b = v[change].copy(), v[change + 1].copy()
            ga = gv[change].copy()
            while np.max(b - a) > 1e-12 * max(1.0, float(np.max(np.abs(b)))):
                m = 0.5 * (a + b)
                gm = g(m)
                left = np.signbit(gm) != np.signbit(ga)
                b = np.where(left, m, b)
                a = np.where(left, a, m)
                ga = np.where(left, ga, gm)
            roots.extend(float(x) for x in 0.5 * (a + b))
        roots.sort()
        out = []
        for r in roots:
            ys = self._equilibrium_state(np.array([r]), I)
            out.append(np.asarray(ys, dtype=float)[:, 0])
        return out

    def is_stable(self, y: np.ndarray, I: float = 0.0) -> bool:
        """Whether the equilibrium ``y`` is linearly stable (all eigenvalues Re < 0)."""
        J = self.jacobian(np.asarray(y, dtype=float), I)
        return bool(np.all(np.linalg.eigvals(J).real < 0.0))

    def rest(self, I: float = 0.0) -> np.ndarray:
        """The stable resting state at a constant current.

        Returns the stable equilibrium with the lowest first state.

        Parameters
        ----------
        I : float
            Injected current (``current_unit``).

        Returns
        -------
        numpy.ndarray
            State in ``state_names`` order.

        Raises
        ------
        ValueError
            If there is no stable equilibrium at this current (the model fires or
            oscillates instead); the message names the current.
        """
        for y in self.equilibria(I):
            if y[0] < self._equilibrium_limit() and self.is_stable(y, I):
                return y
        raise ValueError(
            f"{type(self).__name__} has no stable resting state at I={I:g} "
            f"{self.current_unit}: it fires or oscillates at this current"
        )

    def initial_state(self, I: float = 0.0) -> np.ndarray:
        """State a simulation starts from by default: the rest state at ``I``, or at 0."""
        try:
            return self.rest(I)
        except ValueError:
            try:
                return self.rest(0.0)
            except ValueError:
                return self._fallback_state()

    def _fallback_state(self) -> np.ndarray:
        eq = self.equilibria(0.0)
        if eq:
            return eq[0]
        raise ValueError(f"{type(self).__name__} has no equilibrium to start from; pass y0")

    # ---------------------------------------------------------------- engine settings
    def _spike_settings(self) -> tuple[float, float, bool, float, float]:
        """(threshold, rearm, hybrid, v_peak, t_ref) for the time loop."""
        return self.spike_threshold, self.spike_rearm, False, math.inf, 0.0

    def describe(self) -> Mapping[str, Any]:
        """Human-readable summary: class, parameters with units."""
        info = self.parameter_info()
        return {k: f"{v:g} {info[k].unit}".strip() for k, v in self.params().items()}
