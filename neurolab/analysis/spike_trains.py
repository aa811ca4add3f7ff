"""Spike trains as point processes: Poisson generation, rho(t), ISIs, CV, Fano factor, PSTH.

Times are in ms and rates in Hz throughout, so a rate r times a duration T in ms gives
the expected count r T / 1000.

Generating a Poisson train
--------------------------
Time is cut into bins of width dt. In each bin one uniform number u is drawn and a spike
is placed at the bin's start time when u < p = r dt / 1000. The count in a bin is then 0
or 1 (a Bernoulli trial), whereas a Poisson process would put two or more spikes into
the bin with probability

    P(>= 2) = 1 - e^{-p} (1 + p)  (about p^2 / 2).

The mean count is exactly right (p per bin), but the variance of the count is p (1 - p)
instead of p, so the Fano factor of the counts is 1 - p and the ISIs (multiples of dt
with a geometric distribution) have CV sqrt(1 - p) instead of 1. The method therefore
needs p << 1. It is refused when p >= 1 (a bin cannot hold the rate) and warned about
when p > :data:`WARN_PROBABILITY` = 0.1: there the Fano factor and squared CV are at
least 10 % too low and P(>= 2) exceeds 0.0047: about one in twenty of the bins that
should hold a spike should hold more than one.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import gammaln

from .._validation import check_array, check_choice, check_int, check_number, check_positive

__all__ = [
    "WARN_PROBABILITY", "poisson_spike_train", "response_function", "isi", "cv",
    "fano_factor", "psth", "firing_rate", "poisson_probability", "KERNELS",
]

#: Spike probability per bin, r dt / 1000, above which :func:`poisson_spike_train` warns.
WARN_PROBABILITY = 0.1

#: Kernels accepted by :func:`firing_rate`.
KERNELS = ("gaussian", "box", "exponential")

_REL_TOL = 1e-9


def _n_bins(duration: float, dt: float) -> int:
    # Number of bins [k dt, (k+1) dt) that start before `duration`.
    return max(1, int(math.ceil(duration / dt - _REL_TOL)))


def _rng(rng: Any) -> np.random.Generator:
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng must be a non-negative int seed or a Generator, got {rng}")
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be None, an int seed or a numpy Generator, got {rng!r}")


def _rate_on_grid(rate: Any, t: np.ndarray) -> np.ndarray:
    n = t.size
    if callable(rate):
        try:
            values = np.asarray(rate(t), dtype=float)
        except (TypeError, ValueError):
            values = None
        if values is None or (values.ndim != 0 and values.shape != (n,)):
            try:
                values = np.array([float(rate(float(tk))) for tk in t])
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"rate, a callable, must return a rate in Hz for t in ms: {exc}"
                ) from None
        values = np.broadcast_to(values, (n,)).astype(float)
        if not np.all(np.isfinite(values)):
            bad = values[~np.isfinite(values)][0]
            raise ValueError(f"rate, a callable, returned a non-finite value ({bad}) on the grid")
    elif np.ndim(rate) == 0:
        values = np.full(n, check_number("rate", rate, 0.0, math.inf))
    else:
        values = check_array("rate", rate, ndim=1)
        if values.shape != (n,):
            raise ValueError(
                f"rate, an array, must have one value per bin of the time grid "
                f"(t = k dt, k = 0..{n - 1}): expected {n} values, got {values.size}"
            )
    if np.any(values < 0):
        bad = values[values < 0][0]
        raise ValueError(f"rate must be non-negative (Hz), found {bad:g}")
    return values


def poisson_spike_train(
    rate: float | np.ndarray | Callable[[np.ndarray], Any],
    duration: float,
    dt: float = 0.1,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """Draw a (possibly inhomogeneous) Poisson spike train, one uniform number per bin.

    The time axis is cut into ``n = ceil(duration / dt)`` bins starting at
    ``t_k = k dt``. In bin k a spike occurs, at time ``t_k``, when a uniform number
    is below ``p_k = rate(t_k) dt / 1000``. See the module notes for the bias this
    one-spike-per-bin rule introduces (Fano factor ``1 - p``).

    Parameters
    ----------
    rate : float, array_like or callable
        Firing rate (Hz): a non-negative number; an array with one value per bin
        (``t = np.arange(n) * dt``); or a function of time in ms (called with the array
        of bin start times, or with one time at a time if that fails).
    duration : float
        Length of the train (ms), positive.
    dt : float, optional
        Bin width (ms), positive and at most ``duration``. Default 0.1 ms.
    rng : numpy.random.Generator or int, optional
        Random generator, or a seed for a new one. Default: fresh entropy.

    Returns
    -------
    numpy.ndarray
        Spike times (ms), sorted, each a bin start ``k dt``.

    Raises
    ------
    ValueError
        If ``rate * dt / 1000 >= 1`` in some bin (the message gives the product, the rate
        and dt, and the largest dt that would work), or any argument is invalid.

    Warns
    -----
    UserWarning
        If ``rate * dt / 1000`` exceeds :data:`WARN_PROBABILITY` (0.1) somewhere: the
        count variance is then at least 10 % too low.
    """
    duration = check_positive("duration", duration)
    dt = check_number("dt", dt, 0.0, duration, lo_open=True)
    gen = _rng(rng)
    n = _n_bins(duration, dt)
    t = np.arange(n) * dt
    r = _rate_on_grid(rate, t)
    p = r * (dt / 1000.0)
    k = int(np.argmax(p)) if n else 0
    p_max = float(p[k])
    if p_max >= 1.0:
        raise ValueError(
            f"rate * dt must be well below 1 for the one-spike-per-bin method, but "
            f"rate * dt = {p_max:g} (rate {r[k]:g} Hz x dt {dt:g} ms / 1000) at t = {t[k]:g} ms; "
            f"use a smaller dt, below {1000.0 / r[k]:g} ms (ideally 1/10 of that)"
        )
    if p_max > WARN_PROBABILITY:
        two_or_more = 1.0 - math.exp(-p_max) * (1.0 + p_max)
        warnings.warn(
            f"rate * dt = {p_max:g} (rate {r[k]:g} Hz x dt {dt:g} ms / 1000) exceeds "
            f"{WARN_PROBABILITY:g}: a Poisson process would put 2 or more spikes in a bin "
            f"with probability {two_or_more:.3g}, which this method cannot represent, so the "
            f"count variance is {100 * p_max:.0f} % too low; use a smaller dt",
            UserWarning,
            stacklevel=2,
        )
    u = gen.random(n)
    return t[u < p]


def _as_train(name: str, spike_times: Any) -> np.ndarray:
    s = check_array(name, spike_times)
    if s.ndim == 0:
        s = s.reshape(1)
    if s.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of spike times (ms), got shape {s.shape}")
    return s


def _as_trains(trains: Any) -> list[np.ndarray]:
    """One train (1-D array of times) or several (a 2-D array or a sequence of arrays)."""
    if isinstance(trains, np.ndarray):
        if trains.ndim == 1:
            return [_as_train("trains", trains)]
        if trains.ndim == 2:
            return [_as_train(f"trains[{i}]", row) for i, row in enumerate(trains)]
        raise ValueError(f"trains must be a 1-D or 2-D array or a list of arrays, "
                         f"got shape {trains.shape}")
    if not isinstance(trains, Sequence) or isinstance(trains, (str, bytes)):
        raise ValueError(f"trains must be an array of spike times or a list of them, "
                         f"got {trains!r}")
    if len(trains) == 0:
        raise ValueError("trains must hold at least one train (an empty list has none; "
                         "a train without spikes is an empty array inside the list)")
    if all(np.ndim(x) == 0 for x in trains):
        return [_as_train("trains", trains)]
    return [_as_train(f"trains[{i}]", x) for i, x in enumerate(trains)]


def _grid_step(t: Any) -> tuple[np.ndarray, float]:
    t = check_array("t", t, ndim=1)
    if t.size < 2:
        raise ValueError(f"t must be a uniform time grid with at least 2 points, got {t.size}")
    d = np.diff(t)
    dt = float(d.mean())
    if dt <= 0 or not np.allclose(d, dt, rtol=1e-6, atol=0.0):
        raise ValueError("t must be an increasing, uniformly spaced time grid (ms)")
    return t, dt


def response_function(spike_times: Any, t: Any) -> np.ndarray:
    """Neural response function rho(t) = sum_i delta(t - t_i) sampled on a time grid.

    On a grid of width dt a Dirac delta is a box of height 1/dt over the bin that holds
    the spike, so that it integrates to 1. It is *not* "1 at the spike time": a delta has
    unit area, not unit height, and its height on the grid grows as dt shrinks. Hence
    ``rho.sum() * dt`` equals the number of spikes on the grid, and a bin with two spikes
    holds 2/dt.

    Parameters
    ----------
    spike_times : array_like
        Spike times (ms).
    t : array_like
        Uniform, increasing time grid (ms); bin k is ``[t[k], t[k] + dt)``. Spikes outside
        ``[t[0], t[-1] + dt)`` are not represented.

    Returns
    -------
    numpy.ndarray
        rho on the grid (1/ms), same shape as ``t``.
    """
    s = _as_train("spike_times", spike_times)
    t, dt = _grid_step(t)
    rho = np.zeros(t.size)
    if s.size:
        k = np.floor((s - t[0]) / dt + _REL_TOL).astype(np.int64)
        k = k[(k >= 0) & (k < t.size)]
        rho += np.bincount(k, minlength=t.size) / dt
    return rho


def isi(spike_times: Any) -> np.ndarray:
    """Inter-spike intervals of one train.

    Parameters
    ----------
    spike_times : array_like
        Spike times (ms), non-decreasing.

    Returns
    -------
    numpy.ndarray
        The n - 1 intervals (ms) between consecutive spikes; empty for fewer than two
        spikes.
    """
    s = _as_train("spike_times", spike_times)
    d = np.diff(s)
    if np.any(d < 0):
        raise ValueError("spike_times must be sorted in increasing order")
    return d


def cv(spike_times: Any) -> float:
    """Coefficient of variation of one train's inter-spike intervals.

    CV = std(ISI) / mean(ISI), with the sample standard deviation (divisor n - 1). It is
    1 for a Poisson process, 0 for a clock-like train.

    Parameters
    ----------
    spike_times : array_like
        Spike times (ms), non-decreasing; at least three spikes (two intervals).

    Returns
    -------
    float
        The coefficient of variation (dimensionless).

    Raises
    ------
    ValueError
        With fewer than two intervals, or if all intervals are zero.
    """
    n_spikes = _as_train("spike_times", spike_times).size
    d = isi(spike_times)
    if d.size < 2:
        raise ValueError(
            f"cv needs at least two inter-spike intervals (three spikes); spike_times has "
            f"{n_spikes} spike(s)"
        )
    m = float(d.mean())
    if m <= 0.0:
        raise ValueError("cv is undefined: every inter-spike interval is zero")
    return float(d.std(ddof=1) / m)


def _count(spike_times: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Spikes in each half-open bin [edges[k], edges[k+1])."""
    return np.diff(np.searchsorted(np.sort(spike_times), edges, side="left"))


