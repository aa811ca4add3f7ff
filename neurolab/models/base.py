"""What every spiking model shares: parameter metadata, presets, equations, equilibria.

A model class is made by :func:`neurolab.models.define_model` from the text of its
equations: a frozen dataclass whose fields are its parameters, on this base class. Each
parameter carries the metadata :func:`param` records (label, unit, slider range and
step, meaning, valid range); the widgets are built from it and the constructor checks
every value against it. The right-hand side, its exact Jacobian, the reset of a hybrid
model and the time loop are compiled code generated for the model
(:mod:`neurolab.models._codegen`), loaded when first used.

A model's own module may subclass the generated class to add closed forms (a resting
state, a bifurcation current) or a property such as a temperature-dependent step;
nothing outside that module names the model.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._validation import check_number

if TYPE_CHECKING:  # pragma: no cover
    from .define import Definition

__all__ = ["Model", "ParamInfo", "param", "Preset", "Reduction", "nice_steps"]


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
    valid_open : tuple of bool
        Whether each end of ``valid`` is excluded.
    """

    label: str
    unit: str
    slider: tuple[float, float]
    step: float
    meaning: str
    valid: tuple[float, float] = (-math.inf, math.inf)
    valid_open: tuple[bool, bool] = (False, False)

    def grid_step(self, values: Any = ()) -> float:
        """The largest step, at most :attr:`step`, of the form 1, 2 or 5 times a power
        of ten, on whose grid ``slider[0] + k * step`` every value lies (a slider
        set to a default or preset value then runs exactly that value).

        Parameters
        ----------
        values : iterable of float
            Values the slider must be able to show exactly.
        """
        lo = float(self.slider[0])
        for step in nice_steps(self.step, down_to=self.step * 1e-9):
            if all(_on_grid(v, lo, step) for v in values):
                return step
        return self.step  # pragma: no cover - a 1e-12 step always fits a decimal value


def nice_steps(start: float, down_to: float = 1e-9) -> list[float]:
    """Steps 1, 2 and 5 times a power of ten, from ``start`` (kept first, even if it is
    not such a number) down to ``down_to``."""
    out = [float(start)]
    e = math.floor(math.log10(start)) + 1
    while True:
        for m in (5.0, 2.0, 1.0):
            s = float(f"{m}e{e}")
            if s < out[-1] * (1 - 1e-12):
                out.append(s)
        e -= 1
        if out[-1] <= down_to:
            return out


