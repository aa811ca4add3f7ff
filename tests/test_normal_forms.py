"""Normal forms: the closed-form diagrams against numerical root finding, continuation
and simulation of the same equations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from neurolab.analysis import NORMAL_FORMS, normal_form, normal_form_diagram
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
