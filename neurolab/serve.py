"""Serve the course notebooks as Voila dashboards for a class.

Run ``neurolab-course`` (or ``python -m neurolab.serve``) from a clone of the repository.
It starts Voila on ``notebooks/``, bound to this machine only, with the settings that kept
a classroom's worth of page loads reliable on a small server (see ``README.md``):

- kernels talk to the server over IPC sockets instead of TCP ports, so a burst of page
  loads does not race for ports;
- kernels left behind by closed tabs are shut down after ten idle minutes;
- tracebacks are not sent to the browser (the dashboards show their own short errors).

:func:`build_command` is the single place where the command line is made; the browser
tests start their server through it too.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from ._validation import check_int, check_number

__all__ = ["FRONT_PAGE", "find_notebooks", "build_command", "front_page_url",
           "course_environment", "run_demo", "warm_cache", "main"]

#: The notebook opened first: the playground.
FRONT_PAGE = "01_playground.ipynb"
#: Course notebooks are named ``NN_topic.ipynb``.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
DEFAULT_PORT = 8866
LOOPBACK = "127.0.0.1"


def find_notebooks(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Locate the folder of course notebooks.

    Parameters
    ----------
    explicit : path, optional
        A folder given by the user; it must exist.

    Returns
    -------
    pathlib.Path
        ``explicit`` if given; otherwise ``notebooks/`` beside the package (an editable
        install from a clone), else ``notebooks/`` in the current directory.

    Raises
    ------
    ValueError
        If the folder given does not exist, or none can be found.
    """
    if explicit is not None:
        folder = Path(explicit).expanduser().resolve()
        if not folder.is_dir():
            raise ValueError(f"notebooks={str(explicit)!r} is not a folder; "
                             "give the path of the course's notebooks/ folder")
        return folder
    candidates = [Path(__file__).resolve().parent.parent / "notebooks",
                  Path.cwd() / "notebooks"]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise ValueError("notebooks=None: no notebooks/ folder found beside the package or in "
                     f"{Path.cwd()}; pass --notebooks PATH (the repository's notebooks/ folder)")


def _check_ip(ip: str) -> str:
    if ip == "localhost":
        return ip
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise ValueError(f"ip={ip!r} is not an IP address; give e.g. 127.0.0.1 "
                         "(this machine only) or 0.0.0.0 (every interface)") from None
    return ip


def _is_loopback(ip: str) -> bool:
    return ip == "localhost" or ipaddress.ip_address(ip).is_loopback


def build_command(notebooks: str | os.PathLike[str], *, ip: str = LOOPBACK,
                  port: int = DEFAULT_PORT, preheat: int = 0,
                  show_tracebacks: bool = False, open_browser: bool = False,
                  cull_idle_timeout: int = 600, cull_interval: int = 60,
                  python: str | None = None, front_pool: int = 0) -> list[str]:
    """Make the Voila command line that serves a folder of notebooks.

    Parameters
    ----------
    notebooks : path
        Folder served; pages are at ``/voila/render/NAME.ipynb``.
    ip : str
        Address to bind; ``127.0.0.1`` (default) serves this machine only.
    port : int
        TCP port, 1-65535.
    preheat : int
        Kernels kept running ahead of time per notebook (0 disables). Each costs about
        100 MB of memory but cuts a page load from about 3 s to under 2 s.
    show_tracebacks : bool
        Send Python tracebacks to the page (useful for tests, not for a class).
    open_browser : bool
        Open a browser on the server machine.
    cull_idle_timeout : int
        Seconds after which an idle kernel is shut down (0 disables culling).
    cull_interval : int
        Seconds between checks for idle kernels (>= 1).
    python : str, optional
        Python interpreter that runs Voila; default: the current one.
    front_pool : int
        Kernels kept ready for the front page alone. Turns on Voila's pre-heating; the
        per-notebook pool sizes themselves come from :func:`pool_config`, written to a
        config folder named in the server's environment (:func:`course_environment`).

    Returns
    -------
    list of str
        The command, ready for :func:`subprocess.Popen`.

    Raises
    ------
    ValueError
        On an invalid address, port, pool size or timeout.
    """
    ip = _check_ip(ip)
    port = check_int("port", port, 1, 65535)
    preheat = check_int("preheat", preheat, 0, 64)
    front_pool = check_int("front_pool", front_pool, 0, 64)
    cull_idle_timeout = check_int("cull_idle_timeout", cull_idle_timeout, 0, 7 * 24 * 3600)
    cull_interval = check_int("cull_interval", cull_interval, 1, 24 * 3600)
    cmd = [python or sys.executable, "-m", "voila", str(Path(notebooks)),
           f"--port={port}",
           f"--Voila.ip={ip}",
           f"--Voila.open_browser={bool(open_browser)}",
           f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
           f"--MappingKernelManager.cull_interval={cull_interval}",
           "--KernelManager.transport=ipc",
           "--VoilaConfiguration.http_keep_alive_timeout=120",
           f"--VoilaConfiguration.show_tracebacks={bool(show_tracebacks)}"]
    if preheat or front_pool:
        cmd += ["--VoilaConfiguration.preheat_kernel=True",
                f"--VoilaConfiguration.default_pool_size={preheat}"]
    return cmd


