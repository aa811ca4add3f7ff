"""Excitability: F-I curves, rheobase, Hodgkin's classes, impedance, pulse experiments.

Everything here is measured the way an experimenter would measure it, on the compiled
engine (:func:`neurolab.simulate.run_batch`): each question becomes one or a few
batches of parallel runs. The small-signal quantities (impedance, resonance, integrator
or resonator) come from the linearization of the model at its resting state.

:func:`action_potential_stages` splits one simulated action potential into the stages
the biology primer names (equilibrium, depolarization, amplification, repolarization,
after-hyperpolarization).

Units: currents in the model's ``current_unit``; time in ms; rates and frequencies in
Hz. FitzHugh-Nagumo is dimensionless: its rates and frequencies are then counts per
1000 time units (the same numbers one would read in Hz if a time unit were 1 ms).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_array, check_choice, check_int, check_number, check_range
from ..models.base import Model
from ..simulate import SimulationDiverged, Trace, run_batch, simulate
from ..stimulus import Stimulus, pulses

__all__ = [
    "fi_curve", "rheobase", "excitability_class", "impedance", "resonant_frequency",
    "integrator_or_resonator", "pulse_pair_response", "three_pulse_experiment",
    "refractory_response", "PulseResponse", "ThreePulseResult", "RefractoryResult",
    "action_potential_stages", "Stages",
]

#: Runs per bisection stage of :func:`rheobase` (a stage is one parallel batch).
_STAGE = 8


class _NoRepetitiveFiring(ValueError):
    """Raised by :func:`rheobase` when no current in the range fires."""


def _check_model(model: Any) -> Model:
    if not isinstance(model, Model):
        raise ValueError(f"model must be a neurolab model (an instance of a model class), got "
                         f"{model!r:.80}")
    return model


def _start_state(model: Model, y0: Any) -> np.ndarray:
    if y0 is None:
        return model.initial_state(0.0)
    y = check_array("y0", y0, ndim=1)
    if y.shape != (model.n_states,):
        raise ValueError(f"y0 must have shape ({model.n_states},) for states "
                         f"{model.state_names}, got shape {y.shape}")
    return y


def _late_rate(spikes: np.ndarray, start: float) -> float:
    """Inverse mean inter-spike interval (per 1000 time units) of the spikes >= start."""
    s = spikes[spikes >= start]
    if s.size < 2:
        return 0.0
    return 1000.0 * (s.size - 1) / (s[-1] - s[0])


def _sustained_rate(t: np.ndarray, v: np.ndarray, duration: float) -> float:
    """Frequency (per 1000 time units) of a sustained oscillation of ``v`` in the second
    half of a run of length ``duration``, or 0 if there is none.

    This is the notion of repetitive activity behind Hodgkin's classes: a cycle of the
    dynamics, whatever its amplitude, and not a crossing of the spike detection level
    (a small oscillation born in a supercritical Hopf bifurcation never reaches it).

    Cycles are upward crossings of the middle of the range ``v`` sweeps in the second
    half, each re-armed by a fall below the lower quarter of that range, so every cycle
    counts once. The oscillation is sustained if it has at least one full cycle and does
    not die out: its amplitude (range of ``v``) over the last 1.5 mean periods of the
    run is at least ``exp(-s / duration)`` times its amplitude over the first 1.5 periods
    of the second half, ``s`` apart. An oscillation that decays by less than a factor e
    over a run's length therefore counts as sustained (as a rate below ``2000 /
    duration`` cannot be seen, a decay slower than ``1 / duration`` cannot: lengthen
    the run to resolve either).
    """
    half = t >= 0.5 * duration
    v, t = v[half], t[half]
    if v.size < 3:
        return 0.0
    lo, hi = float(v.min()), float(v.max())
    if not hi - lo > 1e-9 * max(1.0, abs(hi)):
        return 0.0
    mid, rearm = lo + 0.5 * (hi - lo), lo + 0.25 * (hi - lo)
    up = np.flatnonzero((v[:-1] < mid) & (v[1:] >= mid)) + 1
    if up.size >= 2:
        # keep a crossing only if v fell below the re-arm level since the last kept one
        dips = np.minimum.reduceat(v, up)[:-1] < rearm
        up = up[np.concatenate(([True], dips))]
    if up.size < 2:
        return 0.0
    period = (t[up[-1]] - t[up[0]]) / (up.size - 1)
    width = 1.5 * period
    first = t <= t[0] + width
    last = t >= t[-1] - width
    a_first = float(np.ptp(v[first]))
    a_last = float(np.ptp(v[last]))
    gap = max(0.0, (t[-1] - t[0]) - width)
    if not a_last >= a_first * math.exp(-gap / duration):
        return 0.0
    return 1000.0 / period


# ----------------------------------------------------------------------------- F-I curve
def fi_curve(model: Model, currents: Sequence[float] | np.ndarray, duration: float = 1000.0,
             dt: float | None = None, progress: Callable[[float], Any] | None = None, *,
             y0: Sequence[float] | np.ndarray | None = None, method: str | None = None,
             chunk: int | None = None) -> np.ndarray:
    """Firing rate as a function of a constant injected current (the gain function).

    Each run starts from the resting state at zero current (or ``y0``) and receives a
    step to one constant current at t = 0. The rate is the inverse of the mean
    inter-spike interval of the spikes in the second half of the run (after the onset
    transient), and 0 if fewer than two spikes fall there. A rate below about
    ``2000 / duration`` Hz can therefore not be seen: lengthen the run to resolve
    slower firing.

    Spikes are what the engine detects: upward crossings of the model's
    ``spike_threshold`` (or its reset, for a hybrid model). An oscillation that stays
    below that level, such as the small cycle born in a supercritical Hopf bifurcation,
    is repetitive activity with a rate of 0 here; :func:`excitability_class` and
    ``rheobase(criterion="oscillation")`` count its cycles instead.

    Parameters
    ----------
    model : Model
        Any spiking model.
    currents : array_like, 1-D
        Constant currents (model ``current_unit``).
    duration : float
        Length of each run (ms, > 0).
    dt : float, optional
        Time step (ms); default ``model.default_dt``.
    progress : callable, optional
        Called with the fraction of runs done (0 to 1) after each chunk of the batch,
        e.g. to move a widget's progress bar.
    y0 : array_like, optional
        Initial state shared by all runs; default the rest state at zero current.
    method : str, optional
        Integration method ("rk4", "rk2", "euler").
    chunk : int, optional
        Runs per parallel batch; default all at once, or about a tenth of them when
        ``progress`` is given.

    Returns
    -------
    numpy.ndarray
        Rates in Hz, one per current. For the dimensionless FitzHugh-Nagumo model:
        spikes per 1000 time units.

    Raises
    ------
    ValueError
        For an invalid argument (named in the message).
    neurolab.simulate.SimulationDiverged
        If a run becomes non-finite.
    """
    _check_model(model)
    I = check_array("currents", currents)
    if I.ndim != 1 or I.size == 0:
        raise ValueError(f"currents must be a non-empty 1-D sequence of numbers, got shape "
                         f"{I.shape}")
    duration = check_number("duration", duration, 0.0, lo_open=True)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable of the fraction done or None, got "
                         f"{progress!r:.60}")
    y = _start_state(model, y0)
    if chunk is None:
        chunk = I.size if progress is None else max(2, math.ceil(I.size / 10))
    chunk = check_int("chunk", chunk, 1)
    rates = np.zeros(I.size)
    for a in range(0, I.size, chunk):
        part = I[a:a + chunk]
        r = run_batch(model, duration, part, dt=dt, y0=y, method=method, record=False)
        for k, s in enumerate(r["spikes"]):
            rates[a + k] = _late_rate(s, 0.5 * duration)
        if progress is not None:
            progress(min(1.0, (a + part.size) / I.size))
    return rates


def _fires(model: Model, currents: np.ndarray, duration: float, criterion: str,
           dt: float | None, method: str | None, y: np.ndarray) -> np.ndarray:
    if criterion == "oscillation":
        r = run_batch(model, duration, currents, dt=dt, y0=y, method=method, record=True)
        return np.array([_sustained_rate(r["t"], st[0], duration) > 0.0
                         for st in r["states"]])
    r = run_batch(model, duration, currents, dt=dt, y0=y, method=method, record=False)
    if criterion == "spike":
        return np.array([s.size >= 1 for s in r["spikes"]])
    return np.array([_late_rate(s, 0.5 * duration) > 0.0 for s in r["spikes"]])


def _default_range(model: Model, I_range: Any) -> tuple[float, float]:
    if I_range is None:
        lo, hi = model.current_range
        return max(lo, 0.0), hi
    return check_range("I_range", I_range)


def rheobase(model: Model, I_range: tuple[float, float] | None = None, *,
             duration: float = 1000.0, tol: float | None = None,
             criterion: str = "repetitive", dt: float | None = None,
             method: str | None = None, y0: Sequence[float] | None = None,
             n_grid: int = 33) -> float:
    """Smallest constant current that makes the model fire (bisection on batches).

    With ``criterion="repetitive"`` (the default) a current "fires" when a step to it
    from rest gives sustained firing: at least two spikes in the second half of a run
    of ``duration`` ms, as in :func:`fi_curve`. With ``criterion="spike"`` it fires
    when it evokes at least one spike anywhere in the run. With
    ``criterion="oscillation"`` (the one Hodgkin's classes need,
    :func:`excitability_class`) it "fires" when the run ends in a sustained oscillation
    of the first state of any amplitude, whether or not it reaches the spike detection
    level: at least one full cycle in the second half of the run, with an amplitude
    that shrinks by less than a factor e over a run's length. A coarse grid over
    ``I_range`` finds the first firing current; each further stage tests ``8``
    currents inside the bracket in one parallel batch and shrinks it ninefold, until it
    is narrower than ``tol``.

    Firing slower than about ``2000 / duration`` Hz is not seen (fewer than two spikes
    or cycles in the second half), so for class 1 models the result lies slightly above the
    bifurcation current, by an amount that shrinks as ``duration`` grows.

    Parameters
    ----------
    model : Model
        Any spiking model.
    I_range : (float, float), optional
        Currents to search (``current_unit``); default from 0 (or the lower end of
        ``model.current_range`` if that is positive) to the upper end of
        ``model.current_range``.
    duration : float
        Length of each run (ms).
    tol : float, optional
        Width of the final bracket (``current_unit``); default 1e-4 of the range.
    criterion : {"repetitive", "spike", "oscillation"}
        What counts as firing (see above).
    dt, method : optional
        Time step (ms) and integration method.
    y0 : array_like, optional
        Initial state; default the rest state at zero current.
    n_grid : int
        Points of the first, coarse grid (>= 2).

    Returns
    -------
    float
        The smallest current found that fires; the threshold lies within ``tol`` below.

    Raises
    ------
    ValueError
        For invalid arguments, if no current in the range fires, or if the lowest
        current of the range already fires (lower ``I_range[0]``).
    """
    _check_model(model)
    lo, hi = _default_range(model, I_range)
    duration = check_number("duration", duration, 0.0, lo_open=True)
    tol = (hi - lo) * 1e-4 if tol is None else check_number("tol", tol, 0.0, hi - lo,
                                                             lo_open=True)
    check_choice("criterion", criterion, ("repetitive", "spike", "oscillation"))
    n_grid = check_int("n_grid", n_grid, 2, 10_000)
    y = _start_state(model, y0)
    grid = np.linspace(lo, hi, n_grid)
    f = _fires(model, grid, duration, criterion, dt, method, y)
    if not f.any():
        what = {"repetitive": "fires repetitively", "spike": "spikes",
                "oscillation": "oscillates (sustained)"}[criterion]
        raise _NoRepetitiveFiring(
            f"{type(model).__name__} never {what} for a constant current in I_range="
            f"({lo:g}, {hi:g}) {model.current_unit} (runs of {duration:g} ms); widen "
            f"I_range or lengthen duration")
    k = int(np.argmax(f))
    if k == 0:
        raise ValueError(f"{type(model).__name__} already fires at I_range[0]={lo:g} "
                         f"{model.current_unit}; lower I_range[0] to bracket the rheobase")
    a, b = grid[k - 1], grid[k]
    while b - a > tol:
        pts = np.linspace(a, b, _STAGE + 2)[1:-1]
        f = _fires(model, pts, duration, criterion, dt, method, y)
        if f.any():
            j = int(np.argmax(f))
            b = pts[j]
            a = pts[j - 1] if j > 0 else a
        else:
            a = pts[-1]
    return float(b)


def excitability_class(model: Model, I_range: tuple[float, float] | None = None, *,
                       duration: float = 1000.0, tol: float | None = None,
                       dt: float | None = None, method: str | None = None,
                       y0: Sequence[float] | None = None) -> int:
    """Hodgkin's excitability class (1, 2 or 3) of a model, from its F-I curve.

    Repetitive activity here is a sustained oscillation of the voltage, of any
    amplitude (``rheobase(criterion="oscillation")``): its onset and its rate are
    measured on the cycles of the dynamics, not on crossings of the model's spike
    detection level. A small oscillation born in a supercritical Hopf bifurcation,
    which never reaches that level, is repetitive activity at a nonzero rate (class 2),
    never "no repetitive firing" (class 3).

    - Class 3: no current in ``I_range`` gives a sustained oscillation, but some
      gives at least one spike at the onset of the step.
    - Class 1: repetitive activity starts continuously from zero rate, so the rate
      found just above its onset is limited only by how finely one looks. The test
      looks twice at the onset rate (the frequency of the oscillation in the second
      half of the run), ``f(I_r + tol)`` at the onset ``I_r`` found with runs of
      ``duration`` ms and resolution ``tol``, and again with runs four times longer
      and a resolution 1000 times finer. Class 1 when the finer look finds an onset
      rate below 0.8 times the first: a square-root law (saddle-node on an invariant
      circle) limited by the run length falls about fourfold, the logarithmic law of
      the integrate-and-fire neuron about 0.6-fold.
    - Class 2: the rate jumps to a nonzero value: the finer look finds the same onset
      rate (ratio near 1; a Hopf bifurcation, super- or subcritical, or a fold of limit
      cycles).

    Parameters
    ----------
    model : Model
        Any spiking model.
    I_range : (float, float), optional
        Currents to examine (``current_unit``); default as in :func:`rheobase`.
    duration : float
        Length of each run (ms).
    tol : float, optional
        Resolution of the rheobase (``current_unit``); default 1e-5 of the range.
    dt, method, y0 : optional
        As for :func:`fi_curve`.

    Returns
    -------
    int
        1, 2 or 3.

    Raises
    ------
    ValueError
        For invalid arguments, if the model does not spike at all in the range, or if
        it already oscillates at the low end of the range (lower ``I_range[0]``).
    """
    _check_model(model)
    lo, hi = _default_range(model, I_range)
    tol = (hi - lo) * 1e-5 if tol is None else check_number("tol", tol, 0.0, hi - lo,
                                                             lo_open=True)
    y = _start_state(model, y0)
    try:
        Ir = rheobase(model, (lo, hi), duration=duration, tol=tol, criterion="oscillation",
                      dt=dt, method=method, y0=y)
    except _NoRepetitiveFiring:
        grid = np.linspace(lo, hi, 33)
        if _fires(model, grid, duration, "spike", dt, method, y).any():
            return 3
        raise ValueError(f"{type(model).__name__} does not spike for any constant current "
                         f"in I_range=({lo:g}, {hi:g}) {model.current_unit}; widen "
                         f"I_range") from None
    coarse = _oscillation_rate(model, Ir + tol, duration, dt, method, y)
    fine_tol = tol * 1e-3
    try:
        Ir_fine = rheobase(model, (lo, Ir + tol), duration=4.0 * duration, tol=fine_tol,
                           criterion="oscillation", dt=dt, method=method, y0=y, n_grid=9)
    except _NoRepetitiveFiring:
        # the oscillation seen at I_r was a long transient: search the whole range again
        Ir_fine = rheobase(model, (lo, hi), duration=4.0 * duration, tol=fine_tol,
                           criterion="oscillation", dt=dt, method=method, y0=y)
    fine = _oscillation_rate(model, Ir_fine + fine_tol, 4.0 * duration, dt, method, y)
    if coarse <= 0.0 or fine <= 0.0:
        raise ValueError(f"could not measure the F-I curve just above the rheobase "
                         f"{Ir:g} {model.current_unit}; try a longer duration")
    return 1 if fine < 0.8 * coarse else 2


def _oscillation_rate(model: Model, I: float, duration: float, dt: float | None,
                      method: str | None, y: np.ndarray) -> float:
    """Frequency (Hz) of the sustained oscillation in the second half of one run (0 if
    none), counted by :func:`_sustained_rate`: every cycle counts whether or not it
    reaches the model's spike detection level."""
    tr = simulate(model, duration, dt=dt, current=I, y0=y, method=method)
    return _sustained_rate(tr.t, tr.y[0], duration)


