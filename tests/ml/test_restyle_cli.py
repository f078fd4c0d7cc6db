"""``musestudio-cli restyle``: Arrange by default (the tune kept, the style's parts in new tracks, drums
passed through), ``--mode rewrite`` and ``--engine`` as before, the JSON keys and the exit codes."""

import json

import pytest

from musestudio import cli
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.io import formats
from musestudio.ml import engines
from musestudio.ml.generate.arrange_styles import TEXTURES
from musestudio.ml.generate.request import RUN_SEEDS, SEEDS

TPB = 480
BAR = 4 * TPB
KEYS = {"engine", "mode", "to", "strength", "seed", "seconds", "path", "notes", "bars"}

needs_parts = pytest.mark.skipif(
    engines.missing_model(engines.ARRANGE, engines.PARTS) is not None, reason="no shipped parts model"
)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def song(tmp_path):
    """A 4-bar tune with a chord track under it and a drum track."""
    steps = [67, 67, 74, 74, 76, 76, 74, 72, 72, 71, 71, 69, 69, 67, 67, 67]
    tune = Track("Melody", 73, 0, notes=tuple(Note(p, i * TPB, TPB, 90) for i, p in enumerate(steps)))
    chords = Track(
        "Chords", 0, 1, notes=tuple(Note(p, b * BAR, BAR, 60) for b in range(4) for p in (55, 59, 62))
    )
    drums = Track("Drums", 0, 9, is_drum=True, notes=tuple(Note(36, b * TPB, 120, 100) for b in range(16)))
    path = tmp_path / "song.mid"
    formats.save(Project((tune, chords, drums), TPB, time_signatures=(TimeSignature(0, 4, 4),)), path)
    return path


@needs_parts
def test_arrange_is_the_default_and_keeps_tune_bars_and_drums(capsys, song, tmp_path):
    out = tmp_path / "out.mid"
    code, text, err = run(capsys, "restyle", song, "-o", out, "--to", "bach", "--strength", "0", "--json")
    assert code == 0, err
    facts = json.loads(text)
    assert set(facts) == KEYS | {"tune_kept", "left_out"}
    assert facts["left_out"] == {
        "tracks": ["Chords"],
        "tune_track": "Melody",
        "notes_under_tune": 0,
        "notes_cut_short": 0,
        "bars": [1, 4],
        "tracks_in_the_bars": [],
    }
    assert (facts["mode"], facts["engine"], facts["to"], facts["strength"], facts["bars"]) == (
        "arrange",
        "parts",
        "bach",
        0.0,
        4,
    )
    assert facts["tune_kept"] == 1.0
    before, after = formats.load(song), formats.load(out)
    names = [t.name for t in after.tracks]
    assert names == ["Melody", "Drums", *(v.name for v in TEXTURES["bach"].voices)]  # the chords give way
    assert [(n.pitch, n.start, n.duration) for n in after.tracks[0].notes] == [
        (n.pitch, n.start, n.duration) for n in before.tracks[0].notes
    ]
    assert after.tracks[1].notes == before.tracks[2].notes and after.tracks[1].is_drum
    assert all(t.notes for t in after.tracks)
    assert after.end <= 4 * BAR and facts["notes"] == after.note_count


@needs_parts
def test_a_celtic_session_writes_the_flute_alone_and_no_empty_tracks(capsys, song, tmp_path):
    """The third Celtic take at strength 0 is the session's: the fiddle and the flute alone. The file holds
    the tune, the flute in unison with it and the drums; the guitar and the bass, resting, get no track."""
    out = tmp_path / "out.mid"
    seed = 3 + RUN_SEEDS * 2
    code, _, err = run(
        capsys, "restyle", song, "-o", out, "--to", "celtic", "--strength", "0", "--seed", seed
    )
    assert code == 0, err
    tracks = formats.load(out).tracks
    assert [t.name for t in tracks] == ["Melody", "Drums", "Flute"]
    melody, flute = tracks[0], tracks[2]
    assert flute.program == 73 and flute.notes
    assert sorted((n.pitch, n.start) for n in flute.notes) == sorted((n.pitch, n.start) for n in melody.notes)


