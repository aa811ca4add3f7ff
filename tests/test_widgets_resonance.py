"""Tests of the integrator/resonator dashboards (neurolab.widgets.resonance).

The apps must show what neurolab computes: thresholds from
:func:`neurolab.analysis.three_pulse_experiment`, traces from
:func:`pulse_pair_response`, ``|Z|`` from :func:`impedance`, the peak from
:func:`resonant_frequency`; and a chirp simulation must follow the envelope the
impedance predicts (an independent check of the linear theory against the engine).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import impedance, pulse_pair_response, resonant_frequency
from neurolab.models import LIF, FitzHughNagumo, HodgkinHuxley, INaPK, Izhikevich
from neurolab.simulate import simulate
from neurolab.stimulus import chirp
from neurolab.widgets.resonance import (
    N_PULSES,
    ONSET,
    PULSE_WIDTH,
    TAIL,
    ImpedanceChoice,
    impedance_explorer,
    pulse_interval_explorer,
)

RZ = "Izhikevich RZ (resonator)"
#: The menus as notebook 13 writes them.
INTEGRATORS = {"leaky integrate-and-fire": LIF(), "I_Na,p+I_K, high threshold": INaPK()}
RESONATORS = {"Hodgkin-Huxley (6.3 °C)": HodgkinHuxley(), RZ: Izhikevich.preset("RZ")}
IMPEDANCE = {
    "Hodgkin-Huxley (6.3 °C)": ImpedanceChoice(HodgkinHuxley(), (0.0, 12.0), 200.0, 0.3, 3.0),
    "leaky integrate-and-fire": ImpedanceChoice(LIF(), (0.0, 2.0), 100.0, 0.1, 1.0),
}


@pytest.fixture(scope="module")
def pulses_app():
    a = pulse_interval_explorer(INTEGRATORS, RESONATORS, interval=10.0, amplitude=0.9,
                                resonator=RZ)
    a.wait(120)
    a.job.synchronous = True
    return a


def test_pulse_app_first_control_is_interval(pulses_app):
    assert pulses_app.controls[0] is pulses_app.interval
    assert pulses_app.error == ""
    assert pulses_app.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_threshold_curves_and_traces_agree(pulses_app):
    """Each neuron spikes exactly when the pulse size is above its train threshold at
    that interval (three_pulse_experiment and pulse_pair_response agree), and the
    traces are those of a direct pulse_pair_response call."""
    app = pulses_app
    for d, a in [(4.0, 0.6), (20.0, 0.95), (40.0, 0.9), (40.0, 1.05)]:
        app.interval.value, app.amplitude.value = d, a
        app._redraw_and_refresh()
        for k in ("integrator", "resonator"):
            r = app.results[k]
            rel = np.interp(d, r.intervals, r.threshold / r.single_threshold)
            p = pulse_pair_response(app.models[k], [d], a * r.single_threshold,
                                    PULSE_WIDTH, n_pulses=N_PULSES, onset=ONSET, tail=TAIL)
            np.testing.assert_allclose(app.lines[k].get_ydata(), p.V[0])
            shown = app.labels[k].get_text()
            assert shown == ("spiked" if p.spiked[0] else "no spike")
            if abs(a - rel) > 0.03:  # away from the threshold the curve decides
                assert bool(p.spiked[0]) == (a > rel), (k, d, a, rel)
    x, y = app.thr_lines["integrator"].get_data()
    r = app.results["integrator"]
    np.testing.assert_allclose(y, r.threshold / r.single_threshold)
    assert np.all(np.diff(y) >= -1e-2)  # an integrator prefers short intervals


def test_pulse_app_marker_moves(pulses_app):
    before = pulses_app.view.image.value
    pulses_app.interval.value = 12.5
    assert list(pulses_app.iv_marker.get_xdata()) == [12.5, 12.5]
    assert pulses_app.view.image.value != before


def test_pulse_app_error_then_recovers(pulses_app):
    """A neuron without a stable rest at I = 0 (FitzHugh-Nagumo with a = 0 rests on an
    unstable focus) shows a message; restoring the model makes the app work again."""
    app = pulses_app
    good = app.models["resonator"]
    app.models["resonator"] = FitzHughNagumo().replace(a=0.0)
    app._throttled()
    assert "rest" in app.error
    app.models["resonator"] = good
    app.interval.value = 15.0
    assert app.error == ""


@pytest.fixture(scope="module")
def z_app():
    return impedance_explorer(IMPEDANCE)


def test_impedance_app_shows_analysis(z_app):
    """|Z| and its peak are neurolab's (HH rests at a focus: a resonator, peak near
    67 Hz at 6.3 C; see tests/test_excitability.py for the physics)."""
    app = z_app
    assert app.controls[0] is app.current
    app.current.value = 3.0
    f = app.freqs
    np.testing.assert_allclose(app.z_line.get_ydata(), np.abs(impedance(app.model, f, 3.0)))
    assert app.f_res == pytest.approx(resonant_frequency(app.model, 3.0, (0.0, f[-1])))
    assert app.kind == "resonator" and "resonator" in app.z_text.get_text()
    assert list(app.res_marker.get_xdata()) == [app.f_res, app.f_res]
    assert app.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_chirp_response_follows_impedance(z_app):
    """Independent check: the simulated response to a slow chirp peaks near the
    resonant frequency, with an amplitude within 10 % of amplitude x |Z(f_res)|."""
    app = z_app
    app.current.value = 0.0
    c, m, A = app.choice, app.model, float(app.amplitude.value)
    rest = m.rest(0.0)
    tr = simulate(m, c.duration, dt=c.dt, current=chirp(A, 0.0, c.f_max, 0.0, c.duration),
                  y0=rest)
    dv = np.abs(tr.y[0] - rest[0])
    f_inst = c.f_max * tr.t / c.duration
    f_peak = f_inst[np.argmax(dv)]
    assert f_peak == pytest.approx(app.f_res, rel=0.15)
    assert dv.max() == pytest.approx(A * abs(complex(impedance(m, app.f_res))), rel=0.1)
    np.testing.assert_allclose(app.trace.y[0], tr.y[0])


def test_impedance_app_error_beyond_hopf_and_recovery(z_app):
    """Past HH's subcritical Hopf point (about 9.8 uA/cm2) there is no stable rest:
    the app says so instead of drawing, and works again below it."""
    app = z_app
    app.current.value = 11.5
    assert "no stable rest" in app.error
    app.current.value = 1.0
    assert app.error == ""


def test_impedance_app_switch_to_integrator(z_app):
    """LIF below threshold is an RC circuit: |Z| falls from R at 0 Hz, no resonance."""
    app = z_app
    app.picker.value = "leaky integrate-and-fire"
    assert app.error == ""
    assert app.f_res == 0.0 and app.kind == "integrator"
    assert app.z_line.get_ydata()[0] == pytest.approx(app.model.R)
    assert not app.res_marker.get_xdata()
    app.picker.value = "Hodgkin-Huxley (6.3 °C)"
    assert app.error == ""


def test_menus_from_models_and_bad_entries():
    """A list of models is labelled by their titles (presets named); a bare model gets
    the generic chirp settings; a bad entry or label names itself."""
    a = pulse_interval_explorer(LIF(), [INaPK(), INaPK.preset("low-threshold")])
    assert list(a.menus["resonator"]) == ["I_Na,p + I_K: high-threshold",
                                          "I_Na,p + I_K: low-threshold"]
    a.wait(120)
    z = impedance_explorer(FitzHughNagumo())
    c = z.choice
    assert c.I_range == FitzHughNagumo.current_range and c.amplitude_max == 0.75
    assert c.amplitude == pytest.approx(0.075) and z.error == ""
    with pytest.raises(ValueError, match="resonator must be one of"):
        pulse_interval_explorer(INTEGRATORS, RESONATORS, resonator="no such")
    with pytest.raises(ValueError, match="integrators must be a neurolab model"):
        pulse_interval_explorer("LIF", RESONATORS)
    with pytest.raises(ValueError, match="selected must be one of"):
        impedance_explorer(IMPEDANCE, "no such")
