"""Tests of the excitability-classes dashboard (neurolab.widgets.excitability).

The app must show what neurolab computes: its F-I curve, class and bifurcations are
compared with direct calls of :func:`neurolab.analysis.fi_curve`,
:func:`excitability_class` and :func:`bifurcation_diagram`, and its trace with a direct
:func:`neurolab.simulate.simulate` run. Cheap models (LIF, the Izhikevich 2004
accommodation model) keep the file fast.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from neurolab.analysis import bifurcation_diagram, excitability_class, fi_curve
from neurolab.models import LIF, Izhikevich
from neurolab.simulate import simulate
from neurolab.stimulus import step
from neurolab.widgets.excitability import (
    FI_DURATION,
    N_CURRENTS,
    STEP_ONSET,
    ModelChoice,
    excitability_explorer,
)

LIF_KEY = "Leaky integrate-and-fire"
CLASS3_KEY = "Izhikevich: accommodation, class 3 (Fig. 1R)"
#: The menu as the course notebook writes it, for the two cheap models.
CATALOGUE = {
    LIF_KEY: ModelChoice(LIF(), (0.0, 5.0), None, 150.0, "Lapicque (1907)"),
    CLASS3_KEY: ModelChoice(Izhikevich.preset("accommodation"), (0.0, 40.0), None, 300.0,
                            "Izhikevich (2004), Fig. 1R"),
}


@pytest.fixture(scope="module")
def app():
    a = excitability_explorer(CATALOGUE, LIF_KEY, I=2.0)
    a.wait(120)
    a.job.synchronous = a.diagram_job.synchronous = True
    return a


def test_first_control_is_the_current_slider(app):
    assert app.controls[0] is app.current
    assert app.error == ""
    assert app.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_fi_curve_and_class_come_from_neurolab(app):
    """The curve and the class are those of direct calls (LIF: class 1, its rate
    rising from zero at the rheobase (V_th - E_L) / R, Lapicque's closed form)."""
    choice = CATALOGUE[LIF_KEY]
    currents = np.linspace(*choice.I_range, N_CURRENTS)
    expected = fi_curve(app.model, currents, FI_DURATION, choice.dt)
    x, y = app.fi.artists["line"].get_data()
    np.testing.assert_allclose(x, currents)
    np.testing.assert_allclose(y, expected)
    assert app.klass == excitability_class(app.model, choice.I_range,
                                           duration=FI_DURATION) == 1
    assert "class 1" in app.info.value
    rb = app.model.rheobase()
    assert np.all(y[currents < rb] == 0.0) and np.all(y[currents > rb + 0.2] > 0.0)


def test_bifurcations_listed(app):
    """The diagram is the analysis's; LIF has no bifurcation of a smooth flow."""
    d = bifurcation_diagram(app.model, CATALOGUE[LIF_KEY].I_range)
    assert len(app.diagram.bifurcations) == len(d.bifurcations) == 0
    assert "no bifurcation" in app.info.value


def test_slider_moves_markers_and_trace(app):
    before = app.view.image.value
    app.current.value = 3.5
    app._redraw_and_refresh()
    assert list(app.fi.artists["marker"].get_xdata()) == [3.5, 3.5]
    assert list(app.bif_marker.get_xdata()) == [3.5, 3.5]
    tr = simulate(app.model, app.choice.trace_ms, dt=app.choice.dt,
                  current=step(3.5, STEP_ONSET), y0=app.model.initial_state(0.0))
    np.testing.assert_allclose(app.trace_line.get_ydata(), tr.y[0])
    assert f"{len(tr.spike_times)} spikes" in app.trace_text.get_text()
    assert app.view.image.value != before


def test_bad_value_shows_error_and_app_recovers(app):
    good = app.choice
    app.choice = dataclasses.replace(good, dt=-1.0)
    app.current.value = 3.0
    app._throttled()
    assert "dt" in app.error
    app.choice = good
    app.current.value = 3.2
    assert app.error == ""
    assert app.trace is not None and app.trace.t[-1] == pytest.approx(good.trace_ms)


def test_switch_to_class3_model(app):
    """The accommodation model of Izhikevich (2004, Fig. 1R) is class 3: the app shows
    the class computed by neurolab (one onset spike, no repetitive firing)."""
    app.picker.value = CLASS3_KEY
    app.wait(60)
    expected = excitability_class(app.model, CATALOGUE[CLASS3_KEY].I_range,
                                  duration=FI_DURATION)
    assert app.klass == expected == 3
    assert "class 3" in app.info.value
    assert np.all(app.fi.artists["line"].get_ydata() == 0.0)
    assert app.error == ""
    assert app.current.description.startswith("I")
    app.picker.value = LIF_KEY
    app.wait(60)


def test_unknown_model_name_and_bad_menus():
    with pytest.raises(ValueError, match="selected must be one of"):
        excitability_explorer(CATALOGUE, "no such model")
    with pytest.raises(ValueError, match="models\\['x'\\] must be a model or ModelChoice"):
        excitability_explorer({"x": "Hodgkin-Huxley"})
    with pytest.raises(ValueError, match="I_range"):
        excitability_explorer({"x": ModelChoice(LIF(), (5.0, 0.0))})


def test_a_bare_model_takes_its_defaults():
    """A model without settings is shown over its current_range for start_duration,
    labelled by its title."""
    a = excitability_explorer([LIF()])
    a.wait(120)
    assert list(a.catalogue) == ["Leaky integrate-and-fire"]
    assert a.choice.I_range == LIF.current_range
    assert a.ax_tr.get_xlim() == (0.0, LIF.start_duration)
    assert a.error == ""
