"""Tests of the integrate-and-fire apps (neurolab.widgets.integrate_and_fire)."""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import fi_curve, impedance
from neurolab.models import LIF, HodgkinHuxley
from neurolab.simulate import simulate
from neurolab.stimulus import step
from neurolab.widgets.integrate_and_fire import (
    FI_DURATION,
    FREQS,
    INTERVALS,
    STEP_ON,
    TRACE_DURATION,
    lif_fi_curve,
    lif_limits,
    lif_trace,
)

PNG = b"\x89PNG\r\n\x1a\n"
#: The simulated currents of the F-I app: 21 points over LIF's 0-5 nA.
FI_CURRENTS = np.linspace(0.0, 5.0, 21)


@pytest.fixture(scope="module")
def trace_app():
    return lif_trace(LIF(), I=2.0)


@pytest.fixture(scope="module")
def gain_app():
    app = lif_fi_curve(LIF(), I=2.5)
    app.job.wait()
    app.job.synchronous = True
    return app


@pytest.fixture(scope="module")
def limits_app():
    return lif_limits(LIF(), HodgkinHuxley())


# ----------------------------------------------------------------------------- trace
def test_trace_matches_direct_simulation(trace_app):
    app = trace_app
    assert app.error == "" and app.view.image.value[:8] == PNG
    app.current.value = 3.0
    app.params["t_ref"].value = 4.0
    app._redraw_and_refresh()
    model = LIF(t_ref=4.0)
    ref = simulate(model, TRACE_DURATION, current=step(3.0, STEP_ON), y0=[model.E_L])
    np.testing.assert_allclose(app.handle["line"].get_ydata(), ref.V)
    np.testing.assert_allclose(app.trace.spike_times, ref.spike_times)
    assert app.th_line.get_ydata()[0] == model.V_th


def test_trace_interspike_interval_is_closed_form(trace_app):
    """After the first spike the LIF fires periodically with period t_ref + T,
    T = tau_m ln((RI + E_L - V_reset)/(RI + E_L - V_th)) (e.g. Gerstner et al. 2014,
    Neuronal Dynamics, eq. 1.11 plus the refractory period)."""
    app = trace_app
    app.current.value = 2.5
    app.params["t_ref"].value = 2.0
    app._redraw_and_refresh()
    isi = np.diff(app.trace.spike_times)
    np.testing.assert_allclose(isi, 1000.0 / app.model.rate(2.5), rtol=1e-6)


def test_trace_first_slider_changes_image(trace_app):
    before = trace_app.view.image.value
    trace_app.current.value = trace_app.current.value + trace_app.current.step
    trace_app._redraw_and_refresh()
    assert trace_app.view.image.value != before


def test_trace_reset_above_threshold_shows_error_then_recovers(trace_app):
    app = trace_app
    app.params["V_th"].value = -60.0
    app.params["V_reset"].value = -55.0          # V_reset >= V_th is not a valid LIF
    assert "V_reset" in app.error
    app.params["V_reset"].value = -65.0
    assert app.error == ""
    app.params["V_th"].value = -50.0


# ----------------------------------------------------------------------------- F-I
def test_gain_curve_closed_form_and_simulated_points(gain_app):
    """The simulated rates (fi_curve) agree with the closed-form LIF rate wherever a
    run of FI_DURATION ms resolves them (rate above 2000/duration Hz)."""
    app = gain_app
    app.params["tau_m"].value = 15.0
    assert app.error == ""
    model = LIF(tau_m=15.0)
    np.testing.assert_array_equal(app.currents, FI_CURRENTS)
    x, y = app.handle["line"].get_data()
    np.testing.assert_allclose(y, model.rate(x))
    np.testing.assert_allclose(app.simulated, fi_curve(model, FI_CURRENTS, FI_DURATION))
    analytic = model.rate(FI_CURRENTS)
    seen = analytic > 2.0 * 2000.0 / FI_DURATION
    assert seen.sum() > 10
    np.testing.assert_allclose(app.simulated[seen], analytic[seen], rtol=1e-3)
    assert np.all(app.simulated[FI_CURRENTS < model.rheobase()] == 0.0)
    assert app.points.get_offsets().shape == (FI_CURRENTS.size, 2)


