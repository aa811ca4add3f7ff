"""Normal forms: the closed-form diagrams against numerical root finding, continuation
and simulation of the same equations; trajectories against the closed-form solutions of
x' = I + x^2, the theta neuron and the supercritical Hopf amplitude equation; the
hysteresis sweep against the subcritical form's Hopf point, fold and stable cycle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from neurolab.analysis import (
    NORMAL_FORMS,
    hysteresis_sweep,
    normal_form,
    normal_form_diagram,
    normal_form_trajectory,
)
from neurolab.analysis.continuation import continue_curve


def test_saddle_node_equilibria_match_roots_and_continuation():
    """x' = I + x^2: the analytic branches -+sqrt(-I) against brentq roots, and a
    pseudo-arclength continuation of the same equation passes the fold at I = 0."""
    d = normal_form_diagram("saddle-node", (-1.0, 0.5), 31)
    f = normal_form("saddle-node").rhs
    stable, unstable = d.branches
    for I, x in zip(stable.I[:-1], stable.value[:-1], strict=True):
        assert x == pytest.approx(brentq(lambda v, I=I: f(v, I), -2.0, -1e-12), abs=1e-9)
    assert stable.stable and not unstable.stable

    def fj(z):
        x, I = z
        return np.array([I + x * x]), np.array([[2 * x, 1.0]]), None

    res = continue_curve(fj, np.array([-1.0, -1.0]), np.array([0.0, 1.0]), np.ones(2),
                         ds_max=0.1, max_points=200, stop=lambda z, _i: z[0] > 1.0)
    assert res.x[:, 1].max() == pytest.approx(0.0, abs=1e-2)  # turns at the fold
    assert np.allclose(res.x[:, 1], -res.x[:, 0] ** 2, atol=1e-9)
    assert res.x[-1, 0] > 1.0  # and comes back along the upper branch


def test_snic_period_matches_simulation():
    """theta neuron: period pi / sqrt(I) (Ermentrout & Kopell 1986) against the time a
    solve_ivp run takes to go once around the circle."""
    f = normal_form("saddle-node on invariant circle").rhs
    d = normal_form_diagram("saddle-node on invariant circle", (-0.5, 0.5), 11)
    cyc = [b for b in d.branches if b.kind == "cycle"][0]
    for I, T in zip(cyc.I[::2], cyc.period[::2], strict=True):
        ev = lambda t, y: y[0] - math.pi  # noqa: E731
        ev.terminal = True
        sol = solve_ivp(lambda t, y, I=I: f(y, I), (0, 100 * T), [-math.pi], events=ev,
                        rtol=1e-10, atol=1e-12)
        assert sol.t_events[0][0] == pytest.approx(T, rel=1e-6)
    eq = [b for b in d.branches if b.kind == "equilibrium"]
    for b in eq:
        assert np.allclose(f(b.value, b.I), 0.0, atol=1e-12)


@pytest.mark.parametrize("name", ["supercritical Hopf", "subcritical Hopf"])
def test_hopf_cycle_radii_match_simulation(name):
    """Radii of the cycles against simulation of the Cartesian form: the stable radius
    attracts runs started inside and outside; the unstable one separates growth from
    decay."""
    nf = normal_form(name)
    d = normal_form_diagram(name, (-0.2, 0.2), 5)
    for b in d.branches:
        if b.kind != "cycle":
            continue
        for I, r in zip(b.I[1:-1], b.value[1:-1], strict=True):
            if r == 0:
                continue

            def run(r0, I=I):
                s = solve_ivp(lambda t, y: nf.rhs(y, I), (0, 120), [r0, 0.0], rtol=1e-8,
                              atol=1e-11)
                return math.hypot(*s.y[:, -1])

            if b.stable:
                assert run(0.7 * r) == pytest.approx(r, rel=1e-4)
                assert run(1.3 * r) == pytest.approx(r, rel=1e-4)
            else:
                assert run(0.95 * r) < 0.5 * r
                assert run(1.05 * r) > 1.5 * r
            assert nf.polar_rhs(r, I)[0] == pytest.approx(0.0, abs=1e-12)


def test_subcritical_fold_of_cycles_and_bad_input():
    """The two cycles of r' = I r + r^3 - r^5 merge at I = -1/4 (discriminant 1 + 4 I)."""
    d = normal_form_diagram("subcritical Hopf", (-1.0, 1.0), 401)
    assert ("fold of limit cycles", -0.25) in d.bifurcations
    cycles = [b for b in d.branches if b.kind == "cycle"]
    assert {c.stable for c in cycles} == {True, False}
    assert set(NORMAL_FORMS) == {"saddle-node", "saddle-node on invariant circle",
                                 "supercritical Hopf", "subcritical Hopf"}
    with pytest.raises(ValueError, match="name"):
        normal_form("pitchfork")
    with pytest.raises(ValueError, match="I_range"):
        normal_form_diagram("saddle-node", (1.0, -1.0))
    with pytest.raises(ValueError, match="n"):
        normal_form_diagram("saddle-node", (-1.0, 1.0), 1)


# ----------------------------------------------------------------------------- runs
def test_saddle_node_trajectory_matches_closed_form():
    """x' = I + x^2. For I = -a^2: x(t) = -a tanh(a t + artanh(-x0/a)); for I = w^2:
    x(t) = w tan(w t + arctan(x0/w)), which reaches x = E at
    t_E = (arctan(E/w) - arctan(x0/w)) / w (separation of variables): the run stops at
    the last output time before t_E."""
    a, x0 = 0.5, 0.3
    t, y = normal_form_trajectory("saddle-node", [x0], -a * a, 20.0, n=201)
    assert y.shape == (1, 201)
    np.testing.assert_allclose(y[0], -a * np.tanh(a * t + np.arctanh(-x0 / a)), atol=1e-5)
    w, E = 0.4, 1.9
    t, y = normal_form_trajectory("saddle-node", [x0], w * w, 20.0, n=2001, escape=E)
    t_E = (math.atan(E / w) - math.atan(x0 / w)) / w
    assert t[-1] <= t_E < t[-1] + 20.0 / 2000 + 1e-9
    np.testing.assert_allclose(y[0], w * np.tan(w * t + math.atan(x0 / w)), rtol=1e-4)


