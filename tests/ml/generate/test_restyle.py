"""restyle(): bars kept, notes well formed, deterministic, strength/keep_rhythm/key honoured, bad input refused."""

import threading

import numpy as np
import pytest
import torch
from note_checks import holds_a_key_struck_again

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import engines
from musestudio.ml.generate import restyle as api
from musestudio.ml.generate.denoiser import corrupt, encode_pair, skyline
from musestudio.ml.generate.request import Options
from musestudio.ml.generate.restyle import held_to_voices, snap_to_key
from musestudio.ml.generate.style_profiles import naive_restyle
from musestudio.ml.models import gan

TPB = 480
BAR = 4 * TPB
SIGS = (TimeSignature(0, 4, 4),)


def restyle(notes, style, engine, *, model=None, key=None, progress=None, cancel=None, **options):
    """``api.restyle`` with its Options spelled out; ``model`` is a network made here, never saved."""
    loaded = None if model is None else engines.Loaded.in_memory(model, getattr(model, "tokenizer", None))
    options = Options(style=style, key=key, key_lock=key is not None, **options)
    kw = {"tpb": TPB, "time_signatures": SIGS, "progress": progress, "cancel": cancel}
    return api.restyle(notes, options, engine, model=loaded, **kw)


@pytest.fixture(scope="module")
def generator():
    """An untrained generator whose output layer is loud enough to change notes (what matters here is
    the plumbing around it, not the music)."""
    torch.manual_seed(1)
    model = gan.Model(gan.Config(styles=["a", "b"], hidden=16, dilations=[1, 2]))
    with torch.no_grad():
        model.out.weight.mul_(40.0)
    return model.eval()


