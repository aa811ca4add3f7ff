"""Spike-train statistics against the analytic properties of (Bernoulli-binned) Poisson trains.

The generator draws one Bernoulli trial per bin with p = r dt / 1000. Its exact
properties, used below as references: the count in n bins is Binomial(n, p) (mean n p,
Fano factor 1 - p) and the ISIs are dt times a geometric variable (CV sqrt(1 - p)); as
p -> 0 these become the Poisson values (Fano factor and CV equal to 1). Tolerances are
five standard errors for the sample size, with fixed seeds.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from neurolab.analysis import (
    cv,
    fano_factor,
    firing_rate,
    isi,
    poisson_probability,
    poisson_spike_train,
    psth,
    response_function,
)
from neurolab.analysis.spike_trains import WARN_PROBABILITY

RATE = 20.0  # Hz
DT = 0.1  # ms
LONG = 200_000.0  # ms: 200 s, about 4000 spikes


@pytest.fixture(scope="module")
def long_train():
    return poisson_spike_train(RATE, LONG, DT, rng=12345)


def test_mean_rate(long_train):
    """The count over T is Binomial(T/dt, p) with mean r T: within 5 standard deviations."""
    n_bins = round(LONG / DT)
    p = RATE * DT / 1000.0
    mean, sd = n_bins * p, math.sqrt(n_bins * p * (1 - p))
    assert abs(long_train.size - mean) < 5 * sd
    assert np.all(np.diff(long_train) > 0)
    assert long_train.min() >= 0.0 and long_train.max() < LONG


def test_spike_times_lie_on_the_bin_grid(long_train):
    """Spikes sit at bin starts k dt."""
    k = long_train / DT
    np.testing.assert_allclose(k, np.round(k), atol=1e-6)


def test_cv_near_one(long_train):
    """CV of a Poisson train is 1 (exponential ISIs); the binned generator gives
    sqrt(1 - p) exactly (geometric ISIs). The standard error of the sample CV of n
    exponential ISIs is 1/sqrt(n) (delta method)."""
    n = long_train.size - 1
    p = RATE * DT / 1000.0
    assert abs(cv(long_train) - math.sqrt(1 - p)) < 5 / math.sqrt(n)
    assert abs(cv(long_train) - 1.0) < 5 / math.sqrt(n)


def test_fano_factor_near_one(long_train):
    """Fano factor of Poisson counts is 1; with the binned generator, 1 - p. The sample
    Fano factor of N Poisson counts has standard error sqrt(2 / N) (delta method)."""
    window = 100.0
    N = int(LONG / window)
    F = fano_factor(long_train, window, duration=LONG)
    assert abs(F - (1 - RATE * DT / 1000.0)) < 5 * math.sqrt(2 / N)


def test_fano_factor_pools_trains():
    """Counts from several trains are pooled: ten 20 s trains behave like one 200 s one."""
    rng = np.random.default_rng(7)
    trains = [poisson_spike_train(RATE, 20_000.0, DT, rng=rng) for _ in range(10)]
    N = 10 * 200
    assert abs(fano_factor(trains, 100.0, duration=20_000.0) - 1.0) < 5 * math.sqrt(2 / N)


def test_count_distribution_matches_poisson_probability(long_train):
    """Counts in 100 ms windows follow P(n) = (rT)^n e^(-rT) / n! with T the window length
    (chi-square goodness of fit, tail pooled so every expected count is at least 5)."""
    window = 100.0
    edges = np.arange(0.0, LONG + window / 2, window)
    counts = np.histogram(long_train, bins=edges)[0]
    N = counts.size
    def tail(k):  # expected number of windows with more than k spikes
        return N * (1.0 - poisson_probability(np.arange(k + 1), RATE, window).sum())

    k_max = 1
    while tail(k_max + 1) >= 5:
        k_max += 1
    expected = N * poisson_probability(np.arange(k_max + 1), RATE, window)
    expected = np.append(expected, N - expected.sum())  # P(n > k_max)
    observed = np.array([np.sum(counts == k) for k in range(k_max + 1)] +
                        [np.sum(counts > k_max)])
    assert expected[-1] >= 5
    assert stats.chisquare(observed, expected).pvalue > 1e-3


def test_poisson_probability_matches_scipy_and_uses_window_length():
    """Agrees with scipy.stats.poisson.pmf at mu = r T / 1000 and sums to 1; the window
    length T (not a time of day) sets the answer (syllabus slip)."""
    n = np.arange(60)
    for rate, window in [(20.0, 100.0), (5.0, 1000.0), (150.0, 50.0)]:
        P = poisson_probability(n, rate, window)
        np.testing.assert_allclose(P, stats.poisson.pmf(n, rate * window / 1000), rtol=1e-10)
        assert P.sum() == pytest.approx(1.0, abs=1e-12)
    assert poisson_probability(0, 10.0, 200.0) == pytest.approx(math.exp(-2.0))
    assert poisson_probability(0, 0.0, 200.0) == 1.0
    assert poisson_probability(3, 0.0, 200.0) == 0.0
    # No overflow for large counts.
    assert poisson_probability(1000, 1000.0, 1000.0) == pytest.approx(
        stats.poisson.pmf(1000, 1000.0), rel=1e-9)


@pytest.mark.parametrize("args, name", [
    ((-1, 10.0, 100.0), "n"), ((1.5, 10.0, 100.0), "n"), ((np.array([0.5]), 10.0, 1.0), "n"),
    ((1, -10.0, 100.0), "rate"), ((1, 10.0, 0.0), "window"),
])
def test_poisson_probability_bad_input(args, name):
    """Bad arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=name):
        poisson_probability(*args)


