"""AdEx (Brette & Gerstner 2005), each result against an independent method: the exact
Jacobian against central differences; the closed-form saddle-node and Hopf currents
(Touboul & Brette 2008) against continuation (neurolab.analysis.bifurcations) and
against a brute-force scan of the determinant and trace of a finite-difference
Jacobian along the curve of equilibria; and each firing pattern of Naud et al. (2008)
against the feature it is named after, under its published step current."""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import bifurcations
from neurolab.models import AdEx
from neurolab.models.adex import NAUD_PATTERNS
from neurolab.simulate import simulate


def test_defaults_are_brette_gerstner_2005():
    """Brette & Gerstner (2005): C = 281 pF, g_L = 30 nS, E_L = -70.6 mV, V_T = -50.4
    mV, Delta_T = 2 mV, tau_w = 144 ms, a = 4 nS, b = 0.0805 nA, V_reset = E_L."""
    m = AdEx()
    assert m.params() == {"C": 281.0, "g_L": 30.0, "E_L": -70.6, "V_T": -50.4,
                          "Delta_T": 2.0, "tau_w": 144.0, "a": 4.0, "b": 80.5,
                          "V_reset": -70.6, "V_peak": 20.0}
    assert AdEx.preset("Brette-Gerstner 2005") == m


def test_rhs_by_hand_and_reset():
    """C V' = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) - w + I and
    tau_w w' = a (V - E_L) - w, written out; the reset sets V to V_reset and adds b."""
    m = AdEx()
    y = np.array([-55.0, 120.0])
    I = 500.0
    dV = (-30.0 * (-55.0 + 70.6) + 30.0 * 2.0 * np.exp((-55.0 + 50.4) / 2.0) - 120.0
          + I) / 281.0
    dw = (4.0 * (-55.0 + 70.6) - 120.0) / 144.0
    np.testing.assert_allclose(m.rhs(y, I), [dV, dw], rtol=1e-12)
    np.testing.assert_allclose(m.after_reset(np.array([20.0, 120.0])), [-70.6, 200.5])


def test_jacobian_matches_central_differences(rng):
    """Exact Jacobian against central differences below the cut-off (where the model
    lives), for the defaults and every preset."""
    for name in AdEx.presets:
        m = AdEx.preset(name)
        Y = np.vstack([rng.uniform(-90.0, m.V_T + 3 * m.Delta_T, 100),
                       rng.uniform(-200.0, 600.0, 100)])
        I = rng.uniform(*AdEx.current_range, 100)
        J = m.jacobian(Y, I)
        for j in range(2):
            h = 1e-6 * np.maximum(1.0, np.abs(Y[j]))
            Yp, Ym = Y.copy(), Y.copy()
            Yp[j] += h
            Ym[j] -= h
            fd = (m.rhs(Yp, I) - m.rhs(Ym, I)) / (2 * h)
            np.testing.assert_allclose(J[:, j], fd, rtol=1e-6, atol=1e-9)


#: Parameter sets on both sides of a = C / tau_w (a Hopf point exists only above it):
#: the defaults (a = 4 > 281/144), a slow adaptation with a < C / tau_w, a strong fast
#: one, and a negative a.
CASES = [{}, {"a": 1.0}, {"a": 20.0, "tau_w": 30.0}, {"a": -10.0, "g_L": 12.0},
         {"C": 100.0, "a": 10.0, "tau_w": 90.0}]


@pytest.mark.parametrize("changes", CASES, ids=lambda c: str(c) or "defaults")
def test_closed_forms_match_continuation(changes):
    """The continuation of equilibria (pseudo-arclength, with Hopf and fold detection)
    finds a fold at saddle_node_current() and, exactly when a > C / tau_w, a Hopf
    point at hopf_current() (Touboul & Brette 2008)."""
    m = AdEx(**changes)
    I_sn = m.saddle_node_current()
    found = bifurcations(m, (I_sn - 300.0, I_sn + 100.0), cycles=False)
    folds = [b.I for b in found if b.kind.startswith("saddle-node")]
    hopfs = [b.I for b in found if b.kind == "Hopf"]
    assert folds == [pytest.approx(I_sn, rel=1e-7, abs=1e-6)]
    if m.a > m.C / m.tau_w:
        assert hopfs == [pytest.approx(m.hopf_current(), rel=1e-7, abs=1e-6)]
        assert m.hopf_current() < I_sn
    else:
        assert hopfs == []
        with pytest.raises(ValueError, match="C / tau_w"):
            m.hopf_current()