# ----------------------------------------------------------------------------- small signals
def _linearization(model: Model, I: float) -> tuple[np.ndarray, np.ndarray]:
    """Jacobian at the rest state and b = d(rhs)/dI (the right-hand side is affine in I)."""
    y = model.rest(I)
    J = np.asarray(model.jacobian(y, I), dtype=float)
    b = np.asarray(model.rhs(y, I + 1.0) - model.rhs(y, I), dtype=float)
    return J, b


def impedance(model: Model, freqs: Sequence[float] | np.ndarray | float,
              I: float = 0.0) -> np.ndarray:
    """Small-signal impedance of the resting state, from the linearized equations.

    For a small current ``I + dI(t)`` the deviation of the state from rest obeys
    ``dy' = J dy + b dI`` with ``J`` the Jacobian at rest and ``b = d(rhs)/dI`` (``1/C``
    in the voltage row of a conductance-based model). A sinusoidal current of
    frequency ``f`` then drives the voltage with the complex gain

        Z(f) = e_V^T (i omega - J)^(-1) b,   omega = 2 pi f / 1000 (rad/ms).

    Parameters
    ----------
    model : Model
        Any spiking model with a stable resting state at ``I`` (resets of hybrid models
        play no part below threshold).
    freqs : float or array_like
        Frequencies (Hz, >= 0); for FitzHugh-Nagumo, cycles per 1000 time units.
    I : float
        Constant current at which the rest state is taken (``current_unit``).

    Returns
    -------
    numpy.ndarray of complex
        ``Z`` in voltage units per current unit, same shape as ``freqs``: mV/(uA/cm2)
        = kOhm cm2 for the conductance-based models, mV/nA = MOhm for the LIF, mV per
        current unit for Izhikevich, dimensionless for FitzHugh-Nagumo.
        ``|Z|`` is the amplitude ratio and ``angle(Z)`` the phase lead of the voltage.

    Raises
    ------
    ValueError
        For negative or non-finite frequencies, or if there is no stable rest at ``I``.
    """
    _check_model(model)
    I = check_number("I", I)
    f = check_array("freqs", freqs)
    if f.size and np.any(f < 0):
        raise ValueError(f"freqs must be >= 0 Hz, got {f.min():g}")
    J, b = _linearization(model, I)
    n = model.n_states
    w = 2.0 * np.pi * f.ravel() / 1000.0
    A = 1j * w[:, None, None] * np.eye(n) - J[None]
    x = np.linalg.solve(A, np.broadcast_to(b, (w.size, n))[..., None])[..., 0]
    return x[:, 0].reshape(f.shape)


