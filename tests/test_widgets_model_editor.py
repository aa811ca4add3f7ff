"""The model editor: equations typed as text become a model the explorer shows."""

from __future__ import annotations

import numpy as np
import pytest

from neurolab.analysis import fixed_points
from neurolab.models import registry
from neurolab.widgets.model_editor import model_editor, parse_parameters

EQUATIONS = """
dV/dt = (I - g_L*(V - E_L) - g_K*n*(V - E_K)) / C
dn/dt = (1/(1 + exp((V_half - V)/k)) - n) / tau
"""
PARAMETERS = {"C": 1.0, "g_L": 0.5, "E_L": -65.0, "g_K": 2.0, "E_K": -85.0,
              "V_half": -40.0, "k": 5.0, "tau": 10.0}


@pytest.fixture
def editor(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROLAB_CACHE_DIR", str(tmp_path))
    app = model_editor(EQUATIONS, PARAMETERS, name="EditorToy", current_range=(-5, 20),
                       start_current=2.0, panels=("trace", "phase"))
    app.job.synchronous = True
    yield app
    registry._MODELS.pop("EditorToy", None)


def test_editor_shows_the_model_it_defines(editor):
    """The explorer shows the typed model: its fixed points are those of the analysis
    of the same class at the explorer's current."""
    assert editor.error == ""
    model = editor.explorer.model
    assert type(model) is editor.model_class
    expected = fixed_points(model, editor.explorer.I_plane)
    got = editor.explorer.panels["phase"].points
    np.testing.assert_allclose([p.state for p in got], [p.state for p in expected])


def test_editing_the_text_redefines_the_model(editor):
    """A changed parameter line and a changed equation give a new model in the same
    explorer (its rhs follows the new text)."""
    editor.parameters.value = editor.parameters.value.replace("g_L = 0.5", "g_L = 1.5")
    editor.equations.value = editor.equations.value.replace("/ C", "/ (2*C)")
    editor.define_button.click()
    assert editor.error == ""
    model = editor.explorer.model
    assert model.g_L == 1.5
    y = np.array([-60.0, 0.2])
    expected = (3.0 - 1.5 * (-60 + 65) - 2.0 * 0.2 * (-60 + 85)) / 2.0
    assert model.rhs(y, 3.0)[0] == pytest.approx(expected)


@pytest.mark.parametrize("field, text, message", [
    ("equations", "dV/dt = -V + foo", "unknown symbol 'foo'"),
    ("equations", "dV/dt = (-V", "syntax error"),
    ("parameters", "C = one", "the value of 'C' must be a number"),
    ("parameters", "C 1.0", "must read 'name = number'"),
    ("threshold", "V >= V_peak", "needs both threshold= and reset="),
])
def test_a_bad_definition_is_shown_and_the_explorer_keeps_its_model(editor, field, text,
                                                                    message):
    before = editor.explorer.model
    getattr(editor, field).value = text
    editor.define_button.click()
    assert message in editor.error
    assert editor.explorer.model is before
    assert not editor.define_button.disabled


def test_parse_parameters():
    assert parse_parameters("a = 1\n# comment\n\nb=2.5  # inline\n") == {"a": 1.0, "b": 2.5}
    with pytest.raises(ValueError, match="'a' is given twice"):
        parse_parameters("a = 1\na = 2")
