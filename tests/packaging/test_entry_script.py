"""packaging/musestudio_main.py, the frozen app's one entry script: the name it is started under picks the
app or the command line (the bundle's ``musestudio-cli`` is a link to ``musestudio``). Run here as a script
with the argv the bundle's bootloader would give it; tests/packaging/test_bundle.py runs the real bundle."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "packaging" / "musestudio_main.py"
DEMO = ROOT / "resources" / "seeds" / "demo.mid"


def run_entry(monkeypatch, *argv: str) -> int:
    main = runpy.run_path(str(ENTRY))["main"]  # (run as __main__, runpy would set argv[0] to the script)
    monkeypatch.setattr(sys, "argv", list(argv))
    return main()


def test_started_as_musestudio_cli_it_runs_the_command_line(monkeypatch, capsys):
    code = run_entry(monkeypatch, "/opt/MuseStudio/musestudio-cli", "info", str(DEMO), "--json")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert [t["name"] for t in json.loads(out.out)["tracks"]] == ["Melody", "Keys", "Bass", "Drums"]


def test_started_as_musestudio_it_runs_the_app(monkeypatch, capsys):
    assert run_entry(monkeypatch, "/opt/MuseStudio/musestudio", "--help") == 0
    assert capsys.readouterr().out.startswith("usage: musestudio [-h] [--screenshot PATH]")
