"""The command line as users meet it: exit codes, one-line errors, and real files in and out."""

import importlib.abc
import json
import os
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from musestudio import cli, paths
from musestudio.__main__ import main as app_main
from musestudio.core.timing import project_seconds
from musestudio.io import formats
from musestudio.paths import models_dir, resource

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = sorted(resource("seeds").glob("*.mid"))
BROKEN = [
    "empty.mid",
    "random_bytes.mid",
    "text_not_midi.mid",
    "truncated.mid",
    "header_only.mid",
    "huge_tick.mid",
    "truncated.muse",
    "bad_velocity.muse",
    "wrong_format.muse",
    "newer_version.muse",
]


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err):
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_info_json_describes_each_seed(capsys, seed):
    code, out, err = run(capsys, "info", seed, "--json")
    assert code == 0 and not err
    facts = json.loads(out)
    assert set(facts) == {
        "tracks",
        "notes",
        "tempo_bpm",
        "tempo_beat",
        "tempo_beat_bpm",
        "time_signature",
        "key",
        "duration_beats",
        "duration_seconds",
        "tempo_changes",
        "meter_changes",
        "key_changes",
        "markers",
    }
    project = formats.load(seed)
    assert facts["notes"] == sum(t["notes"] for t in facts["tracks"]) == project.note_count
    assert facts["duration_seconds"] == pytest.approx(project_seconds(project, project.length), abs=1e-3)
    assert all(
        set(t) == {"name", "program", "is_drum", "channel", "notes", "controllers"} for t in facts["tracks"]
    )
    assert facts["tempo_changes"] == len(project.tempos)


def test_info_reports_meter_key_tempo_and_drums(capsys):
    facts = {p.name: json.loads(run(capsys, "info", p, "--json")[1]) for p in SEEDS}
    assert facts["melody_3_4.mid"]["time_signature"] == "3/4"
    assert facts["melody_6_8.mid"]["time_signature"] == "6/8"
    assert facts["melody_6_8.mid"]["key"] == "A minor"
    assert facts["demo.mid"]["key"] == "C major" and facts["demo.mid"]["tempo_bpm"] == 96.0
    # the file ends a tick after its last note, as its end-of-track event says: 16 beats and that tick
    assert facts["demo.mid"]["duration_beats"] == 16.002 and facts["demo.mid"]["duration_seconds"] == 10.001
    assert [t["is_drum"] for t in facts["drums.mid"]["tracks"]] == [True]


def test_info_gives_a_6_8_tempo_in_dotted_quarters_and_keeps_tempo_bpm_in_quarters(capsys):
    """melody_6_8.mid holds 150 quarters a minute: its text said "150 BPM", a tempo counted in no beat of
    6/8; it reads 100 dotted quarters, and the JSON's ``tempo_bpm`` stays the file's quarters."""
    seed = resource("seeds") / "melody_6_8.mid"
    facts = json.loads(run(capsys, "info", seed, "--json")[1])
    assert (facts["tempo_bpm"], facts["tempo_beat"], facts["tempo_beat_bpm"]) == (
        150.0,
        "dotted quarter",
        100.0,
    )
    assert "  100 BPM (dotted quarter), 6/8, key A minor" in run(capsys, "info", seed)[1]


def test_info_follows_tempo_changes(capsys):
    facts = json.loads(run(capsys, "info", FIXTURES / "tempo_changes.mid", "--json")[1])
    beats = facts["duration_beats"]
    assert 10 < beats <= 12
    # 4 beats at 120 BPM (2 s), 6 at 90 (4 s), the rest at 60 (a second each)
    assert facts["duration_seconds"] == pytest.approx(2 + 4 + (beats - 10), abs=2e-3)
    assert facts["key"] == "Eb major" and facts["tempo_bpm"] == 120.0


def loop_song(path):
    """A 4-bar loop at 120 BPM (8 s) as a MIDI file: a tune in bars 1-2, rests to the file's end at bar 5."""
    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track

    tune = tuple(Note(p, i * 480, 480, 90) for i, p in enumerate((60, 62, 64, 65, 67, 65, 64, 62)))
    formats.save(Project(tracks=(Track("Loop", notes=tune),), end_of_track=4 * 1920), path)
    return path


def test_info_gives_a_loop_s_length_with_its_silent_bars(capsys, tmp_path):
    loop = loop_song(tmp_path / "loop.mid")
    facts = json.loads(run(capsys, "info", loop, "--json")[1])
    assert facts["duration_beats"] == 16.0 and facts["duration_seconds"] == 8.0
    assert "16 beats (8.0 s)" in run(capsys, "info", loop)[1]


def test_info_lists_the_meter_and_key_changes_with_their_bars(capsys, tmp_path):
    """A song in 4/4 that turns to 3/4 in bar 3 and modulates to A minor in bar 4 was described as "4/4,
    key C major" throughout (its tempo changes were counted, its meter and key changes not)."""
    from musestudio.core.events import KeyChange
    from musestudio.core.keys import KeySignature
    from musestudio.core.note import Note
    from musestudio.core.project import Project, TimeSignature
    from musestudio.core.track import Track

    notes = tuple(Note(60 + i % 5, i * 480, 480, 90) for i in range(14))
    song = Project(
        tracks=(Track("Tune", notes=notes),),
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(2 * 1920, 3, 4)),
        key=KeySignature.parse("C major"),
        key_changes=(KeyChange(2 * 1920 + 1440, KeySignature.parse("A minor")),),
    )
    formats.save(song, tmp_path / "turns.mid")
    facts = json.loads(run(capsys, "info", tmp_path / "turns.mid", "--json")[1])
    assert facts["meter_changes"] == [{"time_signature": "3/4", "bar": 3, "beat": 8.0}]
    assert facts["key_changes"] == [{"key": "A minor", "bar": 4, "beat": 11.0}]
    assert (
        "4/4 (3/4 from bar 3), key C major (A minor from bar 4),"
        in run(capsys, "info", tmp_path / "turns.mid")[1]
    )


@pytest.mark.parametrize("engine", ["markov", "parts"])
def test_continue_of_a_loop_continues_after_its_four_bars(capsys, tmp_path, engine):
    """The loop's rests are part of it: its continuation starts at bar 5, not in bar 2."""
    loop = loop_song(tmp_path / "loop.mid")
    args = ["--engine", engine, "--bars", "2", "--variations", "1", "--seed", "1", "--style", "bach"]
    code, out, err = run(capsys, "continue", loop, "-o", tmp_path / "takes", *args, "--json")
    assert code == 0, err
    (take,) = json.loads(out)["takes"]
    notes = sorted(n.start for t in formats.load(take["path"]).tracks for n in t.notes)
    new = notes[8:]
    assert new and min(new) >= 4 * 1920


class CountingSoundCard:
    """A ``sounddevice.OutputStream`` with no sound card behind it that asks for audio about four times as
    fast as a real one and counts the frames it was given: how long ``play`` played, without waiting 8 s."""

    frames = 0

    def __init__(self, samplerate, channels, dtype, device, callback, **_):
        self.callback = callback
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.callback(np.zeros((1024, 2), dtype=np.float32), 1024, None, None)
            CountingSoundCard.frames += 1024
            time.sleep(0.005)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join(10)