def resonant_frequency(model: Model, I: float = 0.0,
                       f_range: tuple[float, float] = (0.0, 1000.0)) -> float:
    """Frequency (Hz) at which the resting state's impedance ``|Z|`` is largest.

    ``|Z|`` is scanned on 2001 frequencies across ``f_range`` and the best one refined
    by bounded golden-section search. Returns 0 when the largest ``|Z|`` is at the
    lowest frequency of the range (no resonance: an integrator's low-pass response).

    Parameters
    ----------
    model : Model
        Any spiking model with a stable rest at ``I``.
    I : float
        Constant current (``current_unit``).
    f_range : (float, float)
        Frequencies searched (Hz, >= 0).

    Returns
    -------
    float
        Resonant frequency (Hz; per 1000 time units for FitzHugh-Nagumo), or 0.

    Raises
    ------
    ValueError
        For an invalid ``f_range``, or if there is no stable rest at ``I``.
    """
    from scipy.optimize import minimize_scalar

    lo, hi = check_range("f_range", f_range, 0.0)
    f = np.linspace(lo, hi, 2001)
    z = np.abs(impedance(model, f, I))
    k = int(np.argmax(z))
    if k == 0:
        return 0.0
    if k == f.size - 1:
        return float(hi)
    res = minimize_scalar(lambda x: -abs(complex(impedance(model, x, I))),
                          bounds=(f[k - 1], f[k + 1]), method="bounded",
                          options={"xatol": 1e-6 * max(1.0, f[k])})
    return float(res.x)


