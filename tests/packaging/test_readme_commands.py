"""The commands issue 2 fixes for users and CI: the two installed programs, `make run` without a display,
`make test`'s steps and `.ci/run`.

Make's set-up step (apt, the virtual env, pip) is skipped here (``-o setup``) and this interpreter stands
in for ``.venv/bin/python``: what is checked is what each target runs after set-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "-o", "setup", *args, f"PY={sys.executable}"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_pyproject_installs_the_app_and_the_cli_under_their_names():
    """`musestudio` is a GUI script (no console window on desktops that make one) and `musestudio-cli`
    a console script, each pointing at a function that exists."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["gui-scripts"] == {"musestudio": "musestudio.__main__:main"}
    assert project["scripts"] == {"musestudio-cli": "musestudio.cli:main"}
    for target in (*project["gui-scripts"].values(), *project["scripts"].values()):
        module, function = target.split(":")
        assert callable(getattr(import_module(module), function))


def test_make_run_without_a_display_says_so_in_one_line_and_writes_the_demo(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_DOCUMENTS_DIR")
    }
    env |= {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }  # the demo goes to ~/Documents
    run = make("run", env=env)
    assert run.returncode == 0, run.stderr
    first, *rest = run.stdout.splitlines()
    assert "No display found" in first and "headless demo" in first
    demo = tmp_path / "Documents" / "MuseStudio" / "demo"
    midi, wav = demo / "demo.mid", demo / "demo.wav"
    assert midi.is_file() and wav.stat().st_size > 44100 * 4  # over a second of 16-bit stereo
    assert str(midi) in run.stdout and str(wav) in run.stdout


def test_make_test_is_lint_import_contracts_and_pytest_and_ci_runs_only_it():
    plan = make("-n", "test", env={k: v for k, v in os.environ.items() if k != "CI"})
    assert plan.returncode == 0, plan.stderr
    steps = plan.stdout
    order = [steps.index(s) for s in ("ruff check", "ruff format --check", "lint-imports", "-m pytest")]
    assert order == sorted(order)
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and line[0] != "#"]
    assert ci[-1] == "make test" and not any("pytest" in line or "ruff" in line for line in ci)
