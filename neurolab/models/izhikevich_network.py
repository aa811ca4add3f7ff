"""Izhikevich's (2003) network of 1000 randomly coupled spiking neurons.

Source: E. M. Izhikevich, "Simple model of spiking neurons", IEEE Trans. Neural
Networks 14(6):1569-1572 (2003), Fig. 3 and the MATLAB listing printed with it.

The network (published values):

- ``n_exc`` = 800 excitatory neurons with a = 0.02, b = 0.2, c = -65 + 15 r^2,
  d = 8 - 6 r^2, and ``n_inh`` = 200 inhibitory ones with a = 0.02 + 0.08 r,
  b = 0.25 - 0.05 r, c = -65, d = 2, where r is drawn uniformly in [0, 1) for each
  neuron (r = 0 is a regular-spiking cell, an excitatory r near 1 a chattering one; an
  inhibitory r = 0 is low-threshold spiking, r = 1 fast spiking).
- All-to-all coupling: neuron j adds 0.5 U (excitatory j) or -U (inhibitory j), with U
  uniform in [0, 1) for each pair, to the input of every neuron (itself included) in the
  millisecond after it fires.
- Thalamic input: each millisecond every excitatory neuron receives 5 N(0, 1) and every
  inhibitory one 2 N(0, 1), drawn afresh.
- One step per millisecond: neurons with v >= 30 mV are reset (v <- c, u <- u + d) and
  their weights added to the input; then v takes two forward-Euler half steps of 0.5 ms
  with that input, and u one step of 1 ms with the new v. The equations are those of
  :class:`neurolab.models.Izhikevich` with its default coefficients
  (v' = 0.04 v^2 + 5 v + 140 - u + I, u' = a (b v - u)), and the parameter names
  (a, b, c, d, v_peak) mean the same.

We keep the published update exactly, quirks included: v can overshoot far above 30 mV
within the step that crosses it, and u is then updated with that value; this is part of
what the figure shows. Spike times are the grid times (whole ms) at which v >= 30 mV is
found, so they are one millisecond earlier than the MATLAB loop counter ``t``.

Why a loop of its own: the single-neuron engine (each model's generated loop) integrates
one neuron, or independent neurons in parallel, with accurate adaptive spike timing. A
network couples every neuron to every other through a weight matrix at each step, which
is a different structure, and the published fixed-step scheme is the model here. So the
network has its own compiled loop, a module-level ``@njit(cache=True)`` function that
loads from numba's cache in a fresh kernel (see ``shared/notes/numba-caching.md``).

The thalamic noise is drawn inside the loop from a xoshiro256++ generator with a
ziggurat transform to normal numbers (numba's ``np.random.randn`` costs about 60 ns a
number here, six times the whole budget of the network run). :func:`thalamic_input`
returns the very numbers the loop draws, and :func:`simulate_network` accepts any such
array instead, so a run can be reproduced by other code.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np
from numba import njit

from .._validation import check_int, check_number
from .base import ParamInfo, param
from .izhikevich import Izhikevich

__all__ = ["IzhikevichNetwork", "NetworkResult", "simulate_network", "thalamic_input",
           "NetworkDiverged"]

#: Step of the published scheme (ms); v takes two half steps of DT / 2.
DT = 1.0
#: Most neurons in one network (the dense weight matrix holds N^2 float32 numbers).
MAX_NEURONS = 5000
#: Most neuron-steps (neurons x ms) of one run.
MAX_NEURON_STEPS = 2_000_000_000


def _int_param(default: int, label: str, slider: tuple[int, int], meaning: str,
               valid: tuple[int, int]) -> Any:
    info = ParamInfo(label, "", (float(slider[0]), float(slider[1])), 1.0, meaning,
                     (float(valid[0]), float(valid[1])))
    return field(default=default, metadata={"info": info, "integer": True})


class NetworkDiverged(RuntimeError):
    """The network state became non-finite (possible with weights far above the
    published ones); ``time`` is the grid time (ms) where it was found."""

    def __init__(self, time: float) -> None:
        self.time = time
        super().__init__(f"the network state became non-finite at t = {time:g} ms; "
                         f"reduce the synaptic weights or the thalamic noise")


# ------------------------------------------------------------------ random numbers
# xoshiro256++ (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
# ACM TOMS 47(4), 2021) and the ziggurat method for normal numbers (Marsaglia & Tsang,
# J. Stat. Softw. 5(8), 2000) in the 128-layer form of Doornik ("An improved ziggurat
# method to generate normal random samples", 2005).
_ZIG_N = 128
_ZIG_R = 3.442619855899  # start of the tail
_ZIG_V = 9.91256303526217e-3  # area of each layer


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray]:
    x = np.zeros(_ZIG_N + 1)
    f = math.exp(-0.5 * _ZIG_R * _ZIG_R)
    x[0] = _ZIG_V / f
    x[1] = _ZIG_R
    for i in range(2, _ZIG_N):
        x[i] = math.sqrt(-2.0 * math.log(_ZIG_V / x[i - 1] + f))
        f = math.exp(-0.5 * x[i] * x[i])
    x[_ZIG_N] = 0.0
    ratio = x[1:] / x[:-1]
    return x, ratio


_ZIG_X, _ZIG_RATIO = _ziggurat_tables()
_U53 = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, inline="always")
def _next(s0, s1, s2, s3):
    """One 64-bit output of xoshiro256++ and the next state (four uint64 scalars).

    The state travels as scalars rather than in an array so that it stays in registers.
    """
    out = _rotl(s0 + s3, 23) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return out, s0, s1, s2, s3


@njit(cache=True, inline="always")
def _open01(r):
    """The top 53 bits of ``r`` as a uniform number in (0, 1]."""
    return ((r >> np.uint64(11)) + np.uint64(1)) * _U53


@njit(cache=True)
def _normal_slow(s0, s1, s2, s3, zx, ratio, u, i):
    """The rare branches of the ziggurat (the tail and the wedges), entered with the
    layer ``i`` and the uniform ``u`` in [-1, 1) that missed the rectangle."""
    while True:
        if i == 0:
            while True:
                r, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                x = math.log(_open01(r)) / _ZIG_R
                r, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                y = math.log(_open01(r))
                if -2.0 * y >= x * x:
                    break
            return (x - _ZIG_R if u < 0.0 else _ZIG_R - x), s0, s1, s2, s3
        x = u * zx[i]
        f0 = math.exp(-0.5 * (zx[i] * zx[i] - x * x))
        f1 = math.exp(-0.5 * (zx[i + 1] * zx[i + 1] - x * x))
        r, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
        if f1 + _open01(r) * (f0 - f1) < 1.0:
            return x, s0, s1, s2, s3
        r, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
        i = np.int64(r & np.uint64(127))
        u = 2.0 * (np.float64(r >> np.uint64(11)) * _U53) - 1.0
        if abs(u) < ratio[i]:
            return u * zx[i], s0, s1, s2, s3


@njit(cache=True)
def _fill_normal_row(s0, s1, s2, s3, zx, ratio, scale, out):
    """``out[i] = scale[i] * N(0, 1)`` for every i; returns the new generator state.

    Ziggurat: the low 7 bits of one 64-bit draw pick a layer, the top 53 a uniform
    number; 99% of the draws land in the layer's rectangle and cost nothing more.
    """
    for j in range(out.shape[0]):
        r, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
        i = np.int64(r & np.uint64(127))
        u = 2.0 * (np.float64(r >> np.uint64(11)) * _U53) - 1.0
        if abs(u) < ratio[i]:
            out[j] = scale[j] * (u * zx[i])
        else:
            x, s0, s1, s2, s3 = _normal_slow(s0, s1, s2, s3, zx, ratio, u, i)
            out[j] = scale[j] * x
    return s0, s1, s2, s3


@njit(cache=True)
def _fill_normal(state, zx, ratio, scale, out):
    """Fill the 2-D array ``out`` row by row with ``scale * N(0, 1)`` numbers."""
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for k in range(out.shape[0]):
        s0, s1, s2, s3 = _fill_normal_row(s0, s1, s2, s3, zx, ratio, scale, out[k])
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3


# ------------------------------------------------------------------ the time loop
@njit(cache=True)
def _network_loop(a, b, c, d, sigma, W, v, u, n_steps, v_peak, state, zx, ratio,
                  thalamic, use_thalamic, rec, rec_v, spike_t, spike_i):
    """Run the published scheme for ``n_steps`` steps of 1 ms.

    ``W[j, i]`` is the weight from neuron j to neuron i (float32; rows contiguous, so a
    spike adds one row, summed in float64). ``sigma`` scales the standard normal thalamic
    input of each neuron, drawn here from the xoshiro256++ ``state`` (updated in place),
    unless ``use_thalamic``, in which case row k of ``thalamic`` is the input during
    step k. ``v`` and ``u`` are
    updated in place. Spikes beyond the capacity of ``spike_t`` are counted, not stored.

    Returns ``(n_spikes, diverged_at)``; ``diverged_at`` is -1, or the grid step where v
    was found non-finite (a non-finite u makes v non-finite within two steps). The check
    sits in the spike test, so the update loop stays free of branches and vectorizes.
    """
    N = v.shape[0]
    cap = spike_t.shape[0]
    n_rec = rec.shape[0]
    syn = np.zeros(N)
    inp = np.zeros(N)
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    n_sp = 0
    for k in range(n_steps + 1):
        for r in range(n_rec):
            x = v[rec[r]]
            rec_v[r, k] = v_peak if x >= v_peak else x
        # Spikes found at grid time k: record, reset, and collect their weights.
        for i in range(N):
            syn[i] = 0.0
        for j in range(N):
            if not v[j] < v_peak:  # a spike, or a non-finite v
                if not math.isfinite(v[j]):
                    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
                    return n_sp, k
                if n_sp < cap:
                    spike_t[n_sp] = k
                    spike_i[n_sp] = j
                n_sp += 1
                if k < n_steps:
                    v[j] = c[j]
                    u[j] = u[j] + d[j]
                    row = W[j]
                    for i in range(N):
                        syn[i] += row[i]
        if k == n_steps:
            break
        if use_thalamic:
            inp[:] = thalamic[k]
        else:
            s0, s1, s2, s3 = _fill_normal_row(s0, s1, s2, s3, zx, ratio, sigma, inp)
        for i in range(N):
            I = inp[i] + syn[i]
            vi = v[i]
            ui = u[i]
            vi = vi + 0.5 * (0.04 * vi * vi + 5.0 * vi + 140.0 - ui + I)
            vi = vi + 0.5 * (0.04 * vi * vi + 5.0 * vi + 140.0 - ui + I)
            ui = ui + a[i] * (b[i] * vi - ui)
            v[i] = vi
            u[i] = ui
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return n_sp, -1


# ------------------------------------------------------------------ the network
@dataclass(frozen=True)
class IzhikevichNetwork:
    """The randomly coupled network of Izhikevich (2003), Fig. 3.

    The defaults are the published values (see the module docstring). ``seed`` fixes the
    random parts of the network (each neuron's r and every weight) and, unless
    :func:`simulate_network` is given another ``noise_seed``, its thalamic input.

    Parameters
    ----------
    n_exc, n_inh : int
        Numbers of excitatory and inhibitory neurons (800 and 200); together at most
        ``MAX_NEURONS``.
    seed : int
        Seed (>= 0) of the network's random numbers.
    w_exc, w_inh : float
        Largest excitatory and inhibitory weights (0.5 and 1): a spike of presynaptic j
        adds w_exc U or -w_inh U, U uniform in [0, 1), to the input (model current
        units, mV/ms) for one millisecond.
    noise_exc, noise_inh : float
        Standard deviations of the thalamic input (5 and 2, model current units).
    v_peak : float
        Spike cut-off (30 mV).
    """

    n_exc: int = _int_param(800, "N_exc", (0, 2000), "number of excitatory neurons",
                            (0, MAX_NEURONS))
    n_inh: int = _int_param(200, "N_inh", (0, 500), "number of inhibitory neurons",
                            (0, MAX_NEURONS))
    seed: int = _int_param(0, "seed", (0, 100), "seed of the random network and input",
                           (0, 2**63 - 1))
    w_exc: float = param(0.5, "w_exc", "mV/ms", (0.0, 2.0), 0.05,
                         "largest excitatory weight", (0.0, 100.0))
    w_inh: float = param(1.0, "w_inh", "mV/ms", (0.0, 4.0), 0.05,
                         "largest inhibitory weight (its magnitude)", (0.0, 100.0))
    noise_exc: float = param(5.0, "sigma_exc", "mV/ms", (0.0, 10.0), 0.5,
                             "s.d. of the thalamic input to excitatory neurons",
                             (0.0, 100.0))
    noise_inh: float = param(2.0, "sigma_inh", "mV/ms", (0.0, 10.0), 0.5,
                             "s.d. of the thalamic input to inhibitory neurons",
                             (0.0, 100.0))
    v_peak: float = param(30.0, "v_peak", "mV", (0.0, 40.0), 1.0, "spike cut-off",
                          (-50.0, 200.0))

    current_unit: ClassVar[str] = "a.u."
    time_unit: ClassVar[str] = "ms"
    dt: ClassVar[float] = DT

    def __post_init__(self) -> None:
        name = type(self).__name__
        for f in fields(self):
            info: ParamInfo = f.metadata["info"]
            value = getattr(self, f.name)
            if f.metadata.get("integer"):
                check_int(f"{name}.{f.name}", value, int(info.valid[0]), int(info.valid[1]))
                object.__setattr__(self, f.name, int(value))
            else:
                x = check_number(f"{name}.{f.name}", value, info.valid[0], info.valid[1])
                object.__setattr__(self, f.name, x)
        n = self.n_exc + self.n_inh
        if not 1 <= n <= MAX_NEURONS:
            raise ValueError(f"{name}: n_exc + n_inh must be in [1, {MAX_NEURONS}], got "
                             f"{self.n_exc} + {self.n_inh} = {n}")

    @classmethod
    def parameter_info(cls) -> dict[str, ParamInfo]:
        """Metadata of every parameter, in declaration order.

        Returns
        -------
        dict of str to ParamInfo
        """
        return {f.name: f.metadata["info"] for f in fields(cls)}

    def params(self) -> dict[str, float]:
        """Parameter values by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def replace(self, **changes: Any) -> IzhikevichNetwork:
        """A copy with some parameters changed (checked like the constructor)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"unknown IzhikevichNetwork parameter(s) {sorted(unknown)}; "
                             f"valid: {[f.name for f in fields(self)]}")
        return type(self)(**{**self.params(), **changes})

    @property
    def n_neurons(self) -> int:
        """Total number of neurons; excitatory ones come first (indices < n_exc)."""
        return self.n_exc + self.n_inh

    @property
    def _arrays(self) -> _Arrays:
        return _build(self)

    @property
    def r(self) -> np.ndarray:
        """The uniform number r of each neuron, shape (n_neurons,)."""
        return self._arrays.r.copy()

    @property
    def abcd(self) -> np.ndarray:
        """(a, b, c, d) of every neuron, shape (4, n_neurons)."""
        ar = self._arrays
        return np.array([ar.a, ar.b, ar.c, ar.d])

    @property
    def weights(self) -> np.ndarray:
        """Weights, shape (n_neurons, n_neurons): ``weights[j, i]`` is added to the input
        of neuron i when neuron j fires (model current units). They are stored in single
        precision and returned exactly, as float64."""
        return self._arrays.W.astype(np.float64)

    def neuron(self, i: int) -> Izhikevich:
        """Neuron ``i`` on its own, as a single-neuron :class:`Izhikevich` model."""
        i = check_int("i", i, 0, self.n_neurons - 1)
        a, b, c, d = self.abcd[:, i]
        return Izhikevich(a=a, b=b, c=c, d=d, v_peak=self.v_peak)


@dataclass(frozen=True)
class _Arrays:
    r: np.ndarray
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: np.ndarray
    sigma: np.ndarray
    W: np.ndarray
    noise_state: np.ndarray


@functools.lru_cache(maxsize=4)
def _build(net: IzhikevichNetwork) -> _Arrays:
    """Draw the random network: r per neuron, the weights and the noise seed."""
    structure, noise = np.random.SeedSequence(net.seed).spawn(2)
    rng = np.random.default_rng(structure)
    ne, ni = net.n_exc, net.n_inh
    re = rng.random(ne)
    ri = rng.random(ni)
    a = np.concatenate([np.full(ne, 0.02), 0.02 + 0.08 * ri])
    b = np.concatenate([np.full(ne, 0.2), 0.25 - 0.05 * ri])
    c = np.concatenate([-65.0 + 15.0 * re**2, np.full(ni, -65.0)])
    d = np.concatenate([8.0 - 6.0 * re**2, np.full(ni, 2.0)])
    # Single precision: the weights are random numbers anyway, and the loop streams one
    # row per spike, so half the bytes make it about twice as fast (measured 12.7 ->
    # 6.5 ms for the published network); sums are still taken in double precision.
    W = rng.random((ne + ni, ne + ni), dtype=np.float32)
    W[:ne] *= np.float32(net.w_exc)
    W[ne:] *= np.float32(-net.w_inh)
    sigma = np.concatenate([np.full(ne, net.noise_exc), np.full(ni, net.noise_inh)])
    for x in (a, b, c, d, W, sigma):
        x.setflags(write=False)
    return _Arrays(np.concatenate([re, ri]), a, b, c, d, sigma, W,
                   _noise_state(noise))


def _noise_state(seq: np.random.SeedSequence) -> np.ndarray:
    state = seq.generate_state(4, np.uint64)
    if not state.any():  # xoshiro's one forbidden state
        state[0] = 1
    return state


def _seed_state(net: IzhikevichNetwork, noise_seed: int | None) -> np.ndarray:
    if noise_seed is None:
        return net._arrays.noise_state.copy()
    noise_seed = check_int("noise_seed", noise_seed, 0, 2**63 - 1)
    return _noise_state(np.random.SeedSequence([noise_seed, 1]))


def _n_steps(net: IzhikevichNetwork, duration: Any) -> int:
    duration = check_number("duration", duration, 0.0, lo_open=True)
    n = int(round(duration / DT))
    if abs(n * DT - duration) > 1e-9 * max(1.0, duration):
        raise ValueError(f"duration must be a whole number of {DT:g} ms steps (the "
                         f"published scheme), got {duration:g}")
    if n * net.n_neurons > MAX_NEURON_STEPS:
        raise ValueError(f"duration x n_neurons must be at most {MAX_NEURON_STEPS} "
                         f"neuron-ms, got {duration:g} x {net.n_neurons}")
    return n


# ------------------------------------------------------------------ results and runs
@dataclass
class NetworkResult:
    """Spikes (and a few voltage traces) of one network run.

    Attributes
    ----------
    spike_times : numpy.ndarray
        Spike times (ms, whole milliseconds in (0, duration]), sorted.
    spike_neurons : numpy.ndarray
        Index of the neuron of each spike (excitatory ones are < ``network.n_exc``).
    duration : float
        Length of the run (ms).
    network : IzhikevichNetwork
        The network that was run.
    recorded : numpy.ndarray
        Indices of the neurons whose v was recorded.
    t : numpy.ndarray
        Time grid of the recordings (ms), ``0, 1, ..., duration``.
    v : numpy.ndarray
        v (mV) of the recorded neurons on the grid, shape (len(recorded), len(t)); as in
        the published figure, a spike shows as v_peak.
    """

    spike_times: np.ndarray
    spike_neurons: np.ndarray
    duration: float
    network: IzhikevichNetwork
    recorded: np.ndarray
    t: np.ndarray
    v: np.ndarray

    def _select(self, population: str) -> np.ndarray:
        if population == "exc":
            return self.spike_neurons < self.network.n_exc
        if population == "inh":
            return self.spike_neurons >= self.network.n_exc
        if population == "all":
            return np.ones(self.spike_neurons.shape, dtype=bool)
        raise ValueError(f"population must be one of 'exc', 'inh', 'all', got "
                         f"{population!r}")

    def _size(self, population: str) -> int:
        net = self.network
        n = {"exc": net.n_exc, "inh": net.n_inh, "all": net.n_neurons}[population]
        if n == 0:
            raise ValueError(f"population {population!r} has no neurons in this network")
        return n

    def mean_rate(self, population: str = "exc") -> float:
        """Mean firing rate (Hz) per neuron of a population ("exc", "inh" or "all")."""
        sel = self._select(population)
        return 1000.0 * np.count_nonzero(sel) / (self._size(population) * self.duration)

    def population_rate(self, population: str = "exc",
                        bin: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Population rate (Hz per neuron) in consecutive bins of ``bin`` ms.

        Parameters
        ----------
        population : {"exc", "inh", "all"}
        bin : float
            Bin width (ms), a whole number of ms in [1, duration].

        Returns
        -------
        centres : numpy.ndarray
            Bin centres (ms).
        rate : numpy.ndarray
            Spikes in each bin / (neurons x bin), in Hz.
        """
        sel = self._select(population)
        n = self._size(population)
        bin = check_number("bin", bin, DT, self.duration)
        if abs(bin - round(bin)) > 1e-9:
            raise ValueError(f"bin must be a whole number of ms, got {bin:g}")
        nb = int(self.duration // bin)
        edges = np.arange(nb + 1) * bin
        # Spikes lie in (0, duration]: bin k holds (k bin, (k + 1) bin].
        counts, _ = np.histogram(self.spike_times[sel] - 0.5, bins=edges)
        return edges[:-1] + 0.5 * bin, 1000.0 * counts / (n * bin)


def thalamic_input(net: IzhikevichNetwork, duration: float, *,
                   noise_seed: int | None = None) -> np.ndarray:
    """The thalamic input that :func:`simulate_network` draws for this network.

    Parameters
    ----------
    net : IzhikevichNetwork
    duration : float
        Length of the run (ms, a whole number of ms).
    noise_seed : int, optional
        Seed of the input; default: derived from ``net.seed``.

    Returns
    -------
    numpy.ndarray
        Shape (duration, n_neurons): row k is the input (model current units) of every
        neuron during the millisecond [k, k + 1) ms.
    """
    n = _n_steps(net, duration)
    ar = net._arrays
    out = np.empty((n, net.n_neurons))
    _fill_normal(_seed_state(net, noise_seed), _ZIG_X, _ZIG_RATIO, ar.sigma, out)
    return out


def simulate_network(net: IzhikevichNetwork, duration: float = 1000.0, *,
                     noise_seed: int | None = None,
                     thalamic: np.ndarray | None = None,
                     record: Sequence[int] | np.ndarray = (),
                     ) -> NetworkResult:
    """Run the network with the published scheme (1 ms steps) from v = -65, u = b v.

    Parameters
    ----------
    net : IzhikevichNetwork
        The network.
    duration : float
        Length of the run (ms, a whole number of ms, default 1000).
    noise_seed : int, optional
        Seed of the thalamic input; default: derived from ``net.seed``.
    thalamic : numpy.ndarray, optional
        The thalamic input itself, shape (duration, n_neurons) (row k acts during
        [k, k + 1) ms, model current units), instead of drawing it; e.g. from
        :func:`thalamic_input`. Cannot be combined with ``noise_seed``.
    record : sequence of int
        Neurons whose v is recorded on the 1 ms grid.

    Returns
    -------
    NetworkResult

    Raises
    ------
    ValueError
        For an invalid argument (the message names it and its valid range).
    NetworkDiverged
        If the state becomes non-finite (only with weights or noise far above the
        published values).
    """
    if not isinstance(net, IzhikevichNetwork):
        raise ValueError(f"net must be an IzhikevichNetwork, got {net!r:.60}")
    n = _n_steps(net, duration)
    N = net.n_neurons
    rec = np.asarray(record)
    if rec.ndim != 1 or (rec.size and not np.issubdtype(rec.dtype, np.integer)):
        raise ValueError(f"record must be a sequence of neuron indices, got {record!r:.60}")
    rec = rec.astype(np.int64)
    if rec.size and (rec.min() < 0 or rec.max() >= N):
        raise ValueError(f"record indices must be in [0, {N - 1}], got {rec.tolist()!r:.60}")
    ar = net._arrays
    if thalamic is not None:
        if noise_seed is not None:
            raise ValueError("give either thalamic or noise_seed, not both")
        th = np.ascontiguousarray(thalamic, dtype=float)
        if th.shape != (n, N):
            raise ValueError(f"thalamic must have shape (duration, n_neurons) = ({n}, {N}), "
                             f"got {np.shape(thalamic)}")
        if not np.all(np.isfinite(th)):
            raise ValueError("thalamic must contain only finite values")
        state = ar.noise_state.copy()
    else:
        th = np.zeros((1, 1))
        state = _seed_state(net, noise_seed)
    v = np.full(N, -65.0)
    u = ar.b * v
    rec_v = np.empty((rec.size, n + 1))
    cap = max(1024, N * n // 25)  # room for a mean rate of 40 Hz
    while True:
        spike_t = np.empty(cap, dtype=np.int64)
        spike_i = np.empty(cap, dtype=np.int64)
        v[:] = -65.0
        u = ar.b * v
        count, bad = _network_loop(ar.a, ar.b, ar.c, ar.d, ar.sigma, ar.W, v, u, n,
                                   net.v_peak, state.copy(), _ZIG_X, _ZIG_RATIO, th,
                                   thalamic is not None, rec, rec_v, spike_t, spike_i)
        if bad >= 0:
            raise NetworkDiverged(bad * DT)
        if count <= cap:
            break
        cap = count
    return NetworkResult(
        spike_times=spike_t[:count] * DT,
        spike_neurons=spike_i[:count].copy(),
        duration=n * DT, network=net, recorded=rec,
        t=np.arange(n + 1) * DT, v=rec_v,
    )
