"""Define a model from its equations: :func:`define_model`.

Every model of the course, built-in or a student's, is made here from the text of its
equations, its parameters and a few facts for the dashboards::

    ML = define_model(
        "MorrisLecarCopy",
        equations='''
        dV/dt = (I - g_L*(V - E_L) - g_Ca*m_inf*(V - E_Ca) - g_K*w*(V - E_K)) / C
        dw/dt = phi*(w_inf - w)/tau_w
        m_inf = 0.5*(1 + tanh((V - V1)/V2))
        w_inf = 0.5*(1 + tanh((V - V3)/V4))
        tau_w = 1/cosh((V - V3)/(2*V4))
        ''',
        parameters={"C": 20.0, "g_L": 2.0, ...},
        current_unit="uA/cm2",
    )
    model = ML()

The class is a frozen dataclass on :class:`neurolab.models.base.Model`, with everything
a built-in model has. Its compiled code is generated once and cached on disk under a key
made from the equations (:mod:`neurolab.models._cache`): a later process that defines
the same model imports the generated file and numba's cached machine code, without
sympy and without compiling.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _cache
from ._language import (
    Equations,
    Threshold,
    check_name,
    normalize,
    parse_equations,
    parse_reset,
    parse_threshold,
)
from .base import Model, ParamInfo, Preset, Reduction, nice_steps
from .registry import register

__all__ = ["define_model", "Definition", "auto_param_info", "reduced_class"]

_METHODS = ("euler", "rk2", "rk4", "izhikevich")


@dataclass
class Definition:
    """What a model class was made from, and its generated engine (loaded lazily).

    Attributes
    ----------
    name : str
    equations : Equations
    parameters : tuple of str
    threshold : Threshold or None
    reset : tuple of (str, str)
    refractory : str or None
    eliminate : dict of str to str
        States replaced by expressions (for a reduced model).
    key : str
        Cache key of the generated code.
    """

    name: str
    equations: Equations
    parameters: tuple[str, ...]
    threshold: Threshold | None
    reset: tuple[tuple[str, str], ...]
    refractory: str | None
    eliminate: dict[str, str]
    key: str = ""
    _module: Any = None

    @property
    def states(self) -> tuple[str, ...]:
        """States kept (a reduction removes some)."""
        return tuple(s for s in self.equations.states if s not in self.eliminate)

    @property
    def spike_index(self) -> int:
        """Index of the state the threshold watches (the first state if smooth)."""
        return self.states.index(self.threshold.state) if self.threshold else 0

    def parts(self) -> dict[str, Any]:
        """Everything that shapes the generated code (input of the cache key)."""
        eq = self.equations
        return {
            "states": list(eq.states), "rhs": list(eq.rhs),
            "helpers": [list(h) for h in eq.helpers], "parameters": list(self.parameters),
            "threshold": None if self.threshold is None else [self.threshold.state,
                                                               self.threshold.expression],
            "reset": [list(r) for r in self.reset], "refractory": self.refractory,
            "eliminate": sorted([k, normalize(str(v))] for k, v in self.eliminate.items()),
        }

    def source(self) -> str:
        """Generate the engine module's source (imports sympy)."""
        from ._codegen import LoopShape, generate
        from ._symbolic import build

        sym = build(self.equations, self.parameters, threshold=self.threshold,
                    reset=self.reset, refractory=self.refractory,
                    eliminate={k: str(v) for k, v in self.eliminate.items()})
        shape = LoopShape(len(sym.states), self.threshold is not None, self.spike_index)
        text, _layout = generate(sym, shape, name=self.name, key=self.key)
        return text

    def check(self) -> None:
        """Generate the code now if it is not cached (surfaces errors at definition)."""
        if not _cache.cached(self.key):
            self._load()

    def _load(self) -> Any:
        if self._module is None:
            self._module, _ = _cache.load_module(self.key, self.source)
        return self._module

    @property
    def engine(self) -> Any:
        """The generated engine module."""
        return self._module if self._module is not None else self._load()


def auto_param_info(name: str, value: float) -> ParamInfo:
    """Slider metadata for a parameter given as a plain number.

    The slider runs from 0 to twice the value (or from twice a negative value to 0;
    -1 to 1 around 0), with a step of 1, 2 or 5 times a power of ten near a two-hundredth
    of that range on whose grid the value lies exactly.
    """
    v = float(value)
    if abs(v) < 1e-9:  # zero (or as good as zero for a slider)
        lo, hi = -1.0, 1.0
    else:
        lo, hi = sorted((0.0, 2.0 * v))
    target = (hi - lo) / 200.0
    step = next(s for s in nice_steps(10.0 ** math.ceil(math.log10(target)),
                                      down_to=target * 1e-3)
                if s <= target * 1.0001)
    info = ParamInfo(name, "", (lo, hi), step, f"parameter {name}")
    return dataclasses.replace(info, step=info.grid_step([v]))