def _on_grid(value: float, lo: float, step: float) -> bool:
    k = (float(value) - lo) / step
    return abs(k - round(k)) <= 1e-6


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
    """Declare a model parameter with its metadata.

    Use it as a value of ``define_model(parameters=...)`` (or as a dataclass field).

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


@dataclass(frozen=True)
class Preset:
    """A named parameter set, optionally with the protocol that shows it off.

    Attributes
    ----------
    values : mapping of str to float
        Parameter values that differ from (or restate) the defaults.
    label : str
        Text of the preset menu entry (default: the preset's name).
    stimulus : object, optional
        A :mod:`neurolab.stimulus` current to run instead of the controls' stimulus
        (e.g. a published protocol); the explorer adds its current slider on top.
    duration : float, optional
        Length of the run that shows the preset (ms).
    y0 : tuple of float, optional
        Initial state of that run.
    method, dt : str, float, optional
        Integration method and step of that run.
    note : str
        Where the protocol comes from (shown under the stimulus menu).
    """

    values: Mapping[str, float]
    label: str = ""
    stimulus: Any = None
    duration: float | None = None
    y0: tuple[float, ...] | None = None
    method: str | None = None
    dt: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Reduction:
    """A lower-dimensional version of a model: some states replaced by expressions.

    Attributes
    ----------
    eliminate : mapping of str to str
        State -> expression that replaces it (in the language of the equations; may use
        helpers, parameters, the remaining states and I), e.g. ``{"m": "m_inf"}``.
    title : str
        Short description shown over its phase plane (e.g. ``"m = m∞(V), h = 0.89 −
        1.1 n"``).
    """

    eliminate: Mapping[str, str]
    title: str = ""


@functools.lru_cache(maxsize=512)
def _scan_equilibria(model: Model, I: float, window: tuple[float, float],
                     n: int) -> tuple[tuple[float, ...], ...]:
    """Cached equilibrium scan (models are frozen, hence hashable)."""
    return tuple(tuple(map(float, y)) for y in model._scan(I, window, n))


class Model:
    """Base class of the spiking models (made by :func:`~neurolab.models.define_model`).

    The class attributes below describe the model; ``define_model`` sets them from its
    arguments. Everything else (right-hand side, Jacobian, equilibria, resting state,
    presets, validation) is shared.
    """

    #: Names of the state variables, in the order of ``y``.
    state_names: ClassVar[tuple[str, ...]] = ()
    #: Unit of each state ("" for dimensionless).
    state_units: ClassVar[dict[str, str]] = {}
    #: Unit of the injected current, of time and of the first state.
    current_unit: ClassVar[str] = "uA/cm2"
    time_unit: ClassVar[str] = "ms"
    voltage_unit: ClassVar[str] = "mV"
    #: Whether the engine applies a reset rule (``threshold`` and ``reset`` given).
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
    #: Window of the first state searched for equilibria.
    equilibrium_window: ClassVar[tuple[float, float]] = (-120.0, 60.0)
    #: Named parameter sets: name -> dict of field values.
    presets: ClassVar[dict[str, dict[str, float]]] = {}
    #: The same presets with their menu labels and protocols (:class:`Preset`).
    preset_details: ClassVar[dict[str, Preset]] = {}
    #: Slider range of the injected current for widgets and property tests.
    current_range: ClassVar[tuple[float, float]] = (-20.0, 20.0)
    #: Name shown in menus, one paragraph about the model and its source (HTML allowed).
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Position in the playground's menu (smaller first).
    order: ClassVar[float] = 1000.0
    #: Named reductions (:class:`Reduction`) and the one the phase plane shows (or None).
    reductions: ClassVar[dict[str, Reduction]] = {}
    plane: ClassVar[str | None] = None
    #: Starting window of the phase plane: ((x_lo, x_hi), (y_lo, y_hi)), or None.
    plane_window: ClassVar[tuple[tuple[float, float], tuple[float, float]] | None] = None
    #: A current at which the model fires and a run long enough to show it (widgets).
    start_current: ClassVar[float] = 0.0
    start_duration: ClassVar[float] = 200.0
    #: One line on the voltage convention the plots use ("" for the generic note).
    convention: ClassVar[str] = ""
    #: The definition this class was made from (see :mod:`neurolab.models.define`).
    _definition: ClassVar[Definition | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_definition" not in cls.__dict__ and cls._definition is not None:
            # A model module's subclass of its generated class (closed forms added):
            # it takes the generated class's place in the registry.
            from .registry import register

            register(cls, replace=True)

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

    @classmethod
    def preset_info(cls, name: str) -> Preset:
        """The :class:`Preset` behind a preset name (label, protocol, source).

        Raises
        ------
        ValueError
            If ``name`` is not a preset of this model.
        """
        if name not in cls.presets:
            valid = ", ".join(repr(k) for k in cls.presets)
            raise ValueError(f"preset must be one of {valid}; got {name!r}")
        return cls.preset_details.get(name) or Preset(cls.presets[name], name)

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

    # ---------------------------------------------------------------- compiled code
    @property
    def _engine(self) -> Any:
        """The model's generated engine module (loaded on first use)."""
        return type(self)._definition.engine

    @property
    def kernel_params(self) -> np.ndarray:
        """The vector the compiled code reads: the parameters in declaration order,
        then constants derived from them (computed once per model)."""
        q = self.__dict__.get("_q")
        if q is None:
            p = np.array([getattr(self, f.name) for f in fields(self)], dtype=float)
            try:
                with np.errstate(all="ignore"):
                    q = np.ascontiguousarray(self._engine.derived(p), dtype=float)
            except (ZeroDivisionError, OverflowError, ValueError) as exc:
                raise ValueError(
                    f"{type(self).__name__}: these parameter values make a constant of "
                    f"the equations undefined ({exc}); change the parameters "
                    f"{self.params()}") from None
            object.__setattr__(self, "_q", q)
        return q

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
        self._engine.rhs_many(self.kernel_params, Y, Ib, out)
        return out.reshape(self.n_states, *shape)

    def jacobian(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """Exact Jacobian d(dy/dt)/dy, differentiated symbolically from the equations.

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
        self._engine.jac_many(self.kernel_params, Y, Ib, out)
        return out.reshape(self.n_states, self.n_states, *shape)

    def current_derivative(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """d(dy/dt)/dI, the exact derivative of the right-hand side with respect to the
        injected current (per current unit and time unit), shape (n_states, ...)."""
        Y, Ib, shape = self._prepare(y, I)
        out = self._engine.dfdI(self.kernel_params, Y, Ib)
        return np.asarray(out, dtype=float).reshape(self.n_states, *shape)

    def expressions(self, y: Any, I: Any = 0.0) -> dict[str, np.ndarray]:
        """Every helper of the equations (e.g. a gate's steady state, a current) at
        the given state(s).

        Parameters
        ----------
        y : array_like, shape (n_states, ...)
            State(s) in ``state_names`` order.
        I : float or array_like
            Injected current.

        Returns
        -------
        dict of str to numpy.ndarray
            Helper name -> values, shaped like the batch of ``y``.
        """
        Y, Ib, shape = self._prepare(y, I)
        out = self._engine.helpers(self.kernel_params, Y, Ib)
        return {k: np.asarray(v, dtype=float).reshape(shape) for k, v in out.items()}

    def full_state(self, y: Any, I: Any = 0.0) -> np.ndarray:
        """For a reduced model (:meth:`reduce`): the full model's state that state(s)
        ``y`` stand for (the eliminated states from their expressions); for any other
        model, ``y`` itself. Shape (n_full_states, ...)."""
        Y, Ib, shape = self._prepare(y, I)
        out = np.asarray(self._engine.full_state(self.kernel_params, Y, Ib), dtype=float)
        return out.reshape(out.shape[0], *shape)

    def after_reset(self, y: Any) -> np.ndarray:
        """The state a hybrid model's reset rule makes of state(s) ``y`` (unchanged for
        a smooth model)."""
        Y, _, shape = self._prepare(y, 0.0)
        out = self._engine.reset_np(self.kernel_params, Y)
        return np.asarray(out, dtype=float).reshape(self.n_states, *shape)

    def reduce(self, reduction: str | Mapping[str, Any] | Reduction) -> Model:
        """A lower-dimensional model with some states replaced by expressions.

        Parameters
        ----------
        reduction : str, mapping or Reduction
            The name of one of :attr:`reductions`, or ``{state: expression or
            number}`` (e.g. ``{"m": "m_inf", "h": 0.6}``).

        Returns
        -------
        Model
            An instance of the reduced model with this model's parameter values; its
            phase plane, equilibria and simulations are those of the reduction.

        Raises
        ------
        ValueError
            For an unknown reduction name, a state that is not the model's, or an
            expression that does not parse.
        """
        from .define import reduced_class

        cls = reduced_class(type(self), reduction)
        model = cls(**self.params())
        object.__setattr__(model, "_full", self)
        return model

    # ---------------------------------------------------------------- equilibria
    def _equilibrium_state(self, v: np.ndarray, I: float) -> np.ndarray | None:
        """State on the curve where every equation but the first is zero, given the first
        state ``v`` (array); ``None`` where the equations give no closed form."""
        with np.errstate(all="ignore"):
            out = self._engine.slaved(self.kernel_params, np.asarray(v, dtype=float), I)
        return None if out is None else np.asarray(out, dtype=float)

    def _equilibrium_limit(self) -> float:
        """Upper bound of the first state for a resting state (hybrid models reset above
        their threshold)."""
        if self.hybrid:
            spike = self._definition.spike_index
            if spike == 0:
                return float(self._spike_settings()[3])
        return math.inf

    def equilibria(self, I: float = 0.0, window: tuple[float, float] | None = None,
                   n: int = 4001) -> list[np.ndarray]:
        """Every equilibrium whose first state lies in ``window``.

        Where the equations give the other states in closed form as functions of the
        first (each equation linear in its own state, as for gating variables), the
        equilibria are the roots of one scalar function, bracketed on a fine grid and
        refined by bisection. Otherwise they are found by Newton's method from starts
        along the window (:meth:`_newton_equilibria`).

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
        if self.n_states > 1 and self._equilibrium_state(v[:2], I) is None:
            return self._newton_equilibria(I, window)

        def g(vv: np.ndarray) -> np.ndarray:
            ys = self._equilibrium_state(np.atleast_1d(vv), I)
            if ys is None:
                return np.full(np.shape(np.atleast_1d(vv)), np.nan)
            with np.errstate(all="ignore"):
                bad = ~np.all(np.isfinite(ys), axis=0)
                ys = np.where(bad, 0.0, ys)
                out = self.rhs(ys, I)[0]
            out[bad] = np.nan
            return out

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
            # A sign change across a pole of the slaved states is not a root.
            mid = 0.5 * (a + b)
            ok = np.abs(g(mid)) <= 1e-6 * (1.0 + np.abs(gv[change]) + np.abs(gv[change + 1]))
            roots.extend(float(x) for x in mid[ok])
        roots.sort()
        out = []
        for r in roots:
            ys = self._equilibrium_state(np.array([r]), I)
            out.append(np.asarray(ys, dtype=float)[:, 0])
        return out

    def _newton_equilibria(self, I: float, window: tuple[float, float],
                           starts: int = 64) -> list[np.ndarray]:
        """Equilibria by Newton's method on the full system, for equations whose
        slaved states have no closed form. Starts: the first state on a grid over
        ``window``, the others at 0 and at 1 (typical gating values), and the end state
        of each successful start carried to the next (continuation along the window).
        Roots are kept once (to 1e-8 of the scale of each state)."""
        lo, hi = window
        n = self.n_states
        found: list[np.ndarray] = []
        carry = None
        for v in np.linspace(lo, hi, starts):
            seeds = [np.r_[v, np.zeros(n - 1)], np.r_[v, np.ones(n - 1)]]
            if carry is not None:
                seeds.append(np.r_[v, carry[1:]])
            for y in seeds:
                root = self._newton(y, I)
                if root is None or not lo <= root[0] <= hi:
                    continue
                carry = root
                scale = 1.0 + np.abs(root)
                if not any(np.all(np.abs(root - f) <= 1e-8 * scale) for f in found):
                    found.append(root)
        return sorted(found, key=lambda y: float(y[0]))

    def _newton(self, y: np.ndarray, I: float, iterations: int = 60) -> np.ndarray | None:
        y = np.array(y, dtype=float)
        for _ in range(iterations):
            f = self.rhs(y, I)
            J = self.jacobian(y, I)
            if not (np.all(np.isfinite(f)) and np.all(np.isfinite(J))):
                return None
            try:
                dy = np.linalg.solve(J, -f)
            except np.linalg.LinAlgError:
                return None
            y = y + dy
            if np.all(np.abs(dy) <= 1e-12 * (1.0 + np.abs(y))):
                return y if np.all(np.abs(self.rhs(y, I)) <= 1e-9 * (1.0 + np.abs(y))) \
                    else None
        return None

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
        unit = f" {self.current_unit}" if self.current_unit else ""
        raise ValueError(
            f"{type(self).__name__} has no stable resting state at I={I:g}{unit}: it "
            "fires or oscillates at this current"
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
        if self.hybrid:
            # Start just after a reset from the threshold (where the model would be
            # after a spike).
            thr = float(self._spike_settings()[3])
            y = np.zeros(self.n_states)
            y[self._definition.spike_index] = thr
            return self.after_reset(y)
        raise ValueError(f"{type(self).__name__} has no equilibrium to start from; pass y0")

    # ---------------------------------------------------------------- engine settings
    def _spike_settings(self) -> tuple[float, float, bool, float, float]:
        """(threshold, rearm, hybrid, v_peak, t_ref) for the time loop."""
        if not self.hybrid:
            return self.spike_threshold, self.spike_rearm, False, math.inf, 0.0
        layout = self._engine.LAYOUT
        q = self.kernel_params
        peak = float(q[layout["threshold"]])
        ref = float(q[layout["refractory"]]) if layout["refractory"] is not None else 0.0
        return peak, 0.0, True, peak, ref

    def describe(self) -> Mapping[str, Any]:
        """Human-readable summary: class, parameters with units."""
        info = self.parameter_info()
        return {k: f"{v:g} {info[k].unit}".strip() for k, v in self.params().items()}