def test_play_of_a_loop_to_the_sound_card_lasts_to_the_end_of_its_silent_bars(capsys, tmp_path, monkeypatch):
    """The loop's rests are part of it, as the app plays them and 'render' writes them: play says 8 s and
    plays 8 s (before: it said 4 s and stopped a second after the last note)."""
    import sounddevice as sd

    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: {"name": "Fake card"})
    monkeypatch.setattr(sd, "OutputStream", CountingSoundCard)
    monkeypatch.setattr(CountingSoundCard, "frames", 0)
    code, out, err = run(capsys, "play", loop_song(tmp_path / "loop.mid"))
    assert code == 0, err
    assert out == "playing loop.mid (8.0 s) on Fake card\n"
    assert 8 * 44100 <= CountingSoundCard.frames < 9.5 * 44100


def test_info_prints_a_name_with_a_lone_surrogate_escaped(tmp_path):
    """A track name from a damaged file may hold a lone surrogate, which a project keeps: `info` printed it
    to a stdout that cannot encode it and failed with an internal error. Run as a user runs it."""
    from musestudio.core import Note, Project, Track

    path = tmp_path / "odd.muse"
    formats.save(Project(tracks=(Track(name="Bass \ud800", notes=(Note(40, 0, 480),)),)), path)
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [sys.executable, "-m", "musestudio.cli", "info", str(path), *extra],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert done.returncode == 0, done.stderr
        assert b"Bass \\ud800" in done.stdout


def test_info_text_lists_tracks(capsys):
    code, out, _ = run(capsys, "info", resource("seeds", "demo.mid"))
    assert code == 0
    assert "96 BPM (quarter), 4/4, key C major" in out
    assert all(name in out for name in ("Melody", "Keys", "Bass", "Drums"))


def test_info_says_which_parts_have_no_name(capsys, tmp_path):
    """A part its file leaves unnamed, or gives an empty name: `info` printed the reader's "Acoustic Grand
    Piano" as its name, one the file does not hold. It says "(no name)" (its instrument is printed beside
    it), and the JSON gives null for no name event and "" for an empty one; a file's own name, an
    instrument's too, is printed as it is."""
    import mido

    def part(channel, *name):
        named = [mido.MetaMessage("track_name", name=n) for n in name]
        notes = [mido.Message("note_on", channel=channel, note=60), mido.Message("note_off", channel=channel)]
        return mido.MidiTrack([*named, *notes])

    path = tmp_path / "parts.mid"
    mido.MidiFile(tracks=[mido.MidiTrack(), part(0), part(1, ""), part(2, "Acoustic Grand Piano")]).save(path)
    code, out, _ = run(capsys, "info", path)
    assert code == 0
    names = [line.split(".", 1)[1].split("  ch ")[0].strip() for line in out.splitlines()[2:]]
    assert names == ["(no name)", "(no name)", "Acoustic Grand Piano"]
    facts = json.loads(run(capsys, "info", path, "--json")[1])
    assert [t["name"] for t in facts["tracks"]] == [None, "", "Acoustic Grand Piano"]


def test_convert_both_ways_keeps_the_music(capsys, tmp_path):
    seed = resource("seeds", "melody_chords.mid")
    assert run(capsys, "convert", seed, tmp_path / "a.muse")[0] == 0
    assert run(capsys, "convert", tmp_path / "a.muse", tmp_path / "b.mid")[0] == 0
    infos = [
        json.loads(run(capsys, "info", p, "--json")[1])
        for p in (seed, tmp_path / "a.muse", tmp_path / "b.mid")
    ]
    assert infos[0] == infos[1] == infos[2]
    assert formats.load(tmp_path / "b.mid").tracks[1].notes == formats.load(seed).tracks[1].notes


def test_convert_to_midi_says_when_notes_of_one_pitch_inside_each_other_come_back_otherwise(capsys, tmp_path):
    from musestudio.core import Note, Project, Track
    from musestudio.io.project_file import save_project

    held = Track(name="Held", notes=(Note(60, 0, 1920), Note(60, 480, 240), Note(64, 0, 480)))
    save_project(Project(tracks=(held,)), tmp_path / "a.muse")
    code, _, err = run(capsys, "convert", tmp_path / "a.muse", tmp_path / "b.mid")
    assert code == 0 and "note: 2 notes sound inside a longer note of the same pitch" in err
    assert run(capsys, "convert", tmp_path / "b.mid", tmp_path / "c.mid")[2] == ""  # as the file holds them


def test_convert_opens_an_rmid_file_and_says_the_output_is_the_midi_file_inside_it(capsys, tmp_path):
    import struct

    smf = resource("seeds", "melody_chords.mid").read_bytes()
    data = b"data" + struct.pack("<I", len(smf)) + smf
    (tmp_path / "song.mid").write_bytes(b"RIFF" + struct.pack("<I", 4 + len(data)) + b"RMID" + data)
    code, _, err = run(capsys, "convert", tmp_path / "song.mid", tmp_path / "plain.mid")
    assert code == 0 and "note: song.mid is an RMID file" in err
    assert (
        formats.load(tmp_path / "plain.mid").note_count
        == formats.load(resource("seeds", "melody_chords.mid")).note_count
    )


def test_convert_reads_a_dot_rmi_file_and_will_not_write_one(capsys, tmp_path):
    """song.rmi (Windows' name for an RMID file) converts as song.mid would; a .rmi output is refused,
    as the file written would be a plain MIDI file, not the RIFF file its name promises."""
    import struct

    smf = resource("seeds", "melody_chords.mid").read_bytes()
    data = b"data" + struct.pack("<I", len(smf)) + smf
    (tmp_path / "song.rmi").write_bytes(b"RIFF" + struct.pack("<I", 4 + len(data)) + b"RMID" + data)
    code, _, err = run(capsys, "convert", tmp_path / "song.rmi", tmp_path / "plain.mid")
    assert code == 0 and "note: song.rmi is an RMID file" in err
    assert (
        formats.load(tmp_path / "plain.mid").note_count == formats.load(tmp_path / "song.rmi").note_count > 0
    )
    assert run(capsys, "info", tmp_path / "song.rmi")[0] == 0
    code, _, err = run(capsys, "convert", tmp_path / "plain.mid", tmp_path / "back.rmi")
    assert_one_line_error(code, err)
    assert "name it .mid" in err and not (tmp_path / "back.rmi").exists()


def test_convert_to_midi_gives_a_part_sharing_another_s_channel_its_own_and_says_so(capsys, tmp_path):
    from musestudio.core import Note, Project, Track
    from musestudio.io.project_file import save_project

    right = Track(name="Right", notes=(Note(72, 0, 480),))
    left = Track(name="Left", program=32, notes=(Note(48, 0, 480),))  # both on channel 1, another sound
    save_project(Project(tracks=(right, left)), tmp_path / "a.muse")
    code, _, err = run(capsys, "convert", tmp_path / "a.muse", tmp_path / "b.mid")
    assert code == 0 and "note: Left goes out on channel 2" in err
    assert [(t.channel, t.program) for t in formats.load(tmp_path / "b.mid").tracks] == [(0, 0), (1, 32)]


