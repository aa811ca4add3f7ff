"""Tests of the passive cable against the cable equation's analytic solutions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import erf

from neurolab.models.cable import (
    PassiveCable,
    infinite_cable_step,
    simulate_cable,
    steady_state,
)
from neurolab.stimulus import sine, step


def test_length_and_time_constant_by_hand():
    """lambda = sqrt(d R_m / (4 R_i)), tau = R_m C_m (Koch 1999, ch. 2), worked in SI units.

    d = 2 um = 2e-6 m, R_m = 20 kOhm cm2 = 2 Ohm m2, R_i = 100 Ohm cm = 1 Ohm m:
    lambda = sqrt(2e-6 * 2 / 4) m = 1e-3 m = 1000 um; tau = 2 Ohm m2 * 0.01 F/m2 = 20 ms.
    """
    c = PassiveCable(diameter=2.0, R_m=20.0, R_i=100.0, C_m=1.0)
    d, Rm, Ri, Cm = 2e-6, 20.0e3 * 1e-4, 100.0 * 1e-2, 1.0e-6 / 1e-4
    assert c.length_constant == pytest.approx(math.sqrt(d * Rm / (4 * Ri)) * 1e6)
    assert c.length_constant == pytest.approx(1000.0)
    assert c.time_constant == pytest.approx(Rm * Cm * 1e3)
    assert c.time_constant == pytest.approx(20.0)
    # lambda scales with sqrt(d): four times the diameter, twice the length constant.
    assert c.replace(diameter=8.0).length_constant == pytest.approx(2000.0)


def test_input_resistance_by_hand():
    """R_inf = r_i lambda = 4 R_i lambda / (pi d^2) (semi-infinite cable), R_in = R_inf
    coth(L / lambda) with a sealed end (Koch 1999, ch. 2), worked in SI units."""
    c = PassiveCable(length=500.0)
    r_inf = 4 * 1.0 * 1e-3 / (math.pi * (2e-6) ** 2) / 1e6  # Ohm -> MOhm
    assert c.semi_infinite_input_resistance == pytest.approx(r_inf)
    assert c.input_resistance == pytest.approx(r_inf / math.tanh(0.5))
    # The steady state at x = 0 is I R_in, by Ohm's law.
    assert steady_state(c, 0.2, [0.0])[0] - c.E_L == pytest.approx(0.2 * c.input_resistance)


def test_steady_state_shape_sealed_end():
    """V - E_L ~ cosh((L - x) / lambda): zero slope at the sealed end and the ratio
    V(L) / V(0) = 1 / cosh(L / lambda) (Dayan and Abbott 2001, ch. 6)."""
    c = PassiveCable(length=2000.0)
    v = steady_state(c, 0.1) - c.E_L
    assert v[-1] / v[0] == pytest.approx(1.0 / math.cosh(2.0))
    assert np.all(np.diff(v) < 0)
    assert abs(v[-1] - v[-2]) < 0.01 * abs(v[0] - v[1])  # flat near x = L


@pytest.mark.parametrize("method", ["crank-nicolson", "backward-euler"])
def test_finite_difference_steady_state_converges_to_analytic(method):
    """After many time constants the simulation matches the analytic steady state, and
    halving the grid step divides the error by about four (second order in space)."""
    errors = []
    for n in (21, 41, 81):
        c = PassiveCable(n_compartments=n)
        r = simulate_cable(c, 15 * c.time_constant, 0.1, dt=0.5, method=method)
        errors.append(np.abs(r.V[-1] - steady_state(c, 0.1, r.x)).max())
    scale = 0.1 * PassiveCable().input_resistance
    assert errors[-1] < 1e-4 * scale
    for coarse, fine in zip(errors, errors[1:], strict=False):
        assert 3.5 < coarse / fine < 4.5


def test_long_cable_follows_rall_erf():
    """At x = 0 of a cable ten length constants long, a current step gives
    V(0, t) - E_L = I R_inf erf(sqrt(t / tau)) (Rall 1969; Koch 1999, ch. 2)."""
    c = PassiveCable(length=10_000.0, n_compartments=501)
    I = 0.1
    r = simulate_cable(c, 3 * c.time_constant, I, dt=0.05)
    ref = I * c.semi_infinite_input_resistance * erf(np.sqrt(r.t / c.time_constant))
    later = r.t >= 1.0
    err = np.abs(r.V[later, 0] - c.E_L - ref[later])
    assert err.max() < 0.005 * I * c.semi_infinite_input_resistance
    np.testing.assert_allclose(infinite_cable_step(c, I, r.t) - c.E_L, ref)


def test_crank_nicolson_is_second_order_in_time():
    """Against a run with a 16 times finer step, halving dt quarters the error of a
    smooth drive (a 40 Hz sine on an offset): Crank-Nicolson is second order."""
    c = PassiveCable(n_compartments=41)
    drive = sine(0.1, 40.0) + 0.05

    def err(dt: float) -> float:
        r = simulate_cable(c, 20.0, drive, dt=dt)
        ref = simulate_cable(c, 20.0, drive, dt=dt / 16)
        return float(np.abs(r.V[-1] - ref.V[-1]).max())

    assert 3.5 < err(0.2) / err(0.1) < 4.5


def test_step_current_returns_to_rest_and_is_linear():
    """A passive cable is linear: doubling the current doubles V - E_L, and after the
    current stops V decays back towards E_L."""
    c = PassiveCable(n_compartments=31)
    r1 = simulate_cable(c, 200.0, step(0.1, 5.0, 60.0), dt=0.25)
    r2 = simulate_cable(c, 200.0, step(0.2, 5.0, 60.0), dt=0.25)
    np.testing.assert_allclose(r2.V - c.E_L, 2 * (r1.V - c.E_L), atol=1e-9)
    assert np.abs(r1.V[-1] - c.E_L).max() < 1e-3 * np.abs(r1.V - c.E_L).max()
    assert r1.V.shape == (r1.t.size, r1.x.size)
    assert r1.current[r1.t.searchsorted(30.0)] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"diameter": -1.0}, "diameter"), ({"length": 0.0}, "length"),
     ({"R_m": float("nan")}, "R_m"), ({"R_i": -5.0}, "R_i"), ({"C_m": 0.0}, "C_m"),
     ({"n_compartments": 2}, "n_compartments"), ({"n_compartments": 10.5}, "n_compartments")],
)
def test_bad_parameters_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        PassiveCable(**kwargs)


def test_bad_arguments_name_themselves():
    c = PassiveCable()
    with pytest.raises(ValueError, match="duration"):
        simulate_cable(c, -1.0)
    with pytest.raises(ValueError, match="dt"):
        simulate_cable(c, 10.0, dt=0.0)
    with pytest.raises(ValueError, match="method"):
        simulate_cable(c, 10.0, method="rk4")
    with pytest.raises(ValueError, match="current"):
        simulate_cable(c, 10.0, current="big")
    with pytest.raises(ValueError, match="current"):
        simulate_cable(c, 10.0, current=lambda t: np.full_like(t, np.nan))
    with pytest.raises(ValueError, match="x must lie"):
        steady_state(c, 0.1, [-5.0])
    with pytest.raises(ValueError, match="I must"):
        steady_state(c, float("inf"))
    with pytest.raises(ValueError, match="cable"):
        steady_state("cable", 0.1)
    with pytest.raises(ValueError, match="t must"):
        infinite_cable_step(c, 0.1, [-1.0])
    with pytest.raises(ValueError, match="not a parameter"):
        c.replace(radius=1.0)