def _span(trains: list[np.ndarray], duration: float | None, start: float, what: str
          ) -> float:
    if duration is not None:
        return check_positive("duration", duration)
    last = max((float(s.max()) for s in trains if s.size), default=None)
    if last is None or last <= start:
        raise ValueError(f"{what} needs duration (ms) when no spike lies after start; "
                         f"pass duration=")
    return last - start


def fano_factor(trains: Any, window: float, duration: float | None = None,
                start: float = 0.0) -> float:
    """Fano factor: variance over mean of spike counts in consecutive windows.

    The recording ``[start, start + duration)`` is cut into ``floor(duration / window)``
    consecutive windows of ``window`` ms (a shorter remainder at the end is dropped); the
    counts of every window of every train are pooled. A Poisson process gives 1. The
    variance uses the divisor n - 1.

    Parameters
    ----------
    trains : array_like or sequence of array_like
        One spike train (ms) or several.
    window : float
        Counting window (ms), positive and at most ``duration``.
    duration : float, optional
        Length of each recording (ms). If omitted, the time from ``start`` to the latest
        spike (pass it whenever you know it).
    start : float, optional
        Start of the recording (ms). Default 0.

    Returns
    -------
    float
        The Fano factor (dimensionless).

    Raises
    ------
    ValueError
        With fewer than two windows in all, or no spike in any window (mean count 0).
    """
    tr = _as_trains(trains)
    start = check_number("start", start)
    window = check_positive("window", window)
    T = _span(tr, duration, start, "fano_factor")
    n_win = int(math.floor(T / window + _REL_TOL))
    if n_win < 1:
        raise ValueError(f"window must be at most the duration ({T:g} ms), got {window:g} ms")
    if n_win * len(tr) < 2:
        raise ValueError(f"fano_factor needs at least two windows in all; window {window:g} ms "
                         f"fits {n_win} time(s) into {T:g} ms of {len(tr)} train(s)")
    edges = start + window * np.arange(n_win + 1)
    counts = np.concatenate([_count(s, edges) for s in tr]).astype(float)
    mean = counts.mean()
    if mean == 0.0:
        raise ValueError("the Fano factor is undefined: no spike fell in any window "
                         "(mean count 0)")
    return float(counts.var(ddof=1) / mean)