def integrator_or_resonator(model: Model, I: float = 0.0) -> str:
    """Whether the resting state is an integrator or a resonator.

    Decided by the slow eigenvalues of the Jacobian at rest: a complex pair means that
    small perturbations decay as damped oscillations, a resonator (Izhikevich 2007,
    ch. 7); real eigenvalues mean a monotone decay, an integrator. "Slow" means
    decaying at most ten times faster than the slowest mode: in Hodgkin-Huxley the
    slowest eigenvalue is real (about -0.12/ms) but the ringing pair (-0.20 +- 0.38i
    /ms) shapes the subthreshold response, while a much faster pair would not.
    In one and two dimensions this is the usual test (a focus is a resonator, a node
    an integrator). Note that a slow negative feedback can give an impedance peak
    without complex eigenvalues (e.g. the Izhikevich RS cell); this function follows
    the eigenvalues.

    Parameters
    ----------
    model : Model
        Any spiking model with a stable rest at ``I``.
    I : float
        Constant current (``current_unit``).

    Returns
    -------
    str
        ``"resonator"`` or ``"integrator"``.

    Raises
    ------
    ValueError
        If there is no stable rest at ``I``.
    """
    _check_model(model)
    I = check_number("I", I)
    J, _ = _linearization(model, I)
    return "resonator" if _slow_pair(np.linalg.eigvals(J)) is not None else "integrator"


