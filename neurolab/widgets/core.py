"""Building blocks of every dashboard: figure view, debouncing, error line, controls, jobs.

No science lives here: the apps in this package call :mod:`neurolab` for numbers and
:mod:`neurolab.plots` for drawing, and these pieces make them feel instant and robust.

- :class:`FigureView` renders a matplotlib figure with the Agg canvas into an
  ``ipywidgets.Image``. Static parts (axes, ticks, labels) are drawn once; the artists
  registered as dynamic are re-drawn on a cached background ("blitting"), so a redraw
  costs a few milliseconds instead of a full figure draw. It needs no browser extension,
  so it renders the same in JupyterLab, Voila and a static export.
- :class:`Throttle` coalesces a burst of slider events: while a recompute is pending,
  later events only replace its arguments, so dragging never queues stale work.
- :class:`ErrorLine` is the short message beside the controls (CSS class
  ``neurolab-error``); every callback goes through :func:`guarded`, which shows a
  ``ValueError`` (or any other exception) there and keeps the dashboard alive.
- :func:`controls_for` builds sliders from a model's parameter metadata.
- :class:`BackgroundJob` runs long computations (F-I curves, bifurcation diagrams) off
  the kernel's main thread with a progress bar, cancelling superseded runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import struct
import threading
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..models.base import Model

__all__ = ["FigureView", "Throttle", "ErrorLine", "guarded", "controls_for", "slider",
           "BackgroundJob", "Cancelled", "STYLE"]

#: Shared slider style: wide enough descriptions for "g_Na (mS/cm2)".
STYLE = {"description_width": "9em"}
_LAYOUT = W.Layout(width="24em")


# ----------------------------------------------------------------------------- figure
class FigureView:
    """A matplotlib figure shown as an image widget, redrawn by blitting.

    Parameters
    ----------
    figsize : (float, float)
        Size in inches.
    dpi : int
        Resolution (dots per inch) of the rendered image.
    """

    def __init__(self, figsize: tuple[float, float] = (9.0, 3.6), dpi: int = 80) -> None:
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.image.add_class("neurolab-figure")
        self._dynamic: list[Any] = []
        self._background = None

    def dynamic(self, *artists: Any) -> None:
        """Register artists that change on every update (drawn over the cached background)."""
        for group in artists:
            items = group if isinstance(group, (list, tuple)) else [group]
            for a in items:
                if a is None:
                    continue
                a.set_animated(True)
                self._dynamic.append(a)

    def clear_dynamic(self) -> None:
        """Forget every dynamic artist (after the axes were rebuilt)."""
        for a in self._dynamic:
            a.set_animated(False)
        self._dynamic = []

    def invalidate(self) -> None:
        """Mark the static background stale (limits, labels or static artists changed)."""
        self._background = None

    def refresh(self) -> None:
        """Redraw: the dynamic artists over the background, or everything if it is stale."""
        if self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for a in self._dynamic:
            if a.get_visible() and a.axes is not None:
                a.axes.draw_artist(a)
            elif a.get_visible() and a.figure is not None:
                self.figure.draw_artist(a)
        self.image.value = self.png()

    def png(self) -> bytes:
        """The current canvas as PNG bytes.

        Written directly (RGB, no row filter, zlib level 1): about half the time of
        PIL's encoder at its fastest setting on these figures, and no larger.
        """
        w, h = self.canvas.get_width_height()
        rgba = np.asarray(self.canvas.buffer_rgba()).reshape(h, w, 4)
        rows = np.empty((h, 1 + 3 * w), dtype=np.uint8)
        rows[:, 0] = 0
        rows[:, 1:] = rgba[:, :, :3].reshape(h, 3 * w)
        return _png_bytes(w, h, zlib.compress(rows.tobytes(), 1))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _png_bytes(width: int, height: int, idat: bytes) -> bytes:
    """A PNG file of 8-bit RGB pixels from already-compressed image data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat)
            + _png_chunk(b"IEND", b""))