def psth(trains: Any, bin: float, duration: float | None = None, start: float = 0.0
         ) -> tuple[np.ndarray, np.ndarray]:
    """Peri-stimulus time histogram: the trial-averaged firing rate in bins.

    Parameters
    ----------
    trains : array_like or sequence of array_like
        One spike train (ms) or several trials, aligned to the same stimulus.
    bin : float
        Bin width (ms), positive.
    duration : float, optional
        Length of each trial (ms). If omitted, bins run up to the latest spike (pass it
        whenever you know it). A last bin cut short by ``duration`` is divided by its
        true width.
    start : float, optional
        Start of the trials (ms). Default 0.

    Returns
    -------
    centers : numpy.ndarray
        Bin centres (ms). The edges are ``start + k * bin`` (the last one at most
        ``start + duration``).
    rate : numpy.ndarray
        Spike count per bin divided by the number of trials and the bin width (Hz).
    """
    tr = _as_trains(trains)
    start = check_number("start", start)
    bin = check_positive("bin", bin)
    T = _span(tr, duration, start, "psth")
    if duration is None:
        # Whole bins, enough for the latest spike to fall inside the last one.
        n = int(math.floor(T / bin)) + 1
        end = start + n * bin
    else:
        n = int(math.ceil(T / bin - _REL_TOL))
        end = start + T
    edges = np.minimum(start + bin * np.arange(n + 1), end)
    edges[-1] = end
    counts = np.zeros(n)
    for s in tr:
        counts += _count(s, edges)
    widths = np.diff(edges)
    rate = counts / (len(tr) * widths / 1000.0)
    centers = 0.5 * (edges[:-1] + edges[1:])
    return centers, rate


