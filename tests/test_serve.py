"""Command-line building of ``neurolab.serve`` (no server is started here).

The options checked are the ones ``/work/shared/notes/serving-and-testing.md`` found
necessary for a class: IPC transport and keep-alive (60 of 60 burst loads succeeded),
idle-kernel culling (kernels are not shut down when a page closes), no tracebacks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from neurolab import serve

REPO = Path(__file__).resolve().parent.parent


def _opts(cmd: list[str]) -> dict[str, str]:
    return dict(a[2:].split("=", 1) for a in cmd if a.startswith("--") and "=" in a)


def test_default_command_is_safe_for_a_class(tmp_path: Path) -> None:
    """Loopback only, no browser, culling, IPC, keep-alive, tracebacks off."""
    cmd = serve.build_command(tmp_path)
    assert cmd[:4] == [sys.executable, "-m", "voila", str(tmp_path)]
    opts = _opts(cmd)
    assert opts["Voila.ip"] == "127.0.0.1"
    assert opts["port"] == "8866"
    assert opts["Voila.open_browser"] == "False"
    assert opts["MappingKernelManager.cull_idle_timeout"] == "600"
    assert opts["MappingKernelManager.cull_interval"] == "60"
    assert opts["KernelManager.transport"] == "ipc"
    assert opts["VoilaConfiguration.http_keep_alive_timeout"] == "120"
    assert opts["VoilaConfiguration.show_tracebacks"] == "False"
    assert "VoilaConfiguration.preheat_kernel" not in opts


def test_options_reach_the_command(tmp_path: Path) -> None:
    cmd = serve.build_command(tmp_path, ip="0.0.0.0", port=9000, preheat=2,
                              show_tracebacks=True, open_browser=True, python="/x/python")
    opts = _opts(cmd)
    assert cmd[0] == "/x/python"
    assert opts["Voila.ip"] == "0.0.0.0"
    assert opts["port"] == "9000"
    assert opts["Voila.open_browser"] == "True"
    assert opts["VoilaConfiguration.show_tracebacks"] == "True"
    assert opts["VoilaConfiguration.preheat_kernel"] == "True"
    assert opts["VoilaConfiguration.default_pool_size"] == "2"


@pytest.mark.parametrize("kwargs, name", [
    ({"port": 0}, "port"), ({"port": 70000}, "port"), ({"port": 80.5}, "port"),
    ({"preheat": -1}, "preheat"), ({"ip": "not-an-ip"}, "ip"),
    ({"cull_interval": 0}, "cull_interval"),
])
def test_bad_arguments_name_themselves(tmp_path: Path, kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        serve.build_command(tmp_path, **kwargs)


def test_every_option_is_known_to_voila(tmp_path: Path) -> None:
    """Each ``--Class.trait`` we pass exists in this Voila (a typo would be ignored)."""
    from voila.app import Voila

    app = Voila()
    classes = {c.__name__: c for c in app._classes_with_config_traits()}
    from jupyter_client.manager import KernelManager
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from voila.configuration import VoilaConfiguration
    classes.update(Voila=Voila, KernelManager=KernelManager,
                   MappingKernelManager=MappingKernelManager,
                   VoilaConfiguration=VoilaConfiguration)
    cmd = serve.build_command(tmp_path, preheat=1)
    for key in _opts(cmd):
        if "." not in key:
            continue
        cls, trait = key.split(".")
        assert trait in classes[cls].class_trait_names(config=True), key


def test_front_page_url() -> None:
    assert (serve.front_page_url("127.0.0.1", 8866)
            == "http://127.0.0.1:8866/voila/render/01_playground.ipynb")
    assert serve.front_page_url("0.0.0.0", 1234, None) == "http://localhost:1234/"
    assert serve.front_page_url("::1", 80, "x.ipynb") == "http://[::1]:80/voila/render/x.ipynb"


def test_find_notebooks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    if (REPO / "notebooks").is_dir():
        assert serve.find_notebooks() == REPO / "notebooks"
    else:  # a fresh clone before any notebook is committed
        with pytest.raises(ValueError, match="notebooks"):
            serve.find_notebooks()
    assert serve.find_notebooks(tmp_path) == tmp_path.resolve()
    with pytest.raises(ValueError, match="notebooks"):
        serve.find_notebooks(tmp_path / "missing")


def test_numba_cache_dir_only_when_package_is_read_only(monkeypatch, tmp_path: Path) -> None:
    env = serve.course_environment({"HOME": str(tmp_path)})
    writable = os.access(Path(serve.__file__).parent, os.W_OK)
    assert ("NUMBA_CACHE_DIR" in env) == (not writable)
    monkeypatch.setattr(serve.os, "access", lambda *a: False)
    env = serve.course_environment({"HOME": str(tmp_path)})
    assert env["NUMBA_CACHE_DIR"] == str(tmp_path / ".cache" / "neurolab" / "numba")
    env = serve.course_environment({"HOME": str(tmp_path), "NUMBA_CACHE_DIR": "/keep"})
    assert env["NUMBA_CACHE_DIR"] == "/keep"


def test_main_dry_run_prints_command(tmp_path: Path, capsys) -> None:
    (tmp_path / serve.FRONT_PAGE).write_text("{}")
    assert serve.main(["--notebooks", str(tmp_path), "--dry-run", "--port", "9001"]) == 0
    out = capsys.readouterr().out
    assert "-m voila" in out and "--port=9001" in out


def test_main_warns_when_not_loopback(tmp_path: Path, capsys) -> None:
    (tmp_path / serve.FRONT_PAGE).write_text("{}")
    with pytest.warns(UserWarning, match="anyone who can reach"):
        serve.main(["--notebooks", str(tmp_path), "--ip", "0.0.0.0", "--dry-run"])


def test_main_bad_port_is_an_error(tmp_path: Path, capsys) -> None:
    assert serve.main(["--notebooks", str(tmp_path), "--port", "0"]) == 2
    assert "port" in capsys.readouterr().err


def test_demo_fallback_saves_a_figure(tmp_path: Path, monkeypatch, capsys) -> None:
    """Without the playground notebook, main() simulates HH and saves a PNG."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb").mkdir()
    assert serve.main(["--notebooks", str(tmp_path / "nb")]) == 0
    png = tmp_path / "neurolab-demo.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(png) in capsys.readouterr().out