def _rate(t):
    return 30.0 + 25.0 * np.sin(2 * np.pi * t / 200.0)


@pytest.mark.parametrize("as_array", [False, True])
def test_inhomogeneous_rate_in_psth(as_array):
    """A time-varying rate appears in the PSTH: the count in each bin over trials is a sum
    of Bernoulli trials with p_k = r(t_k) dt / 1000, so its mean and variance are known
    exactly; every bin must lie within 5 standard deviations."""
    dt, duration, trials, width = 0.5, 400.0, 400, 20.0
    t = np.arange(round(duration / dt)) * dt
    rate = _rate(t) if as_array else _rate
    rng = np.random.default_rng(99)
    trains = [poisson_spike_train(rate, duration, dt, rng=rng) for _ in range(trials)]
    centers, r = psth(trains, width, duration=duration)
    np.testing.assert_allclose(centers, np.arange(width / 2, duration, width))
    p = _rate(t) * dt / 1000.0
    per_bin = round(width / dt)
    mean = trials * p.reshape(-1, per_bin).sum(axis=1)
    sd = np.sqrt(trials * (p * (1 - p)).reshape(-1, per_bin).sum(axis=1))
    counts = r * trials * width / 1000.0
    assert np.max(np.abs(counts - mean) / sd) < 5
    # The modulation is visible: the PSTH correlates strongly with the true rate.
    assert np.corrcoef(r, mean)[0, 1] > 0.9


def test_callable_and_array_rates_give_the_same_train():
    """A callable is sampled on the same grid t_k = k dt as an array rate."""
    dt, duration = 0.2, 300.0
    t = np.arange(round(duration / dt)) * dt
    a = poisson_spike_train(_rate, duration, dt, rng=5)
    b = poisson_spike_train(_rate(t), duration, dt, rng=5)
    np.testing.assert_array_equal(a, b)
    # A scalar-only callable is evaluated point by point.
    c = poisson_spike_train(lambda s: 30.0 + 25.0 * math.sin(2 * math.pi * s / 200.0),
                            duration, dt, rng=5)
    np.testing.assert_allclose(a, c)


def test_rate_dt_at_least_one_raises_with_a_clear_message():
    """rate * dt / 1000 >= 1 cannot be represented by one spike per bin."""
    with pytest.raises(ValueError) as err:
        poisson_spike_train(10_000.0, 100.0, dt=0.1, rng=0)
    msg = str(err.value)
    assert "rate * dt = 1" in msg and "10000 Hz" in msg and "0.1 ms" in msg
    assert "smaller dt" in msg
    rate = np.full(1000, 10.0)
    rate[500] = 2500.0
    with pytest.raises(ValueError, match="rate \\* dt = 1"):
        poisson_spike_train(rate, 400.0, dt=0.4, rng=0)