def firing_rate(spike_times: Any, t: Any, kernel: str = "gaussian", width: float = 20.0
                ) -> np.ndarray:
    """Estimate a time-dependent firing rate by smoothing a spike train with a kernel.

    r(t) = 1000 * sum_i K(t - t_i), with K of unit area (1/ms), so the estimate
    integrates to the spike count (away from the ends of the train).

    Parameters
    ----------
    spike_times : array_like
        Spike times (ms) of one train.
    t : array_like
        Times at which to estimate the rate (ms), 1-D.
    kernel : {"gaussian", "box", "exponential"}, optional
        ``"gaussian"``: exp(-s^2 / (2 w^2)) / (sqrt(2 pi) w) (acausal);
        ``"box"``: 1/w on ``-w/2 <= s < w/2`` (a sliding window of width w: the count in
        the window over its length); ``"exponential"``: exp(-s / w) / w for s >= 0
        (causal: only past spikes count).
    width : float, optional
        w (ms): standard deviation, window length or time constant. Default 20 ms.

    Returns
    -------
    numpy.ndarray
        Rate estimate (Hz), one value per entry of ``t``.
    """
    s = np.sort(_as_train("spike_times", spike_times))
    t = check_array("t", t, ndim=1)
    kernel = check_choice("kernel", kernel, KERNELS)
    w = check_positive("width", width)
    out = np.zeros(t.size)
    if s.size == 0 or t.size == 0:
        return out
    if kernel == "box":
        lo = np.searchsorted(s, t - w / 2, side="right")
        hi = np.searchsorted(s, t + w / 2, side="right")
        # Spikes with t - w/2 < s <= t + w/2, i.e. -w/2 <= t - s < w/2.
        return (hi - lo) * (1000.0 / w)
    reach = 8.0 * w  # beyond 8 widths the kernel is below 1e-14 of its peak
    chunk = max(1, 2_000_000 // max(1, s.size))
    for a in range(0, t.size, chunk):
        tt = t[a:a + chunk]
        lo = int(np.searchsorted(s, tt[0] - reach, side="left"))
        hi = int(np.searchsorted(s, tt[-1] + reach, side="right"))
        if tt.size > 1 and np.any(np.diff(tt) < 0):
            lo, hi = 0, s.size
        lag = tt[:, None] - s[None, lo:hi]
        if kernel == "gaussian":
            k = np.exp(-0.5 * (lag / w) ** 2) / (math.sqrt(2.0 * math.pi) * w)
        else:
            k = np.where(lag >= 0, np.exp(-np.maximum(lag, 0.0) / w), 0.0) / w
        out[a:a + chunk] = 1000.0 * k.sum(axis=1)
    return out


def poisson_probability(n: Any, rate: float, window: float) -> float | np.ndarray:
    """Probability of exactly n spikes in a window of a homogeneous Poisson process.

    P(n) = (r T)^n e^{-r T} / n!, where T is the *length of the window* (not the time at
    which it starts or ends) and r T = rate * window / 1000 is the expected count.

    Parameters
    ----------
    n : int or array_like of int
        Spike count(s), non-negative integers.
    rate : float
        Firing rate r (Hz), non-negative.
    window : float
        Window length T (ms), positive.

    Returns
    -------
    float or numpy.ndarray
        The probability (a float for a single n).
    """
    rate = check_number("rate", rate, 0.0, math.inf)
    window = check_positive("window", window)
    if np.ndim(n) == 0:
        counts = np.array([check_int("n", n)])
    else:
        arr = np.asarray(n)
        if arr.dtype.kind not in "iu" or (arr.size and arr.min() < 0):
            raise ValueError(f"n must hold non-negative integers, got {n!r}")
        counts = arr.astype(np.int64)
    mu = rate * window / 1000.0
    if mu == 0.0:
        p = (counts == 0).astype(float)
    else:
        p = np.exp(counts * math.log(mu) - mu - gammaln(counts + 1.0))
    return float(p[0]) if np.ndim(n) == 0 else p.reshape(np.shape(n))
