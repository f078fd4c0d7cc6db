"""``musestudio --selftest`` as the bundle test runs it: a child process, offscreen, its exit code and WAV."""

from __future__ import annotations

import os
import subprocess
import sys
import wave

import pytest

from musestudio.ml.engines import CONTINUE, ENGINES, missing_model

DEFAULT = ENGINES[CONTINUE][0]  # what the self-test's Generate runs: Continue's default engine


def selftest(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"), **env)
    return subprocess.run(
        [sys.executable, "-m", "musestudio", "--selftest", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=environ,
        timeout=600,
    )


@pytest.mark.skipif(missing_model(CONTINUE, DEFAULT) is not None, reason="no committed Continue model")
def test_selftest_generates_keeps_renders_and_exits_0(tmp_path):
    run = selftest(tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout
    for stage in ("start (window shown)", "model load", "generation", "render WAV", "selftest OK"):
        assert stage in out
    assert f"takes from the {DEFAULT} engine" in out and "click -> first take" in out
    wav = tmp_path / "out" / "selftest.wav"
    assert f"WAV: {wav}" in out
    with wave.open(str(wav)) as w:
        assert w.getnchannels() == 2 and w.getnframes() > 10 * w.getframerate()  # the seed's 10 s and more


def test_selftest_without_models_exits_1_with_the_reason(tmp_path):
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    run = selftest(tmp_path, MUSESTUDIO_HOME=str(home))
    assert run.returncode == 1
    assert "selftest FAILED" in run.stderr and f"{DEFAULT}.safetensors is missing" in run.stderr
    assert not (tmp_path / "out" / "selftest.wav").exists()


#: the self-test in a child process that finds no soundfont anywhere, as a bundle whose own was deleted on a
#: machine with none installed
WITHOUT_A_SOUNDFONT = (
    "import sys; from musestudio.audio import soundfont; soundfont.candidates = lambda: []; "
    "from musestudio.__main__ import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.mark.skipif(missing_model(CONTINUE, DEFAULT) is not None, reason="no committed Continue model")
def test_selftest_with_no_soundfont_fails_in_one_line_saying_where_it_belongs(tmp_path):
    """The bundle's soundfont deleted: the self-test printed a traceback, and the renderer's way out,
    ``--soundfont``, which ``--selftest`` does not take. It fails (exit 1) in one line that says where the
    app's own belongs and how to install one, and writes no WAV."""
    from musestudio import paths

    environ = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT_A_SOUNDFONT, "--selftest", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=environ,
        timeout=600,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    failed = [line for line in run.stderr.splitlines() if "FAILED" in line]
    assert failed == [
        "selftest FAILED: no General MIDI soundfont found, so no WAV (the app's own belongs in "
        f"{paths.resource('soundfonts')}); install one with 'apt-get install fluidr3mono-gm-soundfont'"
    ]
    assert "--soundfont" not in run.stderr and not (tmp_path / "out" / "selftest.wav").exists()