def test_convert_says_a_part_moved_for_a_change_at_bar_2_shares_with_one_set_otherwise_not_started(
    capsys, tmp_path
):
    """Both hands start channel 1 alike; the left hand turns to another instrument at bar 2. It still needs a
    channel of its own, and the note says why in words that are true of it: the two tracks start the
    channel the same way."""
    from musestudio.core import Note, Project, Track
    from musestudio.core.events import PROGRAM, ControlEvent
    from musestudio.io.project_file import save_project

    right = Track(name="Right", notes=(Note(72, 0, 480), Note(74, 1920, 480)))
    left = Track(
        name="Left",
        notes=(Note(48, 0, 480), Note(50, 1920, 480)),
        controllers=(ControlEvent(1920, PROGRAM, 32),),
    )
    save_project(Project(tracks=(right, left)), tmp_path / "a.muse")
    code, _, err = run(capsys, "convert", tmp_path / "a.muse", tmp_path / "b.mid")
    (said,) = [line for line in err.splitlines() if "Left goes out on channel 2" in line]
    assert code == 0 and "starts it otherwise" not in said
    assert "with a track that sets it otherwise (at its start or later)" in said, said


def test_convert_to_midi_says_a_pitched_track_on_the_drum_channel_and_drums_off_it_change_channel(
    capsys, tmp_path
):
    """A project written elsewhere with an organ set to channel 10 (where a MIDI player would play its notes
    as drums) and a kit set to channel 5: the file puts the organ on a melodic channel and the kit on 10,
    as the app plays them, and convert says so (it moved them unsaid)."""
    from musestudio.core import Note, Project, Track
    from musestudio.io.project_file import save_project

    organ = Track(name="Organ", program=16, channel=9, notes=(Note(67, 0, 480),))
    kit = Track(name="Kit", is_drum=True, channel=4, notes=(Note(36, 0, 120),))
    save_project(Project(tracks=(organ, kit)), tmp_path / "a.muse")
    code, _, err = run(capsys, "convert", tmp_path / "a.muse", tmp_path / "b.mid")
    assert code == 0
    assert (
        "note: Organ goes out on channel 1, as it is set to the drum channel (10) but is not drums: on channel "
        "10 a MIDI player would play its notes as drums" in err
    ), err
    assert "note: Kit goes out on the drum channel (10), as it is a drum track set to channel 5" in err, err
    back = formats.load(tmp_path / "b.mid").tracks
    assert [(t.name, t.channel, t.is_drum) for t in back] == [("Organ", 0, False), ("Kit", 9, True)]


def test_render_writes_cd_quality_wav(capsys, tmp_path):
    out = tmp_path / "demo.wav"
    code, stdout, _ = run(capsys, "render", resource("seeds", "melody_3_4.mid"), "-o", out)
    assert code == 0 and str(out) in stdout
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (44100, 2, 2)
        audio = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        seconds = w.getnframes() / 44100
    project = formats.load(resource("seeds", "melody_3_4.mid"))
    assert project_seconds(project, project.end) <= seconds <= project_seconds(project, project.end) + 4
    assert np.abs(audio).max() > 20000


def test_render_with_a_named_soundfont(capsys, tmp_path):
    import pretty_midi

    small = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"
    out = tmp_path / "x.wav"
    assert run(capsys, "render", resource("seeds", "drums.mid"), "-o", out, "--soundfont", small)[0] == 0
    assert out.stat().st_size > 100_000


@pytest.mark.parametrize("name", BROKEN)
def test_broken_files_exit_2_with_one_line(capsys, name, tmp_path):
    for argv in (
        ["info", FIXTURES / name],
        ["convert", FIXTURES / name, tmp_path / "o.muse"],
        ["render", FIXTURES / name, "-o", tmp_path / "o.wav"],
    ):
        code, _, err = run(capsys, *argv)
        assert_one_line_error(code, err)
        assert name in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["info"],
        ["info", "a.mid", "--frobnicate"],
        ["render", "x.mid"],
        ["convert", "only-one.mid"],
        ["info", "missing.mid"],
        ["convert", "{seed}", "out.txt"],
        ["render", "{seed}", "-o", "out.mp3"],
        ["render", "{seed}", "-o", "o.wav", "--soundfont", "nope.sf2"],
        ["render", "{seed}", "-o", "no/such/folder/o.wav"],
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    seed = str(resource("seeds", "demo.mid"))
    code, _, err = run(capsys, *[a.replace("{seed}", seed) for a in argv])
    assert_one_line_error(code, err)


def test_help_and_version_exit_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "info" in out and "render" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("MuseStudio ")


def test_internal_fault_exits_1(capsys, monkeypatch):
    def bug(path, said=None):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(formats, "load", bug)
    code, _, err = run(capsys, "info", resource("seeds", "demo.mid"))
    assert code == 1 and "internal error: ZeroDivisionError" in err


