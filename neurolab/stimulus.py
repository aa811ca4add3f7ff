"""Injected-current waveforms.

Every stimulus is a small immutable object that can be called on an array of times (ms)
and returns the current at those times, in the unit of the model it drives. Stimuli add
(``step(5, start=10) + sine(1, 8)``) and scale by numbers (``2 * pulses(...)``), so a
notebook can rebuild a published protocol from a few pieces and the engine can sample it
on its own time grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import check_array, check_int, check_number

__all__ = [
    "Stimulus", "Constant", "Step", "Ramp", "Pulses", "Sine", "Chirp", "Noise", "Sum",
    "Scaled", "constant", "step", "ramp", "pulses", "pulse_train", "sine", "chirp", "noise",
]


class Stimulus:
    """Base class: a current as a function of time (ms)."""

    def __call__(self, t: Any) -> np.ndarray:
        """Current at the times ``t`` (ms); returns an array of the same shape."""
        t = np.asarray(t, dtype=float)
        return self._eval(t)

    def _eval(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __add__(self, other: Any) -> Stimulus:
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            other = constant(other)
        if not isinstance(other, Stimulus):
            return NotImplemented
        left = self.parts if isinstance(self, Sum) else (self,)
        right = other.parts if isinstance(other, Sum) else (other,)
        return Sum(left + right)

    __radd__ = __add__

    def __mul__(self, factor: Any) -> Stimulus:
        if isinstance(factor, bool) or not isinstance(factor, (int, float)):
            return NotImplemented
        return Scaled(self, check_number("factor", factor))

    __rmul__ = __mul__

    def __neg__(self) -> Stimulus:
        return Scaled(self, -1.0)

    def __sub__(self, other: Any) -> Stimulus:
        return self + (-other)


def _window(t: np.ndarray, start: float, stop: float) -> np.ndarray:
    return (t >= start) & (t < stop)


def _check_window(start: Any, stop: Any) -> tuple[float, float]:
    start = check_number("start", start, 0.0)
    stop = float(stop) if stop == math.inf else check_number("stop", stop, 0.0)
    if not stop > start:
        raise ValueError(f"stop must be greater than start={start:g} ms, got {stop:g}")
    return start, stop


@dataclass(frozen=True)
class Constant(Stimulus):
    """A constant current."""

    value: float

    def _eval(self, t: np.ndarray) -> np.ndarray:
        return np.full(t.shape, self.value)


@dataclass(frozen=True)
class Step(Stimulus):
    """``baseline + amplitude`` on ``[start, stop)``, ``baseline`` elsewhere."""

    amplitude: float
    start: float = 0.0
    stop: float = math.inf
    baseline: float = 0.0

    def _eval(self, t: np.ndarray) -> np.ndarray:
        return self.baseline + np.where(_window(t, self.start, self.stop), self.amplitude, 0.0)


@dataclass(frozen=True)
class Ramp(Stimulus):
    """``baseline + slope (t - start)`` on ``[start, stop)``, ``baseline`` elsewhere."""

    slope: float
    start: float = 0.0
    stop: float = math.inf
    baseline: float = 0.0

    def _eval(self, t: np.ndarray) -> np.ndarray:
        return self.baseline + np.where(
            _window(t, self.start, self.stop), self.slope * (t - self.start), 0.0
        )


@dataclass(frozen=True)
class Pulses(Stimulus):
    """Rectangular pulses of ``width`` ms starting at ``times``, on top of ``baseline``."""

    times: tuple[float, ...]
    amplitudes: tuple[float, ...]
    width: float
    baseline: float = 0.0

    def _eval(self, t: np.ndarray) -> np.ndarray:
        out = np.full(t.shape, self.baseline)
        for t0, a in zip(self.times, self.amplitudes, strict=True):
            out = out + np.where(_window(t, t0, t0 + self.width), a, 0.0)
        return out


@dataclass(frozen=True)
class Sine(Stimulus):
    """``offset + amplitude sin(2 pi f t / 1000 + phase)`` on ``[start, stop)``."""

    amplitude: float
    frequency: float
    offset: float = 0.0
    phase: float = 0.0
    start: float = 0.0
    stop: float = math.inf

    def _eval(self, t: np.ndarray) -> np.ndarray:
        w = 2.0 * np.pi * self.frequency / 1000.0
        s = self.amplitude * np.sin(w * (t - self.start) + self.phase)
        return np.where(_window(t, self.start, self.stop), self.offset + s, 0.0)


@dataclass(frozen=True)
class Chirp(Stimulus):
    """Sine whose frequency rises linearly from ``f0`` to ``f1`` Hz over ``[start, stop)``."""

    amplitude: float
    f0: float
    f1: float
    start: float
    stop: float
    offset: float = 0.0

    def _eval(self, t: np.ndarray) -> np.ndarray:
        T = (self.stop - self.start) / 1000.0
        s = (t - self.start) / 1000.0
        k = (self.f1 - self.f0) / T
        phase = 2.0 * np.pi * (self.f0 * s + 0.5 * k * s * s)
        return np.where(_window(t, self.start, self.stop),
                        self.offset + self.amplitude * np.sin(phase), 0.0)

    def frequency(self, t: Any) -> np.ndarray:
        """Instantaneous frequency (Hz) at times ``t`` (ms) inside the window."""
        t = np.asarray(t, dtype=float)
        T = (self.stop - self.start) / 1000.0
        return self.f0 + (self.f1 - self.f0) * (t - self.start) / 1000.0 / T


@dataclass(frozen=True)
class Noise(Stimulus):
    """Seeded Gaussian noise current on ``[start, stop)``.

    The noise lives on its own grid of ``dt`` ms, so the same seed gives the same
    current whatever step the simulation uses. With ``tau = 0`` each bin of the grid
    holds an independent value (white noise of standard deviation ``std`` per bin); with
    ``tau > 0`` it is an Ornstein-Uhlenbeck process of correlation time ``tau`` ms and
    stationary standard deviation ``std``, linearly interpolated between grid points.
    """

    std: float
    mean: float = 0.0
    tau: float = 0.0
    dt: float = 0.1
    seed: int = 0
    start: float = 0.0
    stop: float = math.inf
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def samples(self, n: int) -> np.ndarray:
        """The first ``n`` grid values (current units), deterministic for the seed."""
        have = self._cache.get("x")
        if have is not None and have.shape[0] >= n:
            return have[:n]
        z = np.random.default_rng(self.seed).standard_normal(n)
        if self.tau == 0.0:
            x = self.std * z
        else:
            rho = math.exp(-self.dt / self.tau)
            x = np.empty(n)
            x[0] = self.std * z[0]
            s = self.std * math.sqrt(1.0 - rho * rho)
            from scipy.signal import lfilter

            x[1:] = lfilter([1.0], [1.0, -rho], s * z[1:], zi=[rho * x[0]])[0]
        self._cache["x"] = x
        return x

    def _eval(self, t: np.ndarray) -> np.ndarray:
        inside = _window(t, self.start, self.stop)
        rel = np.where(inside, t - self.start, 0.0)
        pos = rel / self.dt
        n = int(np.max(pos, initial=0.0)) + 2
        x = self.samples(n)
        i = np.floor(pos).astype(np.int64)
        if self.tau == 0.0:
            v = x[i]
        else:
            r = pos - i
            v = (1.0 - r) * x[i] + r * x[i + 1]
        return np.where(inside, self.mean + v, 0.0)


@dataclass(frozen=True)
class Sum(Stimulus):
    """The sum of several stimuli."""

    parts: tuple[Stimulus, ...]

    def _eval(self, t: np.ndarray) -> np.ndarray:
        out = np.zeros(t.shape)
        for p in self.parts:
            out = out + p._eval(t)
        return out


@dataclass(frozen=True)
class Scaled(Stimulus):
    """A stimulus multiplied by a number."""

    stimulus: Stimulus
    factor: float

    def _eval(self, t: np.ndarray) -> np.ndarray:
        return self.factor * self.stimulus._eval(t)


# ------------------------------------------------------------------------------ builders
def constant(value: float) -> Constant:
    """A constant current ``value`` (model current units)."""
    return Constant(check_number("value", value))


def step(amplitude: float, start: float = 0.0, stop: float = math.inf,
         baseline: float = 0.0) -> Step:
    """A step of current.

    Parameters
    ----------
    amplitude : float
        Height of the step above ``baseline`` (model current units).
    start, stop : float
        The step is on for ``start <= t < stop`` (ms); ``stop`` may be ``inf``.
    baseline : float
        Current outside the step.
    """
    start, stop = _check_window(start, stop)
    return Step(check_number("amplitude", amplitude), start, stop,
                check_number("baseline", baseline))


def ramp(slope: float, start: float = 0.0, stop: float = math.inf,
         baseline: float = 0.0) -> Ramp:
    """A linearly rising (or falling) current.

    Parameters
    ----------
    slope : float
        Rate of change (current units per ms) on ``[start, stop)``.
    start, stop : float
        Window of the ramp (ms); the current is ``baseline`` outside it.
    baseline : float
        Current before and after the ramp, and its value at ``start``.
    """
    start, stop = _check_window(start, stop)
    return Ramp(check_number("slope", slope), start, stop, check_number("baseline", baseline))


def pulses(times: Sequence[float], amplitude: float | Sequence[float] = 1.0,
           width: float = 1.0, baseline: float = 0.0) -> Pulses:
    """Rectangular pulses.

    Parameters
    ----------
    times : sequence of float
        Onsets of the pulses (ms, >= 0).
    amplitude : float or sequence of float
        Height of every pulse, or one height per pulse (current units).
    width : float
        Duration of each pulse (ms, > 0).
    baseline : float
        Current between pulses.
    """
    ts = check_array("times", times, ndim=1)
    if ts.size == 0:
        raise ValueError("times must list at least one pulse onset, got []")
    if np.any(ts < 0):
        raise ValueError(f"times must be >= 0 ms, got {ts.min():g}")
    amps = np.atleast_1d(check_array("amplitude", amplitude))
    if amps.ndim != 1 or amps.size not in (1, ts.size):
        raise ValueError(f"amplitude must be a number or have one value per pulse "
                         f"({ts.size}), got {amps.size}")
    amps = np.broadcast_to(amps, ts.shape)
    width = check_number("width", width, 0.0, lo_open=True)
    return Pulses(tuple(map(float, ts)), tuple(map(float, amps)), width,
                  check_number("baseline", baseline))


def pulse_train(amplitude: float, width: float, interval: float, start: float = 0.0,
                n: int | None = None, stop: float | None = None,
                baseline: float = 0.0) -> Pulses:
    """Regularly spaced identical pulses.

    Parameters
    ----------
    amplitude : float
        Height of each pulse (current units).
    width : float
        Duration of each pulse (ms); must be shorter than ``interval``.
    interval : float
        Onset-to-onset interval (ms).
    start : float
        Onset of the first pulse (ms).
    n : int, optional
        Number of pulses; or give ``stop`` (ms), the time before which onsets fall.
    baseline : float
        Current between pulses.
    """
    interval = check_number("interval", interval, 0.0, lo_open=True)
    width = check_number("width", width, 0.0, interval, lo_open=True, hi_open=True)
    start = check_number("start", start, 0.0)
    if (n is None) == (stop is None):
        raise ValueError("give exactly one of n (number of pulses) or stop (ms)")
    if n is not None:
        n = check_int("n", n, 1, 100_000)
    else:
        stop = check_number("stop", stop, start, lo_open=True)
        n = int(math.ceil((stop - start) / interval))
    times = start + interval * np.arange(n)
    return pulses(times, amplitude, width, baseline)


def sine(amplitude: float, frequency: float, offset: float = 0.0, phase: float = 0.0,
         start: float = 0.0, stop: float = math.inf) -> Sine:
    """A sinusoidal current ``offset + amplitude sin(2 pi frequency t + phase)``.

    Parameters
    ----------
    amplitude : float
        Peak deviation (current units).
    frequency : float
        Frequency (Hz, >= 0).
    offset : float
        Mean current while on.
    phase : float
        Phase at ``start`` (radians).
    start, stop : float
        Window (ms); the current is 0 outside it.
    """
    start, stop = _check_window(start, stop)
    return Sine(check_number("amplitude", amplitude), check_number("frequency", frequency, 0.0),
                check_number("offset", offset), check_number("phase", phase), start, stop)


def chirp(amplitude: float, f0: float, f1: float, start: float, stop: float,
          offset: float = 0.0) -> Chirp:
    """A sine sweeping linearly in frequency from ``f0`` to ``f1`` (Hz) over ``[start, stop)`` ms.

    Used to probe the frequency preference (impedance) of a neuron.
    """
    start, stop = _check_window(start, stop)
    if stop == math.inf:
        raise ValueError("stop must be finite for a chirp, got inf")
    return Chirp(check_number("amplitude", amplitude), check_number("f0", f0, 0.0),
                 check_number("f1", f1, 0.0), start, stop, check_number("offset", offset))


def noise(std: float, mean: float = 0.0, tau: float = 0.0, dt: float = 0.1, seed: int = 0,
          start: float = 0.0, stop: float = math.inf) -> Noise:
    """Seeded Gaussian noise current (white on a grid of ``dt`` ms, or Ornstein-Uhlenbeck).

    Parameters
    ----------
    std : float
        Standard deviation (current units, >= 0).
    mean : float
        Mean current while on.
    tau : float
        Correlation time (ms); 0 gives independent values in each bin of ``dt``.
    dt : float
        Grid of the noise (ms, in (0, 10]).
    seed : int
        Seed of the generator: the same seed gives the same current.
    start, stop : float
        Window (ms).
    """
    start, stop = _check_window(start, stop)
    return Noise(check_number("std", std, 0.0), check_number("mean", mean),
                 check_number("tau", tau, 0.0, 1e6), check_number("dt", dt, 0.0, 10.0,
                                                                  lo_open=True),
                 check_int("seed", seed, 0), start, stop)
