"""Tests of the Izhikevich (2003) network: against a plain-numpy copy of the published
update, the published parameter formulas, the closed-form resting state of the single
neuron, the normal distribution, and the rhythms reported for Fig. 3."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal, stats

from neurolab.models import Izhikevich
from neurolab.models.izhikevich_network import (
    IzhikevichNetwork,
    NetworkDiverged,
    simulate_network,
    thalamic_input,
)


def reference_run(net: IzhikevichNetwork, thalamic: np.ndarray) -> tuple[np.ndarray, ...]:
    """The MATLAB listing of Izhikevich (2003) transcribed into numpy, one line per line,
    with the random input supplied. Spikes are found at the start of each step (grid
    time k ms) and once more at the end. Synaptic input is summed presynaptic neuron by
    neuron in index order, which is the order the compiled loop uses, so the two must
    agree bit for bit."""
    a, b, c, d = net.abcd
    W = net.weights
    n_steps = thalamic.shape[0]
    v = np.full(net.n_neurons, -65.0)
    u = b * v
    times, neurons = [], []
    for k in range(n_steps + 1):
        fired = np.flatnonzero(v >= net.v_peak)
        times += [k] * fired.size
        neurons += fired.tolist()
        if k == n_steps:
            break
        v[fired] = c[fired]
        u[fired] = u[fired] + d[fired]
        syn = np.zeros(net.n_neurons)
        for j in fired:
            syn += W[j]
        current = thalamic[k] + syn
        v = v + 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + current)
        v = v + 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + current)
        u = u + a * (b * v - u)
    return np.array(times, dtype=float), np.array(neurons), v, u


@pytest.fixture(scope="module")
def published() -> object:
    """Seed 0, the published sizes and values, 2 s."""
    return simulate_network(IzhikevichNetwork(), 2000.0, record=[0])


def test_parameters_follow_published_formulas() -> None:
    """Izhikevich (2003), Fig. 3 listing: excitatory a=0.02, b=0.2, c=-65+15r^2,
    d=8-6r^2; inhibitory a=0.02+0.08r, b=0.25-0.05r, c=-65, d=2; weights 0.5U from
    excitatory and -U from inhibitory neurons."""
    net = IzhikevichNetwork(n_exc=30, n_inh=20, seed=3)
    r = net.r
    re, ri = r[:30], r[30:]
    a, b, c, d = net.abcd
    assert np.all((r >= 0) & (r < 1))
    np.testing.assert_array_equal(a, np.r_[np.full(30, 0.02), 0.02 + 0.08 * ri])
    np.testing.assert_array_equal(b, np.r_[np.full(30, 0.2), 0.25 - 0.05 * ri])
    np.testing.assert_array_equal(c, np.r_[-65 + 15 * re**2, np.full(20, -65.0)])
    np.testing.assert_array_equal(d, np.r_[8 - 6 * re**2, np.full(20, 2.0)])
    W = net.weights
    assert W.shape == (50, 50)
    assert np.all((W[:30] >= 0) & (W[:30] < 0.5)) and np.all((W[30:] <= 0) & (W[30:] > -1))
    # Uniform weights: the means are close to 0.25 and -0.5 (1500 and 1000 samples).
    assert W[:30].mean() == pytest.approx(0.25, abs=4 * 0.5 / math.sqrt(12 * 1500))
    assert W[30:].mean() == pytest.approx(-0.5, abs=4 / math.sqrt(12 * 1000))
    # Neuron i on its own is the single-neuron model with the same (a, b, c, d).
    m = net.neuron(35)
    assert isinstance(m, Izhikevich)
    assert (m.a, m.b, m.c, m.d) == (a[35], b[35], c[35], d[35])


def test_matches_numpy_transcription_of_published_listing() -> None:
    """Same random input, same weights: the compiled loop and a numpy transcription of
    the MATLAB listing (Izhikevich 2003) give identical spikes and final states."""
    net = IzhikevichNetwork(n_exc=40, n_inh=10, seed=7)
    th = thalamic_input(net, 300.0)
    res = simulate_network(net, 300.0, thalamic=th)
    times, neurons, _, _ = reference_run(net, th)
    assert times.size > 50  # the comparison covers many spikes
    np.testing.assert_array_equal(res.spike_times, times)
    np.testing.assert_array_equal(res.spike_neurons, neurons)


def test_internal_noise_is_thalamic_input() -> None:
    """The input drawn inside the loop is exactly what thalamic_input returns, and
    any other array can replace it (a hand-made input changes the spikes)."""
    net = IzhikevichNetwork(n_exc=80, n_inh=20, seed=1)
    own = simulate_network(net, 200.0)
    given = simulate_network(net, 200.0, thalamic=thalamic_input(net, 200.0))
    np.testing.assert_array_equal(own.spike_times, given.spike_times)
    np.testing.assert_array_equal(own.spike_neurons, given.spike_neurons)
    other = simulate_network(net, 200.0, noise_seed=5)
    np.testing.assert_array_equal(
        other.spike_times,
        simulate_network(net, 200.0, thalamic=thalamic_input(net, 200.0, noise_seed=5))
        .spike_times)
    assert not np.array_equal(other.spike_times, own.spike_times)


def test_thalamic_input_is_normal_with_published_scale() -> None:
    """5 N(0, 1) for excitatory and 2 N(0, 1) for inhibitory neurons (Izhikevich 2003).
    Checked with a Kolmogorov-Smirnov test against the normal distribution, and the
    tail beyond the ziggurat's base x = 3.4426 against 2 (1 - Phi(x)) (Marsaglia & Tsang
    2000): the tail is drawn by a separate branch, so it is checked separately."""
    net = IzhikevichNetwork(seed=0)
    th = thalamic_input(net, 1000.0)
    z_exc = th[:, :800].ravel() / 5.0
    z_inh = th[:, 800:].ravel() / 2.0
    assert stats.kstest(z_exc[:200_000], "norm").pvalue > 1e-3
    assert stats.kstest(z_inh, "norm").pvalue > 1e-3
    z = np.concatenate([z_exc, z_inh])
    x0 = 3.442619855899
    p = math.erfc(x0 / math.sqrt(2.0))
    expected = p * z.size
    assert abs(np.count_nonzero(np.abs(z) > x0) - expected) < 5 * math.sqrt(expected)
    # Beyond the base the density still falls as the normal one: 1 - Phi(4) / (1 - Phi(x0))
    p4 = math.erfc(4.0 / math.sqrt(2.0)) * z.size
    assert abs(np.count_nonzero(np.abs(z) > 4.0) - p4) < 5 * math.sqrt(p4)
    assert z.mean() == pytest.approx(0.0, abs=5 / math.sqrt(z.size))
    assert z.std() == pytest.approx(1.0, abs=5 * math.sqrt(2 / z.size))


def test_uncoupled_noise_free_network_rests_at_single_neuron_equilibrium() -> None:
    """Without weights or input, each neuron settles at the lower root of
    0.04 v^2 + (5 - b) v + 140 = 0 (the stable rest of the single neuron,
    Izhikevich.equilibria), since fixed points of the Euler map are the equilibria."""
    net = IzhikevichNetwork(n_exc=6, n_inh=6, seed=2, w_exc=0.0, w_inh=0.0, noise_exc=0.0,
                            noise_inh=0.0)
    res = simulate_network(net, 3000.0, record=range(12))
    assert res.spike_times.size == 0
    for i in range(12):
        rest = net.neuron(i).equilibria(0.0)[0][0]
        assert res.v[i, -1] == pytest.approx(rest, abs=1e-6)


def test_published_network_rate_and_rhythms(published) -> None:
    """Izhikevich (2003), Fig. 3: cortical-like firing at a few Hz, with episodes of
    alpha (about 10 Hz) and gamma (about 40 Hz) band rhythms. The population-rate
    spectrum must have its largest peak below 100 Hz within 6-13 Hz and carry far more
    power in the alpha and gamma bands than at 200-500 Hz; the same neurons uncoupled
    (the control) show a flat spectrum, so the rhythm comes from the coupling."""
    res = published
    assert 3.0 <= res.mean_rate("exc") <= 20.0
    assert 2.0 <= res.mean_rate("inh") <= 40.0

    def spectrum(r):
        _, rate = r.population_rate("all", 1.0)
        return signal.welch(rate, fs=1000.0, nperseg=500)

    def ratio(f, p, lo, hi):
        return p[(f >= lo) & (f <= hi)].mean() / p[(f >= 200) & (f <= 500)].mean()

    f, p = spectrum(res)
    low = (f >= 2) & (f <= 100)
    assert 6.0 <= f[low][np.argmax(p[low])] <= 13.0
    assert ratio(f, p, 8, 13) > 10.0
    assert ratio(f, p, 30, 50) > 5.0
    control = simulate_network(res.network.replace(w_exc=0.0, w_inh=0.0), 2000.0)
    f, p = spectrum(control)
    assert ratio(f, p, 8, 13) < 2.0 and ratio(f, p, 30, 50) < 2.0


def test_recorded_voltage(published) -> None:
    """The recorded trace starts at -65 mV, shows each spike of that neuron as v_peak
    (as the published figure does) and stays below it otherwise."""
    res = published
    assert res.v.shape == (1, 2001) and res.t[-1] == 2000.0
    assert res.v[0, 0] == -65.0
    own = res.spike_times[res.spike_neurons == 0]
    at_peak = res.t[res.v[0] >= 30.0]
    np.testing.assert_array_equal(own, at_peak)
    assert np.all(res.v[0] <= 30.0)


def test_deterministic_with_seed() -> None:
    """The same seed gives the same network and spikes; another seed does not."""
    a = simulate_network(IzhikevichNetwork(n_exc=80, n_inh=20, seed=4), 200.0)
    b = simulate_network(IzhikevichNetwork(n_exc=80, n_inh=20, seed=4), 200.0)
    c = simulate_network(IzhikevichNetwork(n_exc=80, n_inh=20, seed=5), 200.0)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    assert not (a.spike_times.size == c.spike_times.size
                and np.array_equal(a.spike_neurons, c.spike_neurons))


def test_population_rate_counts_every_spike(published) -> None:
    """Integrating the population rate over time gives back the spike count."""
    res = published
    for pop, n in (("exc", 800), ("inh", 200), ("all", 1000)):
        _, rate = res.population_rate(pop, 10.0)
        sel = res.spike_neurons < 800 if pop == "exc" else (
            res.spike_neurons >= 800 if pop == "inh" else slice(None))
        assert rate.sum() * 10.0 * n / 1000.0 == pytest.approx(res.spike_times[sel].size)


def test_parameter_metadata() -> None:
    """Every parameter carries metadata, and the defaults lie in the valid ranges."""
    info = IzhikevichNetwork.parameter_info()
    assert list(info) == ["n_exc", "n_inh", "seed", "w_exc", "w_inh", "noise_exc",
                          "noise_inh", "v_peak"]
    net = IzhikevichNetwork()
    for name, pi in info.items():
        assert pi.valid[0] <= getattr(net, name) <= pi.valid[1]
        assert pi.meaning


def test_divergence_is_reported() -> None:
    """Strong inhibition far above the published weights drives v so low that the next
    half step overflows; the run stops and says when instead of returning NaN."""
    net = IzhikevichNetwork(n_exc=10, n_inh=100, w_inh=100.0, noise_inh=100.0)
    with pytest.raises(NetworkDiverged, match="non-finite"):
        simulate_network(net, 500.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"n_exc": -1}, "n_exc"), ({"n_exc": 1.5}, "n_exc"), ({"seed": -2}, "seed"),
    ({"w_exc": float("nan")}, "w_exc"), ({"noise_inh": -1.0}, "noise_inh"),
    ({"n_exc": 0, "n_inh": 0}, "n_exc \\+ n_inh"), ({"n_exc": 5000, "n_inh": 10}, "n_exc"),
])
def test_bad_network_parameters(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        IzhikevichNetwork(**kwargs)


def test_bad_run_arguments() -> None:
    net = IzhikevichNetwork(n_exc=8, n_inh=2)
    with pytest.raises(ValueError, match="duration"):
        simulate_network(net, 0.0)
    with pytest.raises(ValueError, match="whole number"):
        simulate_network(net, 10.5)
    with pytest.raises(ValueError, match="thalamic must have shape"):
        simulate_network(net, 10.0, thalamic=np.zeros((10, 9)))
    with pytest.raises(ValueError, match="finite"):
        simulate_network(net, 2.0, thalamic=np.full((2, 10), np.nan))
    with pytest.raises(ValueError, match="either thalamic or noise_seed"):
        simulate_network(net, 2.0, thalamic=np.zeros((2, 10)), noise_seed=1)
    with pytest.raises(ValueError, match="record"):
        simulate_network(net, 10.0, record=[10])
    with pytest.raises(ValueError, match="noise_seed"):
        simulate_network(net, 10.0, noise_seed=-1)
    with pytest.raises(ValueError, match="net"):
        simulate_network(Izhikevich(), 10.0)
    with pytest.raises(ValueError, match="population"):
        simulate_network(net, 10.0).mean_rate("all neurons")
    with pytest.raises(ValueError, match="i must be"):
        net.neuron(10)
    with pytest.raises(ValueError, match="unknown"):
        net.replace(n_neurons=3)
