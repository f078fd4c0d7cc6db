"""The data cache (splits, ABC and MIDI conversion, shards) and the training windows built from it."""

from __future__ import annotations

import hashlib
import random

import mido
import pytest

from musestudio.core import KeySignature, Note, TimeSignature
from musestudio.ml.data import corpus
from musestudio.ml.data.cache import SPLITS, Piece, build_cache, load_cache, split_of
from musestudio.ml.data.windows import (
    Examples,
    WindowSampler,
    fixed_windows,
    index_pieces,
    pad_batch,
    pad_pairs,
    transposition_range,
)
from musestudio.ml.tokenizer import IGNORE_INDEX, Tokenizer

TOK = Tokenizer()

ABC = """%% a two-tune book
X: 7
T: Pickup jig
M: 6/8
L: 1/8
K: D
A | "D" d2 f a2 f | "G" g2 e "A" c2 A :|
X: 8
T: Plain reel
M: 4/4
L: 1/8
K: Ador
(3ABc d2 e2 A2 | G8 |
"""


def test_split_rule_is_sha1_mod_20():
    for key in ("bach/bwv66.6.mxl", "essenFolksong/han1.abc#12", "pop909/001", "nottingham/jigs#3"):
        h = int(hashlib.sha1(key.encode()).hexdigest(), 16) % 20
        assert split_of(key) == {0: "test", 1: "valid"}.get(h, "train")
    counts = {s: 0 for s in SPLITS}
    for i in range(4000):
        counts[split_of(f"pop909/{i:03d}")] += 1
    assert 120 < counts["test"] < 280 and 120 < counts["valid"] < 280


def test_abc_books_split_into_tunes_with_the_file_header():
    tunes = corpus._abc_tunes(ABC)
    assert [x for x, _ in tunes] == ["7", "8"]
    assert tunes[1][1].startswith("%% a two-tune book")


def test_abc_tune_converts_with_pickup_moved_to_the_end_of_bar_zero():
    pytest.importorskip("music21")
    from music21 import converter

    text = corpus._abc_tunes(ABC)[0][1]
    f = corpus.score_to_piece_fields(converter.parse(text, format="abc"), melody_only=True)
    assert f["time_signatures"] == [TimeSignature(0, 6, 8)]
    assert f["key_signature"] == KeySignature(2, "major")
    starts = [n.start for n in f["notes"]]
    bar = 3 * 480
    assert starts[0] == bar - 240  # the eighth-note pickup ends bar 0
    assert starts[1] == bar  # "d2" is the downbeat of bar 1
    assert len(f["notes"]) == 9  # chord symbols are not notes


def test_triplets_and_dorian_signature():
    pytest.importorskip("music21")
    from music21 import converter

    f = corpus.score_to_piece_fields(
        converter.parse(corpus._abc_tunes(ABC)[1][1], format="abc"), melody_only=True
    )
    assert [n.start for n in f["notes"][:4]] == [0, 160, 320, 480]
    assert f["key_signature"] in (KeySignature(9, "minor"), KeySignature(7, "major"))


def _performed_midi(path, jitter):
    """Two bars of 4/4 quarter notes at 480 tpb with a one-beat lead-in, onsets pushed by +-jitter ticks."""
    rng = random.Random(0)
    mid = mido.MidiFile(ticks_per_beat=480)
    meta = mido.MidiTrack(
        [
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90)),
            mido.MetaMessage("time_signature", numerator=4, denominator=4),
        ]
    )
    mel = mido.MidiTrack([mido.MetaMessage("track_name", name="MELODY")])
    events = []
    for beat in range(1, 9):
        on = beat * 480 + rng.randint(-jitter, jitter)
        vel = 100 if (beat - 1) % 4 == 0 else 60
        events += [
            (on, mido.Message("note_on", note=60 + beat, velocity=vel)),
            (on + 400, mido.Message("note_off", note=60 + beat, velocity=0)),
        ]
        if (beat - 1) % 4 == 0:  # the accompaniment marks each downbeat
            events += [
                (on, mido.Message("note_on", note=40, velocity=70)),
                (on + 900, mido.Message("note_off", note=40, velocity=0)),
            ]
    t = 0
    for tick, msg in sorted(events, key=lambda e: e[0]):
        mel.append(msg.copy(time=tick - t))
        t = tick
    mid.tracks += [meta, mel]
    mid.save(path)


def test_performed_midi_is_quantized_to_sixteenths_with_the_bar_phase_found(tmp_path):
    path = tmp_path / "001.mid"
    _performed_midi(path, jitter=50)
    f = corpus._midi_quantized(path, ("MELODY",))
    assert f["tempo_bpm"] == pytest.approx(90)
    melody = [n for n in f["notes"] if n.pitch > 50]
    assert all(n.start % 480 == 0 for n in melody)
    assert [n.start % 1920 for n in f["notes"] if n.pitch == 40] == [0, 0]  # downbeats land on bar lines


def test_shards_build_resume_and_load_with_splits(tmp_path, monkeypatch):
    pytest.importorskip("music21")
    book = tmp_path / "book.abc"
    book.write_text(ABC, encoding="latin-1")
    cache = tmp_path / "cache"
    monkeypatch.setattr(corpus, "source_files", lambda source: [(book, "oneills1850/book.abc")])
    build_cache(cache, ["oneills"], workers=1)
    pieces = load_cache(cache)
    assert [p.key for p in pieces] == ["oneills1850/book.abc#7", "oneills1850/book.abc#8"]
    assert all(p.style == "celtic" and p.split == split_of(p.key) and p.tempo_bpm > 0 for p in pieces)
    shard = next(cache.rglob("*.json.gz"))
    mtime = shard.stat().st_mtime_ns
    build_cache(cache, ["oneills"], workers=1)  # nothing left to do: the shard is kept
    assert shard.stat().st_mtime_ns == mtime
    assert load_cache(cache, split="nosuch") == []