def pool_config(front_pool: int, preheat: int = 0, front_page: str = FRONT_PAGE) -> dict:
    """Voila configuration that keeps ``front_pool`` kernels ready for the front page.

    Pre-heated kernels have already run the notebook when a student arrives, so the
    playground appears in about 3.4 s instead of 7.3 s (measured in chromium here).
    Every other notebook keeps ``preheat`` kernels (0: started on demand), so a class
    server does not hold one idle kernel (~100 MB) per notebook.

    Parameters
    ----------
    front_pool : int
        Kernels kept ready for ``front_page`` (0-64).
    preheat : int
        Kernels kept ready for every other notebook (0-64).
    front_page : str
        The front page's path inside the served folder.

    Returns
    -------
    dict
        Content of a ``voila.json`` configuration file.
    """
    front_pool = check_int("front_pool", front_pool, 0, 64)
    preheat = check_int("preheat", preheat, 0, 64)
    pools = {"default": {"pool_size": preheat},
             front_page: {"pool_size": max(front_pool, preheat)}}
    return {"VoilaKernelManager": {"kernel_pools_config": pools}}


def write_pool_config(folder: str | os.PathLike[str], front_pool: int, preheat: int = 0,
                      front_page: str = FRONT_PAGE) -> Path:
    """Write :func:`pool_config` as ``voila.json`` into ``folder`` and return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "voila.json").write_text(json.dumps(pool_config(front_pool, preheat,
                                                              front_page)))
    return folder


def front_page_url(ip: str = LOOPBACK, port: int = DEFAULT_PORT,
                   notebook: str | None = FRONT_PAGE) -> str:
    """URL of a notebook's dashboard (or of the notebook list when ``notebook`` is None).

    Parameters
    ----------
    ip : str
        The address the server binds; a wildcard (``0.0.0.0``, ``::``) is shown as
        ``localhost`` because it cannot be browsed to.
    port : int
        The server's TCP port.
    notebook : str or None
        File name inside the served folder.

    Returns
    -------
    str
    """
    ip = _check_ip(ip)
    port = check_int("port", port, 1, 65535)
    host = "localhost" if ip in ("0.0.0.0", "::") else ip
    if ":" in host:
        host = f"[{host}]"
    base = f"http://{host}:{port}/"
    return base + f"voila/render/{notebook}" if notebook else base


def course_environment(base: Mapping[str, str] | None = None,
                       config_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Environment for the server and its kernels.

    numba keeps its compiled-code cache beside the package. Where the package folder
    is not writable (a system or read-only install), point ``NUMBA_CACHE_DIR`` at a
    per-user cache folder so every kernel after the first loads compiled code from disk
    instead of compiling for seconds. A value already set is kept.

    Parameters
    ----------
    base : mapping, optional
        Starting environment; default ``os.environ``.
    config_dir : path, optional
        Extra Jupyter configuration folder (e.g. from :func:`write_pool_config`), put
        first on ``JUPYTER_CONFIG_PATH``.

    Returns
    -------
    dict
    """
    env = dict(os.environ if base is None else base)
    if config_dir is not None:
        rest = env.get("JUPYTER_CONFIG_PATH")
        env["JUPYTER_CONFIG_PATH"] = str(config_dir) + (os.pathsep + rest if rest else "")
    package = Path(__file__).resolve().parent
    if "NUMBA_CACHE_DIR" not in env and not os.access(package, os.W_OK):
        cache_home = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME", tempfile.gettempdir()))
                                                      / ".cache")
        env["NUMBA_CACHE_DIR"] = str(Path(cache_home) / "neurolab" / "numba")
    return env