def _param_field(name: str, spec: Any) -> tuple[str, type, Any]:
    check_name("parameter", name)
    if isinstance(spec, dataclasses.Field):
        if "info" not in spec.metadata:
            raise ValueError(f"parameter {name!r}: a dataclass field must come from "
                             "neurolab.models.param(...)")
        return name, float, spec
    if isinstance(spec, bool) or not isinstance(spec, (int, float)):
        raise ValueError(f"parameter {name!r} must be a number or param(...), got {spec!r}")
    if not math.isfinite(float(spec)):
        raise ValueError(f"parameter {name!r} must be finite, got {spec!r}")
    info = auto_param_info(name, float(spec))
    return name, float, dataclasses.field(default=float(spec), metadata={"info": info})


def _presets(presets: Mapping[str, Any] | None, params: tuple[str, ...]
             ) -> tuple[dict[str, dict[str, float]], dict[str, Preset]]:
    values: dict[str, dict[str, float]] = {}
    details: dict[str, Preset] = {}
    for name, spec in (presets or {}).items():
        p = spec if isinstance(spec, Preset) else Preset(dict(spec), name)
        for key in p.values:
            if key not in params:
                raise ValueError(f"preset {name!r} sets {key!r}, which is not a parameter "
                                 f"(parameters: {', '.join(params)})")
        if not p.label:
            p = dataclasses.replace(p, label=name)
        values[name] = {k: float(v) for k, v in p.values.items()}
        details[name] = p
    return values, details


def _check_units(states: tuple[str, ...], units: Mapping[str, str] | None) -> dict[str, str]:
    out = {s: ("mV" if s in ("V", "v") else "") for s in states}
    for key, unit in (units or {}).items():
        if key not in states:
            raise ValueError(f"units names {key!r}, which has no equation 'd{key}/dt = ...'"
                             f" (states: {', '.join(states)})")
        out[key] = str(unit)
    return out