def _slow_pair(ev: np.ndarray) -> complex | None:
    """The slowest complex eigenvalue (Im > 0) decaying at most 10 times faster than the
    slowest mode, or None."""
    slowest = float(np.max(ev.real))
    cplx = ev[ev.imag > 1e-9 * np.maximum(1.0, np.abs(ev))]
    cplx = cplx[cplx.real >= 10.0 * slowest] if slowest < 0 else cplx
    return complex(cplx[np.argmax(cplx.real)]) if cplx.size else None


# ----------------------------------------------------------------------------- pulses
@dataclass
class PulseResponse:
    """Responses to trains of brief current pulses, one run per interval.

    Attributes
    ----------
    intervals : numpy.ndarray
        Onset-to-onset intervals between pulses (ms), one per run.
    amplitude : float
        Pulse height (``current_unit``) above the holding current ``I``.
    width : float
        Pulse duration (ms).
    onset : float
        Onset of the first pulse (ms).
    n_pulses : int
        Pulses per train.
    t : numpy.ndarray
        Time grid (ms).
    V : numpy.ndarray
        First state (membrane potential), shape (runs, time points).
    current : numpy.ndarray
        Injected current, shape (runs, time points).
    peak : numpy.ndarray
        Largest first-state value after the first onset, per run.
    n_spikes : numpy.ndarray
        Spikes per run.
    spiked : numpy.ndarray
        Whether each run spiked (bool).
    """

    intervals: np.ndarray
    amplitude: float
    width: float
    onset: float
    n_pulses: int
    t: np.ndarray
    V: np.ndarray
    current: np.ndarray
    peak: np.ndarray
    n_spikes: np.ndarray
    spiked: np.ndarray


def _train(onset: float, interval: float, n: int, amplitude: float, width: float,
           I: float) -> Stimulus:
    return pulses(onset + interval * np.arange(n), amplitude, width, baseline=I)


def _check_pulse_args(model: Model, amplitude: Any, width: Any, I: Any, n_pulses: Any,
                      onset: Any) -> tuple[float, float, float, int, float]:
    _check_model(model)
    amplitude = check_number("amplitude", amplitude)
    width = check_number("width", width, 0.0, lo_open=True)
    I = check_number("I", I)
    n_pulses = check_int("n_pulses", n_pulses, 1, 100)
    onset = check_number("onset", onset, 0.0)
    return amplitude, width, I, n_pulses, onset


def pulse_pair_response(model: Model, intervals: Sequence[float] | np.ndarray,
                        amplitude: float, width: float = 1.0, I: float = 0.0, *,
                        n_pulses: int = 2, onset: float = 5.0, tail: float = 30.0,
                        dt: float | None = None, method: str | None = None
                        ) -> PulseResponse:
    """Response to ``n_pulses`` brief pulses for each interval between them (one batch).

    Every run starts at rest at the holding current ``I``; pulses of ``amplitude`` and
    ``width`` start at ``onset``, ``onset + interval``, ... and the run continues
    ``tail`` ms after the last pulse ends.

    Parameters
    ----------
    model : Model
        Any spiking model with a stable rest at ``I``.
    intervals : array_like
        Onset-to-onset intervals (ms, each > ``width``).
    amplitude : float
        Pulse height above ``I`` (``current_unit``).
    width : float
        Pulse duration (ms).
    I : float
        Holding current (``current_unit``).
    n_pulses : int
        Pulses per train (1 to 100).
    onset : float
        Onset of the first pulse (ms).
    tail : float
        Time recorded after the last pulse (ms).
    dt, method : optional
        Time step (ms) and integration method.

    Returns
    -------
    PulseResponse
        Traces, peak voltage and spike counts per interval.

    Raises
    ------
    ValueError
        For an invalid argument (named in the message), or no stable rest at ``I``.
    """
    amplitude, width, I, n_pulses, onset = _check_pulse_args(model, amplitude, width, I,
                                                             n_pulses, onset)
    iv = check_array("intervals", intervals, ndim=1)
    if iv.size == 0:
        raise ValueError("intervals must hold at least one interval, got []")
    if n_pulses > 1 and np.any(iv <= width):
        raise ValueError(f"intervals must exceed width={width:g} ms, got {iv.min():g}")
    tail = check_number("tail", tail, 0.0, lo_open=True)
    duration = onset + (n_pulses - 1) * float(iv.max()) + width + tail
    stims = [_train(onset, float(d), n_pulses, amplitude, width, I) for d in iv]
    r = run_batch(model, duration, stims, dt=dt, y0=model.rest(I), method=method,
                  record=True)
    V = r["states"][:, 0, :]
    after = r["t"] >= onset
    n_sp = np.array([s.size for s in r["spikes"]])
    return PulseResponse(iv, amplitude, width, onset, n_pulses, r["t"], V, r["currents"],
                         V[:, after].max(axis=1), n_sp, n_sp > 0)


