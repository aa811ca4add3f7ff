"""Every course notebook, served by Voila, works in a real browser, offline.

For each page: the widgets appear, a figure is drawn, no traceback or kernel error or
shown course error (class ``neurolab-error``) exists, and moving the first slider
redraws the figure. The toy dashboards in ``fixtures/`` prove the harness on each way a
figure can reach the page (Image widget, inline figure in an Output, ipympl canvas).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from harness import FIXTURES, REPO

COURSE = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# ipympl is not a course dependency (the course draws into an Image widget); its toy
# runs only where it is installed, e.g. with the `bench` extra for the backend benchmark.
TOYS = [p for p in sorted(FIXTURES.glob("toy_*.ipynb"))
        if "ipympl" not in p.stem or importlib.util.find_spec("ipympl") is not None]
PLAYGROUND = REPO / "notebooks" / "01_playground.ipynb"


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _check_page(dash) -> None:
    dash.wait_widgets()
    assert not dash.problems(), dash.problems()
    before = dash.wait_figure()
    dash.focus_slider(0)
    dash.press("ArrowRight", times=3)
    after = dash.wait_figure(before)
    assert after != before
    dash.settle(500)
    assert not dash.problems(), dash.problems()
    assert not [u for u in dash.blocked if "font" not in u.lower()], dash.blocked


@pytest.mark.skipif(not COURSE, reason="no course notebooks in notebooks/ yet")
@pytest.mark.parametrize("notebook", COURSE, ids=[p.stem for p in COURSE])
def test_course_notebook(open_dashboard, notebook: Path) -> None:
    """Each course page loads without error and its first slider redraws a figure."""
    _check_page(open_dashboard(_rel(notebook)))


@pytest.mark.parametrize("notebook", TOYS, ids=[p.stem for p in TOYS])
def test_toy_dashboard(open_dashboard, notebook: Path) -> None:
    """The harness itself, on each figure backend."""
    _check_page(open_dashboard(_rel(notebook)))


def test_playground_model_picker(open_dashboard) -> None:
    """Switching the model redraws the figure, and a slider of the new model works.

    Runs on the playground, or on the toy dashboard until the playground exists.
    """
    target = PLAYGROUND if PLAYGROUND.exists() else FIXTURES / "toy_image.ipynb"
    dash = open_dashboard(_rel(target))
    dash.wait_widgets()
    first = dash.wait_figure()
    dash.pick_other_option(0)
    switched = dash.wait_figure(first)
    dash.focus_slider(0)
    dash.press("ArrowRight", times=3)
    moved = dash.wait_figure(switched)
    assert len({first, switched, moved}) == 3
    dash.settle(500)
    assert not dash.problems(), dash.problems()


def test_a_broken_callback_is_caught(open_dashboard, tmp_path) -> None:
    """The harness sees an exception raised in a slider callback (kernel error message
    or shown course error): a checker that cannot fail would prove nothing."""
    dash = open_dashboard(_rel(FIXTURES / "broken_callback.ipynb"))
    dash.wait_widgets()
    dash.focus_slider(0)
    dash.press("ArrowRight")
    dash.page.wait_for_function("() => true")
    for _ in range(20):
        dash.settle(250)
        if dash.kernel_errors:
            break
    assert dash.kernel_errors, "the callback's ZeroDivisionError was not seen"
    assert any("ZeroDivisionError" in p for p in dash.problems())
