"""Where generated engine modules live, and how they are keyed, written and loaded.

Each model's compiled code is a small real Python module generated from its equations
(:mod:`neurolab.models._codegen`). It is written once into a cache folder under a key
made from everything that shapes the code: the equations, the order of the parameters,
the reset rule, the generator's own source, so editing any of them makes a new file
instead of reusing a stale one. numba then caches the compiled functions beside that
file (``__pycache__``), so a fresh kernel that defines the same model (a built-in one at
import, or a student's model in a notebook cell) imports the module and loads machine
code from disk, without sympy and without compiling.

The folder is, in order: ``$NEUROLAB_CACHE_DIR``; ``neurolab/models/_generated`` beside
the package when the package folder is writable (like numba's own cache); otherwise
``$XDG_CACHE_HOME/neurolab/generated`` (``~/.cache/...``). Files are written to a
temporary name and then linked into place, so two kernels generating the same model at
once never see a half-written file and never replace each other's file (replacing it
would change its time stamp and throw away numba's cache). Files of models not used for
:data:`PRUNE_AFTER_DAYS` days are removed by :func:`prune`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["cache_dir", "make_key", "load_module", "prune", "PRUNE_AFTER_DAYS"]

#: Generated modules unused for this long are deleted by :func:`prune`.
PRUNE_AFTER_DAYS = 60
_HERE = Path(__file__).resolve().parent
#: Source files whose text is part of every key.
_GENERATOR_FILES = ("_codegen.py", "_symbolic.py", "_language.py", "_source.py")
_PREFIX = "nlm_"
_loaded: dict[str, ModuleType] = {}
_generator_digest: str | None = None


def cache_dir() -> Path:
    """The folder of generated engine modules (created if missing)."""
    env = os.environ.get("NEUROLAB_CACHE_DIR")
    if env:
        folder = Path(env).expanduser()
    else:
        local = _HERE / "_generated"
        if os.access(_HERE, os.W_OK) and (not local.exists() or os.access(local, os.W_OK)):
            folder = local
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            folder = Path(base) / "neurolab" / "generated"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _generator() -> str:
    global _generator_digest
    if _generator_digest is None:
        h = hashlib.sha256()
        for name in _GENERATOR_FILES:
            h.update((_HERE / name).read_bytes())
        _generator_digest = h.hexdigest()
    return _generator_digest


def make_key(parts: dict[str, Any]) -> str:
    """Hex key of a model's code: its defining parts, the generator and Python version.

    Parameters
    ----------
    parts : dict
        JSON-serialisable description of everything that shapes the generated code.
    """
    blob = json.dumps({"parts": parts, "generator": _generator(),
                       "python": sys.version_info[:2]}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _path(key: str) -> Path:
    return cache_dir() / f"{_PREFIX}{key}.py"


def _touch_marker(path: Path) -> None:
    """Record that the module was used today (its own time stamp must not change)."""
    marker = path.with_suffix(".used")
    try:
        if not marker.exists() or time.time() - marker.stat().st_mtime > 86400:
            marker.touch()
    except OSError:
        pass


def load_module(key: str, make_source: Callable[[], str]) -> tuple[ModuleType, bool]:
    """Import the engine module of ``key``, generating it first if it is not cached.

    Parameters
    ----------
    key : str
        From :func:`make_key`.
    make_source : callable
        Returns the module's source text; called only on a cache miss.

    Returns
    -------
    module : ModuleType
    generated : bool
        Whether the source was generated in this call.
    """
    if key in _loaded:
        return _loaded[key], False
    path = _path(key)
    generated = False
    if not path.exists():
        source = make_source()
        fd, tmp = tempfile.mkstemp(prefix=".tmp_", suffix=".py", dir=path.parent)
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        try:
            os.link(tmp, path)  # fails if another process got there first: keep its file
        except FileExistsError:
            pass
        except OSError:  # file systems without hard links
            if not path.exists():
                os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        generated = True
    name = f"neurolab.models._generated_{key}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(f"cannot import the generated engine {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _touch_marker(path)
    _loaded[key] = module
    return module, generated


def cached(key: str) -> bool:
    """Whether the engine module of ``key`` is already on disk."""
    return key in _loaded or _path(key).exists()


def prune(days: float = PRUNE_AFTER_DAYS) -> list[Path]:
    """Delete generated modules (and numba's files for them) unused for ``days`` days.

    Returns
    -------
    list of pathlib.Path
        The modules removed.
    """
    folder = cache_dir()
    limit = time.time() - days * 86400
    removed = []
    for path in folder.glob(f"{_PREFIX}*.py"):
        key = path.stem[len(_PREFIX):]
        if key in _loaded:
            continue
        marker = path.with_suffix(".used")
        stamp = marker.stat().st_mtime if marker.exists() else path.stat().st_mtime
        if stamp >= limit:
            continue
        for extra in [marker, *(folder / "__pycache__").glob(f"{path.stem}.*")]:
            try:
                extra.unlink()
            except OSError:
                pass
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