def define_model(
    name: str,
    equations: str,
    parameters: Mapping[str, Any],
    *,
    current_unit: str = "uA/cm2",
    time_unit: str = "ms",
    units: Mapping[str, str] | None = None,
    threshold: str | None = None,
    reset: str | None = None,
    refractory: str | None = None,
    spike_threshold: float | None = None,
    spike_rearm: float | None = None,
    presets: Mapping[str, Any] | None = None,
    title: str | None = None,
    description: str = "",
    reductions: Mapping[str, Reduction | Mapping[str, Any]] | None = None,
    plane: str | None = None,
    plane_window: tuple[tuple[float, float], tuple[float, float]] | None = None,
    current_range: tuple[float, float] | None = None,
    start_current: float | None = None,
    start_duration: float = 200.0,
    default_dt: float | None = None,
    max_dt: float | None = None,
    default_method: str = "rk4",
    equilibrium_window: tuple[float, float] | None = None,
    convention: str = "",
    order: float = 1000.0,
    doc: str | None = None,
    register_model: bool = True,
) -> type[Model]:
    """Make a model class from its equations.

    Parameters
    ----------
    name : str
        Class name (a Python identifier), e.g. ``"MorrisLecar"``.
    equations : str
        One ``dX/dt = expression`` line per state, in state order, then any helper
        definitions ``name = expression``. Expressions use the states, the parameters,
        the helpers, the injected current ``I``, numbers, ``+ - * / **``, ``pi`` and
        the functions exp, log, sqrt, tanh, cosh, sinh, tan, sin, cos, abs, min, max
        and ``vtrap(x, y) = x / (exp(x / y) - 1)`` (its removable singularity at x = 0
        filled in, as in NEURON's hh.mod). ``#`` starts a comment.
    parameters : mapping of str to float or param(...)
        Parameter names and defaults, in the order the sliders list them; a plain
        number gets a slider from 0 to twice its value, with a step on whose grid the
        value lies; :func:`neurolab.models.param` gives label, unit, range and meaning.
    current_unit, time_unit : str
        Units of I and of time ("" for dimensionless models).
    units : mapping of str to str, optional
        Unit of each state (default "mV" for a state named V or v, "" otherwise).
    threshold, reset, refractory : str, optional
        For a hybrid model: the spike condition ``"V >= V_peak"`` (a state against an
        expression of the parameters), the reset ``"V = V_reset; w = w + b"``
        (assignments that act together) and the refractory period (an expression of the
        parameters, in the time unit) during which the state is held.
    spike_threshold, spike_rearm : float, optional
        For a smooth model: spikes are upward crossings of ``spike_threshold`` by the
        first state, counted again once it has fallen ``spike_rearm`` below (default
        0 and 10).
    presets : mapping, optional
        Preset name -> dict of parameter values, or a :class:`~neurolab.models.Preset`
        (with a label and optionally the stimulus and run that show it).
    title, description : str, optional
        Name shown in menus (default ``name``) and one paragraph about the model and
        its source (HTML allowed), shown by the playground.
    reductions, plane : optional
        Named reductions (:class:`~neurolab.models.Reduction`, or a dict state ->
        expression) and the one whose plane the explorer draws, for models with more
        than two states.
    plane_window : ((float, float), (float, float)), optional
        Starting window of the phase plane.
    current_range : (float, float), optional
        Range of the current slider (default -20 to 20).
    start_current, start_duration : float, optional
        Current and duration the explorer opens with.
    default_dt, max_dt : float, optional
        Default and largest time step accepted (time units; default 0.025 and 1).
    default_method : {"rk4", "rk2", "euler", "izhikevich"}
        Integration method used by default.
    equilibrium_window : (float, float), optional
        Range of the first state searched for equilibria (default -120 to 60).
    convention : str
        One line on the voltage convention, shown on trace plots.
    order : float
        Position in the playground's menu (built-ins use 10, 20, ...).
    doc : str, optional
        The class docstring.
    register_model : bool
        Add the class to the registry the playground lists (default True).

    Returns
    -------
    type
        A frozen dataclass on :class:`~neurolab.models.base.Model`; ``cls()`` is the
        model with its default parameters.

    Raises
    ------
    ValueError
        Naming the problem: a syntax error, an unknown symbol or function, a state
        without an equation (in ``units``, ``threshold`` or ``reset``), a parameter
        named like a state or a helper, circular helper definitions, a threshold that
        is not ``state >= expression``, or an invalid option.
    """
    check_name("model", name)
    if not isinstance(parameters, Mapping):
        raise ValueError(f"parameters must be a dict of name -> value, got "
                         f"{type(parameters).__name__}")
    eqs = parse_equations(equations)
    field_specs = [_param_field(k, v) for k, v in parameters.items()]
    pnames = tuple(f[0] for f in field_specs)
    thr = parse_threshold(threshold, eqs.states)
    rst = parse_reset(reset, eqs.states)
    if (thr is None) != (not rst):
        raise ValueError("a hybrid model needs both threshold= and reset= (e.g. "
                         "threshold='V >= V_peak', reset='V = V_reset')")
    if refractory is not None and thr is None:
        raise ValueError("refractory= applies to hybrid models only (give threshold= "
                         "and reset= too)")
    if default_method not in _METHODS:
        raise ValueError(f"default_method must be one of {', '.join(_METHODS)}; got "
                         f"{default_method!r}")
    state_units = _check_units(eqs.states, units)
    preset_values, preset_details = _presets(presets, pnames)
    reds = {}
    for rname, red in (reductions or {}).items():
        reds[rname] = red if isinstance(red, Reduction) else Reduction(dict(red))
    if plane is not None and plane not in reds:
        raise ValueError(f"plane must name one of the reductions "
                         f"({', '.join(reds) or 'none given'}); got {plane!r}")

    definition = Definition(name, eqs, pnames, thr, rst,
                            None if refractory is None else normalize(refractory), {})
    definition.key = _cache.make_key(definition.parts())
    definition.check()

    namespace: dict[str, Any] = {
        "_definition": definition,
        "state_names": definition.states,
        "state_units": state_units,
        "voltage_unit": state_units[eqs.states[0]],
        "current_unit": current_unit,
        "time_unit": time_unit,
        "hybrid": thr is not None,
        "presets": preset_values,
        "preset_details": preset_details,
        "title": title or name,
        "description": description,
        "reductions": reds,
        "plane": plane,
        "plane_window": plane_window,
        "start_duration": float(start_duration),
        "default_method": default_method,
        "convention": convention,
        "order": float(order),
        "__doc__": doc or f"Model {name!r} defined by its equations.",
        "__module__": sys._getframe(1).f_globals.get("__name__", "__main__"),
    }
    if spike_threshold is not None:
        namespace["spike_threshold"] = float(spike_threshold)
    if spike_rearm is not None:
        namespace["spike_rearm"] = float(spike_rearm)
    if current_range is not None:
        namespace["current_range"] = (float(current_range[0]), float(current_range[1]))
    if start_current is not None:
        namespace["start_current"] = float(start_current)
    if default_dt is not None:
        namespace["default_dt"] = float(default_dt)
    if max_dt is not None:
        namespace["max_dt"] = float(max_dt)
    if equilibrium_window is not None:
        namespace["equilibrium_window"] = (float(equilibrium_window[0]),
                                           float(equilibrium_window[1]))
    cls = dataclasses.make_dataclass(name, field_specs, bases=(Model,), frozen=True,
                                     namespace=namespace)
    if register_model:
        register(cls)
    return cls


