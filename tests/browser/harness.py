"""Drive Voila dashboards in Debian's chromium: server, browser, and page checks.

Shared by the browser tests (``tests/browser/``) and ``benchmarks/bench_browser.py``.
The recipes (chromium flags, event waiting, how a failure shows) are those recorded in
``/work/shared/notes/serving-and-testing.md``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from neurolab.serve import build_command, course_environment, write_pool_config

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: Voila's page template asks a CDN for Font Awesome; offline that one request fails.
KNOWN_OFFLINE_MISSES = ("font-awesome", "fontawesome")
KERNEL_ERROR = re.compile(r'"msg_type"\s*:\s*"error"')
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
WIDGETS = ".widget-slider, .jupyter-widgets"

#: A string that changes whenever any figure on the page is redrawn: the ``src`` of
#: every image (Image widget or inline figure in an Output) and the pixels of every
#: drawn ipympl canvas. Empty while no figure has been drawn.
FIGURE_SIGNATURE_JS = """() => {
  const parts = [];
  window.__blank = window.__blank || {};
  for (const c of document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')) {
    if (!c.width || !c.height) continue;
    const key = c.width + 'x' + c.height;
    if (!(key in window.__blank)) {
      const b = document.createElement('canvas');
      b.width = c.width; b.height = c.height;
      window.__blank[key] = b.toDataURL();
    }
    const d = c.toDataURL();
    if (d !== window.__blank[key]) parts.push(d);
  }
  for (const img of document.querySelectorAll('img')) {
    if (img.src && img.naturalWidth > 0) parts.push(img.src);
  }
  return parts.join('|');
}"""

#: Error boxes of the course's widgets (class ``neurolab-error``) that show text.
VISIBLE_ERRORS_JS = """() => [...document.querySelectorAll('.neurolab-error')]
  .filter(e => e.offsetParent !== null && e.textContent.trim() !== '')
  .map(e => e.textContent.trim())"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VoilaServer:
    """A Voila server on 127.0.0.1 serving ``root``, started with ``neurolab.serve``'s
    command builder, with ``HOME`` in ``home`` so nothing is written to the real home.

    Parameters
    ----------
    root : path
        Folder served; a notebook at ``root/a/b.ipynb`` is at ``url("a/b.ipynb")``.
    home : path
        Folder used as ``HOME`` (Jupyter, matplotlib and chromium state).
    show_tracebacks : bool
        Send tracebacks to the page (easier diagnosis of a failing test).
    preheat : int
        Pre-heated kernels per notebook.
    front_pool : int
        Pre-heated kernels for the playground alone, as ``neurolab-course`` keeps them.
    """

    def __init__(self, root: Path, home: Path, *, show_tracebacks: bool = True,
                 preheat: int = 0, front_pool: int = 0) -> None:
        self.root = Path(root)
        self.port = free_port()
        self.log_path = Path(home) / "voila.log"
        config_dir = None
        if front_pool:
            front = (REPO / "notebooks" / "01_playground.ipynb").relative_to(self.root)
            config_dir = write_pool_config(Path(home) / "voila-config", front_pool, preheat,
                                           front.as_posix())
        env = course_environment({**os.environ, "HOME": str(home)}, config_dir=config_dir)
        env.pop("JUPYTER_CONFIG_DIR", None)
        cmd = build_command(self.root, port=self.port, show_tracebacks=show_tracebacks,
                            preheat=preheat, front_pool=front_pool)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        self._wait_ready(timeout=60.0)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voila exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url(""), timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Voila did not answer within {timeout} s:\n{self.log()}")

    def url(self, path: str) -> str:
        """URL of the dashboard of notebook ``path`` (relative to ``root``), or of the
        notebook list when ``path`` is empty."""
        base = f"http://127.0.0.1:{self.port}/"
        return base + f"voila/render/{path}" if path else base

    def log(self, tail: int = 4000) -> str:
        """The end of the server's log."""
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server (and with it its kernels)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def launch_browser(playwright: Any) -> Any:
    """Debian's chromium, headless, through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True)


class Dashboard:
    """One Voila page in a fresh browser context, with its failures collected.

    Every request that does not go to this machine is aborted (the course must work
    offline). Collected while the page lives: ``kernel_errors`` (kernel websocket frames
    carrying an ``error`` message: exceptions in widget callbacks that show nowhere on
    the page), ``console_errors`` (except the known Font Awesome miss) and ``blocked``
    (URLs of aborted requests).
    """

    def __init__(self, browser: Any, url: str, *, timeout_ms: float = 120_000) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.kernel_errors: list[str] = []
        self.console_errors: list[str] = []
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("websocket", self._websocket)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        self.timeout_ms = timeout_ms
        self.t_start = time.perf_counter()
        self.page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)

    # -- event collection ------------------------------------------------------------
    def _route(self, route: Any) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _websocket(self, ws: Any) -> None:
        def frame(payload: Any) -> None:
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            if KERNEL_ERROR.search(text):
                self.kernel_errors.append(text[:2000])
        ws.on("framereceived", frame)

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if any(k in (where + msg.text).lower() for k in KNOWN_OFFLINE_MISSES):
            return
        self.console_errors.append(f"{msg.text} ({where})")

    # -- waiting ---------------------------------------------------------------------
    def wait_widgets(self) -> None:
        """Wait until the page shows its widgets (or fails with a traceback)."""
        self.page.wait_for_selector(f"{WIDGETS}, {STDERR}", state="visible",
                                    timeout=self.timeout_ms)

    def figure_signature(self) -> str:
        """See :data:`FIGURE_SIGNATURE_JS`."""
        return self.page.evaluate(FIGURE_SIGNATURE_JS)

    def arm(self, old: str) -> None:
        """Remember ``old`` in the page for :meth:`wait_change` (kept out of timings)."""
        self.page.evaluate("(old) => { window.__old_signature = old; }", old)

    def wait_change(self, timeout_ms: float = 30_000) -> None:
        """Wait, polling every animation frame, until a figure differs from the armed one."""
        self.page.wait_for_function(
            f"() => {{ const s = ({FIGURE_SIGNATURE_JS})(); "
            "return s !== '' && s !== window.__old_signature; }",
            polling="raf", timeout=timeout_ms)

    def wait_figure(self, old: str = "", timeout_ms: float = 30_000) -> str:
        """Wait until a figure is drawn that differs from ``old``; return its signature."""
        self.arm(old)
        self.wait_change(timeout_ms)
        return self.figure_signature()

    def settle(self, ms: float = 300) -> None:
        """Let pending events arrive (sync Playwright delivers them only in its calls)."""
        self.page.wait_for_timeout(ms)

    # -- driving ---------------------------------------------------------------------
    def focus_slider(self, index: int = 0) -> None:
        """Focus the handle of the ``index``-th slider."""
        self.page.locator(".widget-slider .noUi-handle").nth(index).focus()

    def press(self, key: str = "ArrowRight", times: int = 1) -> None:
        """Press a key on the focused element ``times`` times."""
        for _ in range(times):
            self.page.keyboard.press(key)

    def pick_other_option(self, index: int = 0) -> str:
        """Select, in the ``index``-th dropdown, an option other than the current one."""
        select = self.page.locator(".widget-dropdown select").nth(index)
        current = select.input_value()
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        other = next(v for v in values if v != current)
        select.select_option(other)
        return other

    # -- checks ----------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every sign of failure on the page so far (empty when healthy)."""
        found = [f"stderr output: {t}" for t in
                 self.page.locator(STDERR).all_inner_texts()]
        found += [f"neurolab-error shown: {t}" for t in
                  self.page.evaluate(VISIBLE_ERRORS_JS)]
        found += [f"kernel error message: {t}" for t in self.kernel_errors]
        found += [f"console error: {t}" for t in self.console_errors]
        return found

    def close(self) -> None:
        self.context.close()
