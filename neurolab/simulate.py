"""One integration engine for every model, and the :class:`Trace` it returns.

The time loop is compiled with numba: each model's is generated from its equations
(:mod:`neurolab.models._codegen`), one template specialised to the model's states. This
module checks the arguments, samples the injected current on the engine's grid, calls
the model's loop and wraps what it returns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import check_choice, check_number
from .models._language import METHODS as _METHOD_CODES
from .models.base import Model
from .stimulus import Stimulus

__all__ = ["simulate", "simulate_batch", "Trace", "SimulationDiverged", "METHODS",
           "MAX_STEPS"]

#: Integration methods that can be asked for by name.
#: "izhikevich" is forward Euler that updates the first state, then the others with the
#: new first state, and resets the end-of-step state: the scheme of the script behind
#: Izhikevich (2004), Fig. 1, which some of its firing patterns depend on (see
#: :class:`neurolab.models.FiringPattern`). First order; use it to reproduce that figure.
METHODS = dict(_METHOD_CODES)
#: Most time steps a single run may take (keeps a typo from filling the memory).
MAX_STEPS = 20_000_000


class SimulationDiverged(RuntimeError):
    """A run produced a non-finite state.

    Attributes
    ----------
    time : float
        Time (ms) of the first grid point whose state is not finite.
    """

    def __init__(self, model: Model, time: float, dt: float, method: str) -> None:
        self.time = time
        super().__init__(
            f"simulation of {type(model).__name__} diverged (state became non-finite) at "
            f"t = {time:.4g} {model.time_unit or 'time units'}; try a smaller dt "
            f"(now {dt:g}) or the 'rk4' method, or check the parameters and current"
        )


@dataclass
class Trace:
    """Result of one simulation.

    Attributes
    ----------
    t : numpy.ndarray
        Time grid (ms), ``n_steps + 1`` points starting at 0.
    states : dict of str to numpy.ndarray
        Each state variable on the grid, keyed by ``model.state_names``; also readable as
        attributes (``trace.V``).
    current : numpy.ndarray
        Injected current on the grid (model current units).
    spike_times : numpy.ndarray
        Spike times (ms), interpolated between grid points.
    model : Model
        The model that was run.
    dt : float
        Time step (ms).
    method : str
        Integration method.
    """

    t: np.ndarray
    states: dict[str, np.ndarray]
    current: np.ndarray
    spike_times: np.ndarray
    model: Model
    dt: float
    method: str
    y0: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))

    def __getattr__(self, name: str) -> np.ndarray:
        states = self.__dict__.get("states")
        if states is not None and name in states:
            return states[name]
        raise AttributeError(f"Trace has no attribute or state {name!r}")

    @property
    def duration(self) -> float:
        """Length of the run (ms)."""
        return float(self.t[-1])

    @property
    def y(self) -> np.ndarray:
        """All states stacked, shape (n_states, n_points)."""
        return np.array([self.states[n] for n in self.model.state_names])

    def rate(self, start: float = 0.0, stop: float | None = None) -> float:
        """Mean firing rate (Hz): spikes in ``[start, stop)`` divided by its length."""
        stop = self.duration if stop is None else stop
        if not stop > start:
            raise ValueError(f"stop must exceed start={start:g} ms, got {stop:g}")
        n = np.count_nonzero((self.spike_times >= start) & (self.spike_times < stop))
        return 1000.0 * n / (stop - start)


# ----------------------------------------------------------------------------- helpers
def _settings(model: Model, duration: Any, dt: Any, method: Any) -> tuple[float, float, int,
                                                                          str]:
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model (an instance of a model class), got "
                         f"{model!r}")
    dt = model.default_dt if dt is None else dt
    dt = check_number("dt", dt, 0.0, model.max_dt, lo_open=True)
    duration = check_number("duration", duration, 0.0, lo_open=True)
    n_steps = int(round(duration / dt))
    if abs(n_steps * dt - duration) > 1e-9 * max(1.0, duration):
        n_steps = int(math.ceil(duration / dt - 1e-9))
    if n_steps > MAX_STEPS:
        raise ValueError(f"duration / dt must be at most {MAX_STEPS} steps, got "
                         f"duration={duration:g}, dt={dt:g} ({n_steps} steps)")
    n_steps = max(n_steps, 1)
    method = model.default_method if method is None else method
    check_choice("method", method, tuple(METHODS))
    return duration, dt, n_steps, method


def _sample_current(current: Any, n_steps: int, dt: float,
                    name: str = "current") -> tuple[float, np.ndarray]:
    """Turn a current spec into (constant part, samples at half steps or [0])."""
    if isinstance(current, (int, float, np.integer, np.floating)) and not isinstance(
        current, bool
    ):
        return check_number(name, current), np.zeros(1)
    th = np.arange(2 * n_steps + 1) * (0.5 * dt)
    if isinstance(current, Stimulus) or callable(current):
        try:
            w = np.asarray(current(th), dtype=float)
            if w.shape != th.shape:
                w = np.broadcast_to(w, th.shape).astype(float)
        except (TypeError, ValueError):
            w = np.array([float(current(x)) for x in th])
        if not np.all(np.isfinite(w)):
            i = int(np.argmax(~np.isfinite(w)))
            raise ValueError(f"{name} must be finite, but it is {w[i]} at t={th[i]:g} ms")
        return 0.0, w
    arr = np.asarray(current, dtype=float) if not isinstance(current, str) else None
    if arr is None or arr.ndim != 1:
        raise ValueError(f"{name} must be a number, a stimulus, a callable of t (ms) or a "
                         f"1-D array on the time grid; got {current!r:.60}")
    if arr.shape[0] != n_steps + 1:
        raise ValueError(f"{name} array must have one value per time point, n_steps + 1 = "
                         f"{n_steps + 1}, got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} array must contain only finite values")
    w = np.empty(2 * n_steps + 1)
    w[0::2] = arr
    w[1::2] = 0.5 * (arr[:-1] + arr[1:])
    return 0.0, w


def _initial_state(model: Model, y0: Any, I_start: float, name: str = "y0") -> np.ndarray:
    if y0 is None:
        return np.ascontiguousarray(model.initial_state(I_start), dtype=float)
    y = np.asarray(y0, dtype=float)
    if y.shape != (model.n_states,):
        raise ValueError(f"{name} must have shape ({model.n_states},) for states "
                         f"{model.state_names}, got shape {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must be finite, got {y.tolist()}")
    return np.ascontiguousarray(y)


def _grid_current(I0: float, wave: np.ndarray, n_steps: int) -> np.ndarray:
    if wave.shape[0] <= 1:
        return np.full(n_steps + 1, I0)
    return I0 + wave[0::2]


# ----------------------------------------------------------------------------- public API
def simulate(model: Model, duration: float, *, dt: float | None = None,
             current: float | Stimulus | Callable | Sequence[float] | np.ndarray = 0.0,
             y0: Sequence[float] | np.ndarray | None = None,
             method: str | None = None) -> Trace:
    """Integrate a model for ``duration`` ms under an injected current.

    Parameters
    ----------
    model : Model
        Any spiking model of :mod:`neurolab.models`.
    duration : float
        Length of the run (ms, > 0).
    dt : float, optional
        Time step (ms), in ``(0, model.max_dt]``; default ``model.default_dt``.
    current : float, Stimulus, callable or array_like
        Injected current (model current units): a constant, a stimulus from
        :mod:`neurolab.stimulus`, a function of t (ms), or an array with one value per
        grid point (``round(duration / dt) + 1`` values).
    y0 : array_like, optional
        Initial state in ``model.state_names`` order; default: the resting state at the
        initial current (or at zero current if there is none).
    method : {"rk4", "rk2", "euler", "izhikevich"}, optional
        Fixed-step scheme; default ``model.default_method``. "izhikevich" reproduces
        the published update of Izhikevich (2004) (see ``METHODS``).

    Returns
    -------
    Trace
        States, current and spike times on the time grid.

    Raises
    ------
    ValueError
        For any invalid argument; the message names it, its value and the valid range.
    SimulationDiverged
        If the state becomes non-finite; the message gives the time.
    """
    duration, dt, n_steps, method = _settings(model, duration, dt, method)
    I0, wave = _sample_current(current, n_steps, dt)
    y = _initial_state(model, y0, I0 + wave[0])
    threshold, rearm, hybrid, v_peak, t_ref = model._spike_settings()
    states = np.empty((model.n_states, n_steps + 1))
    cap = n_steps + 1
    spikes = np.empty(cap)
    engine = model._engine
    status, n_sp, where = engine.integrate(
        METHODS[method], model.kernel_params, y, dt, n_steps, I0, wave, threshold, rearm,
        v_peak, t_ref, True, states, spikes,
    )
    if status == engine.DIVERGED:
        raise SimulationDiverged(model, where * dt, dt, method)
    t = np.arange(n_steps + 1) * dt
    return Trace(
        t=t,
        states={n: states[i] for i, n in enumerate(model.state_names)},
        current=_grid_current(I0, wave, n_steps),
        spike_times=spikes[: min(n_sp, cap)].copy(),
        model=model, dt=dt, method=method, y0=y,
    )


def run_batch(model: Model | Sequence[Model], duration: float, currents: Any, *,
              dt: float | None = None, y0: Any = None, method: str | None = None,
              record: bool = True) -> dict[str, Any]:
    """Run many simulations in parallel and return raw arrays (used by the analysis).

    Parameters are those of :func:`simulate_batch`; with ``record=False`` no state is
    stored, only spike times, which keeps F-I curves light.

    Returns
    -------
    dict
        ``t`` (grid, ms), ``states`` (B, n_states, n_points) or ``None``, ``spikes``
        (list of arrays, ms), ``currents`` (B, n_points), ``models`` (list), ``dt``,
        ``method``.
    """
    models = list(model) if isinstance(model, (list, tuple)) else None
    base = models[0] if models else model
    if models is not None and not models:
        raise ValueError("model must be a model or a non-empty list of models, got []")
    duration, dt, n_steps, method = _settings(base, duration, dt, method)
    if models is not None:
        for m in models:
            if type(m) is not type(base):
                raise ValueError(f"model list must hold one model class, got "
                                 f"{type(base).__name__} and {type(m).__name__}")
            _settings(m, duration, dt, method)

    if isinstance(currents, np.ndarray) and currents.ndim == 2:
        items: list[Any] = list(currents)
    elif isinstance(currents, (list, tuple, np.ndarray)):
        items = list(np.asarray(currents, dtype=float)) if isinstance(
            currents, np.ndarray) else list(currents)
    else:
        items = [currents]
    B = max(len(items), len(models) if models else 1)
    if models is None:
        models = [base] * B
    if len(items) == 1 and B > 1:
        items = items * B
    if len(models) == 1 and B > 1:
        models = models * B
    if len(items) != len(models):
        raise ValueError(f"currents ({len(items)}) and models ({len(models)}) must have the "
                         f"same length or length 1")
    if B == 0:
        raise ValueError("currents must hold at least one current, got none")

    I0 = np.empty(B)
    waves = []
    for b, c in enumerate(items):
        I0[b], w = _sample_current(c, n_steps, dt, name=f"currents[{b}]")
        waves.append(w)
    lengths = {w.shape[0] for w in waves}
    if lengths == {1}:
        W = np.zeros((1, 1))
    else:
        W = np.zeros((B, 2 * n_steps + 1))
        for b, w in enumerate(waves):
            if w.shape[0] > 1:
                W[b] = w
    P = np.array([m.kernel_params for m in models])
    if y0 is None:
        Y0 = np.array([m.initial_state(I0[b] + (W[b, 0] if W.shape[1] > 1 else 0.0))
                       for b, m in enumerate(models)])
    else:
        y0a = np.asarray(y0, dtype=float)
        if y0a.ndim == 1:
            y0a = np.broadcast_to(_initial_state(base, y0a, 0.0), (B, base.n_states))
        if y0a.shape != (B, base.n_states):
            raise ValueError(f"y0 must have shape ({base.n_states},) or ({B}, "
                             f"{base.n_states}), got {np.shape(y0)}")
        if not np.all(np.isfinite(y0a)):
            raise ValueError("y0 must be finite")
        Y0 = np.ascontiguousarray(y0a, dtype=float)
    threshold, rearm, hybrid, v_peak, t_ref = base._spike_settings()
    if models[0] is not base or any(m != base for m in models):
        # Per-model reset settings differ only through kernel parameters, except the
        # spike cut-off of hybrid models, which must be shared.
        peaks = {m._spike_settings()[3] for m in models}
        refs = {m._spike_settings()[4] for m in models}
        if len(peaks) > 1 or len(refs) > 1:
            raise ValueError("models in one batch must share their spike cut-off and "
                             "refractory period")
    states = (np.empty((B, base.n_states, n_steps + 1)) if record
              else np.empty((1, base.n_states, 1)))
    cap = n_steps + 1 if record else max(64, n_steps // 50)
    while True:
        spikes = np.empty((B, cap))
        status = np.zeros(B, dtype=np.int64)
        counts = np.zeros(B, dtype=np.int64)
        where = np.zeros(B, dtype=np.int64)
        base._engine.integrate_batch(
            METHODS[method], P, Y0, dt, n_steps, I0, W, threshold, rearm, v_peak, t_ref,
            record, states, spikes, status, counts, where,
        )
        if counts.max(initial=0) <= cap:
            break
        cap = int(counts.max())
    bad = np.flatnonzero(status == base._engine.DIVERGED)
    if bad.size:
        b = int(bad[0])
        err = SimulationDiverged(models[b], where[b] * dt, dt, method)
        err.run = b
        raise err
    grid_I = np.array([
        (I0[b] + W[b if W.shape[0] > 1 else 0, 0::2]) if W.shape[1] > 1
        else np.full(n_steps + 1, I0[b]) for b in range(B)
    ])
    return {
        "t": np.arange(n_steps + 1) * dt,
        "states": states if record else None,
        "spikes": [spikes[b, : counts[b]].copy() for b in range(B)],
        "currents": grid_I,
        "models": models,
        "y0": Y0,
        "dt": dt,
        "method": method,
    }


def simulate_batch(model: Model | Sequence[Model], duration: float, currents: Any = 0.0, *,
                   dt: float | None = None, y0: Any = None,
                   method: str | None = None) -> list[Trace]:
    """Run the same model under many currents, or many parameter sets, in parallel.

    Parameters
    ----------
    model : Model or sequence of Model
        One model, or one per run (same class; e.g. a parameter sweep).
    duration : float
        Length of each run (ms).
    currents : sequence or 2-D array
        One current per run, each of any form :func:`simulate` accepts; a 2-D array has
        one row per run on the time grid. A single current is shared by all models.
    dt, y0, method
        As for :func:`simulate`; ``y0`` may be one state or one per run.

    Returns
    -------
    list of Trace
        One per run, equal to what :func:`simulate` returns for that run.
    """
    r = run_batch(model, duration, currents, dt=dt, y0=y0, method=method, record=True)
    out = []
    for b, m in enumerate(r["models"]):
        st = r["states"][b]
        out.append(Trace(
            t=r["t"], states={n: st[i] for i, n in enumerate(m.state_names)},
            current=r["currents"][b], spike_times=r["spikes"][b], model=m, dt=r["dt"],
            method=r["method"], y0=r["y0"][b],
        ))
    return out
