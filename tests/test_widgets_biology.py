"""Biology primer dashboards: the artists show what neurolab computes, bad input shows as a
message, and the science the figures teach holds on the simulated traces.

Sources: Nernst and GHK potentials are compared with direct calls of
:func:`neurolab.analysis.nernst` / :func:`neurolab.analysis.ghk_potential` (themselves
tested against Hodgkin & Katz 1949 in tests/test_biophysics.py); the all-or-nothing
spike and its after-hyperpolarization bound (E_K < V_min < rest) follow Hodgkin &
Huxley (1952); the refractory threshold curve is checked against independent two-pulse
simulations.
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import (
    MAMMALIAN_NEURON,
    SQUID_AXON,
    action_potential_stages,
    ghk_potential,
    nernst,
    refractory_response,
)
from neurolab.models import HodgkinHuxley
from neurolab.simulate import simulate
from neurolab.stimulus import pulses
from neurolab.widgets.biology import (
    action_potential,
    nernst_calculator,
    refractory_periods,
)

PNG = b"\x89PNG"


# ----------------------------------------------------------------------------- Nernst
def test_nernst_calculator_shows_the_computed_potentials():
    """Bars and the GHK line equal direct calls with the mammalian table (Purves et al.)."""
    app = nernst_calculator()
    s = MAMMALIAN_NEURON
    for i, ion in enumerate(("K", "Na", "Cl")):
        assert app._bars_E[i].get_height() == pytest.approx(s.nernst(ion))
        assert app._bars_out[i].get_height() == s.c_out[ion]
        assert app._bars_in[i].get_height() == s.c_in[ion]
    assert app._ghk.get_ydata()[0] == pytest.approx(s.ghk())
    assert app.values["V_GHK"] == pytest.approx(s.ghk())
    assert bytes(app.view.image.value)[:4] == PNG


def test_nernst_calculator_follows_a_slider_and_the_reference_sets():
    """Moving [K+]out by one step moves E_K as the Nernst equation says; equal
    concentrations give 0 mV; loading the squid set gives Hodgkin & Katz's -60 mV."""
    app = nernst_calculator()
    k_out = app.controls[0]
    assert app.conc[("K", "out")] is k_out
    before = app.view.image.value
    k_out.value = k_out.value + k_out.step
    T = 273.15 + app.temperature.value
    assert app.values["E_K"] == pytest.approx(nernst(k_out.value, 140.0, 1, T))
    assert app.view.image.value != before
    k_out.value = 100.0
    app.conc[("K", "in")].value = 100.0
    assert app.values["E_K"] == pytest.approx(0.0, abs=1e-12)
    app.preset.value = "squid giant axon"
    for ion in ("K", "Na", "Cl"):
        assert app.values[f"E_{ion}"] == pytest.approx(SQUID_AXON.nernst(ion), abs=0.02)
    assert app.values["V_GHK"] == pytest.approx(SQUID_AXON.ghk(), abs=0.02)
    assert app.values["V_GHK"] == pytest.approx(-60.0, abs=1.0)


def test_nernst_calculator_permeability_moves_ghk_toward_e_na():
    """Raising P_Na/P_K to 20 (the ratio near a spike's peak) moves V_GHK close to E_Na."""
    app = nernst_calculator(P_Na=20.0)
    c_out, c_in, perm, T = app.state()
    assert app.values["V_GHK"] == pytest.approx(ghk_potential(perm, c_out, c_in, T))
    assert app.values["E_Na"] - app.values["V_GHK"] < 20.0


def test_nernst_calculator_errors():
    """A bad concentration shows a message naming it; the app recovers."""
    with pytest.raises(ValueError, match="ion_set"):
        nernst_calculator("frog")
    with pytest.raises(ValueError, match="unknown setting"):
        nernst_calculator(Ca_out=2.0)
    app = nernst_calculator()
    s = app.conc[("Na", "in")]
    s.min = 0.0
    s.value = 0.0
    assert "c_in" in app.error
    s.value = 20.0
    assert app.error == ""
    assert app.values["E_Na"] == pytest.approx(nernst(145.0, 20.0, 1))


# ----------------------------------------------------------------------------- stages
def _run(amplitude: float, width: float = 0.5):
    return simulate(HodgkinHuxley(), 30.0, current=pulses([2.0], amplitude, width))


def test_action_potential_is_all_or_nothing_and_drawn_from_simulate():
    """Below threshold a bump of a few mV; above it spikes whose peaks differ by little
    although the pulses differ by a factor 2 (Hodgkin & Huxley 1952)."""
    app = action_potential(HodgkinHuxley(), amplitude=5.0, amplitude_max=60.0)
    assert not app.stages.spiked
    direct = _run(5.0)
    np.testing.assert_allclose(app._v.get_ydata(), direct.V)
    np.testing.assert_allclose(app._gates["h"].get_ydata(), direct.h)
    assert direct.V.max() - app.stages.v_rest < 10.0
    assert "no spike" in app._status.get_text()
    before = app.view.image.value
    app.controls[0].value = 15.0
    assert app.stages.spiked and app.view.image.value != before
    peak15 = app.trace.V.max()
    app.controls[0].value = 30.0
    peak30 = app.trace.V.max()
    assert peak15 > 20.0 and abs(peak30 - peak15) < 5.0
    np.testing.assert_allclose(app._v.get_ydata(), _run(30.0).V)


