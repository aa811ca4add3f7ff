"""The Binder environment installs and runs (repo2docker itself cannot run here).

A fresh virtual environment gets exactly ``binder/requirements.txt`` from PyPI and the
package with ``pip install --no-deps .``, as ``binder/postBuild`` does; then a 10 ms
Hodgkin-Huxley run there must reproduce the numbers of the development environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"
RUN_HH = """
import json, neurolab
from neurolab import simulate
from neurolab.models import HodgkinHuxley
tr = simulate(HodgkinHuxley(), 10.0, current=10.0)
print(json.dumps({"file": neurolab.__file__, "V_end": float(tr.V[-1]),
                  "V_max": float(tr.V.max()), "spikes": [float(s) for s in tr.spike_times]}))
"""


def test_binder_files_are_consistent() -> None:
    """runtime.txt names this Python; every requirement is pinned; postBuild installs
    the package without touching the pins and warms numba's cache."""
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"
    reqs = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")]
    assert reqs and all("==" in r for r in reqs), reqs
    names = {r.split("==")[0].lower().replace("_", "-") for r in reqs}
    assert {"numpy", "scipy", "numba", "llvmlite", "matplotlib", "ipywidgets", "voila",
            "jupyterlab", "ipykernel"} <= names
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK)
    text = post.read_text()
    assert "pip install --no-deps ." in text and "--warm" in text


@pytest.mark.slow
def test_binder_environment_runs_hodgkin_huxley(tmp_path: Path) -> None:
    """Same 10 ms HH run (I = 10 uA/cm2) in the Binder environment and here."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = str(env_dir / "bin" / "python")
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", "build", ".pytest_cache", ".hypothesis",
        ".ruff_cache", "*.nbi", "*.nbc", ".venv", "results"))
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONNOUSERSITE": "1"}
    env.pop("PYTHONPATH", None)

    def run(*args: str, cwd: Path = tmp_path) -> str:
        proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=900)
        assert proc.returncode == 0, f"{args}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return proc.stdout

    run(py, "-m", "pip", "install", "--progress-bar", "off", "-r",
        str(src / "binder" / "requirements.txt"))
    run(py, "-m", "pip", "install", "--progress-bar", "off", "--no-deps", ".", cwd=src)
    run(py, "-m", "pip", "check")
    got = json.loads(run(py, "-c", RUN_HH).strip().splitlines()[-1])
    assert Path(got["file"]).is_relative_to(env_dir), got["file"]

    from neurolab import simulate
    from neurolab.models import HodgkinHuxley

    ref = simulate(HodgkinHuxley(), 10.0, current=10.0)
    assert got["V_max"] > 0.0, "no action potential in 10 ms at 10 uA/cm2"
    np.testing.assert_allclose(got["V_end"], ref.V[-1], rtol=0, atol=1e-6)
    np.testing.assert_allclose(got["spikes"], ref.spike_times, rtol=0, atol=1e-9)