def _scan(m, n=200001):
    """Brute force: along the curve of equilibria (w = a (V - E_L), the current that
    makes V' vanish read from the model's rhs), the determinant and trace of a
    central-difference Jacobian on a fine V grid; returns the currents where each
    changes sign (linear interpolation between grid points)."""
    V = np.linspace(m.E_L - 10.0, m.V_T + 8.0 * m.Delta_T, n)
    w = m.a * (V - m.E_L)
    I = -m.C * m.rhs(np.vstack([V, w]), 0.0)[0]  # V' is affine in I with slope 1/C
    Y = np.vstack([V, w])
    J = np.empty((2, 2, n))
    for j, h in enumerate((1e-6, 1e-5)):
        Yp, Ym = Y.copy(), Y.copy()
        Yp[j] += h
        Ym[j] -= h
        J[:, j] = (m.rhs(Yp, I) - m.rhs(Ym, I)) / (2 * h)
    det = J[0, 0] * J[1, 1] - J[0, 1] * J[1, 0]
    tr = J[0, 0] + J[1, 1]

    def crossings(g, where):
        k = np.flatnonzero((np.sign(g[:-1]) != np.sign(g[1:])) & where[:-1])
        s = g[k] / (g[k] - g[k + 1])
        return I[k] + s * (I[k + 1] - I[k])

    return crossings(det, np.ones(n, bool)), crossings(tr, det > 0)


@pytest.mark.parametrize("changes", CASES, ids=lambda c: str(c) or "defaults")
def test_closed_forms_match_brute_force_scan(changes):
    """det J = 0 (the fold) and trace J = 0 with det J > 0 (the Hopf point) located
    numerically on the curve of equilibria agree with the closed forms."""
    m = AdEx(**changes)
    folds, hopfs = _scan(m)
    assert folds.tolist() == [pytest.approx(m.saddle_node_current(), rel=1e-5)]
    if m.a > m.C / m.tau_w:
        assert hopfs.tolist() == [pytest.approx(m.hopf_current(), rel=1e-5)]
    else:
        assert hopfs.size == 0


def test_closed_forms_refuse_what_does_not_exist():
    """a <= -g_L: V' decreases along the whole curve of equilibria, one equilibrium at
    every current, no fold."""
    with pytest.raises(ValueError, match="a must be > -g_L"):
        AdEx(a=-40.0).saddle_node_current()
    with pytest.raises(ValueError, match="V_peak"):
        AdEx(V_peak=-52.0, V_reset=-60.0).saddle_node_current()


# ------------------------------------------------------------------ Naud et al. 2008
def _run(name):
    p = AdEx.preset_info(name)
    m = AdEx.preset(name)
    tr = simulate(m, p.duration, current=p.stimulus, y0=p.y0)
    s = tr.spike_times
    return m, p, s, np.diff(s)


def _tau_m(m):
    return m.C / m.g_L


def _bursts(isi):
    """Gaps between bursts: ISIs more than 10 times the shortest one."""
    return isi > 10.0 * isi.min()


def test_naud_presets_are_the_table():
    """Every Naud preset carries its row (see the module docstring for the source of
    each value): V_T = -50 mV, Delta_T = 2 mV, a 0 mV cut-off, and its step current
    held for the whole run from t = 0."""
    assert set(NAUD_PATTERNS) <= set(AdEx.presets)
    for name, (C, g_L, E_L, a, tau_w, b, V_r, I) in NAUD_PATTERNS.items():
        m = AdEx.preset(name)
        p = AdEx.preset_info(name)
        assert (m.C, m.g_L, m.E_L, m.a, m.tau_w, m.b, m.V_reset) == (C, g_L, E_L, a,
                                                                       tau_w, b, V_r)
        assert (m.V_T, m.Delta_T, m.V_peak) == (-50.0, 2.0, 0.0)
        assert np.all(p.stimulus(np.array([0.0, 250.0, p.duration])) == I)
        assert p.y0 == (E_L, 0.0)