def test_action_potential_shades_the_analysis_stages():
    """The shaded stages are neurolab.analysis.action_potential_stages of the run shown
    (the stages themselves are tested in tests/test_excitability.py)."""
    app = action_potential(HodgkinHuxley(), amplitude=15.0)
    st = action_potential_stages(_run(15.0), app.onset)
    assert app.stages == st and st.spiked
    bounds = [0.0, st.onset, st.amplification, st.peak, st.repolarized, st.ahp_end]
    for i, span in enumerate(app._spans):
        x = span.get_x() if hasattr(span, "get_x") else span.get_xy()[0][0]
        assert x == pytest.approx(bounds[i])


def test_action_potential_parameter_slider_and_levels():
    """The slider of the chosen parameter runs the model at its value (a warmer axon
    spikes sooner and briefer), and the chosen levels are drawn at the parameters'
    values."""
    app = action_potential(HodgkinHuxley(), parameter="temperature", levels=("E_K", "E_Na"))
    assert list(app.params) == ["temperature"] and app.controls[2] is app.params["temperature"]
    app.params["temperature"].value = 20.0
    direct = simulate(HodgkinHuxley(temperature=20.0), 30.0, current=pulses([2.0], 15.0, 0.5))
    np.testing.assert_allclose(app._v.get_ydata(), direct.V)
    levels = sorted(line.get_ydata()[0] for line in app.ax_v.lines if line.get_linestyle() == ":")
    assert levels == [-77.0, 50.0]
    lo, hi = app.ax_v.get_ylim()
    assert lo < -77.0 and hi > 50.0
    with pytest.raises(ValueError, match="levels must name"):
        action_potential(HodgkinHuxley(), levels=("g_Na",))
    with pytest.raises(ValueError, match="parameter must be a parameter of"):
        action_potential(HodgkinHuxley(), parameter="T")
    with pytest.raises(ValueError, match="model must be a neurolab model"):
        action_potential(15.0)


def test_action_potential_error_and_recovery():
    """A zero pulse width is refused by the stimulus; the message shows; the app recovers."""
    app = action_potential(HodgkinHuxley())
    app.width.min = 0.0
    app.width.value = 0.0
    assert "width" in app.error
    app.width.value = 0.5
    assert app.error == "" and app.stages.spiked


# ----------------------------------------------------------------------------- refractory
def test_refractory_curve_matches_two_pulse_simulations():
    """The threshold curve from refractory_response agrees with direct runs: 20 % above
    it a second spike, 20 % below none; within the absolute period no amplitude up to
    amp_max fires."""
    app = refractory_periods(HodgkinHuxley(), delay=12.0, amplitude=30.0, first=30.0,
                             amp_max=140.0)
    app.job.wait(60)
    r = app.result
    assert r is not None and app.error == ""
    fin = np.isfinite(r.threshold)
    np.testing.assert_allclose(app._curve.get_ydata(), r.threshold[fin])
    assert app._marker.get_xdata()[0] == 12.0 and app._marker.get_ydata()[0] == 30.0
    thr = float(r.threshold[np.searchsorted(r.delays, 12.0)])
    assert thr > r.single_threshold  # relative refractory period
    for factor, n in ((1.2, 2), (0.8, 1)):
        app.amplitude.value = round(factor * thr)
        assert len(app.trace.spike_times) == n
        assert ("no second" in app._status.get_text()) == (n == 1)
    app.delay.value = 3.0
    app.amplitude.value = app.amplitude.max
    assert r.absolute[np.searchsorted(r.delays, 3.0)]
    assert len(app.trace.spike_times) == 1
    assert bytes(app.view.image.value)[:4] == PNG


def test_refractory_defaults_come_from_the_single_pulse_threshold():
    """Without first and amp_max the app uses twice and ten times the single-pulse
    threshold that refractory_response finds, and the slider reaches amp_max."""
    single = refractory_response(HodgkinHuxley(), [30.0], width=0.5,
                                 onset=5.0).single_threshold
    app = refractory_periods(HodgkinHuxley())
    assert app.first == pytest.approx(2.0 * single)
    assert app.amp_max == pytest.approx(10.0 * single)
    assert app.amplitude.max == pytest.approx(app.amp_max)
    assert app.amplitude.value == pytest.approx(app.first)
    app.job.wait(60)
    assert app.error == "" and app.result.single_threshold == pytest.approx(single)
    with pytest.raises(ValueError, match="first"):
        refractory_periods(HodgkinHuxley(), first=-1.0, amp_max=140.0)