_REDUCED: dict[tuple[type, Any], type[Model]] = {}


def _elimination(model_cls: type[Model], reduction: Any) -> tuple[str, Reduction]:
    if isinstance(reduction, str):
        if reduction not in model_cls.reductions:
            valid = ", ".join(repr(k) for k in model_cls.reductions) or "none"
            raise ValueError(f"reduced must be one of {valid} for {model_cls.__name__} "
                             f"(or a dict state -> expression); got {reduction!r}")
        return reduction, model_cls.reductions[reduction]
    if isinstance(reduction, Reduction):
        return reduction.title or "reduced", reduction
    if isinstance(reduction, Mapping):
        red = Reduction({k: (repr(float(v)) if isinstance(v, (int, float)) else str(v))
                         for k, v in reduction.items()})
        label = ", ".join(f"{k} = {v}" for k, v in red.eliminate.items())
        return label, dataclasses.replace(red, title=label)
    raise ValueError(f"reduced must be a reduction name or a dict state -> expression; "
                     f"got {reduction!r}")


def reduced_class(model_cls: type[Model], reduction: Any) -> type[Model]:
    """The class of a reduction of ``model_cls`` (see :meth:`Model.reduce`), made once."""
    label, red = _elimination(model_cls, reduction)
    key = (model_cls, tuple(sorted((k, str(v)) for k, v in red.eliminate.items())))
    if key in _REDUCED:
        return _REDUCED[key]
    full = model_cls._definition
    eliminate = {k: str(v) for k, v in red.eliminate.items()}
    for state in eliminate:
        if state not in full.equations.states:
            raise ValueError(f"reduced sets {state!r}, which is not a state of "
                             f"{model_cls.__name__} (states: "
                             f"{', '.join(full.equations.states)})")
    definition = Definition(f"{model_cls.__name__} ({label})", full.equations,
                            full.parameters, full.threshold, full.reset, full.refractory,
                            eliminate)
    definition.key = _cache.make_key(definition.parts())
    definition.check()
    base_fields = [(f.name, float, dataclasses.field(default=f.default, metadata=f.metadata))
                   for f in dataclasses.fields(model_cls)]
    states = definition.states
    namespace = {
        "_definition": definition,
        "_full_class": model_cls,
        "state_names": states,
        "state_units": {s: model_cls.state_units.get(s, "") for s in states},
        "reduction_title": red.title,
        "title": f"{model_cls.title}: {red.title or label}",
        "__doc__": f"{model_cls.__name__} reduced to {', '.join(states)}: {red.title}.",
        "__module__": model_cls.__module__,
    }
    for attr in ("current_unit", "time_unit", "voltage_unit", "hybrid", "spike_threshold",
                 "spike_rearm", "max_dt", "equilibrium_window", "current_range",
                 "default_method", "convention", "plane_window", "start_current",
                 "start_duration"):
        namespace[attr] = getattr(model_cls, attr)
    namespace["default_dt"] = property(_reduced_default_dt)
    namespace["_reversal_bounds"] = _reduced_bounds
    name = f"{model_cls.__name__}Reduced{len(_REDUCED)}"
    cls = dataclasses.make_dataclass(name, base_fields, bases=(Model,), frozen=True,
                                     namespace=namespace)
    _REDUCED[key] = cls
    return cls


def _full_model(self: Model) -> Model:
    """The full model with this reduction's parameter values."""
    full = self.__dict__.get("_full")
    if full is None:
        full = type(self)._full_class(**self.params())
        object.__setattr__(self, "_full", full)
    return full


def _reduced_default_dt(self: Model) -> float:
    """The full model's default step (it may depend on the parameters)."""
    return float(_full_model(self).default_dt)


def _reduced_bounds(self: Model, I: float) -> tuple[float, float] | None:
    return _full_model(self)._reversal_bounds(I)