def test_tonic():
    """Tonic spiking: regular firing from the start, no adaptation to speak of."""
    m, _, s, isi = _run("tonic")
    assert s.size >= 20
    assert np.std(isi[-10:]) < 0.01 * np.mean(isi[-10:])
    assert isi[-1] < 1.2 * isi[0]
    assert s[0] < 1.5 * _tau_m(m)


def test_adapting():
    """Spike-frequency adaptation: every ISI at least as long as the one before, the
    last several times the first, settling to a steady rate."""
    m, _, s, isi = _run("adapting")
    assert np.all(np.diff(isi) > -0.05)
    assert isi[-1] > 3.0 * isi[0]
    assert isi[-1] == pytest.approx(isi[-2], rel=0.02)
    assert s[0] < 1.5 * _tau_m(m)


def test_initial_burst():
    """Initial burst: a short burst at the onset, then regular spiking."""
    _, _, s, isi = _run("initial burst")
    later = isi[2:]
    assert later.size >= 4 and np.all(isi[:2] < 0.2 * np.median(later))
    assert np.std(later[1:]) < 0.05 * np.mean(later[1:])
    assert not np.any(_bursts(later) & (later < 0.5 * np.median(later)))


def test_regular_bursting():
    """Regular bursting: bursts of at least two spikes separated by long, equal
    gaps, again and again through the step."""
    _, _, s, isi = _run("regular bursting")
    gaps = _bursts(isi)
    assert gaps.sum() >= 3
    k = np.flatnonzero(gaps)
    assert np.all(np.diff(k) >= 2)  # at least two spikes in every burst
    assert np.std(isi[k[1:]]) < 0.05 * np.mean(isi[k[1:]])


def test_delayed_accelerating():
    """Delayed accelerating: the first spike comes well after the membrane has charged
    (latency > 1.5 membrane time constants C / g_L), then the ISIs shorten one after
    another."""
    m, _, s, isi = _run("delayed accelerating")
    assert s[0] > 1.5 * _tau_m(m)
    assert isi.size >= 5 and np.all(np.diff(isi) < 0.0)


def test_delayed_regular_bursting():
    """Delayed regular bursting: a delayed first spike (> 1.5 C / g_L), then regular
    bursts of several spikes."""
    m, _, s, isi = _run("delayed regular bursting")
    assert s[0] > 1.5 * _tau_m(m)
    gaps = _bursts(isi)
    assert gaps.sum() >= 3 and np.all(np.diff(np.flatnonzero(gaps)) >= 2)


def test_transient():
    """Transient spiking: one or a few spikes at the onset of the step, then silence
    for the rest of the run while the step is still on; the model has a stable rest
    at the step current, where it settles."""
    m, p, s, _ = _run("transient")
    I = float(p.stimulus(np.array([p.duration]))[0])
    assert 1 <= s.size <= 3
    assert s.max() < 0.2 * p.duration
    rest = m.rest(I)
    tr = simulate(m, p.duration, current=p.stimulus, y0=p.y0)
    np.testing.assert_allclose([tr.V[-1], tr.w[-1]], rest, atol=0.05)


def test_irregular():
    """Irregular spiking: ISIs in the second half of the run vary widely (CV > 0.3)
    and repeat with no period of up to 6 spikes, unlike the (periodic) bursting
    patterns."""
    _, p, s, _ = _run("irregular")
    late = np.diff(s[s > 0.5 * p.duration])
    assert late.size >= 8
    assert np.std(late) > 0.3 * np.mean(late)
    for k in range(1, 7):
        assert np.max(np.abs(late[k:] - late[:-k])) > 1.0
    _, p2, s2, _ = _run("delayed regular bursting")
    late2 = np.diff(s2[s2 > 0.5 * p2.duration])
    assert np.max(np.abs(late2[4:] - late2[:-4])) < 1.0  # that one has period 4


def test_start_current_fires_and_bad_parameters():
    """The explorer's start current fires a few adapting spikes in its run; a reset
    at or above the cut-off is refused, naming both."""
    m = AdEx()
    s = simulate(m, m.start_duration, current=m.start_current).spike_times
    assert 3 <= s.size <= 20 and np.diff(s)[-1] > np.diff(s)[0]
    with pytest.raises(ValueError, match="V_reset.*V_peak"):
        AdEx(V_reset=25.0)
    with pytest.raises(ValueError, match="Delta_T"):
        AdEx(Delta_T=0.0)
