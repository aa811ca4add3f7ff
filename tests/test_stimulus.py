"""Injected-current waveforms against their defining formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolab import stimulus as S

T = np.linspace(0.0, 100.0, 4001)


def test_step_window_is_half_open():
    """step: baseline + amplitude on [start, stop), baseline elsewhere."""
    s = S.step(3.0, start=10.0, stop=20.0, baseline=-1.0)
    np.testing.assert_array_equal(s([9.999, 10.0, 19.999, 20.0]), [-1, 2, 2, -1])
    assert S.step(2.0)(1e9) == 2.0


def test_ramp_formula():
    """ramp: baseline + slope (t - start) inside the window."""
    r = S.ramp(0.5, start=10.0, stop=30.0, baseline=1.0)
    inside = (T >= 10) & (T < 30)
    np.testing.assert_allclose(r(T), np.where(inside, 1.0 + 0.5 * (T - 10), 1.0))


def test_pulses_and_train():
    """pulses: one rectangle per onset with its own height; pulse_train: onsets
    start + k * interval, from n or from stop."""
    p = S.pulses([5.0, 20.0], amplitude=[1.0, 2.0], width=2.0, baseline=0.5)
    expected = 0.5 + np.where((T >= 5) & (T < 7), 1.0, 0) + np.where((T >= 20) & (T < 22),
                                                                       2.0, 0)
    np.testing.assert_array_equal(p(T), expected)
    a = S.pulse_train(1.0, 1.0, 10.0, start=3.0, n=5)
    b = S.pulse_train(1.0, 1.0, 10.0, start=3.0, stop=50.0)
    assert a == b and a.times == (3.0, 13.0, 23.0, 33.0, 43.0)


def test_sine_formula():
    """sine: offset + amplitude sin(2 pi f t / 1000 + phase), f in Hz, t in ms."""
    s = S.sine(2.0, 50.0, offset=1.0, phase=0.3)
    np.testing.assert_allclose(s(T), 1.0 + 2.0 * np.sin(2 * np.pi * 50 * T / 1000 + 0.3))
    assert s(5.0) == pytest.approx(1.0 + 2.0 * math.sin(math.pi / 2 + 0.3))


def test_chirp_instantaneous_frequency():
    """chirp: the local frequency follows the linear sweep f0 + (f1 - f0) s / T, checked
    by counting zero crossings (two per period) in 100 ms windows (one crossing more or
    less is 5 Hz)."""
    c = S.chirp(1.0, 5.0, 50.0, start=0.0, stop=1000.0)
    t = np.linspace(0.0, 999.0, 200001)
    x = c(t)
    edges = np.linspace(100, 900, 9)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        w = (t >= lo) & (t < hi)
        crossings = np.count_nonzero(np.diff(np.sign(x[w])) != 0)
        f_mean = float(c.frequency(0.5 * (lo + hi)))
        assert crossings / 2 / ((hi - lo) / 1000) == pytest.approx(f_mean, abs=6.0)
    assert c.frequency(0.0) == 5.0 and c.frequency(1000.0) == pytest.approx(50.0)


def test_white_noise_statistics_and_seed():
    """White noise: independent N(mean, std^2) per bin of dt; the same seed gives the
    same current whatever the sampling grid (values depend on the bin only)."""
    n = S.noise(2.0, mean=1.0, dt=0.1, seed=7)
    x = n(np.arange(100000) * 0.1 + 0.05)
    assert x.mean() == pytest.approx(1.0, abs=4 * 2.0 / math.sqrt(x.size))
    assert x.std() == pytest.approx(2.0, rel=0.02)
    assert abs(np.corrcoef(x[:-1], x[1:])[0, 1]) < 0.02
    fine = n(np.arange(0, 50, 0.025))
    coarse = n(np.arange(0, 50, 0.1))
    np.testing.assert_array_equal(fine[::4], coarse)
    assert not np.array_equal(S.noise(2.0, seed=8)(T), S.noise(2.0, seed=7)(T))


def test_ou_noise_statistics():
    """Ornstein-Uhlenbeck noise: stationary std, and lag-k autocorrelation
    exp(-k dt / tau) (exact discretization of the OU process)."""
    n = S.noise(1.5, tau=2.0, dt=0.1, seed=1)
    x = n(np.arange(200000) * 0.1)
    assert x.std() == pytest.approx(1.5, rel=0.05)
    for k in (1, 10, 20):
        r = np.corrcoef(x[:-k], x[k:])[0, 1]
        assert r == pytest.approx(math.exp(-k * 0.1 / 2.0), abs=0.03)


def test_window_of_noise_and_sine():
    """Outside [start, stop) the noise and the sine are 0."""
    for s in (S.noise(1.0, start=10.0, stop=20.0), S.sine(1.0, 10.0, start=10.0, stop=20.0)):
        v = s(T)
        assert np.all(v[(T < 10) | (T >= 20)] == 0.0)


def test_sum_and_scale():
    """Stimuli add, subtract and scale pointwise; numbers add as constants."""
    a = S.step(2.0, start=10.0)
    b = S.sine(1.0, 20.0)
    np.testing.assert_allclose((a + b)(T), a(T) + b(T))
    np.testing.assert_allclose((3 * a - b + 1.5)(T), 3 * a(T) - b(T) + 1.5)
    np.testing.assert_allclose((-a)(T), -a(T))
    assert S.constant(4.0)(T).shape == T.shape
    assert (a + b + a).parts == (a, b, a)
