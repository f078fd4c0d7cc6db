"""POP909 read on its beat: files that sit a sixteenth (or a fraction of one) off their beat grid are moved
back onto the beat by their annotated chord changes (``chord_midi.txt``), and the caches rebuild POP909 only."""

from __future__ import annotations

import gzip
import json
import random

import mido
import pytest

from musestudio.ml.data import corpus
from musestudio.ml.data import parts as parts_data
from musestudio.ml.data.cache import CACHE_VERSION, build_cache, load_cache

TPB = 480
SPB = 0.5  # seconds a beat at 120 bpm


def _song(folder, *, late_ticks: int, meter=(1, 4), chords=True, tempo_change=False, jitter=0):
    """A POP909-like song: a melody of eighths and quarters (most onsets on beats, some on the off-beat
    eighth), a piano chord on every other beat and a chord change every two beats, everything played
    ``late_ticks`` after the file's beat grid; with ``chords`` the annotation file beside it, in seconds.
    ``tempo_change`` halves the tempo from beat 16 (the annotation's seconds follow it)."""
    rng = random.Random(1)
    folder.mkdir(parents=True, exist_ok=True)
    mid = mido.MidiFile(ticks_per_beat=TPB)
    meta = [mido.MetaMessage("set_tempo", tempo=500000, time=0)]
    meta.append(mido.MetaMessage("time_signature", numerator=meter[0], denominator=meter[1], time=0))
    if tempo_change:
        meta.append(mido.MetaMessage("set_tempo", tempo=1000000, time=16 * TPB))
    mid.tracks.append(mido.MidiTrack(meta))
    beats = 32
    rhythm = (0, 1, 1.5)  # within two beats: a quarter, two eighths
    melody = [(67 + i, b * 2 + r) for b in range(beats // 2) for i, r in enumerate(rhythm)]
    piano = [(p, float(b)) for b in range(0, beats, 2) for p in (48, 60, 64)]
    for name, notes in (("MELODY", melody), ("PIANO", piano)):
        events = []
        for pitch, beat in notes:
            on = round(beat * TPB) + late_ticks + rng.randint(-jitter, jitter)
            events += [(on, 1, mido.Message("note_on", note=pitch, velocity=80))]
            events += [(on + TPB // 2 - 10, 0, mido.Message("note_off", note=pitch))]
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        t = 0
        for at, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
            track.append(msg.copy(time=at - t))
            t = at
        mid.tracks.append(track)
    mid.save(folder / f"{folder.name}.mid")
    if chords:

        def seconds(tick: float) -> float:
            beat = tick / TPB
            if tempo_change and beat > 16:
                return 16 * SPB + (beat - 16) * 2 * SPB
            return beat * SPB

        lines = [f"0.0\t{seconds(late_ticks):.6f}\tN"]
        for i, b in enumerate(range(0, beats, 2)):
            a, z = seconds(b * TPB + late_ticks), seconds((b + 2) * TPB + late_ticks)
            lines.append(f"{a:.6f}\t{z:.6f}\t{('C:maj', 'A:min', 'F:maj', 'G:maj')[i % 4]}")
        (folder / "chord_midi.txt").write_text("\n".join(lines) + "\n")
    return folder / f"{folder.name}.mid"


def _beat_sixteenths(notes) -> list[int]:
    return [(n.start // (TPB // 4)) % 4 for n in notes]


@pytest.mark.parametrize("late", [120, 360, 48, 168])
def test_a_song_late_by_sixteenths_is_read_on_its_beat(tmp_path, late):
    """120 and 360 ticks: one and three sixteenths late (pop909/129, /252); 48 and 168: a fraction of one
    more (0.4 and 1.4 sixteenths, /001 and /249). The old reader left the first two on sixteenths 1/3."""
    path = _song(tmp_path / "129", late_ticks=late, jitter=20)
    fields = corpus._midi_quantized(path, ("MELODY", "PIANO"))
    melody = [n for n in fields["notes"] if n.pitch >= 67]
    assert set(_beat_sixteenths(melody)) == {0, 2}  # on the beat and the off-beat eighth, as played
    assert _beat_sixteenths(melody).count(0) == 2 * 16
    piano = [n for n in fields["notes"] if n.pitch < 67]
    assert {n.start % (4 * TPB) for n in piano} <= {0, 2 * TPB}  # the piano's chords: beats 1 and 3 of 4/4


def test_the_annotated_chords_decide_the_phase_where_the_onsets_alone_would_not(tmp_path):
    """A melody mostly on the off-beat eighth: its modal sixteenth says 2, the chord changes say 0."""
    path = _song(tmp_path / "007", late_ticks=TPB // 2)
    (tmp_path / "007" / "chord_midi.txt").unlink()
    # chords annotated half a beat earlier than the notes: the notes are syncopated against the beat
    lines = [f"{b * SPB:.6f}\t{(b + 2) * SPB:.6f}\tC:maj" for b in range(0, 32, 2)]
    (tmp_path / "007" / "chord_midi.txt").write_text("\n".join(lines) + "\n")
    fields = corpus._midi_quantized(path, ("MELODY",))
    assert set(_beat_sixteenths(fields["notes"])) == {0, 2}
    assert _beat_sixteenths(fields["notes"]).count(2) == 2 * 16  # kept off the beat, as annotated


def test_without_an_annotation_the_onsets_modal_sixteenth_is_the_beat(tmp_path):
    path = _song(tmp_path / "010", late_ticks=3 * 120, chords=False)
    fields = corpus._midi_quantized(path, ("MELODY",))
    assert _beat_sixteenths(fields["notes"]).count(0) == 2 * 16


def test_chord_seconds_follow_the_files_tempo_changes(tmp_path):
    path = _song(tmp_path / "252", late_ticks=120, tempo_change=True)
    mid = mido.MidiFile(path)
    ticks = corpus.chord_changes(path, corpus._tempo_map(mid), TPB)
    assert ticks == pytest.approx([b * TPB + 120 for b in range(0, 32, 2)], abs=1)
    fields = corpus._midi_quantized(path, ("MELODY",))
    assert _beat_sixteenths(fields["notes"]).count(0) == 2 * 16


def test_a_one_beat_grid_is_read_as_common_time_with_the_bar_phase_found(tmp_path):
    path = _song(tmp_path / "152", late_ticks=TPB + 120, meter=(1, 4))
    fields = corpus._midi_quantized(path, ("MELODY", "PIANO"))
    assert [(t.numerator, t.denominator) for t in fields["time_signatures"]] == [(4, 4)]
    assert {n.start % (4 * TPB) for n in fields["notes"] if n.pitch < 67} == {0, 2 * TPB}


def test_parts_of_a_late_song_stay_together_on_the_beat(tmp_path):
    path = _song(tmp_path / "249", late_ticks=120)
    fields = parts_data._pop909(path)
    roles = {p.role: p for p in fields["parts"]}
    assert _beat_sixteenths(roles["melody"].notes).count(0) == 2 * 16
    assert {n.start % (4 * TPB) for n in roles["bass"].notes} == {0, 2 * TPB}


def test_a_new_pop909_reader_rebuilds_pop909_only(tmp_path, monkeypatch):
    """POP909's shards go to a folder named by its reader version; another source's shards, and an old
    POP909 folder that older code still reads, are left as they are."""
    assert corpus.source_dir("pop909") == f"pop909-r{corpus.READER_VERSIONS['pop909']}" != "pop909"
    assert corpus.source_dir("bach") == "bach"
    cache = tmp_path / "cache"
    old = cache / f"v{CACHE_VERSION}" / "pop909" / "old.json.gz"
    kept = cache / f"v{CACHE_VERSION}" / "bach" / "kept.json.gz"
    for shard, source in ((old, "pop909"), (kept, "bach")):
        shard.parent.mkdir(parents=True)
        piece = {"key": f"{source}/x", "style": corpus.SOURCES[source], "tpb": TPB, "notes": [60, 0, 480, 80]}
        piece |= {"ts": [[0, 4, 4]], "tempo": 100.0, "ksig": [0, "major"]}
        with gzip.open(shard, "wt") as f:
            json.dump({"source": source, "file": "x", "pieces": [piece], "errors": []}, f)
    song = _song(tmp_path / "songs" / "129", late_ticks=120)
    monkeypatch.setattr(corpus, "source_files", lambda source: [(song, "pop909/129")])
    build_cache(cache, ["pop909"], workers=1)
    assert old.exists() and kept.exists()
    assert [p.key for p in load_cache(cache)] == ["bach/x", "pop909/129"]  # the old POP909 shard unread
    parts_data.build(cache, ["pop909"], workers=1)
    assert [p.key for p in parts_data.load(cache)] == ["pop909/129"]
    assert (parts_data.cache_dir(cache) / corpus.source_dir("pop909")).is_dir()