def _threshold_search(model: Model, build: Callable[[np.ndarray], list[Stimulus]],
                      B: int, need: int, duration: float, amp_max: float, rel_tol: float,
                      dt: float | None, method: str | None,
                      y: np.ndarray) -> np.ndarray:
    """Smallest amplitude in (0, amp_max] per run giving ``need`` spikes (batched
    bisection, all runs in one batch per stage); inf where amp_max does not suffice."""
    def fires(amps: np.ndarray) -> np.ndarray:
        r = run_batch(model, duration, build(amps), dt=dt, y0=y, method=method,
                      record=False)
        return np.array([s.size >= need for s in r["spikes"]])

    hi = np.full(B, amp_max)
    ok = fires(hi)
    lo = np.zeros(B)
    while np.any(hi[ok] - lo[ok] > rel_tol * amp_max):
        mid = 0.5 * (lo + hi)
        f = fires(mid)
        hi = np.where(ok & f, mid, hi)
        lo = np.where(ok & ~f, mid, lo)
    return np.where(ok, hi, np.inf)


def _single_threshold(model: Model, width: float, I: float, onset: float, tail: float,
                      rel_tol: float, dt: float | None, method: str | None,
                      y: np.ndarray) -> float:
    """Amplitude threshold of one pulse: a doubling scan in one batch, then bisection."""
    span = model.current_range[1] - model.current_range[0]
    scan = 0.01 * span * 2.0 ** np.arange(10)
    duration = onset + width + tail
    while True:
        try:
            r = run_batch(model, duration,
                          [_train(onset, 1.0, 1, a, width, I) for a in scan],
                          dt=dt, y0=y, method=method, record=False)
            break
        except SimulationDiverged as err:  # a huge pulse: keep the smaller ones
            scan = scan[: getattr(err, "run", 1)]
            if scan.size == 0:
                raise
    f = np.array([s.size >= 1 for s in r["spikes"]])
    if not f.any():
        raise ValueError(f"no single pulse of width {width:g} ms up to {scan[-1]:g} "
                         f"{model.current_unit} makes {type(model).__name__} spike")
    top = float(scan[int(np.argmax(f))])
    return float(_threshold_search(
        model, lambda a: [_train(onset, 1.0, 1, float(x), width, I) for x in a], 1, 1,
        duration, top, rel_tol, dt, method, y)[0])


def _time_scale(model: Model, I: float) -> tuple[str, float]:
    """(kind, characteristic time in ms): the resonant period, or the slowest decay."""
    kind = integrator_or_resonator(model, I)
    if kind == "resonator":
        f = resonant_frequency(model, I)
        if f > 0:
            return kind, 1000.0 / f
    J, _ = _linearization(model, I)
    ev = np.linalg.eigvals(J)
    pair = _slow_pair(ev)
    if pair is not None:
        return kind, 2.0 * np.pi / abs(pair.imag)
    return kind, 1.0 / abs(float(np.max(ev.real)))


@dataclass
class ThreePulseResult:
    """Outcome of :func:`three_pulse_experiment`.

    Attributes
    ----------
    kind : str
        ``"resonator"`` or ``"integrator"`` (see :func:`integrator_or_resonator`).
    resonant_frequency : float
        Impedance peak (Hz), 0 for an integrator.
    resonant_interval : float
        ``1000 / resonant_frequency`` (ms), ``nan`` for an integrator.
    intervals : numpy.ndarray
        Intervals scanned (ms).
    threshold : numpy.ndarray
        Smallest pulse amplitude (``current_unit``) at which the train of ``n_pulses``
        pulses evokes a spike, per interval; ``inf`` where even ``1.5`` times the
        single-pulse threshold does not.
    single_threshold : float
        Amplitude threshold of one pulse alone.
    best_interval : float
        Interval of the lowest threshold (ms).
    amplitude : float
        Amplitude of the demonstration: slightly (``margin``) above the threshold at the
        resonant interval (resonator) or at the shortest interval (integrator), and
        below ``single_threshold``, so one pulse alone does not fire.
    demo : PulseResponse
        Runs at ``amplitude`` for three intervals: half, one and 1.5 times the resonant
        interval (resonator), or the shortest, a middle and the longest interval scanned
        (integrator).
    width : float
        Pulse duration (ms).
    n_pulses : int
        Pulses per train.
    """

    kind: str
    resonant_frequency: float
    resonant_interval: float
    intervals: np.ndarray
    threshold: np.ndarray
    single_threshold: float
    best_interval: float
    amplitude: float
    demo: PulseResponse
    width: float
    n_pulses: int


def _default_width(model: Model, dt: float | None, scale: float) -> float:
    h = model.default_dt if dt is None else check_number("dt", dt, 0.0, lo_open=True)
    return max(2.0 * h, h * round(scale / h))