def run_demo(path: str | os.PathLike[str] = "neurolab-demo.png",
             current: float = 10.0, duration: float = 100.0) -> Path:
    """Simulate the first model of the course's menu under a constant current and save a
    voltage trace.

    Used as the quick start's fallback while the course notebooks are not there.

    Parameters
    ----------
    path : path
        PNG file written.
    current : float
        Injected current (the model's current unit), 0-100.
    duration : float
        Simulated time (ms), > 0 and <= 10000.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    check_number("current", current, 0.0, 100.0)
    check_number("duration", duration, 0.0, 10_000.0, lo_open=True)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from .models import registered
    from .simulate import simulate

    model = next(iter(registered().values()))()
    trace = simulate(model, duration, current=current)
    fig = Figure(figsize=(7, 3), dpi=100)
    ax = fig.add_subplot()
    ax.plot(trace.t, trace.V, lw=1)
    name = model.state_names[0]
    ax.set(xlabel=f"time ({model.time_unit})", ylabel=f"{name} ({model.voltage_unit})",
           title=f"{model.title}, I = {current:g} {model.current_unit}: "
                 f"{len(trace.spike_times)} spikes")
    fig.tight_layout()
    out = Path(path).resolve()
    fig.savefig(out)
    return out


def warm_cache(duration: float = 5.0) -> list[str]:
    """Run every model once (single run and batch) so numba writes its on-disk cache.

    Every Voila page starts a fresh kernel; with the cache written, its first simulation
    loads compiled code instead of compiling it. Binder's ``postBuild`` calls this.

    Parameters
    ----------
    duration : float
        Simulated time per run (in each model's time unit), > 0 and <= 1000.

    Returns
    -------
    list of str
        Names of the models run.
    """
    check_number("duration", duration, 0.0, 1000.0, lo_open=True)
    import numpy as np

    from .models import registered
    from .simulate import simulate, simulate_batch

    models = registered()
    for cls in models.values():
        model = cls()
        lo, hi = cls.current_range
        mid = 0.5 * (lo + hi)
        simulate(model, duration, current=mid)
        simulate_batch(model, duration, currents=[lo, mid])
        found = model.equilibria(lo)
        y = np.asarray(found[0], dtype=float) if found else np.zeros(len(model.state_names))
        model.rhs(y, mid)
        model.jacobian(y, mid)
        for name in cls.reductions:  # the planes the explorer draws
            reduced = model.reduce(name)
            reduced.rhs(reduced.initial_state(lo), mid)
            reduced.jacobian(reduced.initial_state(lo), mid)
            simulate(reduced, duration, current=mid)
    return [cls.title for cls in models.values()]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="neurolab-course",
        description="Serve the neurolab course notebooks as Voila dashboards.")
    p.add_argument("--notebooks", default=None,
                   help="folder of notebooks (default: the repository's notebooks/)")
    p.add_argument("--ip", default=LOOPBACK,
                   help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (default 8866)")
    p.add_argument("--preheat", type=int, default=0, metavar="K",
                   help="keep K kernels ready per notebook for faster page loads (0: off)")
    p.add_argument("--front-pool", type=int, default=1, metavar="K",
                   help="keep K kernels ready for the front page, the playground "
                        "(default 1; 0: off)")
    p.add_argument("--open", action="store_true", help="open a browser on this machine")
    p.add_argument("--show-tracebacks", action="store_true",
                   help="send Python tracebacks to the page (debugging)")
    p.add_argument("--demo", action="store_true",
                   help="do not serve: simulate Hodgkin-Huxley and save neurolab-demo.png")
    p.add_argument("--warm", action="store_true",
                   help="do not serve: compile every model once into numba's cache")
    p.add_argument("--dry-run", action="store_true",
                   help="print the Voila command and exit")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point ``neurolab-course``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    args = _parser().parse_args(argv)
    if args.warm:
        print("Compiled and cached:", ", ".join(warm_cache()))
        return 0
    notebooks: Path | None = None
    try:
        if args.notebooks is not None:
            notebooks = find_notebooks(args.notebooks)
        else:
            try:
                notebooks = find_notebooks()
            except ValueError:
                notebooks = None  # no course notebooks yet: the demo below
        cmd = build_command(notebooks or Path.cwd(), ip=args.ip, port=args.port,
                            preheat=args.preheat, show_tracebacks=args.show_tracebacks,
                            open_browser=args.open, front_pool=args.front_pool)
    except ValueError as exc:
        print(f"neurolab-course: {exc}", file=sys.stderr)
        return 2
    if args.demo or notebooks is None or not (notebooks / FRONT_PAGE).is_file():
        if not args.demo:
            print(f"neurolab-course: no {FRONT_PAGE} among the notebooks yet; "
                  "running the demo instead.")
        out = run_demo()
        print(f"Saved a Hodgkin-Huxley voltage trace to {out}")
        return 0
    if not _is_loopback(args.ip):
        warnings.warn(f"serving on {args.ip}: anyone who can reach this machine on port "
                      f"{args.port} can run code in the course's kernels (Voila asks for no "
                      "password). Use this only on a trusted network.", stacklevel=1)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print(f"Serving {notebooks} with Voila. Front page (the playground):\n\n"
          f"    {front_page_url(args.ip, args.port)}\n\n"
          f"All notebooks: {front_page_url(args.ip, args.port, None)}   (Ctrl-C stops)",
          flush=True)
    config_dir = None
    if args.front_pool or args.preheat:
        config_dir = write_pool_config(tempfile.mkdtemp(prefix="neurolab-voila-"),
                                       args.front_pool, args.preheat)
    proc = subprocess.Popen(cmd, env=course_environment(config_dir=config_dir))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
