"""The voice-leading rules of the parts sampler (``generate.parts_voicing``), on a tiny random model.

A random model at a high temperature writes whatever it likes; with the rules on, a harmonized soprano still
has no parallel fifths or octaves, sounds triads or sevenths on (nearly) every beat and keeps its voices
going, while the same draws without the rules do not.
"""

import pytest
from parts_fixtures import save_tiny_parts_model

from musestudio.core.note import Note
from musestudio.ml.engines import unload
from musestudio.ml.eval.parts_measures import chorale_measures
from musestudio.ml.generate.parts import Options, PartIn, add_part, chorale_voices
from musestudio.ml.generate.parts_voicing import VoiceLeading, _Line, missing

TPB = 480
# a hymn-like soprano in G major, a quarter a beat, 4 bars of 4/4
SOPRANO = [67, 69, 71, 71, 72, 71, 69, 69, 67, 71, 74, 72, 71, 69, 67, 67]


@pytest.fixture(scope="module")
def stem(tmp_path_factory, one_thread):
    out = save_tiny_parts_model(tmp_path_factory.mktemp("voicing") / "parts")
    yield out
    unload()


def _harmonize(stem, rules: bool, seed: int):
    sop = [Note(p, i * TPB, TPB, 80) for i, p in enumerate(SOPRANO)]
    res = add_part(
        [PartIn(tuple(sop), "melody", 52)],
        chorale_voices(),
        tpb=TPB,
        options=Options(
            style="pop", variations=2, seed=seed, model=stem, temperature=1.5, voice_leading=rules
        ),
    )
    return [[sop, *[list(p) for p in take.parts[1:]]] for take in res.takes]


def test_missing_counts_the_pitch_classes_a_chord_still_needs():
    assert missing({0, 4, 7}) == 0  # C major
    assert missing({7, 11, 2, 5}) == 0  # G7
    assert missing({0, 4}) == 1
    assert missing({9, 11}) == 2  # A and B: only a seventh chord (B7, Bm7...) holds both
    assert missing({0, 1, 2}) == 99


def test_harmony_rules_rule_out_parallels_and_keep_chords_on_the_beat(stem):
    ruled = [m for s in (3, 4) for v in _harmonize(stem, True, s) for m in [chorale_measures(v, TPB)]]
    free = [m for s in (3, 4) for v in _harmonize(stem, False, s) for m in [chorale_measures(v, TPB)]]
    for m in ruled:
        assert m["parallels_per_100"] == 0
        assert m["beats"] == len(SOPRANO)  # no voice drops out under the tune
        assert m["triad_or_seventh"] >= 0.6  # a rule gives way where the range and part order leave no chord
    mean = lambda ms, k: sum(m[k] for m in ms) / len(ms)  # noqa: E731
    assert mean(ruled, "triad_or_seventh") >= 0.7
    assert mean(free, "triad_or_seventh") < mean(ruled, "triad_or_seventh") - 0.4


def test_the_rules_keep_a_seed_repeating_its_take(stem):
    assert _harmonize(stem, True, 9) == _harmonize(stem, True, 9)


def test_parallel_fifths_and_octaves_are_ruled_out_against_a_known_line():
    # soprano G4 -> A4 over one beat; the bass (written second) had C3 under the G: a fifth (12th) apart
    rules = VoiceLeading.__new__(VoiceLeading)
    rules.mono = [True, True]
    sop, bass = _Line([(0, 12, 67), (12, 24, 69)]), _Line([(0, 12, 48)])
    ok = rules._no_parallels([sop, bass], 1, 12, [0], 12)
    assert not ok[50] and not ok[62]  # D3 or D4 under A4: fifths by similar motion (both voices up)
    assert ok[38]  # D2: a fifth by contrary motion, not a parallel
    assert ok[53] and ok[45] and ok[48]  # F3 (a sixth), A2 (an octave, contrary), C3 (the bass holds)
    octave = _Line([(0, 12, 55)])  # the bass had G3 under G4: an octave
    ok = rules._no_parallels([sop, octave], 1, 12, [0], 12)
    assert not ok[57] and ok[45] and ok[53]


def _short_share(takes) -> float:
    """Share of the notes struck between beats that end by the next beat."""
    off = [n for voices in takes for v in voices[1:] for n in v if n.start % TPB]
    return sum(1 for n in off if n.end <= n.start - n.start % TPB + TPB) / max(1, len(off))


def test_non_chord_tones_between_beats_end_by_the_next_beat(stem):
    # the rule gives way only where the bar's note budget leaves no other way to avoid a rest
    assert _short_share(_harmonize(stem, True, 5)) >= 0.9 > _short_share(_harmonize(stem, False, 5))


def test_cli_free_voices_turns_the_rules_off(stem, tmp_path, capsys):
    import json

    from musestudio.cli import main
    from musestudio.core.project import Project
    from musestudio.core.track import Track
    from musestudio.io import formats

    sop = tuple(Note(p, i * TPB, TPB, 80) for i, p in enumerate(SOPRANO))
    roots = {67: 43, 69: 50, 71: 43, 72: 48, 74: 43}  # G, D, G, C, G under the tune
    bass = tuple(Note(roots[p], i * TPB, TPB, 80) for i, p in enumerate(SOPRANO))
    path = tmp_path / "hymn.mid"
    formats.save(Project(tracks=(Track(name="Soprano", notes=sop), Track(name="Bass", notes=bass))), path)
    taken = {}
    for name, extra in (("ruled", []), ("free", ["--free-voices"])):
        argv = ["add-part", str(path), "-o", str(tmp_path / name), "--role", "harmony", "--voices", "1"]
        argv += ["--model", str(stem), "--seed", "3", "--variations", "1", "--style", "pop", "--json", *extra]
        assert main(argv) == 0
        take = json.loads(capsys.readouterr().out)["takes"][0]
        alto = formats.load(take["path"]).tracks[-1].notes
        voices = [list(sop), list(alto), list(bass)]
        taken[name] = chorale_measures(voices, TPB)
    # the alto completes the chord the soprano and bass imply on the beats; drawn freely it does not
    assert taken["ruled"]["beats"] == len(SOPRANO)
    assert taken["ruled"]["triad_or_seventh"] > taken["free"]["triad_or_seventh"]


def test_a_seed_with_long_notes_on_the_beat_is_continued_so(stem):
    from musestudio.core.project import TimeSignature
    from musestudio.ml.generate.parts import continue_parts

    # a 3/4 tune: quarter + two eighths, then a half and a quarter (every long note on a beat)
    bar_a = [(0, 480, 67), (480, 240, 69), (720, 240, 71), (960, 480, 72)]
    bar_b = [(0, 960, 74), (960, 480, 72)]
    seed = tuple(
        Note(p, b * 1440 + s, d, 80) for b in range(4) for s, d, p in (bar_a if b % 2 == 0 else bar_b)
    )

    def offbeat_longs(rules: bool) -> int:
        res = continue_parts(
            [PartIn(seed, "melody", 0)],
            tpb=TPB,
            time_signatures=(TimeSignature(0, 3, 4),),
            bars=4,
            options=Options(
                style="pop", variations=4, seed=2, model=stem, temperature=1.5, voice_leading=rules
            ),
        )
        return sum(1 for t in res.takes for n in t.parts[0] if n.duration >= TPB and n.start % TPB)

    assert offbeat_longs(True) == 0 < offbeat_longs(False)