def test_gain_marker_moves_without_new_simulation(gain_app):
    app = gain_app
    sim = app.simulated
    before = app.view.image.value
    app.current.value = 3.0
    assert app.simulated is sim
    assert app.handle["marker"].get_xdata()[0] == 3.0
    assert app.view.image.value != before


def test_gain_first_slider_changes_image(gain_app):
    first = gain_app.controls[0]
    before = gain_app.view.image.value
    first.value = first.value + first.step
    assert gain_app.view.image.value != before


def test_gain_bad_parameter_shows_error(gain_app):
    app = gain_app
    app.params["V_reset"].value = -50.0          # equal to V_th
    assert "V_reset" in app.error
    app.params["V_reset"].value = -65.0
    assert app.error == ""


# ----------------------------------------------------------------------------- limits
def test_lif_impedance_has_no_peak_hh_has_one(limits_app):
    """The LIF's impedance is that of an RC circuit, |Z| = R / sqrt(1 + (omega tau)^2):
    largest at f = 0 and decreasing; Hodgkin-Huxley at rest has a peak (resonance,
    Mauro et al. 1970; Hutcheon & Yarom 2000)."""
    app = limits_app
    assert app.controls[0] is app.params["tau_m"]
    app.params["tau_m"].value = 20.0
    z = np.abs(impedance(LIF(tau_m=20.0), FREQS))
    rc = 10.0 / np.sqrt(1.0 + (2 * np.pi * FREQS / 1000.0 * 20.0) ** 2)
    np.testing.assert_allclose(z, rc, rtol=1e-9)
    np.testing.assert_allclose(app.z_line.get_ydata(), z / z[0])
    assert np.all(np.diff(app.z_line.get_ydata()) < 0)
    hh = np.abs(app.Z_ref)
    np.testing.assert_allclose(hh, np.abs(impedance(HodgkinHuxley(), FREQS)))
    assert hh.argmax() > 0 and hh.max() > 1.5 * hh[0]


def test_pulse_pair_is_better_when_closer(limits_app):
    """Integrator: the peak depolarization after two pulses falls with their interval."""
    app = limits_app
    app.params["tau_m"].value = 10.0
    app.amplitude.value = 5.0                      # subthreshold for every interval
    assert not app.pairs.spiked.any()
    assert np.all(np.diff(app.pairs.peak) < 0)
    np.testing.assert_allclose(app.p_line.get_ydata(), app.pairs.peak)
    app.amplitude.value = 10.0                     # close pairs fire, distant ones do not
    assert app.pairs.spiked[0] and not app.pairs.spiked[-1]
    assert np.all(np.diff(app.pairs.spiked.astype(int)) <= 0)
    assert app.pairs.intervals.size == INTERVALS.size


def test_limits_first_slider_changes_image_and_bad_value(limits_app):
    app = limits_app
    tau_m = app.params["tau_m"]
    before = app.view.image.value
    tau_m.value = tau_m.value + tau_m.step
    assert app.view.image.value != before
    tau_m.min = -5.0
    tau_m.value = -1.0
    assert "tau_m" in app.error
    tau_m.value = 10.0
    assert app.error == ""
    tau_m.min = 1.0


def test_bad_models_are_refused_by_name():
    """A smooth model has no threshold and reset to draw; a model without a closed-form
    rate cannot be compared with one; a name is not a model."""
    with pytest.raises(ValueError, match="model must be a model with a threshold and reset"):
        lif_trace(HodgkinHuxley())
    with pytest.raises(ValueError, match="rate"):
        lif_fi_curve(HodgkinHuxley())
    with pytest.raises(ValueError, match="reference must be a neurolab model"):
        lif_limits(LIF(), "Hodgkin-Huxley")
    with pytest.raises(ValueError, match="parameter must be a parameter of"):
        lif_limits(LIF(), HodgkinHuxley(), parameter="C")
