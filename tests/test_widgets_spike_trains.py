"""Spike-train dashboards: every panel shows what neurolab.analysis computes, and the
generator's warning (r dt > 0.1) and error (r dt >= 1) reach the error line.

Sources: the trains are compared with :func:`neurolab.analysis.poisson_spike_train`
called with the same seed; rho(t) integrates to the spike count (a Dirac delta has unit
area: on a grid of width dt it is 1/dt high, Dayan & Abbott 2001, ch. 1); the count
histogram is compared with the Poisson law P(n) = (rT)^n e^{-rT}/n! for a window of
length T, and a long homogeneous train has Fano factor and CV near 1 (Dayan & Abbott
2001, ch. 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import (
    cv,
    fano_factor,
    firing_rate,
    poisson_probability,
    poisson_spike_train,
    psth,
    response_function,
)
from neurolab.widgets.spike_trains import poisson_spikes, rate_estimation

PNG = b"\x89PNG"


def _same_trains(rate, duration, dt, n, seed):
    rng = np.random.default_rng(seed)
    return [poisson_spike_train(rate, duration, dt, rng) for _ in range(n)]


def test_poisson_explorer_panels_match_the_analysis():
    """Raster, rho(t), histogram, Poisson probabilities, CV and Fano factor are the
    neurolab values for the same seed."""
    app = poisson_spikes(rate=30.0, dt=0.5, window=100.0, trials=10, seed=3)
    trains = _same_trains(30.0, app.duration, 0.5, 10, 3)
    assert len(app.trains) == 10
    for a, b in zip(app.trains, trains, strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(app._raster["ticks"].get_segments()) == sum(s.size for s in trains)
    t, rho = app._rho.get_data()
    np.testing.assert_allclose(rho, response_function(trains[0], t))
    n_shown = np.count_nonzero(trains[0] < app.rho_span)
    assert rho.sum() * 0.5 == pytest.approx(n_shown)
    assert set(np.unique(rho)) <= {0.0, 1.0 / 0.5, 2.0 / 0.5}
    ks, p = app._pois.get_data()
    np.testing.assert_allclose(p, poisson_probability(ks.astype(int), 30.0, 100.0))
    counts = np.concatenate([[np.count_nonzero((s >= a) & (s < a + 100.0))
                              for a in np.arange(0.0, app.duration, 100.0)]
                             for s in trains])
    np.testing.assert_array_equal(app.counts, counts)
    freq = app._hist.get_data().values
    np.testing.assert_allclose(freq[: counts.max() + 1],
                               np.bincount(counts) / counts.size)
    assert app.stats["fano"] == pytest.approx(fano_factor(trains, 100.0,
                                                          duration=app.duration))
    assert app.stats["cv"] == pytest.approx(cv(trains[0]))
    assert bytes(app.view.image.value)[:4] == PNG


def test_poisson_explorer_first_slider_and_poisson_statistics():
    """Moving the rate by one step changes the image; with 100 trials of 2 s at 50 Hz
    the mean count per window is r T and the Fano factor and CV are near 1."""
    app = poisson_spikes(rate=49.0, dt=0.1, window=100.0, trials=100, seed=5)
    before = bytes(app.view.image.value)
    app.controls[0].value += app.controls[0].step
    assert app.rate.value == 50.0
    assert bytes(app.view.image.value) != before
    assert app.stats["rT"] == pytest.approx(5.0)
    assert app.stats["mean_count"] == pytest.approx(5.0, rel=0.05)
    assert app.stats["fano"] == pytest.approx(1.0, abs=0.1)
    assert app.stats["cv"] == pytest.approx(1.0, abs=0.2)


def test_poisson_explorer_warning_error_and_recovery():
    """r dt = 0.3 warns (shown, figure still drawn); r dt = 3 is refused (shown); a
    small dt clears the message."""
    app = poisson_spikes(rate=300.0, dt=0.1, trials=5)
    assert app.error == ""
    app.dt.value = 1.0
    assert "exceeds 0.1" in app.error
    assert app.stats["rT"] == pytest.approx(30.0)
    assert sum(s.size for s in app.trains) > 0
    app.dt.value = 10.0
    assert "rate * dt must be well below 1" in app.error
    app.dt.value = 0.1
    assert app.error == ""
    np.testing.assert_array_equal(app.trains[0], _same_trains(300.0, app.duration, 0.1,
                                                              5, 1)[0])


def test_rate_estimation_panels_match_the_analysis():
    """PSTH bars, kernel estimate and true rate equal neurolab's psth and firing_rate on
    the same trains; a new bin width changes the number of bars."""
    app = rate_estimation(bin=25.0, trials=20, width=30.0, frequency=2.0, seed=4)
    grid = np.arange(int(app.duration / app.dt)) * app.dt
    rate = 40.0 + 30.0 * np.sin(2 * np.pi * 2.0 * grid / 1000.0)
    trains = _same_trains(rate, app.duration, app.dt, 20, 4)
    for a, b in zip(app.trains, trains, strict=True):
        np.testing.assert_array_equal(a, b)
    _, expect = psth(trains, 25.0, duration=app.duration)
    bars = app._psth["bars"].get_data()
    np.testing.assert_allclose(bars.values, expect)
    np.testing.assert_allclose(bars.edges, np.arange(0.0, 1000.01, 25.0))
    np.testing.assert_allclose(app._kernel.get_ydata(),
                               firing_rate(trains[0], app.t, "gaussian", 30.0))
    np.testing.assert_allclose(app._true.get_ydata(),
                               40.0 + 30.0 * np.sin(2 * np.pi * 2.0 * app.t / 1000.0))
    # PSTH averaged over the whole run estimates the mean rate r0 = 40 Hz
    assert expect.mean() == pytest.approx(40.0, rel=0.1)
    app.controls[0].value = 40.0
    assert app._psth["bars"].get_data().values.size == 25
    assert bytes(app.view.image.value)[:4] == PNG


def test_rate_estimation_bad_seed_shows_message():
    """A negative seed is refused by numpy's generator; the message shows; it recovers."""
    app = rate_estimation(trials=3)
    app.seed.value = -1
    assert app.error != ""
    app.seed.value = 7
    assert app.error == ""