def test_snic_trajectory_matches_closed_form():
    """theta' = 1 - cos(theta) + (1 + cos(theta)) I becomes u' = u^2 + I for
    u = tan(theta / 2) (Ermentrout and Kopell 1986), so with I = w^2,
    theta(t) = 2 arctan(w tan(w t + arctan(tan(theta0 / 2) / w))) until theta reaches pi."""
    w, th0 = 0.5, -2.0
    c = math.atan(math.tan(th0 / 2) / w)
    t_pi = (math.pi / 2 - c) / w  # time at which theta reaches pi
    t, y = normal_form_trajectory("saddle-node on invariant circle", [th0], w * w,
                                  0.9 * t_pi, n=101)
    np.testing.assert_allclose(y[0], 2 * np.arctan(w * np.tan(w * t + c)), atol=1e-5)


def test_hopf_trajectories_match_closed_form_and_cartesian_runs():
    """Supercritical r' = I r - r^3 (a Bernoulli equation): r(t)^2 =
    I / (1 + (I / r0^2 - 1) exp(-2 I t)), and theta = theta0 + omega t (b = 0).
    Subcritical: the polar integration agrees with solve_ivp of the Cartesian form."""
    I, x0, y0 = 0.36, 0.05, 0.02
    t, xy = normal_form_trajectory("supercritical Hopf", [x0, y0], I, 40.0, n=401)
    r0, th0 = math.hypot(x0, y0), math.atan2(y0, x0)
    r = np.sqrt(I / (1 + (I / r0**2 - 1) * np.exp(-2 * I * t)))
    np.testing.assert_allclose(xy[0], r * np.cos(th0 + t), atol=1e-5)
    np.testing.assert_allclose(xy[1], r * np.sin(th0 + t), atol=1e-5)
    nf = normal_form("subcritical Hopf")
    t, xy = normal_form_trajectory("subcritical Hopf", [0.6, -0.3], -0.1, 30.0, n=61)
    ref = solve_ivp(lambda _t, y: nf.rhs(y, -0.1), (0, 30.0), [0.6, -0.3], t_eval=t,
                    rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(xy, ref.y, atol=1e-5)


def test_trajectory_bad_input():
    with pytest.raises(ValueError, match="y0"):
        normal_form_trajectory("supercritical Hopf", [0.1], 0.1, 10.0)
    with pytest.raises(ValueError, match="y0"):
        normal_form_trajectory("saddle-node", [np.nan], 0.1, 10.0)
    with pytest.raises(ValueError, match="t_end"):
        normal_form_trajectory("saddle-node", [0.0], 0.1, 0.0)
    with pytest.raises(ValueError, match="n"):
        normal_form_trajectory("saddle-node", [0.0], 0.1, 1.0, n=1)
    with pytest.raises(ValueError, match="escape"):
        normal_form_trajectory("saddle-node", [0.0], 0.1, 1.0, escape=-1.0)
    with pytest.raises(ValueError, match="name"):
        normal_form_trajectory("pitchfork", [0.0], 0.1, 1.0)


def test_hysteresis_sweep_thresholds_and_branches():
    """r' = I r + r^3 - r^5 (closed forms in the module docstring): on the way up the
    rest state r = 0 holds until the Hopf point I = 0, then r jumps (a step or two after
    0, the growth from a small kick being slow) to the stable cycle
    r^2 = (1 + sqrt(1 + 4 I)) / 2; on the way down r stays on that cycle until the fold
    at I = -1/4 and falls just below it. Between -1/4 and 0 the two sweeps differ:
    bistability."""
    I_up, r_up, I_dn, r_dn = hysteresis_sweep()
    step = I_up[1] - I_up[0]
    np.testing.assert_allclose(I_dn, I_up[::-1])
    up_jump = I_up[np.argmax(r_up > 0.5)]
    dn_fall = I_dn[np.argmax(r_dn < 0.5)]
    assert 0.0 < up_jump <= 0.05
    assert -0.25 - step - 1e-12 <= dn_fall < -0.25
    r_stable = lambda I: np.sqrt((1 + np.sqrt(1 + 4 * I)) / 2)  # noqa: E731
    after = I_up > up_jump + 1e-12
    np.testing.assert_allclose(r_up[after], r_stable(I_up[after]), rtol=1e-3)
    on = I_dn > -0.25
    np.testing.assert_allclose(r_dn[on], r_stable(I_dn[on]), rtol=1e-3)
    mid = (I_up > -0.24) & (I_up < -0.01)
    assert np.all(r_up[mid] < 0.05)  # rest on the way up
    assert np.all(r_dn[::-1][mid] > 0.7)  # oscillation on the way down: bistable
    assert np.all(r_dn[I_dn < -0.3] < 0.05)  # back to rest below the fold
    with pytest.raises(ValueError, match="I_lo"):
        hysteresis_sweep(0.2, -0.4)
    with pytest.raises(ValueError, match="steps"):
        hysteresis_sweep(steps=1)
    with pytest.raises(ValueError, match="settle"):
        hysteresis_sweep(settle=0.0)
    with pytest.raises(ValueError, match="kick"):
        hysteresis_sweep(kick=0.0)