def test_warm_cache_runs_every_model(capsys) -> None:
    """``--warm`` (Binder's postBuild) simulates each model of ``neurolab.models.MODELS``."""
    from neurolab.models import MODELS

    assert serve.main(["--warm"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in MODELS)
    with pytest.raises(ValueError, match="duration"):
        serve.warm_cache(0.0)


def test_main_without_any_notebooks_folder_runs_the_demo(tmp_path: Path, monkeypatch,
                                                         capsys) -> None:
    """A fresh clone has no notebooks/ until the course is committed: demo, exit 0."""
    monkeypatch.chdir(tmp_path)
    def no_folder(explicit=None):
        raise ValueError("notebooks=None: no notebooks/ folder found")

    monkeypatch.setattr(serve, "find_notebooks", no_folder)
    assert serve.main([]) == 0
    assert (tmp_path / "neurolab-demo.png").is_file()
    assert "demo" in capsys.readouterr().out


def test_front_page_pool_config_preheats_only_the_playground(tmp_path):
    """The class server keeps kernels ready for the front page only (pre-rendered by
    Voila's kernel pools), not one idle kernel per notebook."""
    import json

    from neurolab.serve import pool_config, write_pool_config

    cfg = pool_config(1)["VoilaKernelManager"]["kernel_pools_config"]
    assert cfg == {"default": {"pool_size": 0}, "01_playground.ipynb": {"pool_size": 1}}
    assert pool_config(2, preheat=3)["VoilaKernelManager"]["kernel_pools_config"][
        "01_playground.ipynb"] == {"pool_size": 3}
    folder = write_pool_config(tmp_path / "cfg", 1)
    assert json.loads((folder / "voila.json").read_text())["VoilaKernelManager"] == {
        "kernel_pools_config": cfg}
    env = serve.course_environment({"JUPYTER_CONFIG_PATH": "/etc/x"}, config_dir=folder)
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(folder), "/etc/x"]
    cmd = serve.build_command("nb", front_pool=1)
    assert "--VoilaConfiguration.preheat_kernel=True" in cmd
    assert "--VoilaConfiguration.default_pool_size=0" in cmd
    with pytest.raises(ValueError, match="front_pool"):
        pool_config(-1)