# -- training windows ------------------------------------------------------------------------------------


def _piece(style, bars=12, key="x", pitch=60):
    notes = tuple(Note(pitch + (i % 5), i * 480, 480, 80) for i in range(bars * 4))
    return Piece(
        key,
        style,
        "train",
        480,
        notes,
        time_signatures=(TimeSignature(0, 4, 4),),
        tempo_bpm=100.0,
        key_signature=KeySignature(0),
    )


def test_windows_are_whole_bars_with_conditioning():
    ix = index_pieces([_piece("celtic")])[0]
    assert ix.n_bars == 12
    seq = Examples(TOK).lm(ix, 2, 5)
    assert [TOK.token_str(t) for t in seq[:6]] == [
        "BOS",
        "STYLE_celtic",
        "KEY_C",
        "METER_4/4",
        "BAR",
        "METER_4/4",
    ]
    assert TOK.bar_count(seq) == 3 and seq[-1] != TOK.eos_id
    assert Examples(TOK).lm(ix, 9, 12)[-1] == TOK.eos_id


def test_long_windows_are_cut_at_a_bar_line():
    ix = index_pieces([_piece("pop", bars=40)])[0]
    seq = Examples(TOK, max_len=100).lm(ix, 0, 40)
    assert len(seq) <= 100
    assert seq[-1] != TOK.bar_id and TOK.decode(seq, tpb=480)[-1].start % 1920 == 3 * 480


def test_fim_example_holds_prefix_suffix_and_middle_in_order():
    ix = index_pieces([_piece("german")])[0]
    seq = Examples(TOK).fim(ix, 0, 3, 5, 8)
    i, j, k = (seq.index(t) for t in (TOK.fill_prefix_id, TOK.fill_suffix_id, TOK.fill_middle_id))
    assert 4 == i < j < k and seq[-1] == TOK.eos_id
    assert TOK.bar_count(seq[i:j]) == 3 and TOK.bar_count(seq[j:k]) == 3 and TOK.bar_count(seq[k:]) == 2
    middle = TOK.decode(seq[k + 1 :], tpb=480)
    assert [n.pitch for n in middle] == [n.pitch for n in ix.notes_in(3, 5)]


def test_transposition_stays_on_the_piano_and_moves_the_key():
    assert transposition_range([Note(105, 0, 1)]) == (-5, 3)
    sampler = WindowSampler([_piece("chinese", pitch=100)], TOK, seed=3)
    for _ in range(30):
        seq = sampler.lm()
        pitches = [TOK.pitch_of(t) for t in seq if TOK.is_pitch(t)]
        assert max(pitches) <= 108
        shift = min(pitches) - 100
        assert TOK.token_str(seq[2]) == TOK.token_str(TOK.key_id(KeySignature(shift % 12)))


def test_sampling_balances_styles():
    pieces = [_piece("pop", bars=200, key="big")] + [_piece("bach", bars=4, key=f"s{i}") for i in range(3)]
    sampler = WindowSampler(pieces, TOK, seed=0, augment=False)
    styles = [TOK.token_str(sampler.lm()[1]) for _ in range(400)]
    assert 150 < styles.count("STYLE_bach") < 250


def test_pairs_and_batches_line_up_targets():
    sampler = WindowSampler([_piece("jazz")], TOK, seed=1)
    src, tgt, style = sampler.pair()
    assert src[:2] == [TOK.bos_id, TOK.style_id("jazz")] and tgt[0] == TOK.bar_id
    assert style == TOK.styles.index("jazz")
    s, ti, st, to = pad_pairs([(src, tgt, style), ([1, 2], [3], 0)], TOK.pad_id, TOK.bos_id)
    assert (
        ti[0, 0] == TOK.bos_id
        and ti[0, 1 : len(tgt)].tolist() == tgt[:-1]
        and to[0, : len(tgt)].tolist() == tgt
    )
    assert to[1, 1:].eq(IGNORE_INDEX).all() and s[1, 2:].eq(TOK.pad_id).all()
    x, y = pad_batch([[1, 2, 3], [1, 2]], TOK.pad_id)
    assert x.tolist() == [[1, 2], [1, 2]] and y.tolist() == [[2, 3], [2, IGNORE_INDEX]]


def test_fixed_windows_are_deterministic_and_capped():
    pieces = [_piece("celtic", bars=40, key=f"k{i}") for i in range(5)]
    a = fixed_windows(pieces, TOK, bars=8, per_style=7)
    assert a == fixed_windows(pieces, TOK, bars=8, per_style=7)
    assert len(a) == 7 and all(style == "celtic" for style, _ in a)


def test_chorale_with_instrument_parts_keeps_its_four_voices():
    pytest.importorskip("music21")
    from music21 import note, stream

    parts = []
    for name in ("Horn 2", "Soprano", "Alto", "Tenor", "Bass"):
        p = stream.Part([note.Note("C4")])
        p.partName = name
        parts.append(p)
    voices = corpus._satb(stream.Score(parts))
    assert [p.partName for p in voices.parts] == ["Soprano", "Alto", "Tenor", "Bass"]
