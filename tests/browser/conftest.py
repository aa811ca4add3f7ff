"""Fixtures of the browser tests: one Voila server and one chromium per session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import CHROMIUM, REPO, Dashboard, VoilaServer, launch_browser  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """Voila serving the whole repository (course notebooks and test fixtures)."""
    home = tmp_path_factory.mktemp("home")
    server = VoilaServer(REPO, home, show_tracebacks=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


@pytest.fixture
def open_dashboard(voila_server: VoilaServer, browser: object,
                   request: pytest.FixtureRequest) -> Iterator:
    """Open a notebook's dashboard: ``open_dashboard("notebooks/01_playground.ipynb")``.

    On failure the server log's tail is attached to the report.
    """
    pages: list[Dashboard] = []

    def open_(path: str) -> Dashboard:
        dash = Dashboard(browser, voila_server.url(path))
        pages.append(dash)
        return dash

    yield open_
    for dash in pages:
        dash.close()
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"--- Voila log (tail) ---\n{voila_server.log()}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep
