"""Bifurcation analysis checked against closed forms, published values and simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolab.analysis import (
    bifurcation_diagram,
    bifurcations,
    equilibrium_branch,
    first_lyapunov_coefficient,
    limit_cycles,
)
from neurolab.analysis.bifurcation import lyapunov_from_rhs
from neurolab.models import LIF, FitzHughNagumo, HodgkinHuxley, INaPK, Izhikevich
from neurolab.simulate import simulate

HH_RANGE = (0.0, 200.0)


def _kinds(found, kind):
    return [b for b in found if b.kind == kind]


def test_hh_hopf_points_and_criticality():
    """Hodgkin-Huxley at 6.3 C: Hopf points near 9.78 and 154.5 uA/cm2 (Rinzel & Miller,
    Math. Biosci. 49:27, 1980; Hassard, J. Theor. Biol. 71:401, 1978); the lower one is
    subcritical. The upper one comes out supercritical (l1 < 0), and independently the
    stable cycle branch shrinks onto it (checked below)."""
    hopf = _kinds(bifurcations(HodgkinHuxley(), HH_RANGE), "Hopf")
    assert [h.I for h in hopf] == [pytest.approx(9.78, rel=0.01),
                                   pytest.approx(154.5, rel=0.01)]
    assert hopf[0].criticality == "subcritical" and hopf[0].lyapunov > 0
    assert hopf[1].criticality == "supercritical" and hopf[1].lyapunov < 0
    m = HodgkinHuxley()
    for h in hopf:  # refined: a purely imaginary pair at the point
        lam = np.linalg.eigvals(m.jacobian(h.state, h.I))
        assert np.min(np.abs(lam.real)) < 1e-7
        assert np.allclose(m.rhs(h.state, h.I), 0.0, atol=1e-9)


def test_hh_fold_of_cycles_and_bistability():
    """Onset of repetitive firing at the fold of limit cycles near 6.26 uA/cm2 (Rinzel &
    Miller 1980); between it and the lower Hopf point a stable and an unstable cycle
    coexist with the stable rest state (Floquet multipliers), and simulation shows the
    bistability: rest stays at rest, a kick gives sustained firing."""
    found = bifurcations(HodgkinHuxley(), HH_RANGE)
    folds = _kinds(found, "fold of limit cycles")
    assert folds[0].I == pytest.approx(6.26, rel=0.01)
    (branch,) = limit_cycles(HodgkinHuxley(), HH_RANGE)
    I = 8.5
    at = [k for k in range(len(branch.I) - 1)
          if (branch.I[k] - I) * (branch.I[k + 1] - I) <= 0]
    stab = {bool(branch.stable[k]) for k in at}
    assert stab == {True, False}
    assert all(branch.multipliers[k] > 1 for k in at if not branch.stable[k])
    # the stable cycle branch ends on the upper Hopf point (supercritical)
    assert branch.I[-1] == pytest.approx(154.52, abs=0.05) and branch.stable[-1]
    m = HodgkinHuxley()
    quiet = simulate(m, 200.0, current=I)
    assert quiet.spike_times.size == 0
    y0 = m.rest(I)
    y0[0] += 20.0
    firing = simulate(m, 200.0, current=I, y0=y0)
    assert firing.spike_times.size >= 10
    T = np.diff(firing.spike_times[-4:]).mean()
    k = [j for j in at if branch.stable[j]][0]
    assert T == pytest.approx(branch.period[k], rel=0.02)


def test_lyapunov_coefficient_of_cartesian_normal_form():
    """For z' = i w z + (a + i b) z |z|^2 in Cartesian form, r' = a r^3, and Kuznetsov's
    l1 (with <q, q> = 1) equals 2 a / w (Kuznetsov 2004, section 3.5)."""
    for a, b, w in [(-1.0, 0.0, 1.0), (0.5, 0.3, 2.0), (-2.0, 1.0, 0.5)]:
        def f(Y, a=a, b=b, w=w):
            r2 = Y[0] ** 2 + Y[1] ** 2
            return np.array([-w * Y[1] + r2 * (a * Y[0] - b * Y[1]),
                             w * Y[0] + r2 * (b * Y[0] + a * Y[1])])

        l1, omega = lyapunov_from_rhs(f, np.zeros(2), np.array([[0.0, -w], [w, 0.0]]))
        assert omega == pytest.approx(w)
        assert l1 == pytest.approx(2 * a / w, rel=1e-6)


def test_lyapunov_coefficient_predicts_hh_cycle_amplitude():
    """Near the lower HH Hopf point the unstable cycles found by shooting have the size
    the normal form predicts: x = x_H + 2 Re(z q), |z|^2 = -Re(lambda) / (w l1)."""
    m = HodgkinHuxley()
    h = _kinds(bifurcations(m, HH_RANGE), "Hopf")[0]
    (branch,) = limit_cycles(m, HH_RANGE)
    A = m.jacobian(h.state, h.I)
    lam, V = np.linalg.eig(A)
    i = int(np.argmax(lam.imag))
    q = V[:, i] / np.linalg.norm(V[:, i])
    w = lam[i].imag
    for k in range(2, 5):
        I = branch.I[k]
        lam_I = np.linalg.eigvals(m.jacobian(m.equilibria(I)[0], I))
        re = lam_I.real[np.argmax(lam_I.imag)]
        predicted = 2 * abs(q[0]) * math.sqrt(-re / (w * h.lyapunov))
        measured = 0.5 * (branch.v_max[k] - branch.v_min[k])
        assert measured == pytest.approx(predicted, rel=0.15)


def test_inapk_snic_and_diverging_period():
    """I_Na,p+I_K, high threshold: saddle-node on invariant circle near 4.51 uA/cm2
    (Izhikevich 2007, ch. 4 and 6). The cycle's period grows without bound towards it,
    as T ~ pi / sqrt(c (I - I_sn)) (the SNIC normal form), so T^2 (I - I_sn) levels off."""
    m = INaPK()
    found = bifurcations(m, (0.0, 10.0))
    (sn,) = [b for b in found if b.kind.startswith("saddle-node")]
    assert sn.kind == "saddle-node on invariant circle"
    assert sn.I == pytest.approx(4.51, rel=0.01)
    (branch,) = limit_cycles(m, (0.0, 10.0))
    assert branch.stable.all()
    order = np.argsort(branch.I)
    I, T = branch.I[order], branch.period[order]
    assert T[0] > 10 * T[-1]
    assert np.all(np.diff(T) < 0)
    near = (I - sn.I) < 0.01
    c = T[near] ** 2 * (I[near] - sn.I)
    assert np.ptp(c) < 0.3 * c.mean()


def test_inapk_low_threshold_supercritical_hopf():
    """Low-threshold I_Na,p+I_K: rest loses stability in an Andronov-Hopf bifurcation,
    supercritical (Izhikevich 2007, ch. 6): just past it, a run from rest settles on a
    small stable oscillation whose size matches the continued cycle."""
    m = INaPK.preset("low-threshold")
    (h,) = _kinds(bifurcations(m, (0.0, 40.0)), "Hopf")
    assert h.criticality == "supercritical"
    (branch,) = limit_cycles(m, (0.0, 40.0))
    k = 3
    I = branch.I[k]
    assert I > h.I and branch.stable[k]
    tr = simulate(m, 400.0, current=I, y0=h.state + np.array([0.5, 0.0]))
    v = tr.V[tr.t > 300]
    assert np.ptp(v) == pytest.approx(branch.v_max[k] - branch.v_min[k], rel=0.05)


def test_fhn_hopf_points_match_closed_form():
    """FitzHugh-Nagumo: Hopf currents from trace J = 0 on the curve of equilibria
    (FitzHughNagumo.hopf_currents, closed form)."""
    m = FitzHughNagumo()
    found = bifurcations(m, (0.0, 2.0), cycles=False)
    got = [b.I for b in _kinds(found, "Hopf")]
    assert got == pytest.approx(m.hopf_currents(), abs=1e-8)


def test_izhikevich_saddle_node_matches_closed_form():
    """Izhikevich RS: rest and threshold merge at I = (5 - b)^2 / 0.16 - 140 (the
    quadratic's discriminant, Izhikevich.saddle_node_current)."""
    m = Izhikevich()
    sn = [b for b in bifurcations(m, (-20.0, 40.0)) if b.kind.startswith("saddle-node")]
    assert len(sn) == 1
    assert sn[0].I == pytest.approx(m.saddle_node_current(), abs=1e-8)


def test_equilibrium_branch_lif_is_linear_and_empty_when_none():
    """LIF: the equilibria are V = E_L + R I (analytic), all stable, no bifurcation.
    Izhikevich above its saddle-node has no equilibrium: an empty branch, honestly."""
    m = LIF()
    br = equilibrium_branch(m, (-1.0, 1.0))
    assert np.allclose(br.states[:, 0], m.E_L + m.R * br.I, atol=1e-9)
    assert br.stable.all() and br.I.min() == pytest.approx(-1.0)
    assert bifurcations(m, (-1.0, 1.0)) == []
    empty = equilibrium_branch(Izhikevich(), (10.0, 20.0))
    assert empty.I.size == 0 and empty.states.shape == (0, 2)
    d = bifurcation_diagram(FitzHughNagumo(), (0.0, 0.3))
    assert d.cycles == [] and d.bifurcations == []


def test_bad_input():
    """Bad arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match="I_range"):
        equilibrium_branch(HodgkinHuxley(), (5.0, 1.0))
    with pytest.raises(ValueError, match="model"):
        bifurcations("HH", (0.0, 1.0))
    with pytest.raises(ValueError, match="smooth"):
        limit_cycles(Izhikevich(), (0.0, 10.0))
    with pytest.raises(ValueError, match="max_period"):
        limit_cycles(HodgkinHuxley(), (0.0, 10.0), max_period=-1.0)
    with pytest.raises(ValueError, match="state"):
        first_lyapunov_coefficient(HodgkinHuxley(), [0.0, 1.0], 10.0)
    with pytest.raises(ValueError, match="Hopf"):
        first_lyapunov_coefficient(LIF(), [-65.0], 0.0)


def test_izhikevich_class1_fold_is_exact_and_on_the_invariant_circle():
    """Izhikevich (2004), Fig. 1G ("class 1 excitable"; v' = 0.04 v^2 + 4.1 v + 108 - u + I,
    b = -0.1): rest and threshold merge where the quadratic's discriminant vanishes,
    I = (4.1 - b)^2 / 0.16 - 108 = 2.25 (closed form), and firing starts there at
    arbitrarily low rates, through the reset: a saddle-node on an invariant circle.
    The fold is far from the branch's sample points, so this checks the fold polish."""
    from neurolab.models import firing_pattern

    model = firing_pattern("G").model
    found = bifurcations(model, I_range=(0.0, 40.0), cycles=False)
    assert [b.kind for b in found] == ["saddle-node on invariant circle"]
    assert found[0].I == pytest.approx(model.saddle_node_current(), abs=1e-8)
    assert found[0].I == pytest.approx(2.25, abs=1e-8)