@needs_parts
def test_arrange_reports_how_much_of_a_busy_tune_a_slower_style_kept(capsys, tmp_path):
    """A violin's figures (an eighth and two sixteenths a beat) as a chorale: up to 14% of the quick notes
    fold into the note before, and the JSON says what share of the tune is still where it was."""
    notes = []
    for b in range(16):
        p, t = 60 + b % 5, b * TPB
        notes += [Note(p, t, TPB // 2, 90), Note(p + 2, t + TPB // 2, TPB // 4, 90)]
        notes.append(Note(p + 4, t + 3 * TPB // 4, TPB // 4, 90))
    path, out = tmp_path / "busy.mid", tmp_path / "out.mid"
    formats.save(Project((Track("Violin", 40, 0, notes=tuple(notes)),), TPB), path)
    code, text, err = run(capsys, "restyle", path, "-o", out, "--to", "bach", "--json")
    assert code == 0, err
    facts = json.loads(text)
    assert 0.86 <= facts["tune_kept"] < 1.0
    assert len(formats.load(out).tracks[0].notes) < len(notes)


@needs_parts
def test_same_seed_same_file_and_text_output(capsys, song, tmp_path):
    a, b = tmp_path / "a.mid", tmp_path / "b.mid"
    assert run(capsys, "restyle", song, "-o", a, "--to", "jazz", "--seed", "4")[0] == 0
    code, text, _ = run(capsys, "restyle", song, "-o", b, "--to", "jazz", "--seed", "4")
    assert (
        code == 0
        and "as jazz (arrange, parts" in text
        and "100% of the tune's notes kept at their time, on their note names" in text
    )
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(run(capsys, "restyle", song, "-o", a, "--to", "jazz", "--json")[1])["strength"] == 0.5


@pytest.mark.parametrize("mode", [["--mode", "arrange"], ["--mode", "rewrite", "--engine", "seq2seq"]])
def test_the_restyle_says_its_seed_in_text_and_json(capsys, song, tmp_path, mode):
    """Each take shows its own seed, in the app and from every command: restyle said none, so a musician
    who liked a restyle (or wanted another) could not tell that ``--seed`` was 0 unless given."""
    arrange = "arrange" in mode
    if engines.missing_model(*((engines.ARRANGE, engines.PARTS) if arrange else (engines.RESTYLE, mode[-1]))):
        pytest.skip("no shipped model")
    out = tmp_path / "r.mid"
    code, text, err = run(capsys, "restyle", song, "-o", out, "--to", "pop", *mode)
    assert code == 0 and ", seed 0, " in text.splitlines()[0], err
    code, text, err = run(capsys, "restyle", song, "-o", out, "--to", "pop", *mode, "--seed", "7", "--json")
    assert code == 0 and json.loads(text)["seed"] == 7, err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mode", "arrange", "--engine", "gan"], "--engine chooses the rewrite engine"),
        (["--keep-rhythm"], "--keep-rhythm is for --mode rewrite"),
        (["--mode", "sideways"], "invalid choice"),
        (["--to", "klezmer"], "unknown style"),
    ],
)
def test_flags_that_do_not_go_together_exit_2_with_one_line(capsys, song, tmp_path, extra, message):
    code, _, err = run(capsys, "restyle", song, "-o", tmp_path / "x.mid", "--to", "bach", *extra)
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.mid").exists()


def test_a_seed_is_one_the_apps_seed_box_holds(capsys, song, tmp_path):
    """The seed said with the piece is typed in the app's seed box (0 to 2^31 - 1) to draw it there: a seed
    past it named an arrangement no take of the app shows. The top seed writes the piece the app's does."""
    out = tmp_path / "x.mid"
    code, _, err = run(capsys, "restyle", song, "-o", out, "--to", "jazz", "--seed", str(SEEDS))
    assert code == 2 and f"from 0 to {SEEDS - 1}, as in the app" in err and not out.exists()
    assert run(capsys, "restyle", song, "-o", out, "--to", "jazz", "--seed", "-1")[0] == 2
    code, text, err = run(
        capsys, "restyle", song, "-o", out, "--to", "jazz", "--seed", str(SEEDS - 1), "--json"
    )
    assert code == 0 and json.loads(text)["seed"] == SEEDS - 1, err


def test_restyle_without_a_style_names_the_styles_and_writes_nothing(capsys, song, tmp_path):
    """``restyle IN -o OUT`` with no ``--to``: it restyled into Bach unasked (a pop tune came back a
    chorale, nothing said). The style is the musician's to choose: one error line names them, exit 2,
    and the usage shows ``--to`` as required."""
    from musestudio.ml.styles import STYLES

    code, text, err = run(capsys, "restyle", song, "-o", tmp_path / "x.mid")
    assert code == 2 and text == "" and err.count("\n") == 1
    assert err.startswith("error: restyle needs --to STYLE") and all(name in err for name in STYLES)
    assert not (tmp_path / "x.mid").exists()
    code, text, _ = run(capsys, "restyle", "--help")
    assert code == 0 and " --to STYLE" in text.split("\n\n")[0] and "[--to" not in text


@pytest.mark.parametrize("engine", engines.ENGINES[engines.RESTYLE])
def test_rewrite_keeps_todays_behaviour(capsys, song, tmp_path, engine):
    if engines.missing_model(engines.RESTYLE, engine):
        pytest.skip(f"no {engine} model")
    out = tmp_path / "r.mid"
    for argv in (["--engine", engine], ["--mode", "rewrite", "--engine", engine]):
        code, text, err = run(capsys, "restyle", song, "-o", out, "--to", "celtic", *argv, "--json")
        assert code == 0, err
        facts = json.loads(text)
        assert set(facts) == KEYS and (facts["mode"], facts["engine"], facts["strength"]) == (
            "rewrite",
            engine,
            1.0,
        )
        assert [t.name for t in formats.load(out).tracks] == [
            "Melody",
            "Chords",
            "Drums",
        ]  # every track rewritten


def test_classify_hears_a_song_in_one_beat_bars_in_the_bars_it_is_heard_in(capsys, tmp_path):
    """``classify`` reads as the app's Generate panel does: a 1/4 beat grid in 4/4 from its downbeat."""
    from tests.beat_grid import BEATS, HEARD, pop_song_after_a_pickup

    def classified(sigs):
        path = tmp_path / "song.mid"
        track = Track("Song", 0, 0, notes=tuple(pop_song_after_a_pickup()))
        formats.save(Project((track,), TPB, time_signatures=sigs), path)
        code, text, err = run(capsys, "classify", path, "--json")
        assert code == 0, err
        return json.loads(text)["styles"]

    beats = classified(BEATS)
    assert beats == classified(HEARD)
    assert max(beats, key=beats.get) == "pop"


def test_classify_names_the_learned_styles_it_cannot_rank_and_the_style_each_starts_from(
    capsys, song, tmp_path, monkeypatch
):
    """A musician with a style learned from their own reels: ``classify`` ranked the built-in styles only
    and said nothing of it, as if it were not there. Its classifier cannot hear a learned style (it knows
    the built-in corpora), so it says so, naming each learned style and the built-in style it starts from."""
    from musestudio.ml import learned
    from musestudio.ml.styles import STYLES

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    stem = learned.styles_dir() / learned.slug("My reels")
    meta = {"format": learned.FORMAT, "format_version": 2, "name": "My reels", "from": "celtic"}
    meta["models"] = {"parts": {"sha256": "0" * 64, "rank": 4}}
    stem.with_name(stem.name + ".json").write_text(json.dumps(meta), encoding="utf-8")
    stem.with_name(stem.name + ".safetensors").write_bytes(b"layers")
    code, text, err = run(capsys, "classify", song)
    assert code == 0 and len(text.splitlines()) == len(STYLES)
    assert err == (
        "note: your learned styles are not ranked, as the style classifier knows only the built-in styles; "
        f"each starts from one of them: My reels from {STYLES['celtic'].label}\n"
    )
    code, text, err = run(capsys, "classify", song, "--json")
    facts = json.loads(text)
    assert code == 0 and set(facts["styles"]) == set(STYLES)
    assert facts["learned_not_ranked"] == {"My reels": "celtic"}


@needs_parts
def test_arrange_says_what_it_left_out(capsys, tmp_path):
    """The tune's track keeps its top line and the other pitched tracks give way to the style's parts:
    the output says which, and how many notes under the tune, rather than drop them unsaid."""
    tune = [Note(p, i * TPB, TPB, 90) for i, p in enumerate([67, 69, 71, 72] * 4)]
    under = [Note(p, b * BAR, BAR, 70) for b in range(4) for p in (48, 55)]
    strings = Track("Strings", 48, 1, notes=tuple(Note(60, b * BAR, BAR, 60) for b in range(4)))
    path = tmp_path / "piano.mid"
    formats.save(Project((Track("Melody", 0, 0, notes=tuple(tune + under)), strings), TPB), path)
    code, text, err = run(capsys, "restyle", path, "-o", tmp_path / "out.mid", "--to", "pop", "--json")
    assert code == 0, err
    assert json.loads(text)["left_out"] == {
        "tracks": ["Strings"],
        "tune_track": "Melody",
        "notes_under_tune": 8,
        "notes_cut_short": 0,
        "bars": [1, 4],
        "tracks_in_the_bars": [],
    }
    code, text, err = run(capsys, "restyle", path, "-o", tmp_path / "out.mid", "--to", "pop")
    assert code == 0, err
    assert (
        "left out (the arrangement's parts take their place): track Strings; 8 notes under the tune in Melody"
        in text
    )


@needs_parts
def test_arrange_keeps_the_other_tracks_music_before_and_after_the_tune(capsys, tmp_path):
    """A piano plays bars 1-10 and the tune enters in bar 5 for four bars: the arrangement takes the
    piano's place in bars 5-8 only. Its intro and its last two bars stay (a note sounding into bar 5 is
    cut there), the piece keeps its ten bars, and the output says which bars gave way."""
    tune = [Note(67 + k % 3, 4 * BAR + k * TPB, TPB, 90) for k in range(16)]
    piano = [Note(p, b * BAR, BAR, 60) for b in range(10) for p in (48, 55)]
    piano.append(Note(60, 3 * BAR + 2 * TPB, BAR, 60))  # held over the bar line into the tune's first bar
    path = tmp_path / "intro.mid"
    formats.save(
        Project((Track("Melody", 0, 0, notes=tuple(tune)), Track("Piano", 0, 1, notes=tuple(piano))), TPB),
        path,
    )
    out = tmp_path / "out.mid"
    code, text, err = run(capsys, "restyle", path, "-o", out, "--to", "bach", "--json")
    assert code == 0, err
    facts = json.loads(text)
    assert (facts["left_out"]["tracks"], facts["left_out"]["tracks_in_the_bars"]) == ([], ["Piano"])
    assert facts["left_out"]["bars"] == [5, 8] and facts["bars"] == 10
    kept = next(t for t in formats.load(out).tracks if t.name == "Piano").notes
    assert sorted((n.pitch, n.start, n.duration) for n in kept) == sorted(
        [(n.pitch, n.start, n.duration) for n in piano if n.start >= 8 * BAR or n.end <= 4 * BAR]
        + [(60, 3 * BAR + 2 * TPB, 2 * TPB)]
    )
    code, text, err = run(capsys, "restyle", path, "-o", out, "--to", "bach")
    assert "track Piano in bars 5-8 (its other bars stay)" in text


@needs_parts
def test_after_an_intro_the_band_plays_on_to_the_tunes_pickup(capsys, tmp_path):
    """A piano plays from bar 1 and the tune comes in with an upbeat on bar 3's last beat (a POP909 song's
    vocal after its intro): the arrangement's parts come in with the upbeat, and the piano gave way from
    bar 3's downbeat, so bar 3 fell silent until the upbeat. It gives way where the arrangement comes in."""
    tune = [Note(64, 2 * BAR + 3 * TPB, TPB, 90)] + [
        Note(67 + k % 3, 3 * BAR + k * TPB, TPB, 90) for k in range(8)
    ]
    piano = [Note(p, b * BAR + q * TPB, TPB, 60) for b in range(5) for q in range(4) for p in (48, 55)]
    path = tmp_path / "intro.mid"
    formats.save(
        Project((Track("Melody", 0, 0, notes=tuple(tune)), Track("Piano", 0, 1, notes=tuple(piano))), TPB),
        path,
    )
    out = tmp_path / "out.mid"
    code, text, err = run(capsys, "restyle", path, "-o", out, "--to", "pop", "--seed", "1", "--json")
    assert code == 0, err
    tracks = formats.load(out).tracks
    kept = next(t for t in tracks if t.name == "Piano").notes
    assert {n.start for n in kept if 2 * BAR <= n.start < 3 * BAR} == {
        2 * BAR,
        2 * BAR + TPB,
        2 * BAR + 2 * TPB,
    }
    sounding = [n for t in tracks for n in t.notes]
    for beat in range(2 * BAR, 3 * BAR, TPB):  # something sounds on every beat of the bar
        assert any(n.start <= beat < n.end for n in sounding), beat
    assert json.loads(text)["left_out"]["tracks_in_the_bars"] == ["Piano"]


@needs_parts
def test_arrange_says_how_many_held_notes_the_tune_cuts_short(capsys, tmp_path):
    """A bass held through each bar is the top line on beat one, where the tune rests, and the top line
    cuts it where the tune enters: the output says so (a piano track arranged at strength 0)."""
    notes = [Note(48, b * BAR, BAR, 70) for b in range(4)]
    notes += [Note(67 + k, b * BAR + k * TPB, TPB, 90) for b in range(4) for k in (1, 2, 3)]
    path = tmp_path / "piano.mid"
    formats.save(Project((Track("Piano", 0, 0, notes=tuple(notes)),), TPB), path)
    args = ["restyle", path, "-o", tmp_path / "out.mid", "--to", "pop", "--strength", "0"]
    code, text, err = run(capsys, *args, "--json")
    assert code == 0, err
    left_out = json.loads(text)["left_out"]
    assert (left_out["notes_under_tune"], left_out["notes_cut_short"]) == (0, 4)
    kept = formats.load(tmp_path / "out.mid").tracks[0].notes
    assert sorted((n.pitch, n.start, n.duration) for n in kept if n.pitch == 48) == [
        (48, b * BAR, TPB) for b in range(4)
    ]
    code, text, err = run(capsys, *args)
    assert code == 0 and "4 notes cut short where a higher note enters" in text


def with_an_empty_and_a_muted_track(tmp_path):
    """A project: the tune, a Violin track not yet written, and a muted bass."""
    tune = Track(
        "Melody", 0, 0, notes=tuple(Note(p, i * TPB, TPB, 90) for i, p in enumerate([67, 69, 71, 72] * 4))
    )
    empty = Track("Violin", 40, 2)
    bass = Track("Bass", 33, 1, mute=True, notes=tuple(Note(36, b * BAR, BAR, 80) for b in range(4)))
    path = tmp_path / "piece.muse"
    formats.save(Project((tune, empty, bass), TPB), path)
    return path


@needs_parts
def test_arrange_names_an_empty_track_it_leaves_out(capsys, tmp_path):
    """Before: the empty Violin track was gone from the arrangement and not among the tracks it named."""
    path = with_an_empty_and_a_muted_track(tmp_path)
    out = tmp_path / "arranged.muse"
    code, text, err = run(capsys, "restyle", path, "-o", out, "--to", "pop", "--json")
    assert code == 0, err
    assert json.loads(text)["left_out"]["tracks"] == ["Violin", "Bass"]
    assert [t.name for t in formats.load(out).tracks] == ["Melody", *(v.name for v in TEXTURES["pop"].voices)]
    code, text, err = run(capsys, "restyle", path, "-o", out, "--to", "pop")
    assert code == 0, err
    assert "left out (the arrangement's parts take their place): track Violin; track Bass" in text


@pytest.mark.skipif(engines.missing_model(engines.RESTYLE, "gan") is not None, reason="no GAN model")
def test_rewriting_a_project_into_midi_says_its_muted_track_plays_there(capsys, tmp_path):
    """MIDI has no mute: the muted bass plays in the rewritten .mid, and restyle says so as convert does;
    into a .muse the mute stays and nothing is said."""
    path = with_an_empty_and_a_muted_track(tmp_path)
    code, _, err = run(capsys, "restyle", path, "-o", tmp_path / "out.mid", "--to", "bach", "--engine", "gan")
    assert code == 0, err
    assert "note: MIDI has no mute or solo: Bass play as every other track in out.mid" in err
    code, _, err = run(
        capsys, "restyle", path, "-o", tmp_path / "out.muse", "--to", "bach", "--engine", "gan"
    )
    assert code == 0 and "mute" not in err
    assert [t.mute for t in formats.load(tmp_path / "out.muse").tracks] == [False, False, True]


@pytest.mark.skipif(engines.missing_model(engines.RESTYLE, "gan") is not None, reason="no GAN model")
def test_rewriting_into_midi_says_a_track_moves_to_a_channel_of_its_own(capsys, tmp_path):
    """The strings share the tune's channel with another instrument: the rewritten .mid gives them channel
    2 so each keeps its sound, and restyle says so, as convert does."""
    tune = Track(
        "Melody", 0, 0, notes=tuple(Note(p, i * TPB, TPB, 90) for i, p in enumerate([67, 69, 71, 72] * 4))
    )
    strings = Track("Strings", 48, 0, notes=tuple(Note(55, b * BAR, BAR, 70) for b in range(4)))
    path = tmp_path / "piece.muse"
    formats.save(Project((tune, strings), TPB), path)
    code, _, err = run(capsys, "restyle", path, "-o", tmp_path / "out.mid", "--engine", "gan", "--to", "jazz")
    assert code == 0, err
    assert "note: Strings goes out on channel 2" in err
    assert [t.channel for t in formats.load(tmp_path / "out.mid").tracks] == [0, 1]