# ----------------------------------------------------------------------------- events
class Throttle:
    """Call ``fn`` with the latest arguments, at most once per ``wait`` seconds.

    Inside a running event loop (a Jupyter kernel) calls are coalesced: the first call
    schedules ``fn`` after ``wait`` seconds and later calls before then only replace the
    arguments. Outside an event loop (scripts, tests) ``fn`` runs at once.
    """

    def __init__(self, fn: Callable[..., Any], wait: float = 0.02) -> None:
        self.fn = fn
        self.wait = wait
        self._pending: tuple | None = None
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or threading.current_thread() is not threading.main_thread():
            self.fn(*args, **kwargs)
            return
        self._pending = (args, kwargs)
        if self._handle is None:
            self._handle = loop.call_later(self.wait, self._fire)

    def _fire(self) -> None:
        self._handle = None
        if self._pending is None:
            return
        args, kwargs = self._pending
        self._pending = None
        self.fn(*args, **kwargs)


class ErrorLine:
    """A short message beside the controls, hidden when there is nothing to say."""

    def __init__(self) -> None:
        self.widget = W.HTML(value="", layout=W.Layout(display="none"))
        self.widget.add_class("neurolab-error")
        self.message = ""

    def show(self, message: str) -> None:
        """Show ``message`` (plain text) in red."""
        self.message = message
        self.widget.value = (f"<span style='color:#b00020'>&#9888; {html.escape(message)}"
                             "</span>")
        self.widget.layout.display = None

    def clear(self) -> None:
        """Hide the message."""
        if self.message:
            self.message = ""
            self.widget.value = ""
            self.widget.layout.display = "none"


def guarded(errors: ErrorLine, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a callback so that any exception is shown in ``errors`` instead of escaping.

    A ``ValueError`` (bad input) or ``SimulationDiverged`` is shown as its message; any
    other exception shows its type and message, and the traceback goes to the log.
    """

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            out = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a dashboard must keep working
            from ..simulate import SimulationDiverged

            if isinstance(exc, (ValueError, SimulationDiverged)):
                errors.show(str(exc))
            else:
                errors.show(f"{type(exc).__name__}: {exc}")
                traceback.print_exc()
            return None
        errors.clear()
        return out

    return wrapper


# ----------------------------------------------------------------------------- controls
def slider(description: str, value: float, lo: float, hi: float, step: float,
           unit: str = "", tooltip: str = "", readout_format: str | None = None
           ) -> W.FloatSlider:
    """A float slider with the shared style; the unit goes into the description."""
    label = f"{description} ({unit})" if unit else description
    lo, hi = min(lo, value), max(hi, value)
    fmt = readout_format or (".3g" if step < 0.01 else ".2f" if step < 1 else ".1f")
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=label,
                         tooltip=tooltip, style=STYLE, layout=_LAYOUT,
                         readout_format=fmt, continuous_update=True)


def controls_for(model: Model, names: Iterable[str] | None = None) -> dict[str, W.FloatSlider]:
    """Sliders for a model's parameters, built from their metadata.

    Parameters
    ----------
    model : Model
        The model whose current values the sliders start at.
    names : iterable of str, optional
        Which parameters (default: all).

    Returns
    -------
    dict of str to ipywidgets.FloatSlider
        Keyed by parameter name; each description shows the label and unit and the
        tooltip the one-line meaning.
    """
    info = model.parameter_info()
    names = list(info) if names is None else list(names)
    out = {}
    for name in names:
        p = info[name]
        out[name] = slider(p.label, float(getattr(model, name)), p.slider[0], p.slider[1],
                           p.step, p.unit, p.meaning)
    return out


# ----------------------------------------------------------------------------- jobs
class Cancelled(Exception):
    """Raised inside a background job's progress callback when a newer job started."""


class BackgroundJob:
    """Run long computations in a worker thread with a progress bar.

    Starting a new job cancels the previous one at its next progress report, so a slider
    dragged across a slow F-I curve never queues stale work. ``on_done`` and
    ``on_error`` run in the worker thread; widget updates from there are safe with
    ipywidgets.
    """

    def __init__(self) -> None:
        self.progress = W.FloatProgress(value=0.0, min=0.0, max=1.0,
                                        layout=W.Layout(width="16em", visibility="hidden"))
        self.progress.add_class("neurolab-progress")
        self._generation = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.synchronous = False

    def start(self, compute: Callable[[Callable[[float], None]], Any],
              on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> None:
        """Start ``compute(progress)``; then call ``on_done(result)`` or ``on_error(exc)``."""
        with self._lock:
            self._generation += 1
            gen = self._generation

        def report(fraction: float) -> None:
            if gen != self._generation:
                raise Cancelled
            self.progress.value = float(np.clip(fraction, 0.0, 1.0))

        def run() -> None:
            self.progress.value = 0.0
            self.progress.layout.visibility = "visible"
            try:
                result = compute(report)
            except Cancelled:
                return
            except Exception as exc:  # noqa: BLE001
                if gen == self._generation:
                    self.progress.layout.visibility = "hidden"
                    on_error(exc)
                return
            if gen == self._generation:
                self.progress.value = 1.0
                self.progress.layout.visibility = "hidden"
                on_done(result)

        if self.synchronous:
            run()
            return
        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the current job ends (used by tests and notebooks' checks)."""
        if self._thread is not None:
            self._thread.join(timeout)


# ----------------------------------------------------------------------------- app
class App:
    """Base of every dashboard: controls on the left, an error line, a figure on the right.

    Subclasses create their controls and artists in ``__init__`` (after calling
    ``super().__init__``), list the controls in ``self.controls``, register changing
    artists with ``self.view.dynamic(...)``, implement :meth:`redraw`, and finish with
    :meth:`start`. Every control change runs :meth:`redraw` through a throttle and the
    error guard: bad input shows as a message beside the controls, never a traceback.

    An app displays itself in a notebook (``app`` as the last expression, or
    ``display(app)``); ``app.widget`` is the ipywidgets container.
    """

    #: Width of the control column.
    control_width = "26em"

    def __init__(self, figsize: tuple[float, float] = (9.0, 3.6), dpi: int = 80) -> None:
        self.view = FigureView(figsize, dpi)
        self.figure = self.view.figure
        self.errors = ErrorLine()
        self.job = BackgroundJob()
        self.controls: list[W.Widget] = []
        self.widget: W.Box = W.HBox()
        # One canvas, one lock: background jobs redraw from their threads too.
        self._lock = threading.RLock()
        self._hold = 0
        self._throttled = Throttle(guarded(self.errors, self._redraw_and_refresh))

    # subclasses override -----------------------------------------------------------
    def redraw(self) -> None:
        """Recompute from the controls' values and update the artists' data."""
        raise NotImplementedError

    # machinery ---------------------------------------------------------------------
    def _redraw_and_refresh(self) -> None:
        with self._lock:
            self.redraw()
            self.view.refresh()

    def update(self, *_: Any) -> None:
        """Schedule a redraw (throttled); used as the observer of every control.

        Nothing is scheduled while the app sets several controls together
        (:meth:`_holding`); it redraws once afterwards.
        """
        if not self._hold:
            self._throttled()

    @contextlib.contextmanager
    def _holding(self) -> Iterator[None]:
        """Change many controls without a redraw for each."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def observe(self, *widgets: W.Widget) -> None:
        """Redraw when any of these widgets' value changes."""
        for w in widgets:
            w.observe(self.update, names="value")

    def layout(self, extra: Iterable[W.Widget] = ()) -> W.Box:
        """Arrange the controls, the error line, the progress bar and the figure."""
        left = W.VBox([*self.controls, *extra, self.errors.widget, self.job.progress],
                      layout=W.Layout(width=self.control_width, min_width="20em"))
        return W.HBox([left, self.view.image],
                      layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))

    def start(self, extra: Iterable[W.Widget] = ()) -> None:
        """Wire the controls, lay out the app and draw it once (synchronously)."""
        self.observe(*[c for c in self.controls if hasattr(c, "value")])
        self.widget = self.layout(extra)
        guarded(self.errors, self._redraw_and_refresh)()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def error(self) -> str:
        """The message currently shown beside the controls ('' when none)."""
        return self.errors.message
