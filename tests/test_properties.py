"""Property tests over the slider ranges: a run is finite or fails loudly, never NaN.

Hypothesis draws every parameter inside its slider range and a current inside the
model's ``current_range``; a 50 ms run (25 time units for FitzHugh-Nagumo) with the
default method and step must return finite states and spike times, or raise ValueError
(a cross-parameter constraint such as reset below threshold) or SimulationDiverged.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurolab.models import MODELS, HodgkinHuxley
from neurolab.simulate import SimulationDiverged, simulate


def _slider(info):
    """Values a slider offers: low + k * step, up to high."""
    lo, hi = info.slider
    n = int(round((hi - lo) / info.step))
    return st.integers(0, n).map(lambda k: min(hi, lo + k * info.step))


def _model_and_current(cls):
    params = {name: _slider(info) for name, info in cls.parameter_info().items()}
    return st.tuples(st.fixed_dictionaries(params), st.floats(*cls.current_range))


def _check_run(cls, params, I):
    try:
        model = cls(**params)
    except ValueError:
        return
    duration = 25.0 if cls.time_unit == "" else 50.0
    try:
        tr = simulate(model, duration, current=I)
    except SimulationDiverged as err:
        assert "t = " in str(err)
        return
    for name, x in tr.states.items():
        assert np.all(np.isfinite(x)), name
    assert np.all(np.isfinite(tr.spike_times))
    assert np.all(np.diff(tr.spike_times) >= 0)
    assert np.all((tr.spike_times >= 0) & (tr.spike_times <= tr.t[-1]))


@pytest.mark.parametrize("cls", list(MODELS.values()), ids=lambda c: c.__name__)
def test_runs_are_finite_or_fail_loudly(cls):
    """Finite states or an honest error for random parameters in the slider ranges."""

    @settings(max_examples=30, deadline=None)
    @given(_model_and_current(cls))
    def run(case):
        params, I = case
        _check_run(cls, params, I)

    run()


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 30.0), st.floats(*HodgkinHuxley.current_range))
def test_hh_default_step_is_stable_at_every_temperature(T, I):
    """With the default parameters, the temperature slider anywhere in 0-30 C and any
    current in range, the default step runs without diverging (the default step shrinks
    with phi; RK4 at 0.05 ms diverged at 30 C before that rule)."""
    model = HodgkinHuxley(temperature=T)
    tr = simulate(model, 50.0, current=I)
    assert np.all(np.isfinite(tr.y))


@pytest.mark.parametrize("cls", list(MODELS.values()), ids=lambda c: c.__name__)
def test_default_model_runs_over_current_range(cls):
    """The default model runs without diverging over its whole current range (11
    currents, batch of one each)."""
    model = cls()
    for I in np.linspace(*cls.current_range, 11):
        tr = simulate(model, 50.0 if cls.time_unit else 25.0, current=float(I))
        assert np.all(np.isfinite(tr.y))