def phrase(bars=8, offset=2 * BAR):
    """A two-voice phrase starting on a bar line well into the piece, with a sixteenth run and a held bass."""
    rng = np.random.default_rng(0)
    notes = []
    for b in range(bars):
        t0 = offset + b * BAR
        notes += [Note(int(rng.integers(67, 80)), t0 + i * TPB // 2, TPB // 2, 90) for i in range(6)]
        notes += [Note(72 + i, t0 + 3 * TPB + i * TPB // 4, TPB // 4, 70) for i in range(4)]
        notes.append(Note(int(rng.integers(40, 52)), t0, BAR, 60))
    return notes


def test_output_stays_inside_the_input_bars_and_is_well_formed(generator):
    notes = phrase()
    out = restyle(notes, "b", "gan", model=generator)
    assert out
    assert min(n.start for n in out) >= 2 * BAR
    assert max(n.end for n in out) <= 10 * BAR
    assert all(n.duration >= TPB // 4 and n.duration % (TPB // 4) == 0 for n in out)
    assert all(24 <= n.pitch < 108 and 1 <= n.velocity <= 127 for n in out)
    assert sorted((n.pitch, n.start) for n in out) != sorted((n.pitch, n.start) for n in notes)


def test_same_input_same_output(generator):
    a = restyle(phrase(), "b", "gan", model=generator)
    b = restyle(phrase(), "b", "gan", model=generator)
    assert [(n.pitch, n.start, n.duration, n.velocity) for n in a] == [
        (n.pitch, n.start, n.duration, n.velocity) for n in b
    ]


def test_strength_zero_gives_the_input_back(generator):
    notes = phrase(2)
    out = restyle(notes, "b", "gan", strength=0.0, model=generator)
    assert sorted(out, key=Note.sort_key) == sorted(notes, key=Note.sort_key)


def test_keep_rhythm_keeps_every_onset_and_duration(generator):
    notes = phrase(4)
    out = restyle(notes, "a", "gan", keep_rhythm=True, model=generator)
    assert sorted((n.start, n.duration) for n in out) == sorted((n.start, n.duration) for n in notes)


def chords_under_a_tune(bars=2, offset=2 * BAR):
    """Held three-note chords a bar long under a tune in quarters (the app's melody-and-chords seed)."""
    notes = []
    for b in range(bars):
        t0 = offset + b * BAR
        notes += [Note(p + 2 * b, t0, BAR, 70) for p in (53, 57, 60)]
        notes += [Note(72 - i, t0 + i * TPB, TPB, 90) for i in range(4)]
    return notes


def struck_together_at_one_pitch(notes):
    return len({(n.pitch, n.start) for n in notes}) < len(notes)


@pytest.mark.parametrize("engine", ["gan", "seq2seq"])
def test_keep_rhythm_keeps_each_chord_a_chord(engine, generator, denoiser):
    notes = chords_under_a_tune()
    model = generator if engine == "gan" else denoiser
    out = restyle(
        notes, "celtic" if engine == "seq2seq" else "a", engine, keep_rhythm=True, model=model, seed=3
    )
    assert sorted((n.start, n.duration) for n in out) == sorted((n.start, n.duration) for n in notes)
    assert not struck_together_at_one_pitch(out)
    assert not holds_a_key_struck_again(out)


def test_a_rewrite_never_holds_a_key_it_strikes_again(denoiser, monkeypatch):
    """Whatever the decoder writes: here every note twice at once, each held three times its length
    over the next strike of its key (as the decoder's durations can overrun). Each note ends where its
    key is struck again, one strike per onset."""
    from musestudio.ml.generate import denoiser as decoder

    def overrun(net, tok, notes, *args):
        held = [n.with_duration(3 * n.duration) for n in notes]
        return held + [n.copy_as_new() for n in held]

    monkeypatch.setattr(decoder, "rewrite", overrun)
    for notes in (phrase(2), chords_under_a_tune()):
        out = restyle(notes, "celtic", "seq2seq", seed=1, model=denoiser)
        assert out and not holds_a_key_struck_again(out) and not struck_together_at_one_pitch(out)


def test_keep_rhythm_in_a_locked_key_loses_no_note_and_holds_no_key(denoiser, monkeypatch):
    """F and F# struck together both fall to F in C major, and so does an F# struck under a held F: each
    takes the nearest free pitch of the key instead (a snap dropped the one and held the other)."""
    from musestudio.ml.generate import denoiser as decoder

    monkeypatch.setattr(decoder, "rewrite", lambda net, tok, notes, *args: [n.copy_as_new() for n in notes])
    t0 = 2 * BAR
    notes = [Note(65, t0, BAR), Note(66, t0, TPB), Note(66, t0 + 2 * TPB, TPB), Note(72, t0, 2 * BAR)]
    key = KeySignature(0)
    out = restyle(notes, "celtic", "seq2seq", keep_rhythm=True, model=denoiser, seed=1, key=key)
    assert sorted((n.start, n.duration) for n in out) == sorted((n.start, n.duration) for n in notes)
    assert all(key.contains(n.pitch) for n in out)
    assert not struck_together_at_one_pitch(out) and not holds_a_key_struck_again(out)


def test_keep_rhythm_voices_a_chord_from_fewer_generated_voices_in_its_register():
    """The engine wrote the tune alone: each chord doubles the tune's pitch class in its own register,
    rather than striking the tune's pitch three times."""
    notes = chords_under_a_tune()
    tune = [Note(n.pitch + 2, n.start, n.duration, 90) for n in notes if n.duration == TPB]
    out = api._pitches_onto_rhythm(notes, tune, TPB)
    assert not struck_together_at_one_pitch(out)
    assert not holds_a_key_struck_again(out)
    assert sorted((n.start, n.duration, n.velocity) for n in out) == sorted(
        (n.start, n.duration, n.velocity) for n in notes
    )
    top = {n.start: n.pitch for n in tune}
    chords = [n for n in out if n.duration == BAR]
    assert len(chords) == 6 and all(36 <= n.pitch < 66 and n.pitch % 12 == top[n.start] % 12 for n in chords)
    tops = sorted((n for n in out if n.duration == TPB), key=Note.sort_key)
    assert [n.pitch for n in tops] == [n.pitch for n in sorted(tune, key=Note.sort_key)]


def test_key_puts_every_pitch_in_the_scale(generator):
    key = KeySignature(2, "minor")
    out = restyle(phrase(4), "b", "gan", key=key, model=generator)
    assert out and all(key.contains(n.pitch) for n in out)
    snapped = snap_to_key([Note(61, 0, TPB), Note(60, 0, TPB)], KeySignature(0))
    assert [n.pitch for n in snapped] == [60]  # C# falls to C, and the duplicate C is dropped


def test_bad_input_and_cancel(generator):
    kw = {"model": generator}
    with pytest.raises(BadInputError):
        restyle(phrase(1), "nope", "gan", **kw)
    with pytest.raises(BadInputError):
        restyle(phrase(1), "a", "gan", strength=1.5, **kw)
    with pytest.raises(BadInputError):
        restyle([], "a", "gan", **kw)
    with pytest.raises(BadInputError):
        restyle(phrase(1), "a", "diffusion", **kw)
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        restyle(phrase(1), "a", "gan", cancel=stop, **kw)


def test_progress_reports_start_and_end(generator):
    seen = []
    restyle(
        phrase(2),
        "a",
        "gan",
        model=generator,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_naive_baseline_moves_octaves_and_keeps_pitch_classes_and_rhythm():
    table = {"low": {"median_pitch": 48.0, "mean_velocity": 64.0}}
    notes = phrase(2)
    out = naive_restyle(notes, "low", 1.0, table)
    assert [(n.pitch % 12, n.start, n.duration) for n in out] == [
        (n.pitch % 12, n.start, n.duration) for n in notes
    ]
    assert np.median([n.pitch for n in out]) < np.median([n.pitch for n in notes])
    assert {n.velocity for n in out} == {64}


def test_corruption_levels_strip_texture_then_rhythm_then_register():
    notes = phrase(2, offset=0)
    one, two, three = (corrupt(notes, TPB, level) for level in (1, 2, 3))
    assert len(one) == len(skyline(notes)) and {n.velocity for n in one} == {80}
    assert all(n.start % (TPB // 2) == 0 for n in two) and len(two) < len(one)
    assert all(60 <= n.pitch < 72 for n in three)
    assert sorted(n.pitch % 12 for n in three) == sorted(n.pitch % 12 for n in two)
    four = corrupt(notes, TPB, 4, bars=[0, BAR, 2 * BAR])
    assert {n.start for n in four} == {0, BAR} and all(60 <= n.pitch < 72 for n in four)
    for a in (0, BAR):  # every voice's pitch classes, the commonest held for the whole bar
        chord = [n for n in four if n.start == a]
        sounding = {n.pitch % 12 for n in notes if n.start < a + BAR and n.end > a}
        assert {n.pitch % 12 for n in chord} <= sounding and len(chord) >= 3
        assert max(n.duration for n in chord) == BAR and all(n.duration >= TPB // 2 for n in chord)
        assert {n.pitch % 12 for n in notes if n.start == a and n.duration == BAR} <= {
            n.pitch % 12 for n in chord
        }


def test_the_full_strength_sketch_holds_the_target_styles_classes_per_bar():
    c_major = KeySignature(0)
    busy = [Note(p, i * TPB // 2, TPB // 2 * (8 - i), 80) for i, p in enumerate((60, 64, 67, 71, 74))]
    sparse = [Note(p, BAR + i * TPB, TPB * (4 - i), 80) for i, p in enumerate((69, 72))]
    after = [Note(65, 2 * BAR, BAR, 80)]
    notes, bars = busy + sparse + after, [0, BAR, 2 * BAR, 3 * BAR]
    own = corrupt(notes, TPB, 4, bars=bars)
    assert [sum(n.start == a for n in own) for a in bars[:3]] == [5, 2, 1]  # the source's own density
    three = corrupt(notes, TPB, 4, bars=bars, classes=3.2, key=c_major)
    first = [n for n in three if n.start == 0]
    # a busy bar keeps the three classes held longest: the harmony, not the passing colours
    assert sorted(n.pitch % 12 for n in first) == [0, 4, 7] and max(n.duration for n in first) == BAR
    # a sparse bar gains, for one eighth, the in-key class its neighbours sound longest (F from the next bar)
    second = {n.pitch % 12: n.duration for n in three if n.start == BAR}
    assert second == {9: BAR, 0: BAR * 3 // 4, 5: TPB // 2}
    assert all(c_major.contains(n.pitch) and 60 <= n.pitch < 72 for n in three)
    # without a key, only classes the neighbours sound are added
    keyless = corrupt(notes, TPB, 4, bars=bars, classes=6)
    third = {n.pitch % 12 for n in keyless if n.start == 2 * BAR}
    assert third == {5, 9, 0}
    assert corrupt(notes, TPB, 3, classes=6) == corrupt(notes, TPB, 3)  # only level 4 is a bar sketch


def test_the_run_time_sketch_follows_the_model_files_classes_only_when_it_has_them():
    from musestudio.ml.tokenizer import Tokenizer

    tok, notes = Tokenizer(), phrase(2, offset=0)
    plain, _, _ = encode_pair(tok, notes, TPB, SIGS, 0, 2 * BAR, "bach", None, 4, target=False)
    thin, _, _ = encode_pair(tok, notes, TPB, SIGS, 0, 2 * BAR, "bach", None, 4, target=False, classes=1)
    assert sum(tok.is_pitch(t) for t in thin) == 2 < sum(tok.is_pitch(t) for t in plain)


def test_a_phrase_of_only_ornaments_keeps_its_notes_when_rhythm_is_simplified():
    trill = [Note(72 + i % 2, i * TPB // 8, TPB // 8, 90) for i in range(16)]
    for level in (2, 3):
        line = corrupt(trill, TPB, level)
        assert line and all(n.start % (TPB // 2) == 0 and n.duration > 0 for n in line)


@pytest.fixture(scope="module")
def denoiser():
    """A tiny seq2seq denoiser overfitted on one phrase, so that sampling from it writes notes."""
    from musestudio.ml.generate.denoiser import encode_pair
    from musestudio.ml.models.seq2seq import Config, Seq2Seq
    from musestudio.ml.tokenizer import Tokenizer

    torch.manual_seed(0)
    tok = Tokenizer()
    model = Seq2Seq(
        Config(vocab_size=tok.vocab_size, n_styles=len(tok.styles), n_embd=32, style_dim=4, hidden=64)
    )
    notes = phrase(2)
    src, prefix, body = encode_pair(tok, notes, TPB, SIGS, 2 * BAR, 4 * BAR, "celtic", None, 3)
    tgt = prefix + body + [tok.eos_id]
    tgt_out = torch.tensor([[-100] * 3 + tgt[4:]])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    style = torch.tensor([tok.styles.index("celtic")])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: a second thread only waits on the busy machine
    for _ in range(40):
        _, loss = model(torch.tensor([src]), torch.tensor([tgt[:-1]]), style, tgt_out)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.set_num_threads(threads)
    model.tokenizer = tok
    return model.eval()


def test_seq2seq_engine_keeps_the_bars_and_repeats_with_the_seed(denoiser):
    notes = phrase(2)
    kw = {"model": denoiser}
    a = restyle(notes, "celtic", "seq2seq", seed=3, **kw)
    b = restyle(notes, "celtic", "seq2seq", seed=3, **kw)
    assert [(n.pitch, n.start, n.duration) for n in a] == [(n.pitch, n.start, n.duration) for n in b]
    assert a and all(2 * BAR <= n.start and n.end <= 4 * BAR and n.duration > 0 for n in a)
    kept = restyle(notes, "celtic", "seq2seq", seed=3, keep_rhythm=True, **kw)
    assert sorted((n.start, n.duration) for n in kept) == sorted((n.start, n.duration) for n in notes)


def test_metrics_on_known_cases():
    from musestudio.ml.eval.restyle import brunner_strength, contour_correlation, roll_chroma_similarity
    from musestudio.ml.pianoroll import phrase_input

    notes = phrase(2, offset=0)
    x = phrase_input(notes, TPB, SIGS, 0, 32)
    up_octave = phrase_input([n.moved(0, 12) for n in notes], TPB, SIGS, 0, 32)
    tritone = phrase_input([n.moved(0, 6) for n in notes], TPB, SIGS, 0, 32)
    melody = [n for n in notes if n.pitch >= 60]
    mirrored = phrase_input([n.with_pitch(150 - n.pitch) for n in melody], TPB, SIGS, 0, 32)
    assert roll_chroma_similarity(x, x) == pytest.approx(1.0)
    assert roll_chroma_similarity(x, up_octave) == pytest.approx(1.0)
    assert roll_chroma_similarity(x, tritone) < 0.6
    assert contour_correlation(x, up_octave) == pytest.approx(1.0)
    assert contour_correlation(phrase_input(melody, TPB, SIGS, 0, 32), mirrored) == pytest.approx(-1.0)
    ones, zeros = np.ones(4), np.zeros(4)
    assert brunner_strength(ones, zeros, ones) == 1.0  # fell to zero on transfer, came back on return
    assert brunner_strength(ones, ones, ones) == 0.0  # the identity moves nothing


def test_plausible_caps_voices_and_needs_a_clear_onset_to_restrike():
    from musestudio.ml.generate.rewrite_notes import plausible

    roll = np.zeros((2, 84, 4), dtype=np.float32)
    roll[1, 10:30, :] = np.linspace(0.6, 0.99, 20)[:, None]  # 20 pitches at once, all "on"
    roll[0, 10:30, 0] = 0.9
    roll[0, 29, 2] = 0.6  # a hesitant re-strike of the likeliest pitch
    out = plausible(roll)
    assert ((out[1] > 0.5).sum(axis=0) == engines.Settings().voices).all()
    assert out[0, 29, 2] == 0.0 and out[0, 29, 0] == pytest.approx(0.9)


def test_gan_strength_changes_more_as_it_grows(generator):
    notes = phrase(4)
    base = {(n.pitch, n.start) for n in notes}

    def changed(s):
        out = restyle(notes, "b", "gan", strength=s, model=generator)
        return len(base ^ {(n.pitch, n.start) for n in out})

    low, mid, full = changed(0.1), changed(0.5), changed(1.0)
    assert 0 < low and 0 < mid and max(low, mid) < full


def test_held_to_voices_cuts_the_earliest_held_note_when_a_voice_too_many_enters():
    held = [Note(48 + 4 * i, i * TPB, 8 * TPB, 80) for i in range(8)]  # a new voice every beat, all held
    out = held_to_voices(held, voices=6)
    assert len(out) == 8 and [n.start for n in out] == [n.start for n in held]
    for t in range(0, 9 * TPB, TPB // 4):
        assert sum(n.start <= t < n.end for n in out) <= 6
    assert out[0].duration == 6 * TPB and out[1].duration == 6 * TPB and out[2].duration == 8 * TPB
    chord = [Note(60 + i, 0, TPB, 80) for i in range(8)]  # struck at once: the extra voices go
    assert len(held_to_voices(chord, voices=6)) == 6


@pytest.mark.parametrize("keep_rhythm", [False, True])
def test_a_phrase_written_in_one_beat_bars_is_rewritten_as_in_the_bars_it_is_heard_in(keep_rhythm, denoiser):
    """A sequencer's beat grid (1/4 throughout) marks beats, not bars: the rewrite is the 4/4 one, and it
    covers the written bars even where the heard ones begin earlier (a downbeat on the fourth beat)."""
    options = Options(style="celtic", seed=2, keep_rhythm=keep_rhythm)
    loaded = engines.Loaded.in_memory(denoiser, denoiser.tokenizer)

    def rewritten(notes, sigs):
        return api.restyle(notes, options, "seq2seq", tpb=TPB, time_signatures=sigs, model=loaded)

    beats = (TimeSignature(0, 1, 4),)
    notes = chords_under_a_tune(3)  # its downbeats hold the most onsets
    assert triples(rewritten(notes, beats)) == triples(rewritten(notes, SIGS))
    late = rewritten(phrase(3), beats)  # its sixteenth runs put the most onsets on each fourth beat
    assert late and all(2 * BAR <= n.start and n.end <= 5 * BAR for n in late)


def triples(notes):
    return [(n.pitch, n.start, n.duration) for n in notes]


@pytest.mark.parametrize("strength", [0.5, 1.0])
def test_a_phrase_that_leans_steadily_off_the_beat_is_rewritten_as_on_the_beat_and_leans_with_it(
    strength, denoiser
):
    """A phrase a steady 43 ticks late (POP909's melodies, a keyboard recorded through a latency) is
    rewritten as the same phrase on the beat, every note 43 ticks late with it: kept notes at their played
    onsets, new ones with the music's lean, none a flam away from the tracks around it."""
    options = Options(style="celtic", seed=2, strength=strength)
    loaded = engines.Loaded.in_memory(denoiser, denoiser.tokenizer)

    def rewritten(notes):
        return api.restyle(notes, options, "seq2seq", tpb=TPB, time_signatures=SIGS, model=loaded)

    on_beat = chords_under_a_tune(3)
    late = rewritten([n.moved(43) for n in on_beat])
    assert late and triples(late) == [(p, s + 43, d) for p, s, d in triples(rewritten(on_beat))]


def test_a_played_phrase_keeps_its_played_notes_where_a_rewrite_keeps_them(denoiser):
    """Played with a player's jitter (no steady lean): the notes the rewrite keeps come back as played."""
    import random

    rnd = random.Random(3)
    on_beat = chords_under_a_tune(3)
    played = [Note(n.pitch, n.start + rnd.randint(-25, 25), n.duration, n.velocity) for n in on_beat]
    options = Options(style="celtic", seed=2, strength=0.25)
    loaded = engines.Loaded.in_memory(denoiser, denoiser.tokenizer)
    out = api.restyle(played, options, "seq2seq", tpb=TPB, time_signatures=SIGS, model=loaded)
    as_played = {(n.pitch, n.start) for n in played}
    assert sum((n.pitch, n.start) in as_played for n in out) >= len(on_beat) // 2


def test_keep_rhythm_keeps_a_played_rhythm_as_played(denoiser):
    import random

    rnd = random.Random(4)
    played = [Note(n.pitch, n.start + rnd.randint(-25, 25), n.duration, 80) for n in chords_under_a_tune(3)]
    options = Options(style="celtic", seed=2, keep_rhythm=True)
    loaded = engines.Loaded.in_memory(denoiser, denoiser.tokenizer)
    out = api.restyle(played, options, "seq2seq", tpb=TPB, time_signatures=SIGS, model=loaded)
    assert sorted((n.start, n.duration) for n in out) == sorted((n.start, n.duration) for n in played)
