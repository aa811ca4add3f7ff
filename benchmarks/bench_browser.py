"""Browser-side responsiveness of a dashboard: page load and slider-to-redraw times.

Starts Voila (through ``neurolab.serve``'s command builder) on 127.0.0.1, opens the page
in Debian's chromium, and measures

- page load to first figure: from navigation start to the first drawn figure;
- slider to redraw: from an ArrowRight key press on the first slider to the moment the
  figure on the page changes (image ``src`` or ipympl canvas pixels), over ``--moves``
  presses, each after the previous redraw has settled. Median and 90th percentile.

Default target: the playground (``notebooks/01_playground.ipynb``), or the toy dashboard
while the playground does not exist. ``--backends`` compares the three ways a figure
can reach the page with the same realistic figure (see
``tests/browser/fixtures/make_fixtures.py``). Not a test: it prints numbers only.

Usage::

    python benchmarks/bench_browser.py [--backends] [--moves 20] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

from harness import FIXTURES, Dashboard, VoilaServer, launch_browser  # noqa: E402

PLAYGROUND = REPO / "notebooks" / "01_playground.ipynb"
BACKENDS = [FIXTURES / "toy_image.ipynb", FIXTURES / "toy_output.ipynb",
            FIXTURES / "toy_ipympl.ipynb"]


def measure(browser, server: VoilaServer, notebook: Path, moves: int,
            pause_ms: float) -> dict[str, float]:
    """Load time (s) and slider-to-redraw times (ms) of one dashboard."""
    rel = notebook.resolve().relative_to(REPO).as_posix()
    t0 = time.perf_counter()
    dash = Dashboard(browser, server.url(rel))
    try:
        dash.wait_widgets()
        sig = dash.wait_figure(timeout_ms=120_000)
        load = time.perf_counter() - t0
        problems = dash.problems()
        if problems:
            raise RuntimeError(f"{rel}: {problems}")
        dash.focus_slider(0)
        times = []
        for _ in range(moves):
            dash.arm(sig)
            start = time.perf_counter()
            dash.page.keyboard.press("ArrowRight")
            dash.wait_change()
            times.append(1e3 * (time.perf_counter() - start))
            dash.settle(pause_ms)
            sig = dash.figure_signature()
        t = np.asarray(times)
        return {"load_s": load, "median_ms": float(np.median(t)),
                "p90_ms": float(np.percentile(t, 90)), "min_ms": float(t.min()),
                "max_ms": float(t.max())}
    finally:
        dash.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="*", type=Path)
    p.add_argument("--backends", action="store_true",
                   help="compare Image widget, Output widget and ipympl on the toy figure")
    p.add_argument("--moves", type=int, default=20)
    p.add_argument("--pause", type=float, default=200.0,
                   help="ms to wait after each redraw before the next key press")
    p.add_argument("--rounds", type=int, default=1, help="repeat the whole list")
    p.add_argument("--preheat", type=int, default=0, metavar="K",
                   help="pre-heated kernels per notebook, as `neurolab-course --preheat K`")
    p.add_argument("--front-pool", type=int, default=0, metavar="K",
                   help="pre-heated kernels for the playground only, as "
                        "`neurolab-course` does by default (K=1)")
    args = p.parse_args(argv)
    if args.notebooks:
        targets = args.notebooks
    elif args.backends:
        targets = BACKENDS
    else:
        targets = [PLAYGROUND if PLAYGROUND.exists() else FIXTURES / "toy_image.ipynb"]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as home, sync_playwright() as pw:
        server = VoilaServer(REPO, Path(home), show_tracebacks=True, preheat=args.preheat,
                             front_pool=args.front_pool)
        if args.preheat or args.front_pool:
            time.sleep(30.0)  # let the pools fill before the first page is opened
        browser = launch_browser(pw)
        try:
            print(f"{'dashboard':<24} {'load to 1st figure':>18} {'redraw median':>14} "
                  f"{'p90':>8} {'min':>8} {'max':>8}")
            for _ in range(args.rounds):
                for nb in targets:
                    r = measure(browser, server, nb, args.moves, args.pause)
                    print(f"{nb.stem:<24} {r['load_s']:>16.2f} s {r['median_ms']:>11.0f} ms "
                          f"{r['p90_ms']:>5.0f} ms {r['min_ms']:>5.0f} ms {r['max_ms']:>5.0f} ms",
                          flush=True)
        finally:
            browser.close()
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