class LeftOutOfTheBundle(importlib.abc.MetaPathFinder):
    """Finds nothing for ``name``, as the bundle's importer finds nothing of the evaluation code it leaves out."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@pytest.mark.parametrize(
    ("module", "command"),
    [
        ("musestudio.ml.eval.parts", "parts"),  # `from musestudio.ml.eval import parts`: "cannot import name"
        ("musestudio.ml.eval.continuation", "continue"),  # `from ...eval.continuation import`: "No module"
    ],
)
def test_an_evaluation_the_installed_app_leaves_out_says_so_in_one_line(capsys, monkeypatch, module, command):
    """The bundle carries no evaluation code but evaluate style's: ``evaluate parts`` there was an internal
    error with a traceback (ImportError), asking the musician to report a bug."""
    import musestudio.ml.eval

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "meta_path", [LeftOutOfTheBundle(module), *sys.meta_path])
    monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.delattr(musestudio.ml.eval, module.rpartition(".")[2], raising=False)
    code, _, err = run(capsys, "evaluate", command)
    assert code == 2
    assert err.strip() == (
        "error: this command is not part of the installed app (it needs MuseStudio's training and "
        "evaluation code and data): run it from a source checkout of MuseStudio"
    )


def test_real_process_exit_codes(tmp_path):
    """The installed entry point behaves the same from a shell (no traceback, argparse included)."""

    def cli_process(*argv):
        return subprocess.run(
            [sys.executable, "-m", "musestudio.cli", *map(str, argv)],
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = cli_process("info", resource("seeds", "drums.mid"), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["tracks"][0]["is_drum"]
    for argv in (["info", FIXTURES / "random_bytes.mid"], ["--nope"]):
        bad = cli_process(*argv)
        assert bad.returncode == 2 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1


def test_the_commands_that_use_no_model_start_without_loading_torch(tmp_path):
    """Reading, converting and rendering a file and listing ports load no model, so they must not pay
    torch's import (1.5 s here, seconds more on a busy machine): `ports` once did, for a help text."""
    code = (
        "import sys\n"
        "from musestudio.cli import main\n"
        "codes = [main(argv.split('|')) for argv in sys.argv[1:]]\n"
        "print(codes, 'torch' in sys.modules, file=sys.stderr)\n"
    )
    seed = resource("seeds", "demo.mid")
    commands = [f"info|{seed}", f"convert|{seed}|{tmp_path / 'demo.muse'}", "ports|--help", "play|--help"]
    done = subprocess.run(
        [sys.executable, "-c", code, *commands], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and (tmp_path / "demo.muse").exists(), done.stderr
    assert done.stderr.splitlines()[-1] == "[0, 0, 0, 0] False"


@pytest.mark.parametrize("what", ["continue", "restyle", "parts"])
def test_evaluating_without_a_data_cache_is_one_error_line_from_a_shell(tmp_path, what):
    """`evaluate WHAT` on a machine whose data cache is not built exits 2 with one `error:` line that says to
    build it, and nothing else on stderr (a real process: warnings reach stderr there, not pytest's log)."""
    run = subprocess.run(
        [sys.executable, "-m", "musestudio.cli", "evaluate", what, "--per-style", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MUSESTUDIO_CACHE": str(tmp_path / "no-cache")},
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
    assert "build" in run.stderr


# -- the app's headless demo ---------------------------------------------------------------------------


def test_demo_writes_midi_and_wav(capsys, tmp_path):
    assert app_main(["--demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    midi, wav = tmp_path / "demo" / "demo.mid", tmp_path / "demo" / "demo.wav"
    assert str(midi) in out and str(wav) in out
    written, seed = formats.load(midi).tracks, formats.load(resource("seeds", "demo.mid")).tracks
    if (models_dir() / "parts.safetensors").is_file():  # the default engine continues every pitched track
        assert "continued 'Melody', 'Keys', 'Bass' by 4 bars" in out and "with the parts engine" in out
        for before, after in zip(seed, written, strict=True):
            if before.is_drum:
                assert after.notes == before.notes  # drums pass through untouched
                continue
            assert after.notes[: len(before.notes)] == before.notes
            assert any(n.start >= 16 * 480 for n in after.notes[len(before.notes) :])
    else:
        assert "renders the seed itself" in out and written == seed
    with wave.open(str(wav)) as w:
        assert w.getnframes() > 10 * 44100


def test_demo_with_no_soundfont_anywhere_says_to_install_one_and_keeps_its_midi(
    capsys, tmp_path, monkeypatch
):
    """As a bundle whose soundfont was deleted, on a system with none: the message offered ``--soundfont``,
    which ``musestudio --demo`` does not take, and the MIDI file it had written went unsaid."""
    from musestudio.audio import soundfont

    monkeypatch.setattr(soundfont, "candidates", list)
    assert app_main(["--demo", "--out", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert f"MIDI: {tmp_path / 'demo.mid'}" in out and (tmp_path / "demo.mid").is_file()
    assert err == (
        "error: no General MIDI soundfont found, so no WAV (the app's own belongs in "
        f"{paths.resource('soundfonts')}); install one with 'apt-get install fluidr3mono-gm-soundfont'\n"
    )


def test_demo_into_an_unwritable_place_is_bad_input(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert app_main(["--demo", "--out", str(blocker / "sub")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot create the output folder")


@pytest.mark.parametrize("command", [["continue", "--bars", "1"], ["add-part", "--role", "bass"]])
def test_without_style_the_cli_writes_in_the_style_the_seed_sounds_like(capsys, tmp_path, command):
    """As the app's Generate panel does (``service.suggest_style``): a Celtic jig continued as a Bach
    chorale because the CLI's default was Bach is what this guards against. ``--style`` still wins."""
    from musestudio.ml.engines import CONTINUE, PARTS, trained_styles
    from musestudio.ml.generate import service
    from musestudio.ml.generate.taste import Taste

    seed = resource("seeds") / "melody_6_8.mid"
    project = formats.load(seed)
    notes = [n for t in project.tracks if not t.is_drum for n in t.notes]
    heard = service.suggest_style(
        notes,
        tpb=project.ticks_per_beat,
        time_signatures=project.time_signatures,
        taste=Taste(),
        candidates=trained_styles(CONTINUE, PARTS),
    )
    name, *rest = command
    args = [name, seed, "-o", tmp_path / "a", *rest, "--variations", "1", "--seed", "1", "--json"]
    code, out, _ = run(capsys, *args)
    assert code == 0 and json.loads(out)["style"] == heard != "bach"
    chosen = "pop" if heard != "pop" else "jazz"
    code, out, _ = run(capsys, *args[:3], tmp_path / "b", *args[4:], "--style", chosen)
    assert code == 0 and json.loads(out)["style"] == chosen


@pytest.mark.parametrize("command", [["continue", "--engine", "markov"], ["restyle", "--to", "bach"]])
def test_a_bar_longer_than_the_models_read_is_one_clear_line(capsys, tmp_path, command):
    """A cadenza written as one long bar (here 32/4) is the user's to re-bar; it once ended in an
    internal error from every engine."""
    from musestudio.core.note import Note
    from musestudio.core.project import Project, TimeSignature
    from musestudio.core.track import Track

    seed = tmp_path / "cadenza.mid"
    notes = tuple(Note(60 + i % 12, i * 480, 480) for i in range(64))
    formats.save(Project(tracks=(Track(notes=notes),), time_signatures=(TimeSignature(0, 32, 4),)), seed)
    name, *rest = command
    out = tmp_path / ("out.mid" if name == "restyle" else "takes")
    code, _, err = run(capsys, name, seed, "-o", out, *rest)
    assert_one_line_error(code, err)
    assert "cannot read 32/4 bars" in err


@pytest.mark.parametrize(
    "command",
    [
        ["continue", "--bars", "2"],
        ["continue", "--bars", "2", "--engine", "markov"],
        ["add-part", "--role", "bass"],
        ["infill", "--track", "1", "--bars", "2-3"],
    ],
)
def test_rebar_reads_and_writes_a_song_in_one_beat_bars_in_four_four(capsys, tmp_path, command):
    """A song in 1/4 throughout is read as written, with a note saying its bars are beats; ``--rebar``
    gives it the 4/4 bars it is heard in: ``--bars`` counts those, the takes carry that meter, and
    every note of the song is kept (but the infilled bars')."""
    from tests.beat_grid import BEATS, HEARD, TPB, beat_grid_song

    seed = tmp_path / "beats.mid"
    formats.save(beat_grid_song(), seed)
    song = formats.load(seed)
    name, *rest = command
    common = ["--variations", "1", "--seed", "1", "--style", "pop", "--json"]

    def takes(folder, *extra):
        code, out, err = run(capsys, name, seed, "-o", tmp_path / folder, *rest, *common, *extra)
        assert code == 0, err
        return [formats.load(t["path"]) for t in json.loads(out)["takes"]], err

    (as_written,), err = takes("beats")
    assert "1/4 throughout" in err and "--rebar" in err
    assert as_written.time_signatures == BEATS
    (rebarred,), err = takes("bars", "--rebar")
    assert "re-barred in 4/4 after a 1/4 bar" in err
    assert rebarred.time_signatures == HEARD
    infilled = range(TPB, 9 * TPB) if name == "infill" else ()  # bars 2-3: bar 1 is the pickup
    before = {(n.pitch, n.start, n.end) for t in song.tracks for n in t.notes if n.start not in infilled}
    assert before <= {(n.pitch, n.start, n.end) for t in rebarred.tracks for n in t.notes}
    new = [n for t in rebarred.tracks for n in t.notes if (n.pitch, n.start, n.end) not in before]
    assert new
    if name == "continue":  # two 4/4 bars after the song, not two beats
        song_end = TPB + 16 * TPB
        assert all(song_end <= n.start and n.end <= song_end + 8 * TPB for n in new)
        assert max(n.start for n in new) >= song_end + 2 * TPB
    if name == "infill":
        assert all(n.start in infilled for n in new)


@pytest.mark.parametrize(
    "command",
    [
        ["add-part", "--role", "bass"],
        ["continue", "--bars", "2"],
        ["continue", "--bars", "2", "--engine", "markov"],
        ["infill", "--track", "1", "--bars", "2-3"],
    ],
)
def test_what_is_written_plays_along_with_a_file_that_leans_steadily_off_the_beat(capsys, tmp_path, command):
    """As the app does: the takes for a file whose notes sit a steady 43 ticks late are the takes for the
    same file on the beat, 43 ticks late with it (infill replacing the notes heard in its bars)."""
    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track

    late = 43
    tune = [Note([67, 69, 71, 72][i % 4], i * 480, 480, 90) for i in range(16)]
    takes = []
    name, *rest = command
    for folder, shift in (("beat", 0), ("late", late)):
        path = tmp_path / f"{folder}.mid"
        formats.save(Project(tracks=(Track("Tune", notes=tuple(n.moved(shift) for n in tune)),)), path)
        args = [
            name,
            path,
            "-o",
            tmp_path / folder,
            *rest,
            "--style",
            "pop",
            "--seed",
            "2",
            "--variations",
            "1",
        ]
        code, out, err = run(capsys, *args, "--json")
        assert code == 0, err
        (take,) = json.loads(out)["takes"]
        notes = [n for t in formats.load(take["path"]).tracks for n in t.notes]
        takes.append(sorted((n.pitch, n.start - shift, n.duration) for n in notes))
    assert len(takes[0]) > len(tune) - 8 and takes[0] == takes[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["continue", "--engine", "markov", "--bars", "1"],
        ["continue", "--engine", "transformer", "--bars", "1"],
        ["continue", "--tracks", "all", "--bars", "1"],
        ["add-part", "--role", "bass", "--bars", "1-2"],
        ["infill", "--track", "1", "--bars", "2-2"],
    ],
    ids=["continue-markov", "continue-transformer", "continue-tracks", "add-part", "infill"],
)
def test_every_take_writing_command_prints_the_issues_json(capsys, tmp_path, argv):
    """Issues 4 and 13 spell the JSON scripts read: engine, style, device, seconds, seed, and per take its
    path, new notes and bars; each take is a MIDI file that opens."""
    name, *rest = argv
    seed = resource("seeds", "melody_chords.mid")
    code, out, _ = run(
        capsys, name, seed, "-o", tmp_path, *rest, "--variations", "2", "--seed", "4", "--json"
    )
    assert code == 0
    facts = json.loads(out)
    assert {"engine", "style", "device", "seconds", "seed", "takes"} <= set(facts)
    assert facts["seed"] == 4 and facts["device"] in ("cpu", "cuda") and facts["seconds"] >= 0
    assert len(facts["takes"]) == 2
    for take in facts["takes"]:
        assert {"path", "notes", "bars"} <= set(take)
        assert formats.load(Path(take["path"])).note_count > 0 and take["notes"] > 0 and take["bars"] >= 1


@pytest.mark.parametrize(
    "argv",
    [
        ["continue", "--engine", "transformer", "--bars", "1"],
        ["continue", "--tracks", "all", "--bars", "1"],
        ["add-part", "--role", "bass", "--bars", "1-2"],
        ["infill", "--track", "1", "--bars", "2-2"],
    ],
    ids=["continue-transformer", "continue-tracks", "add-part", "infill"],
)
def test_each_take_says_the_seed_that_writes_it_again(capsys, tmp_path, monkeypatch, argv):
    """A musician who likes take 1 runs the command again with that take's seed and one variation. The
    takes said only the run's seed; take n came from it + n - 1 unless it was drawn anew for an empty one,
    and then nothing told which seed wrote it. Here the run's first draw counts as empty, so take 1 is a
    take drawn anew."""
    from musestudio.ml.generate import service

    check_takes = service.check_takes

    def first_draw_empty(raw, draw_more, fit, wanted, *rest):
        return check_takes(raw, draw_more, lambda take: take[3] != 4 and fit(take), wanted, *rest)

    monkeypatch.setattr(service, "check_takes", first_draw_empty)
    name, *rest = argv
    seed = resource("seeds", "melody_chords.mid")

    def takes_of(folder, *more):
        code, out, err = run(capsys, name, seed, "-o", tmp_path / folder, *rest, *more, "--json")
        assert code == 0, err
        return json.loads(out)["takes"]

    def notes(take):
        return sorted(n.sort_key() for t in formats.load(Path(take["path"])).tracks for n in t.notes)

    takes = takes_of("run", "--variations", "2", "--seed", "4")
    assert len(takes) == 2 and 4 not in {t["seed"] for t in takes}
    for i, take in enumerate(takes):
        (again,) = takes_of(f"again{i}", "--variations", "1", "--seed", take["seed"])
        assert again["seed"] == take["seed"] and notes(again) == notes(take)
    code, out, _ = run(capsys, name, seed, "-o", tmp_path / "text", *rest, "--variations", "1", "--seed", "5")
    assert code == 0 and out.splitlines()[1].endswith(", seed 5")


def test_a_take_written_over_one_of_an_earlier_run_says_so(capsys, tmp_path):
    seed = resource("seeds", "melody_4_4.mid")
    args = ["continue", seed, "-o", tmp_path / "takes", "--bars", "1", "--variations", "1"]
    code, out, _ = run(capsys, *args, "--seed", "1")
    assert code == 0 and "replaces" not in out
    code, out, _ = run(capsys, *args, "--seed", "2", "--json")
    assert code == 0 and json.loads(out)["takes"][0]["replaced"] is True


@pytest.mark.parametrize(
    "argv, said",
    [
        (["add-part", "--role", "bass", "--bars", "1-99999999"], "go past the end of the piece"),
        (["add-part", "--role", "bass", "--bars", "10-12"], "go past the end of the piece: it has"),
        (["infill", "--track", "1", "--bars", "1000000-1000001"], "go past the end of the piece"),
        (["continue", "--bars", "1", "--seed", "99999999999999999999999"], "a seed is a whole number"),
        (["continue", "--bars", "1", "--seed", "-9223372036854775809"], "a seed is a whole number"),
    ],
)
def test_bars_past_the_piece_and_seeds_out_of_range_are_one_clear_line(capsys, tmp_path, argv, said):
    """Before: bars far past the end ran out of memory or wrote a file the app could not open again, and a
    huge seed was a traceback."""
    name, *rest = argv
    code, _, err = run(capsys, name, resource("seeds", "melody_4_4.mid"), "-o", tmp_path / "o", *rest)
    assert_one_line_error(code, err)
    assert said in err and not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["classify", "continue"])
def test_a_meter_whose_bars_fall_between_sixteenths_is_one_clear_line(capsys, tmp_path, command):
    from musestudio.core import Note, Project, TimeSignature, Track
    from musestudio.io.midi import write_midi

    song = tmp_path / "seven.mid"
    notes = tuple(Note(60 + i % 5, i * 120, 120) for i in range(28))
    write_midi(
        Project(tracks=(Track(name="t", notes=notes),), time_signatures=(TimeSignature(0, 7, 32),)), song
    )
    extra = [] if command == "classify" else ["-o", tmp_path / "o", "--bars", "1"]
    code, _, err = run(capsys, command, song, *extra)
    assert_one_line_error(code, err)
    assert "cannot read 7/32 bars" in err


def test_a_take_folder_that_cannot_be_made_is_said_before_any_take_is_drawn(capsys, tmp_path, monkeypatch):
    from musestudio.ml.generate import parts

    monkeypatch.setattr(parts, "_fill_request", lambda *a, **k: pytest.fail("a take was drawn"))
    blocker = tmp_path / "file.mid"
    blocker.write_text("x")
    seed = resource("seeds", "melody_4_4.mid")
    code, _, err = run(capsys, "add-part", seed, "-o", blocker / "sub", "--role", "bass")
    assert_one_line_error(code, err)
    assert "cannot save" in err


@pytest.mark.parametrize("name", ["same", "symlink", "hard link"])
def test_restyle_never_writes_over_its_input(capsys, tmp_path, name):
    """Not under its own name, nor through another name of the file: a save rewrites a hard link in place,
    so writing to one would change the input."""
    mine = tmp_path / "mine.mid"
    mine.write_bytes(resource("seeds", "melody_chords.mid").read_bytes())
    before = mine.read_bytes()
    output = {"same": mine, "symlink": tmp_path / "link.mid", "hard link": tmp_path / "jazz.mid"}[name]
    if name == "symlink":
        output.symlink_to(mine)
    elif name == "hard link":
        os.link(mine, output)
    code, _, err = run(capsys, "restyle", mine, "-o", output, "--to", "pop")
    assert_one_line_error(code, err)
    assert "is the input file" in err and mine.read_bytes() == before


def test_convert_to_midi_says_mute_and_solo_do_not_go_with_it(capsys, tmp_path):
    from musestudio.core import Note, Project, Track
    from musestudio.io.project_file import save_project

    tracks = (
        Track(name="Lead", notes=(Note(60, 0, 480),)),
        Track(name="Pad", mute=True, notes=(Note(48, 0, 960),)),
    )
    save_project(Project(tracks=tracks), tmp_path / "a.muse")
    code, _, err = run(capsys, "convert", tmp_path / "a.muse", tmp_path / "b.mid")
    assert code == 0 and "note: MIDI has no mute or solo: Pad play as every other track" in err


@pytest.mark.parametrize(
    "argv, said",
    [
        (["continue", "--bars", "1", "--develop", "nan"], "--develop is a weight of 0 or more"),
        (["continue", "--bars", "1", "--develop", "-5"], "--develop is a weight of 0 or more"),
        (["add-part", "--role", "harmony", "--voices", "6"], "--role harmony writes 1..4 voices, not 6"),
    ],
)
def test_values_a_part_cannot_take_are_one_clear_line(capsys, tmp_path, argv, said):
    name, *rest = argv
    code, _, err = run(capsys, name, resource("seeds", "melody_4_4.mid"), "-o", tmp_path / "o", *rest)
    assert_one_line_error(code, err)
    assert said in err


def test_styles_as_without_import_is_one_clear_line(capsys):
    code, _, err = run(capsys, "styles", "--as", "foo")
    assert_one_line_error(code, err)
    assert "use it with --import" in err


def _two_tracks_muse(path: Path, *, bass_muted: bool, melody_muted: bool = False) -> Path:
    from musestudio.core import Note, Project, Track
    from musestudio.io.project_file import save_project

    melody = Track(name="Melody", mute=melody_muted, notes=(Note(60, 0, 480), Note(64, 480, 480)))
    bass = Track(name="Bass", program=33, mute=bass_muted, notes=(Note(36, 0, 960),))
    save_project(Project(tracks=(melody, bass)), path)
    return path


def test_render_says_which_tracks_a_muse_file_leaves_out(capsys, tmp_path):
    piece = _two_tracks_muse(tmp_path / "song.muse", bass_muted=True)
    code, out, err = run(capsys, "render", piece, "-o", tmp_path / "song.wav")
    assert code == 0 and (tmp_path / "song.wav").exists()
    assert "note: left out, as the piece's mixer has them: Bass (muted)" in err


def test_render_with_every_track_muted_writes_a_silent_wav_and_says_why(capsys, tmp_path):
    """The command's contract: a render that can be made is written (a script rendering stems gets a file
    for each); stderr says why this one is silent."""
    piece = _two_tracks_muse(tmp_path / "song.muse", bass_muted=True, melody_muted=True)
    code, out, err = run(capsys, "render", piece, "-o", tmp_path / "song.wav")
    assert code == 0 and "wrote" in out
    assert (
        "song.wav is silent: every track with notes is muted or left out by a solo (Melody (muted), Bass (muted))"
        in err
    )
    with wave.open(str(tmp_path / "song.wav")) as w:
        assert w.getnframes() >= 1 and not any(w.readframes(w.getnframes()))


def test_render_with_a_damaged_soundfont_says_the_soundfont_not_the_notes(capsys, tmp_path):
    """A soundfont whose samples all point outside its data renders silence: stderr blames the soundfont,
    where it said the notes were too soft to sound."""
    from tests.audio.audio_checks import TIMGM, with_samples_out_of_range

    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=1)
    piece = _two_tracks_muse(tmp_path / "song.muse", bass_muted=False)
    code, out, err = run(capsys, "render", piece, "-o", tmp_path / "song.wav", "--soundfont", damaged)
    assert code == 0 and "wrote" in out
    assert (
        f"song.wav is silent: the soundfont {damaged} looks damaged: 519 of its 520 samples point outside "
        "its sample data, so they cannot sound; choose another with --soundfont" in err
    )


def test_render_with_a_partly_damaged_soundfont_warns_in_one_line_of_its_silent_samples(capsys, tmp_path):
    """20 of the soundfont's samples point outside its data, not the piano's: the WAV sounds, without the
    instruments using those, and FluidSynth's load said so only as a warning per sample. One line says it."""
    from tests.audio.audio_checks import TIMGM, with_samples_out_of_range

    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=500)
    piece = _two_tracks_muse(tmp_path / "song.muse", bass_muted=False)
    code, out, err = run(capsys, "render", piece, "-o", tmp_path / "song.wav", "--soundfont", damaged)
    assert code == 0 and "wrote" in out and "is silent" not in err
    said = [line for line in err.splitlines() if line.startswith("warning:")]
    assert said == [
        f"warning: the soundfont {damaged} looks damaged: 20 of its 520 samples point outside its sample "
        "data, so the instruments using them are silent in song.wav; choose another with --soundfont"
    ]
    code, out, err = run(capsys, "render", piece, "-o", tmp_path / "sound.wav", "--soundfont", TIMGM)
    assert code == 0 and "warning:" not in err


def one_note_song(tmp_path) -> Path:
    """A piece of one note: too little for the parts model to go on from, so some takes come back empty."""
    from musestudio.core import Note, Project, Track

    song = tmp_path / "one_note.mid"
    formats.save(Project(tracks=(Track(name="Melody", notes=(Note(60, 0, 480, 90),)),)), song)
    return song


def test_parts_takes_that_come_back_empty_are_drawn_again_or_left_out_and_said(capsys, tmp_path):
    """Before: the parts engine's takes were written as they came, a copy of the input (for infill the
    track with its bars emptied) listed as "0 new notes", exit 0, nothing said. As `continue --engine
    transformer` and the app do, they are drawn again, and any still empty are left out and said."""
    name, *rest = ["continue", "--bars", "1", "--variations", "6", "--seed", "3"]
    folder = tmp_path / "takes"
    code, out, err = run(capsys, name, one_note_song(tmp_path), "-o", folder, *rest, "--json")
    assert code == 0 and "Traceback" not in err
    takes = json.loads(out)["takes"]
    assert all(t["notes"] > 0 for t in takes)
    asked = int(rest[rest.index("--variations") + 1])
    assert sorted(p.name for p in folder.glob("*.mid")) == sorted(Path(t["path"]).name for t in takes)
    if len(takes) < asked:
        left = asked - len(takes)
        said = f"{left} take{'s' * (left != 1)}"
        assert f"note: {said} came back empty even when drawn again; left out" in err


def test_infill_of_one_bar_says_bar_n_and_one_take_left_out_is_one_take(capsys, tmp_path):
    """`infill --bars 1` printed "bars 1-1 of track 2", and a take left out "1 takes came back empty"
    (a Nottingham jig's pickup bar, where its chords rest, gave both)."""
    from musestudio.core import Note, Project, Track

    tune = Track(name="Melody", notes=tuple(Note(60 + i % 5, i * 480, 480, 90) for i in range(16)))
    formats.save(Project(tracks=(tune,)), tmp_path / "tune.mid")
    folder = tmp_path / "takes"
    argv = ["infill", tmp_path / "tune.mid", "-o", folder, "--track", "1", "--bars", "2"]
    code, out, err = run(capsys, *argv, "--variations", "1", "--seed", "1")
    assert code == 0, err
    assert "1 take: bar 2 of track 1 (" in out
    from types import SimpleNamespace

    from musestudio.ml.cli.parts import say_left_out

    say_left_out(SimpleNamespace(takes=("a take",), unfit=1, repeats=1))  # service.check_takes's counts
    err = capsys.readouterr().err
    assert "note: 1 take came back empty even when drawn again; left out" in err
    assert "note: 1 take repeated another take even when drawn again; left out" in err


@pytest.mark.parametrize("flag", [[], ["--json"]], ids=["text", "json"])
def test_a_run_whose_every_take_came_back_empty_fails_and_writes_nothing(capsys, tmp_path, flag):
    """Before: every take of infill left out, it printed "0 takes: bars 1-1 of track 1", exited 0 and
    wrote no file (its --json an empty list): a script running `infill ... && open take1.mid` went on to
    a file that was never written. A run with no take to show is a failed run: one error line, exit 2."""
    folder = tmp_path / "takes"
    argv = ["infill", one_note_song(tmp_path), "-o", folder, "--track", "1", "--bars", "1"]
    code, out, err = run(capsys, *argv, "--variations", "2", "--seed", "1", *flag)
    assert_one_line_error(code, err)
    assert "every take came back empty" in err and out == ""
    assert not folder.exists()


@pytest.mark.parametrize(
    "argv",
    [["continue", "--bars", "1"], ["add-part", "--role", "bass"], ["infill", "--track", "1", "--bars", "2"]],
    ids=["continue", "add-part", "infill"],
)
def test_takes_of_a_project_with_a_muted_track_say_it_plays_in_them(capsys, tmp_path, argv):
    """The takes are MIDI files, and MIDI has no mute: the muted track plays in every take. Before, nothing
    said so (convert to MIDI does)."""
    from musestudio.core import Note, Project, Track

    tune = Track(name="Melody", notes=tuple(Note(60 + i % 5, i * 480, 480, 90) for i in range(8)))
    pad = Track(name="Pad", program=89, channel=1, mute=True, notes=(Note(48, 0, 8 * 480, 70),))
    formats.save(Project(tracks=(tune, pad)), tmp_path / "piece.muse")
    name, *rest = argv
    folder = tmp_path / "takes"
    args = [name, tmp_path / "piece.muse", "-o", folder, *rest, "--variations", "1", "--seed", "1"]
    code, _, err = run(capsys, *args)
    assert code == 0, err
    (take,) = folder.glob("*.mid")
    assert not any(t.mute for t in formats.load(take).tracks)
    assert "note: MIDI has no mute or solo: Pad play as every other track in the takes" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["continue", "--bars", "1"],
        ["continue", "--bars", "1", "--engine", "markov", "--style", "bach"],
        ["add-part", "--role", "bass"],
        ["infill", "--track", "1", "--bars", "2"],
    ],
    ids=["continue", "continue-markov", "add-part", "infill"],
)
def test_takes_say_what_midi_changes_as_convert_does(capsys, tmp_path, argv):
    """Strings share the piano's channel with another instrument, and the piano's Latin-1 name took a
    letter Latin-1 has not: every take moves the strings to a channel of their own (2, or 3 where a new
    bass took 2) and writes the name as UTF-8, and the command says both, once, as 'convert' does."""
    from musestudio.core import Note, Project, Track
    from musestudio.core.events import TEXT_ENCODINGS

    piano = Track(
        name="Piano Łódź",
        text_encoding=TEXT_ENCODINGS[1],
        notes=tuple(Note(60 + i % 5, i * 480, 480, 90) for i in range(8)),
    )
    strings = Track(name="Strings", program=40, notes=(Note(48, 0, 8 * 480, 70),))
    formats.save(Project(tracks=(piano, strings)), tmp_path / "piece.muse")
    code, _, said = run(capsys, "convert", tmp_path / "piece.muse", tmp_path / "piece.mid")
    (utf8,) = [line for line in said.splitlines() if "UTF-8" in line]
    assert code == 0 and "note: Strings goes out on channel 2" in said
    name, *rest = argv
    folder = tmp_path / "takes"
    args = [name, tmp_path / "piece.muse", "-o", folder, *rest, "--variations", "2", "--seed", "1"]
    code, _, err = run(capsys, *args)
    assert code == 0, err
    channels = {formats.load(take).tracks[1].channel + 1 for take in folder.glob("*.mid")}
    assert channels == ({3} if name == "add-part" else {2})
    assert err.count(f"note: Strings goes out on channel {channels.pop()}, ") == 1, err
    assert err.count(utf8) == 1, err


@pytest.mark.parametrize(
    "pitched, argv, said",
    [
        (8, ["add-part", "--role", "bass"], "a new part among them: there is no room for another"),
        (7, ["add-part", "--role", "harmony,bass"], "there is room for 1 new part(s), not 2"),
        (9, ["continue", "--bars", "1"], "continue --engine transformer reads them as one stream"),
    ],
)
def test_a_file_with_more_tracks_than_the_parts_model_reads_is_said_in_its_terms(
    capsys, tmp_path, pitched, argv, said
):
    """Before: "the parts model reads at most 8 pitched parts; the file has 8" (the new part unsaid)."""
    from musestudio.core import Note, Project, Track

    tracks = tuple(
        Track(name=f"Line {k + 1}", channel=k if k < 9 else k + 1, notes=(Note(60 + k, 0, 1920, 80),))
        for k in range(pitched)
    )
    formats.save(Project(tracks=tracks), tmp_path / "many.mid")
    name, *rest = argv
    code, _, err = run(capsys, name, tmp_path / "many.mid", "-o", tmp_path / "takes", *rest)
    assert_one_line_error(code, err)
    assert (
        f"many.mid has {pitched} pitched tracks (drums and empty tracks do not count)" in err and said in err
    )


def far_end_song(path: Path) -> Path:
    """Two bars of a tune whose end-of-track a buggy writer put 78 hours after its last note, written with
    mido alone."""
    import mido

    track = mido.MidiTrack()
    for pitch in (60, 62, 64, 65, 67, 65, 64, 62):
        track += [
            mido.Message("note_on", note=pitch, velocity=90),
            mido.Message("note_off", note=pitch, time=480),
        ]
    track.append(mido.MetaMessage("end_of_track", time=0x0FFFFFFF))
    mido.MidiFile(type=1, ticks_per_beat=480, tracks=[track]).save(path)
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["info"],
        ["classify"],
        ["restyle", "-o", "{out}.mid", "--to", "celtic"],
        ["continue", "-o", "{out}", "--engine", "markov", "--bars", "1", "--variations", "1", "--seed", "1"],
        ["add-part", "-o", "{out}", "--role", "bass", "--variations", "1", "--seed", "1"],
        ["infill", "-o", "{out}", "--track", "1", "--bars", "1", "--variations", "1", "--seed", "1"],
    ],
    ids=lambda argv: argv[0],
)
def test_every_command_says_when_a_file_s_damaged_end_was_dropped(capsys, tmp_path, argv):
    """A file whose end lies absurdly far after its notes is read ending at its last note, and every command
    that reads it says so once, as the app and 'info' do (before: restyle, classify, continue, add-part
    and infill said nothing, and the piece silently lost 78 hours of its stated length)."""
    song = far_end_song(tmp_path / "far.mid")
    name, *rest = argv
    code, _, err = run(capsys, name, song, *(a.format(out=tmp_path / "out") for a in rest))
    assert code == 0, err
    said = "note: far.mid ended 78 hours of silence after its last event (a damaged length): the piece ends"
    assert err.count(said) == 1, err


def ninety_ticks_song(path: Path) -> Path:
    """Two bars of a tune over a bass, in a MIDI file of 90 ticks a beat (a beat holding no whole
    sixteenths), written with mido alone."""
    import mido

    lines = {"Melody": [(72 + (0, 2, 4, 5)[i % 4], 90) for i in range(8)], "Bass": [(48, 360), (43, 360)]}
    tracks = []
    for channel, (name, notes) in enumerate(lines.items()):
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name)])
        for pitch, length in notes:
            track += [
                mido.Message("note_on", channel=channel, note=pitch, velocity=90),
                mido.Message("note_off", channel=channel, note=pitch, time=length),
            ]
        tracks.append(track)
    mido.MidiFile(type=1, ticks_per_beat=90, tracks=tracks).save(path)
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["classify"],
        ["continue", "-o", "{out}", "--bars", "1", "--variations", "1", "--seed", "1"],
        [
            "continue",
            "-o",
            "{out}",
            "--engine",
            "transformer",
            "--bars",
            "1",
            "--variations",
            "1",
            "--seed",
            "1",
        ],
        ["add-part", "-o", "{out}", "--role", "harmony", "--variations", "1", "--seed", "1"],
        ["infill", "-o", "{out}", "--track", "1", "--bars", "2", "--variations", "1", "--seed", "1"],
        ["restyle", "-o", "{out}.mid", "--to", "jazz", "--seed", "1"],
        ["restyle", "-o", "{out}.mid", "--to", "jazz", "--seed", "1", "--mode", "rewrite"],
    ],
    ids=lambda argv: "-".join(a for a in argv if not a.startswith(("-", "{")) and not a.isdigit()),
)
def test_every_model_command_reads_a_file_of_90_ticks_a_beat_and_writes_at_its_resolution(
    capsys, tmp_path, argv
):
    """The models read sixteenths, which 90 ticks a beat do not hold: every command that runs them failed
    ("internal error: ValueError: 90 ticks per beat cannot hold 4 steps per beat"). The piece is read on
    their grid; what is written is at 90 ticks again, the file's notes there as they were (but those a
    take replaces: infill's bar, what restyle rewrites or leaves out)."""
    song = ninety_ticks_song(tmp_path / "ninety.mid")
    name, *rest = argv
    code, _, err = run(capsys, name, song, *(a.format(out=tmp_path / "out") for a in rest))
    assert code == 0, err
    written = sorted(tmp_path.glob("out*/*.mid")) + sorted(tmp_path.glob("out*.mid"))
    assert len(written) == (name != "classify")
    seed = formats.load(song)
    for path in written:
        take = formats.load(path)
        assert take.ticks_per_beat == 90
        if name in ("continue", "add-part"):  # every note of the file kept, the new ones after it
            kept = [(t.notes, u.notes) for t, u in zip(seed.tracks, take.tracks, strict=False)]
            assert len(kept) == len(seed.tracks) and all(set(a) <= set(b) for a, b in kept)
            new = [n for a, b in kept for n in b if n not in a]
            new += [n for u in take.tracks[len(seed.tracks) :] for n in u.notes]
            assert new and all(n.start >= (720 if name == "continue" else 0) for n in new)
        elif name == "infill":
            assert take.tracks[1].notes == seed.tracks[1].notes
            assert [n for n in take.tracks[0].notes if n.start < 360] == list(seed.tracks[0].notes[:4])