def three_pulse_experiment(model: Model, intervals: Sequence[float] | None = None, *,
                           I: float = 0.0, n_pulses: int = 3, width: float | None = None,
                           onset: float = 5.0, margin: float = 0.02,
                           rel_tol: float = 1e-3, dt: float | None = None,
                           method: str | None = None) -> ThreePulseResult:
    """Which spacing of a few small pulses makes the neuron fire?

    A resonator fires most easily when the pulses arrive at its resonant interval (one
    period of its damped oscillation, ``1000 / resonant_frequency``); an integrator
    fires most easily when they arrive as close together as possible (Izhikevich 2007,
    ch. 7). For every interval the amplitude threshold of the train is found by
    batched bisection; then a demonstration amplitude is chosen just above the
    threshold at the preferred interval and the train is replayed at a few intervals.

    Parameters
    ----------
    model : Model
        Any spiking model with a stable rest at ``I``.
    intervals : array_like, optional
        Intervals to scan (ms, each > ``width``); default 15 values from 0.4 to 2 times
        the resonant interval (resonator; at much shorter intervals the pulses merge
        into one larger pulse, which any neuron sums) or from 0.1 to 2 times the slowest decay
        time at rest (integrator), plus the resonant interval itself.
    I : float
        Holding current (``current_unit``).
    n_pulses : int
        Pulses per train (>= 2).
    width : float, optional
        Pulse duration (ms); default about 5 % of the time scale above.
    onset : float
        Onset of the first pulse (ms).
    margin : float
        Relative excess of the demonstration amplitude over its threshold.
    rel_tol : float
        Resolution of the amplitude thresholds, relative to their search range.
    dt, method : optional
        Time step (ms) and integration method.

    Returns
    -------
    ThreePulseResult
        Thresholds per interval and the demonstration runs.

    Raises
    ------
    ValueError
        For invalid arguments, no stable rest at ``I``, or if no train in the scan
        fires below 1.5 times the single-pulse threshold.
    """
    _check_model(model)
    I = check_number("I", I)
    n_pulses = check_int("n_pulses", n_pulses, 2, 100)
    margin = check_number("margin", margin, 0.0, 0.5, lo_open=True)
    rel_tol = check_number("rel_tol", rel_tol, 0.0, 0.1, lo_open=True)
    onset = check_number("onset", onset, 0.0)
    kind, T = _time_scale(model, I)
    width = (_default_width(model, dt, 0.05 * T) if width is None
             else check_number("width", width, 0.0, lo_open=True))
    if intervals is None:
        if kind == "resonator":
            iv = np.unique(np.append(T * np.linspace(0.4, 2.0, 15), T))
        else:
            iv = T * np.linspace(0.1, 2.0, 15)
        iv = iv[iv > width]
    else:
        iv = check_array("intervals", intervals, ndim=1)
        if iv.size == 0 or np.any(iv <= width):
            raise ValueError(f"intervals must be non-empty and exceed width={width:g} ms, "
                             f"got {iv.tolist()}")
    tail = max(20.0, 2.0 * T)
    y = model.rest(I)
    single = _single_threshold(model, width, I, onset, tail, rel_tol, dt, method, y)
    duration = onset + (n_pulses - 1) * float(iv.max()) + width + tail
    thr = _threshold_search(
        model, lambda a: [_train(onset, float(d), n_pulses, float(x), width, I)
                          for d, x in zip(iv, a, strict=True)],
        iv.size, 1, duration, 1.5 * single, rel_tol, dt, method, y)
    if not np.isfinite(thr).any():
        raise ValueError(f"no train of {n_pulses} pulses fires below 1.5 times the "
                         f"single-pulse threshold {single:g} {model.current_unit}")
    if kind == "resonator" and resonant_frequency(model, I) > 0:
        f_res = resonant_frequency(model, I)
        k = int(np.argmin(np.abs(iv - T)))
        demo_iv = np.array([0.5 * iv[k], iv[k], 1.5 * iv[k]])
        demo_iv = demo_iv[demo_iv > width]
    else:
        f_res, T = 0.0, math.nan
        k = 0
        demo_iv = np.array([iv[0], iv[iv.size // 2], iv[-1]])
    base = thr[k] if np.isfinite(thr[k]) else float(np.min(thr))
    amp = (1.0 + margin) * base
    demo = pulse_pair_response(model, demo_iv, amp, width, I, n_pulses=n_pulses,
                               onset=onset, tail=tail, dt=dt, method=method)
    return ThreePulseResult(kind, f_res, T, iv, thr, single, float(iv[int(np.argmin(thr))]),
                            amp, demo, width, n_pulses)


@dataclass
class RefractoryResult:
    """Outcome of :func:`refractory_response`.

    Attributes
    ----------
    delays : numpy.ndarray
        Onset-to-onset delay of the second pulse after the first (ms).
    threshold : numpy.ndarray
        Smallest second-pulse amplitude (``current_unit``) that evokes a second spike;
        ``inf`` where no amplitude up to ``amp_max`` does (absolute refractoriness).
    single_threshold : float
        Threshold of one pulse from rest.
    first_amplitude : float
        Amplitude of the first, suprathreshold pulse.
    amp_max : float
        Largest second-pulse amplitude tried.
    width : float
        Pulse duration (ms).
    """

    delays: np.ndarray
    threshold: np.ndarray
    single_threshold: float
    first_amplitude: float
    amp_max: float
    width: float

    @property
    def absolute(self) -> np.ndarray:
        """Delays at which no amplitude in range evokes a second spike (bool mask)."""
        return ~np.isfinite(self.threshold)


def refractory_response(model: Model, delays: Sequence[float] | np.ndarray, *,
                        I: float = 0.0, width: float = 0.5,
                        first_amplitude: float | None = None,
                        amp_max: float | None = None, onset: float = 5.0,
                        tail: float = 30.0, rel_tol: float = 1e-3,
                        dt: float | None = None, method: str | None = None
                        ) -> RefractoryResult:
    """Second-pulse threshold as a function of the delay after a spike.

    A first pulse (``first_amplitude``, by default twice the single-pulse threshold)
    evokes a spike; a second pulse follows after each delay, and batched bisection
    finds the smallest amplitude that evokes a second spike. During the absolute
    refractory period no amplitude up to ``amp_max`` succeeds (threshold ``inf``);
    during the relative refractory period a larger amplitude than the single-pulse
    threshold is needed; at long delays the threshold returns to it.

    Parameters
    ----------
    model : Model
        Any spiking model with a stable rest at ``I``.
    delays : array_like
        Onset-to-onset delays (ms, each >= ``width``).
    I : float
        Holding current (``current_unit``).
    width : float
        Duration of each pulse (ms).
    first_amplitude : float, optional
        Amplitude of the first pulse; must evoke exactly one spike.
    amp_max : float, optional
        Largest second-pulse amplitude tried; default 10 times the single-pulse
        threshold.
    onset : float
        Onset of the first pulse (ms).
    tail : float
        Time simulated after the second pulse (ms).
    rel_tol : float
        Resolution of the thresholds relative to ``amp_max``.
    dt, method : optional
        Time step (ms) and integration method.

    Returns
    -------
    RefractoryResult

    Raises
    ------
    ValueError
        For invalid arguments, no stable rest at ``I``, or a first pulse that does not
        evoke exactly one spike.
    """
    _check_model(model)
    I = check_number("I", I)
    width = check_number("width", width, 0.0, lo_open=True)
    onset = check_number("onset", onset, 0.0)
    tail = check_number("tail", tail, 0.0, lo_open=True)
    rel_tol = check_number("rel_tol", rel_tol, 0.0, 0.1, lo_open=True)
    d = check_array("delays", delays, ndim=1)
    if d.size == 0 or np.any(d < width):
        raise ValueError(f"delays must be non-empty and >= width={width:g} ms, got "
                         f"{d.tolist()}")
    y = model.rest(I)
    single = _single_threshold(model, width, I, onset, tail, rel_tol, dt, method, y)
    first = (2.0 * single if first_amplitude is None
             else check_number("first_amplitude", first_amplitude, 0.0, lo_open=True))
    amp_max = (10.0 * single if amp_max is None
               else check_number("amp_max", amp_max, 0.0, lo_open=True))
    duration = onset + float(d.max()) + width + tail
    alone = run_batch(model, duration, [_train(onset, 1.0, 1, first, width, I)], dt=dt,
                      y0=y, method=method, record=False)["spikes"][0].size
    if alone != 1:
        raise ValueError(f"first_amplitude={first:g} {model.current_unit} must evoke "
                         f"exactly one spike, got {alone} (single-pulse threshold "
                         f"{single:g})")

    def build(amps: np.ndarray) -> list[Stimulus]:
        return [pulses([onset, onset + float(di)], [first, float(a)], width, baseline=I)
                for di, a in zip(d, amps, strict=True)]

    thr = _threshold_search(model, build, d.size, 2, duration, amp_max, rel_tol, dt,
                            method, y)
    return RefractoryResult(d, thr, single, first, amp_max, width)


# ----------------------------------------------------------------------------- AP stages
@dataclass(frozen=True)
class Stages:
    """Boundaries (ms) of the stages of one action potential on a simulated trace.

    Attributes
    ----------
    onset : float
        Start of the stimulus pulse: the end of stage 1 (equilibrium).
    amplification : float or None
        First time after ``onset`` at which the membrane, above its resting potential,
        depolarizes on its own (net ionic current inward: the model's dV/dt with no
        injected current is positive). Ends stage 2 (depolarization). None without
        a spike.
    peak : float or None
        Time of the voltage maximum: ends stage 3 (amplification).
    repolarized : float or None
        First time after the peak with V back below rest: ends stage 4 (repolarization).
    ahp_end : float or None
        First time after ``repolarized`` with V back above rest (or the end of the
        trace): ends stage 5 (after-hyperpolarization).
    v_rest : float
        Resting potential (mV).
    """

    onset: float
    amplification: float | None
    peak: float | None
    repolarized: float | None
    ahp_end: float | None
    v_rest: float

    @property
    def spiked(self) -> bool:
        """Whether the trace holds a full spike."""
        return self.peak is not None


def action_potential_stages(trace: Trace, onset: float) -> Stages:
    """Split a single-spike trace of a conductance-based model into its stages.

    The boundaries follow the definitions of :class:`Stages`: amplification starts
    where the ionic currents alone depolarize the membrane (the model's dV/dt at zero
    injected current turns positive above rest: the regenerative sodium current of
    Hodgkin and Huxley 1952 outweighs the others); the after-hyperpolarization is the
    stretch below rest after the peak (V between E_K and rest).

    Parameters
    ----------
    trace : Trace
        A run of a model with a stable rest at zero current, started at rest and given
        one brief pulse at ``onset`` (ms).
    onset : float
        Pulse onset (ms), within the trace.

    Returns
    -------
    Stages
        Stage boundaries; only ``onset`` and ``v_rest`` when the trace has no spike.

    Raises
    ------
    ValueError
        If ``trace`` is not a :class:`~neurolab.simulate.Trace`, ``onset`` lies outside
        it, or the model has no stable rest at zero current.
    """
    if not isinstance(trace, Trace):
        raise ValueError(f"trace must be a neurolab Trace (from simulate), got {trace!r:.80}")
    model = trace.model
    t = trace.t
    onset = check_number("onset", onset, float(t[0]), float(t[-1]))
    V = trace.states[model.state_names[0]]
    v_rest = float(model.rest(0.0)[0])
    if len(trace.spike_times) == 0:
        return Stages(onset, None, None, None, None, v_rest)
    y = np.stack([trace.states[n] for n in model.state_names])
    own = model.rhs(y, 0.0)[0]  # dV/dt from the ionic currents alone (mV/ms)
    k_peak = int(np.argmax(V))
    after = (t >= onset) & (np.arange(t.size) <= k_peak)
    cand = np.flatnonzero(after & (own > 0.0) & (V > v_rest + 0.5))
    amp = float(t[cand[0]]) if cand.size else onset
    below = np.flatnonzero(V[k_peak:] < v_rest)
    rep = float(t[k_peak + below[0]]) if below.size else None
    ahp_end = None
    if below.size:
        k0 = k_peak + below[0]
        back = np.flatnonzero(V[k0:] >= v_rest)
        ahp_end = float(t[k0 + back[0]]) if back.size else float(t[-1])
    return Stages(onset, amp, float(t[k_peak]), rep, ahp_end, v_rest)