def test_large_rate_dt_warns_and_shows_the_predicted_bias():
    """Above p = 0.1 a UserWarning fires; at p = 0.3 the Fano factor is 1 - p = 0.7 and the
    CV sqrt(0.7), as the Bernoulli-bin analysis predicts."""
    p = 0.3
    with pytest.warns(UserWarning, match="rate \\* dt = 0.3"):
        s = poisson_spike_train(p * 1000.0 / DT, 20_000.0, DT, rng=3)
    n_windows = 2000
    assert abs(fano_factor(s, 10.0, duration=20_000.0) - (1 - p)) < 5 * math.sqrt(2 / n_windows)
    assert abs(cv(s) - math.sqrt(1 - p)) < 5 / math.sqrt(s.size - 1)
    # At and below the threshold there is no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        poisson_spike_train(WARN_PROBABILITY * 1000.0 / DT, 100.0, DT, rng=3)


def test_zero_rate_gives_empty_train():
    """Rate 0 gives no spikes: an empty array, not an error."""
    s = poisson_spike_train(0.0, 100.0, rng=0)
    assert s.shape == (0,)
    assert isi(s).shape == (0,)


@pytest.mark.parametrize("kwargs, name", [
    ({"rate": -1.0}, "rate"), ({"rate": np.ones(3)}, "rate"), ({"rate": "x"}, "rate"),
    ({"rate": lambda t: -np.ones_like(t)}, "rate"), ({"rate": lambda t: np.nan}, "rate"),
    ({"duration": 0.0}, "duration"), ({"dt": 0.0}, "dt"), ({"dt": 200.0}, "dt"),
    ({"rng": "seed"}, "rng"), ({"rng": -2}, "rng"),
])
def test_poisson_spike_train_bad_input(kwargs, name):
    """Bad arguments raise ValueError naming the argument."""
    args = {"rate": 10.0, "duration": 100.0, "dt": 0.1, "rng": 0} | kwargs
    with pytest.raises(ValueError, match=name):
        poisson_spike_train(**args)


def test_response_function_is_a_delta_of_unit_area():
    """rho(t) on a grid of width dt is 1/dt in the bin of each spike (a delta has unit
    area, not unit height), so its integral is the spike count; two spikes in one bin
    give 2/dt."""
    dt = 0.25
    t = np.arange(0.0, 50.0, dt)
    spikes = np.array([1.0, 10.1, 10.2, 33.3, 49.9])
    rho = response_function(spikes, t)
    assert rho.sum() * dt == pytest.approx(spikes.size)
    assert rho[4] == pytest.approx(1 / dt)          # 1.0 ms is the start of bin 4
    assert rho[40] == pytest.approx(2 / dt)         # 10.1 and 10.2 share [10.0, 10.25)
    assert rho[133] == pytest.approx(1 / dt)        # 33.3 in [33.25, 33.5)
    assert rho[-1] == pytest.approx(1 / dt)         # 49.9 in the last bin
    assert np.count_nonzero(rho) == 4
    # Halving dt doubles the height and keeps the area.
    rho2 = response_function(spikes, np.arange(0.0, 50.0, dt / 2))
    assert rho2[8] == pytest.approx(2 * rho[4])    # the spike at 1.0 ms
    assert rho2.sum() * dt / 2 == pytest.approx(spikes.size)


def test_response_function_of_generated_train(long_train):
    """On the generator's own grid every spike lands in its own bin."""
    t = np.arange(round(20_000.0 / DT)) * DT
    s = long_train[long_train < 20_000.0]
    rho = response_function(s, t)
    assert rho.sum() * DT == pytest.approx(s.size)
    np.testing.assert_allclose(np.unique(rho), [0.0, 1 / DT])


def test_response_function_edge_cases():
    """An empty train gives zeros; a grid must be uniform with two points or more."""
    t = np.arange(10.0)
    assert not response_function([], t).any()
    with pytest.raises(ValueError, match="t"):
        response_function([1.0], [0.0])
    with pytest.raises(ValueError, match="t"):
        response_function([1.0], [0.0, 1.0, 3.0])


def test_isi_and_cv_of_regular_and_short_trains():
    """A clock-like train has CV 0; fewer than two ISIs is an error that says so."""
    s = np.arange(0.0, 100.0, 10.0)
    np.testing.assert_allclose(isi(s), 10.0)
    assert cv(s) == pytest.approx(0.0, abs=1e-12)
    for short in ([], [1.0], [1.0, 2.0]):
        with pytest.raises(ValueError, match="at least two inter-spike intervals"):
            cv(short)
    with pytest.raises(ValueError, match="sorted"):
        isi([3.0, 1.0])


def test_fano_factor_edge_cases():
    """No spikes, too few windows and a window longer than the recording are errors."""
    with pytest.raises(ValueError, match="no spike"):
        fano_factor([np.array([]), np.array([])], 10.0, duration=100.0)
    with pytest.raises(ValueError, match="duration"):
        fano_factor([np.array([])], 10.0)
    with pytest.raises(ValueError, match="window"):
        fano_factor([1.0, 2.0], 200.0, duration=100.0)
    with pytest.raises(ValueError, match="two windows"):
        fano_factor([1.0, 2.0], 100.0, duration=150.0)
    with pytest.raises(ValueError, match="trains"):
        fano_factor([], 10.0, duration=100.0)
    # Clock-like counts have Fano factor 0.
    assert fano_factor(np.arange(0.0, 1000.0, 10.0), 100.0, duration=1000.0) == 0.0


def test_psth_counts_and_edges():
    """A PSTH is count / (trials x bin width); a last bin cut short is divided by its
    true width; empty trials give zeros when the duration is known."""
    trains = [np.array([1.0, 3.0, 12.0]), np.array([2.0])]
    centers, r = psth(trains, 5.0, duration=13.0)
    np.testing.assert_allclose(centers, [2.5, 7.5, 11.5])
    np.testing.assert_allclose(r, [3 / (2 * 0.005), 0.0, 1 / (2 * 0.003)])
    c, r0 = psth([np.array([])] * 3, 10.0, duration=100.0)
    assert c.size == 10 and not r0.any()
    with pytest.raises(ValueError, match="duration"):
        psth([np.array([])], 10.0)
    with pytest.raises(ValueError, match="bin"):
        psth(trains, 0.0, duration=10.0)


def test_firing_rate_kernels():
    """Each kernel has unit area, so for a regular 50 Hz train every estimate reads 50 Hz
    in the middle, and the Gaussian estimate integrates to the spike count."""
    s = np.arange(0.0, 2000.0, 20.0)
    t = np.array([1000.0, 1010.0])
    for kernel, width in [("gaussian", 50.0), ("box", 100.0), ("exponential", 200.0)]:
        r = firing_rate(s, t, kernel=kernel, width=width)
        assert r == pytest.approx([50.0, 50.0], rel=0.05), kernel
    grid = np.arange(-500.0, 2500.0, 0.5)
    r = firing_rate(s, grid, "gaussian", 30.0)
    assert r.sum() * 0.5 / 1000.0 == pytest.approx(s.size, rel=1e-6)
    assert not firing_rate([], grid).any()
    with pytest.raises(ValueError, match="kernel"):
        firing_rate(s, t, kernel="triangle")
    with pytest.raises(ValueError, match="width"):
        firing_rate(s, t, width=-1.0)


def test_firing_rate_tracks_a_modulated_rate():
    """A Gaussian estimate averaged over trials follows the inhomogeneous rate."""
    rng = np.random.default_rng(11)
    t = np.arange(0.0, 400.0, 5.0)
    est = np.mean([firing_rate(poisson_spike_train(_rate, 400.0, 0.5, rng=rng), t,
                               "gaussian", 10.0) for _ in range(200)], axis=0)
    inner = (t > 50) & (t < 350)
    assert np.corrcoef(est[inner], _rate(t[inner]))[0, 1] > 0.95
