"""Restyle's Arrange through the real window with the shipped parts model: Arrange is Restyle's default,
a take holds the tune (in its track) and the style's parts (new tracks, drawn in their colours), Keep is
one undo step, and switching to Rewrite brings back the rewrite engines with their own strength."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from musestudio.core.events import VOLUME, ControlEvent
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import ARRANGE, PARTS, RESTYLE, missing_model
from musestudio.ml.generate.arrange_styles import DEFAULT_STRENGTH, TEXTURES
from musestudio.ml.generate.request import RUN_SEEDS, SEEDS, new_part_id
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.generate.takes_recovery import takes_from_dict
from tests.ui.ui_helpers import keep_note

TPB = 480
BAR = 4 * TPB
TIMEOUT_MS = 180_000

pytestmark = pytest.mark.skipif(missing_model(ARRANGE, PARTS) is not None, reason="no shipped parts model")


def song() -> Project:
    steps = [72, 72, 79, 79, 81, 81, 79, 79, 77, 77, 76, 76, 74, 74, 72, 72]
    melody = Track(name="Tune", notes=tuple(Note(p, i * TPB, TPB, 90) for i, p in enumerate(steps)))
    drums = Track(
        name="Drums", channel=9, is_drum=True, notes=tuple(Note(36, b * BAR, 120, 100) for b in range(4))
    )
    return Project(tracks=(melody, drums))


def triples(notes):
    return sorted((n.pitch, n.start, n.duration) for n in notes)


def arrange_in(qtbot, window, where: str, style: str, **spins) -> None:
    """Restyle as Arrange (its default) over ``where`` in ``style``, one take unless ``spins`` say (the
    panel's spin boxes by name); press Generate and wait for the takes."""
    panel = window.generate.panel
    panel.set_mode(RESTYLE)
    panel.where.setCurrentIndex(panel.where.findData(where))
    panel.set_style(style)
    for name, value in {"variations": 1, **spins}.items():
        getattr(panel, name).setValue(value)
    with qtbot.waitSignal(window.generate.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["result"], window.generate.error


def test_arrange_take_then_keep_adds_the_parts_as_one_undo_step(qtbot, make_window):
    window = make_window(song())
    before = window.document.project
    tune = before.tracks[0]
    panel = window.generate.panel
    panel.set_mode(RESTYLE)
    assert panel.choices()["mode"] == ARRANGE and panel.engine.currentData() == PARTS  # the default
    assert panel.strength.value() == DEFAULT_STRENGTH
    panel.where.setCurrentIndex(panel.where.findData("track"))
    panel.set_style("bach")
    panel.strength.setValue(0.0)
    panel.variations.setValue(2)
    panel.seed.setValue(3)
    gen = window.generate
    with qtbot.waitSignal(gen.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["result"], gen.error
    assert len(gen.takes) == 2
    voices = TEXTURES["bach"].voices
    for take in gen.takes:
        ids = [tid for tid, _ in take.parts]
        assert ids == [tune.id, *(new_part_id(k) for k in range(len(voices)))]
        assert triples(dict(take.parts)[tune.id]) == triples(tune.notes)  # strength 0: the tune as it was
        assert (take.start, take.end) == (0, 4 * BAR)
    # each with a seed of its own (the run's, then the run's + RUN_SEEDS), which draws it again alone
    rows = [gen.takes_panel.list.topLevelItem(r) for r in range(2)]
    assert sorted(int(r.text(3)) for r in rows) == [3, 3 + RUN_SEEDS]
    assert all(r.toolTip(3).startswith("This take's own seed") for r in rows)
    # each is scored on the harmony of the tune it keeps too, said beside the judges, and a recovery copy
    # lists it again with that part of its score
    for take, row in zip(gen.takes, rows, strict=True):
        assert 0.0 < take.harmony <= 1.0
        assert f"keeps {round(100 * take.harmony)}% of the harmony" in row.toolTip(4)
    again = takes_from_dict(before, gen.recovery_takes())
    assert [t.harmony for t in again] == [t.harmony for t in gen.takes]
    take = gen.current_take()
    colours = {gen.overlay.colours[gen.takes_panel.current_row()][i].name() for i in range(len(take.notes))}
    assert len(colours) == 1 + len(voices), "the tune and each new part in a colour of its own"
    assert gen.keep()
    after = window.document.project
    assert [t.name for t in after.tracks] == ["Tune", "Drums", *(f"{v.name} (Bach chorale)" for v in voices)]
    assert triples(after.tracks[0].notes) == triples(tune.notes)
    assert after.tracks[1] == before.tracks[1]
    assert [t.program for t in after.tracks[2:]] == [v.program for v in voices]
    assert all(t.notes for t in after.tracks[2:])
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project.tracks == before.tracks
    second = next(t for t in gen.takes if t.seed == 3 + RUN_SEEDS)
    arrange_in(qtbot, window, "track", "bach", strength=0.0, variations=1, seed=3 + RUN_SEEDS)
    (alone,) = gen.takes
    assert alone.seed == second.seed and triples(alone.notes) == triples(second.notes)


def test_every_seed_a_take_of_the_top_seed_shows_goes_in_the_seed_box_and_draws_that_take(qtbot, make_window):
    """The top seed the seed box holds, eight variations: takes 2-8 showed seeds over 2^31 - 1, which the box
    cannot hold (typed, it stopped at its top and drew take 1 again). They are the run's first places,
    each seed one the box takes, and Generate with it and one variation lists that take again."""
    window = make_window(song())
    gen, panel = window.generate, window.generate.panel
    arrange_in(qtbot, window, "track", "jazz", variations=8, seed=SEEDS - 1)
    rows = [gen.takes_panel.list.topLevelItem(r) for r in range(len(gen.takes))]
    shown = {int(row.text(3)) for row in rows}
    assert len(shown) == 8 and all(0 <= seed < SEEDS for seed in shown)
    last = max(gen.takes, key=lambda t: t.number)  # the run's place after the top's: its first
    panel.seed.setValue(last.seed)
    assert panel.seed.value() == last.seed == (SEEDS - 1) % RUN_SEEDS + 6 * RUN_SEEDS
    arrange_in(qtbot, window, "track", "jazz", variations=1, seed=last.seed)
    (alone,) = gen.takes
    assert alone.seed == last.seed and triples(alone.notes) == triples(last.notes)


def test_a_song_in_one_beat_bars_is_arranged_in_four_four_and_keeps_its_meter(qtbot, make_window):
    """A sequencer's beat grid (1/4 throughout): the take is the one of the same song in 4/4, over the
    written bars, and keeping it leaves the song's meter as it was."""
    from dataclasses import replace

    from musestudio.core.project import TimeSignature

    def arranged(project: Project):
        window = make_window(project)
        arrange_in(qtbot, window, "track", "pop", seed=3)
        return window

    beats = replace(song(), time_signatures=(TimeSignature(0, 1, 4),))
    window, bars = arranged(beats), arranged(song())
    take, same = window.generate.takes[0], bars.generate.takes[0]
    assert (take.start, take.end) == (same.start, same.end) == (0, 4 * BAR)
    assert [triples(n) for _, n in take.parts] == [triples(n) for _, n in same.parts]
    assert window.generate.keep()
    assert window.document.project.time_signatures == beats.time_signatures


def test_rewrite_lists_the_rewrite_engines_and_keeps_its_own_strength(qtbot, make_window):
    window = make_window(song())
    panel = window.generate.panel
    panel.set_mode(RESTYLE)
    panel.strength.setValue(0.2)
    panel.set_restyle_as(RESTYLE)
    assert panel.choices()["mode"] == RESTYLE
    assert [panel.engine.itemData(i) for i in range(panel.engine.count())] == ["gan", "seq2seq"]
    assert panel.strength.value() == 1.0
    panel.set_restyle_as(ARRANGE)
    assert panel.strength.value() == 0.2 and panel.engine.currentData() == PARTS
    assert panel.form.is_row_visible(panel.restyle_as) and not panel.form.is_row_visible(panel.voices)


def test_arranging_a_selection_writes_only_its_bars(qtbot, make_window):
    window = make_window(song())
    before = window.document.project
    tune = before.tracks[0]
    selected = [n for n in tune.notes if BAR <= n.start < 3 * BAR]
    window.state.set_selection(n.id for n in [*selected, *before.tracks[1].notes])  # drums too: ignored
    arrange_in(qtbot, window, "selection", "pop", strength=0.0)
    gen = window.generate
    (take,) = gen.takes
    assert (take.start, take.end) == (BAR, 3 * BAR)
    assert all(BAR <= n.start and n.end <= 3 * BAR for n in take.notes)
    assert gen.keep()
    after = window.document.project
    assert triples(after.tracks[0].notes) == triples(tune.notes)  # strength 0: the tune as it was
    assert {n.id for n in after.tracks[0].notes} >= {n.id for n in tune.notes if n not in selected}
    assert [t.name for t in after.tracks[2:]] == [f"{v.name} (Pop)" for v in TEXTURES["pop"].voices]


def test_arranging_a_selection_inside_a_bar_writes_nothing_over_the_rest_of_the_bar(qtbot, make_window):
    """The style's parts play under the selected notes alone: beats 1-2 of the bar, not selected, stay the
    tune's own, with nothing new under them, and nothing sounds on after the selection ends."""
    window = make_window(song())
    tune = window.document.project.tracks[0]
    selected = [n for n in tune.notes if BAR + 2 * TPB <= n.start < 2 * BAR]  # beats 3-4 of bar 2
    window.state.set_selection(n.id for n in selected)
    arrange_in(qtbot, window, "selection", "pop", strength=0.0)
    (take,) = window.generate.takes
    assert take.notes and all(BAR + 2 * TPB <= n.start and n.end <= 2 * BAR for n in take.notes)
    assert window.generate.keep()
    after = window.document.project
    assert triples(after.tracks[0].notes) == triples(tune.notes)  # strength 0: the tune as it was
    new_parts = [n for t in after.tracks[2:] for n in t.notes]
    assert new_parts and all(BAR + 2 * TPB <= n.start and n.end <= 2 * BAR for n in new_parts)


def test_arranging_beats_one_and_four_of_a_bar_writes_nothing_under_the_unselected_beats_between(
    qtbot, make_window
):
    """The style's parts play under the selected notes alone: beats 2-3 of the bar, not selected, stay the
    tune's own with nothing new under them, though the selection goes on after them. (Before: the parts
    filled the whole bar.)"""
    window = make_window(song())
    tune = window.document.project.tracks[0]
    selected = [n for n in tune.notes if n.start in (BAR, BAR + 3 * TPB)]  # beats 1 and 4 of bar 2
    window.state.set_selection(n.id for n in selected)
    arrange_in(qtbot, window, "selection", "pop", strength=0.0)
    (take,) = window.generate.takes
    spans = ((BAR, BAR + TPB), (BAR + 3 * TPB - TPB // 8, 2 * BAR))
    assert take.notes and all(any(a <= n.start and n.end <= b for a, b in spans) for n in take.notes)
    assert window.generate.keep()
    after = window.document.project
    assert triples(after.tracks[0].notes) == triples(tune.notes)  # strength 0: the tune as it was
    new_parts = [n for t in after.tracks[2:] for n in t.notes]
    assert new_parts and all(any(a <= n.start and n.end <= b for a, b in spans) for n in new_parts)


def test_arranging_a_chordal_track_says_what_keep_does_with_the_notes_under_the_tune(qtbot, make_window):
    """Arrange keeps the tune, the top line: a chordal track's notes under it give way to the new parts.
    The panel says so before Keep, the status bar after; Keep as New Track leaves the track as it is."""
    tune = song().tracks[0]
    chords = tuple(Note(p, b * BAR, BAR, 70) for b in range(4) for p in (60, 64, 67))
    piano = Project(tracks=(tune.with_notes(tune.notes + chords),))
    window = make_window(piano)
    arrange_in(qtbot, window, "track", "pop", strength=0.0)
    message = keep_note(window)
    assert "without the 12 note(s) under it" in message and "Keep as New Track leaves “Tune”" in message
    assert window.generate.keep()
    assert "12 note(s) under the tune gave way" in window.statusBar().currentMessage()
    (kept,) = [t for t in window.document.project.tracks if t.id == tune.id]
    assert triples(kept.notes) == triples(tune.notes)
    window.undo_stack.undo()
    assert window.document.project.tracks == piano.tracks
    window.generate.keep(new_track=True)
    (left,) = [t for t in window.document.project.tracks if t.id == tune.id]
    assert left.notes == piano.tracks[0].notes and left.mute  # left as it is, muted: its copy plays


def test_arranging_a_single_line_says_nothing_of_notes_under_it(qtbot, make_window):
    window = make_window(song())
    arrange_in(qtbot, window, "track", "pop", strength=0.0)
    assert "under it" not in keep_note(window)


def test_arranging_a_piece_without_tracks_says_there_are_no_notes(qtbot, make_window):
    """A file with a tempo and a meter but no notes opens with no track: Arrange says there is nothing
    to arrange, not that a drum track was chosen."""
    window = make_window(Project())
    panel = window.generate.panel
    panel.set_mode(RESTYLE)
    panel.where.setCurrentIndex(panel.where.findData("track"))
    with qtbot.waitSignal(window.generate.generation_finished, timeout=TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["error"]
    assert panel.message.text() == "The active track has no notes to restyle."


@pytest.mark.parametrize("language", ["en"], indirect=True)
@pytest.mark.parametrize(
    ("held", "before", "after"),
    [
        (4, "with 4 notes held under a higher one cut where it enters", ": 4 held notes were cut short"),
        (1, "with 1 note held under a higher one cut where it enters", ": 1 held note was cut short"),
    ],
)
def test_arranging_a_track_whose_held_bass_the_tune_cuts_says_so(
    language, qtbot, make_window, held, before, after
):
    """A bass held through a bar is the tune on beat one and cut where the tune enters: said, in English
    counted as English ("1 note held", "4 notes held"; before, "1 notes held" and "1 were cut short"), and
    with no word of the notes under the tune, as none is (before, "without the 0 notes under it")."""
    notes = [Note(48, b * BAR, BAR, 70) for b in range(held)]
    notes += [Note(67 + k, b * BAR + k * TPB, TPB, 90) for b in range(4) for k in (1, 2, 3)]
    window = make_window(Project(tracks=(Track(name="Piano", notes=tuple(notes)),)))
    arrange_in(qtbot, window, "track", "pop", strength=0.0)
    assert before in keep_note(window)
    assert "without the 0 notes" not in keep_note(window)  # none is under the tune
    assert window.generate.keep()
    assert after in window.statusBar().currentMessage()
    assert "0 notes under the tune" not in window.statusBar().currentMessage()


def test_arranging_part_of_a_tune_leaves_the_arranged_notes_in_the_octave_of_the_notes_around_them(
    qtbot, make_window
):
    """At Arrange's own strength the tune moves into the idiom's register when it is far from it: the whole
    tune does, but a selection is a phrase of a longer line whose other notes stay where they are, so its
    arranged notes stay in their octave too. (Before: bar 2 of a high tune came back an octave below bars
    1 and 3, and the new parts were written under it there.)"""
    window = make_window(song())
    tune = window.document.project.tracks[0]
    selected = [n for n in tune.notes if BAR <= n.start < 2 * BAR]
    window.state.set_selection(n.id for n in selected)
    arrange_in(qtbot, window, "selection", "pop", seed=3)
    assert window.generate.panel.strength.value() == DEFAULT_STRENGTH
    (take,) = window.generate.takes
    arranged = dict(take.parts)[tune.id]
    assert arranged and min(n.pitch for n in arranged) >= min(n.pitch for n in selected) - 2
    assert window.generate.keep()
    after = window.document.project.tracks[0]
    bar_two = [n.pitch for n in after.notes if BAR <= n.start < 2 * BAR]
    assert min(bar_two) >= min(n.pitch for n in tune.notes) - 2  # no octave below the tune's lowest note


def test_arranging_a_whole_tune_far_from_the_idioms_register_still_moves_it_there(qtbot, make_window):
    window = make_window(song())
    tune = window.document.project.tracks[0]
    arrange_in(qtbot, window, "track", "pop", seed=3)
    (take,) = window.generate.takes
    assert max(n.pitch for n in dict(take.parts)[tune.id]) < min(n.pitch for n in tune.notes)


def test_keeping_a_second_arrange_take_puts_its_parts_in_place_of_the_first_takes_parts(qtbot, make_window):
    """Keep take 1, then take 2 of one Arrange: take 2's piano and bass go into the tracks take 1's went
    into, in place of them (not a second piano and bass beside them); Undo brings take 1's back."""
    window = make_window(song())
    arrange_in(qtbot, window, "track", "pop", variations=2, seed=3)
    gen = window.generate
    first, second = gen.takes[:2]
    assert gen.keep()
    after_first = window.document.project
    tracks = len(after_first.tracks)
    assert gen.keep()
    project = window.document.project
    assert len(project.tracks) == tracks
    for (track_id, part), added in zip(second.parts[1:], project.tracks[-2:], strict=True):
        assert track_id < 0
        assert sorted((n.pitch, n.start, n.duration) for n in added.notes) == sorted(
            (n.pitch, n.start, n.duration) for n in part
        )
    window.undo_stack.undo()
    assert window.document.project == after_first


def test_a_celtic_session_take_and_band_takes_kept_in_turn_leave_one_take_in_the_tracks(qtbot, make_window):
    """A Celtic session's take has the fiddle and the flute alone (the takes differ in their settings, so
    one of the first three is the session's). Kept in place
    after a band's take, it puts its flute into that take's flute track and takes the guitar and the bass
    out with their notes (no empty tracks); kept first, it adds a flute track alone. Another band take
    kept after it puts its flute there and adds a guitar and a bass, so the bars hold one take. Undo
    goes back a take at a time."""
    window = make_window(song())
    arrange_in(qtbot, window, "track", "celtic", variations=3, seed=3)
    gen = window.generate
    names, celtic = [v.name for v in TEXTURES["celtic"].voices], style_label("celtic")
    (session,) = [t for t in gen.takes if not all(notes for _, notes in t.parts)]
    band, changes = [t for t in gen.takes if t is not session]
    assert [bool(notes) for _, notes in session.parts[1:]] == [n == "Flute" for n in names]
    before = {t.id for t in window.document.project.tracks}

    def added(project: Project) -> dict[str, list]:
        return {t.name: triples(t.notes) for t in project.tracks if t.id not in before}

    def parts(take) -> dict[str, list]:
        return {
            f"{n} ({celtic})": triples(notes)
            for n, (_, notes) in zip(names, take.parts[1:], strict=True)
            if notes
        }

    def keep(take) -> Project:
        takes = gen.takes_panel.list
        takes.setCurrentItem(takes.topLevelItem(gen.takes.index(take)))
        assert gen.current_take() is take
        assert gen.keep()
        return window.document.project

    after_band = keep(band)
    assert added(after_band) == parts(band) and len(parts(band)) == 3
    after_session = keep(session)
    assert added(after_session) == parts(session) == {f"Flute ({celtic})": triples(session.parts[-1][1])}
    assert [t.id for t in after_session.tracks if t.id not in before] == [after_band.tracks[-1].id]
    after_changes = keep(changes)
    assert added(after_changes) == parts(changes) and len(parts(changes)) == 3
    window.undo_stack.undo()
    assert window.document.project == after_session
    window.undo_stack.undo()
    assert window.document.project == after_band


def test_a_celtic_session_take_kept_as_new_tracks_adds_the_tune_and_the_flute_alone(qtbot, make_window):
    """Keep as New Track of a session's take: a copy of the tune and the flute, no empty guitar or bass."""
    window = make_window(song())
    arrange_in(qtbot, window, "track", "celtic", variations=3, seed=3)
    gen = window.generate
    (row,) = [k for k, t in enumerate(gen.takes) if not all(notes for _, notes in t.parts)]
    session = gen.takes[row]
    before = {t.id for t in window.document.project.tracks}
    gen.takes_panel.list.setCurrentItem(gen.takes_panel.list.topLevelItem(row))
    assert gen.keep(new_track=True)
    added = [t for t in window.document.project.tracks if t.id not in before]
    assert [triples(t.notes) for t in added] == [triples(notes) for _, notes in session.parts if notes]
    assert added[-1].name == f"Flute ({style_label('celtic')})" and added[-1].program == 73


def test_a_session_take_leaves_a_band_track_holding_the_users_controllers(qtbot, make_window):
    """Kept in place after a band's take, a session's take empties the guitar's track of the band's chords
    but keeps the track where the user drew a volume curve in it: only a track holding nothing goes."""
    window = make_window(song())
    arrange_in(qtbot, window, "track", "celtic", variations=3, seed=3)
    gen = window.generate
    (row,) = [k for k, t in enumerate(gen.takes) if not all(notes for _, notes in t.parts)]
    takes = gen.takes_panel.list
    takes.setCurrentItem(takes.topLevelItem(0 if row else 1))
    assert gen.keep()
    guitar = next(t for t in window.document.project.tracks if t.name.startswith("Guitar"))
    curve = (ControlEvent(0, VOLUME, 90), ControlEvent(BAR, VOLUME, 70))
    window.editor.replace_lane_range(guitar.id, VOLUME, 0, BAR + 1, curve)
    session = next(t for t in gen.takes if not all(notes for _, notes in t.parts))
    takes.setCurrentItem(takes.topLevelItem(gen.takes.index(session)))
    assert gen.keep()
    kept = next(t for t in window.document.project.tracks if t.id == guitar.id)
    assert not kept.notes and [(e.tick, e.value) for e in kept.lane(VOLUME)] == [(0, 90), (BAR, 70)]
    assert not any(t.name.startswith("Bass") for t in window.document.project.tracks)


def with_accompaniment(bass_bars: int) -> Project:
    """``song()`` with its own bass and chords: the bass over ``bass_bars`` bars, the chords over the four
    bars of the tune."""
    bass = Track(
        name="Bass",
        program=33,
        channel=1,
        notes=tuple(Note(36, b * BAR, BAR, 80) for b in range(bass_bars)),
    )
    chords = Track(
        name="Chords",
        channel=2,
        notes=tuple(Note(p, b * BAR, BAR, 60) for b in range(4) for p in (60, 64, 67)),
    )
    return song().with_(tracks=(*song().tracks, bass, chords))


def test_keeping_an_arrangement_mutes_the_tracks_its_parts_take_the_place_of_in_the_same_step(
    qtbot, make_window
):
    """The song's own bass and chords would play under the arrangement's piano and bass: the panel says
    Keep mutes them, the audition plays the take without them, and Keep mutes them in its one undo step
    (Undo sounds them again). The drums, which no part replaces, play on."""
    window = make_window(with_accompaniment(4))
    before = window.document.project
    arrange_in(qtbot, window, "track", "pop")
    assert "Keep mutes “Bass”, “Chords”, whose place" in keep_note(window)
    gen = window.generate
    heard = gen.preview_project(gen.current_take())
    assert [t.mute for t in heard.tracks[:4]] == [False, False, True, True]
    assert gen.keep()
    after = window.document.project
    assert [t.name for t in after.tracks if t.mute] == ["Bass", "Chords"]
    assert all(not t.mute for t in after.tracks[4:]) and after.tracks[4:]
    assert "muted “Bass”, “Chords”" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project == before


def test_a_track_that_goes_on_past_the_arranged_bars_plays_along_and_is_said_to(qtbot, make_window):
    """A bass that goes on after the tune's bars is not muted (muting it would silence it there too):
    the panel says it plays along with the arranged parts."""
    window = make_window(with_accompaniment(6))
    arrange_in(qtbot, window, "track", "pop")
    message = keep_note(window)
    assert "Keep mutes “Chords”, whose place" in message and "outside its bars: “Bass”" in message
    assert window.generate.keep()
    assert [t.name for t in window.document.project.tracks if t.mute] == ["Chords"]


def test_keeping_an_arrangement_as_new_tracks_mutes_the_tracks_it_doubles_in_the_same_step(
    qtbot, make_window
):
    """Keep as New Track puts the arranged tune and parts in tracks of their own. Before, it muted nothing:
    the song's tune played with its arranged copy and its bass and chords under the new piano and bass. It
    mutes what Keep mutes and the tune's own track too (its notes left as they are), says so before and
    after, and one Undo gives all back. The drums, which no part replaces, play on."""
    window = make_window(with_accompaniment(4))
    before = window.document.project
    arrange_in(qtbot, window, "track", "pop")
    gen = window.generate
    assert "Keep as New Track mutes “Tune”, “Bass”, “Chords”" in keep_note(window)
    assert gen.keep(new_track=True)
    after = window.document.project
    assert [t.name for t in after.tracks if t.mute] == ["Tune", "Bass", "Chords"]
    assert [t.notes for t in after.tracks[:4]] == [t.notes for t in before.tracks]
    assert after.tracks[4:] and not any(t.mute for t in after.tracks[4:])
    assert "muted “Tune”, “Bass”, “Chords” (Undo unmutes)" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.project == before


def test_keeping_an_arrangement_of_a_selection_as_new_tracks_leaves_the_tune_playing_around_it(
    qtbot, make_window
):
    """Arranging two bars of the tune: its track goes on outside them, so Keep as New Track leaves it
    playing (muting it would silence the other bars) and the panel says the tune is heard twice there."""
    window = make_window(with_accompaniment(4))
    tune = window.document.project.tracks[0]
    window.state.set_selection(n.id for n in tune.notes if n.start < 2 * BAR)
    arrange_in(qtbot, window, "selection", "pop")
    message = keep_note(window)
    assert "Keep as New Track leaves “Tune” playing" in message
    assert "in those bars it plays along with the take" in message and "copy" not in message
    assert window.generate.keep(new_track=True)
    assert not window.document.project.tracks[0].mute


def test_an_arrangement_kept_as_new_tracks_after_another_kept_in_place_mutes_the_tune_holding_it(
    qtbot, make_window
):
    """Take 1 kept in place is the tune's track now, every note of it take 1's tune: take 2 kept as new
    tracks plays the same bars, so that track is muted too, not left playing as if it went on outside
    them (as it was, with take 1's tune and take 2's heard at once)."""
    window = make_window(with_accompaniment(4))
    arrange_in(qtbot, window, "track", "pop", variations=2, seed=3)
    gen = window.generate
    assert gen.keep()
    first = {t.id for t in window.document.project.tracks[4:]}
    assert "Keep as New Track mutes “Tune”" in keep_note(window)
    assert gen.keep(new_track=True)
    after = window.document.project
    assert after.tracks[0].mute and all(t.mute for t in after.tracks if t.id in first)


def test_keeping_a_take_in_place_after_another_as_new_tracks_sounds_the_tune_again(qtbot, make_window):
    """Take 1 kept as new tracks muted the tune's own track; take 2 kept in place puts its tune back there,
    so that track sounds again (its tune would be silent) and take 1's tracks are muted in its place."""
    window = make_window(with_accompaniment(4))
    arrange_in(qtbot, window, "track", "pop", variations=2, seed=3)
    gen = window.generate
    assert gen.keep(new_track=True)
    first = {t.id for t in window.document.project.tracks[4:]}
    assert "Keep unmutes “Tune”: the tune goes back into it." in keep_note(window)
    assert gen.keep()
    after = window.document.project
    assert not after.tracks[0].mute and "unmuted “Tune”" in window.statusBar().currentMessage()
    assert all(t.mute for t in after.tracks if t.id in first)
    assert [t.name for t in after.tracks[:4] if t.mute] == ["Bass", "Chords"]
    window.undo_stack.undo()
    assert window.document.project.tracks[0].mute


def test_a_take_kept_in_place_into_parts_a_keep_as_new_tracks_muted_sounds_them_again(qtbot, make_window):
    """Take 1 in place (its parts in new tracks), take 2 as new tracks (muting the tune and take 1's parts),
    take 3 in place: its parts go into take 1's parts' tracks, so they sound again with the tune; they
    stayed muted, and take 3's parts were silent."""
    window = make_window(with_accompaniment(4))
    arrange_in(qtbot, window, "track", "pop", variations=3, seed=3)
    gen = window.generate
    assert gen.keep()
    parts = window.document.project.tracks[4:]
    assert gen.keep(new_track=True) and all(window.document.project.track_by_id(t.id).mute for t in parts)
    message = keep_note(window)
    assert (
        f"Keep unmutes {', '.join(f'“{t.name}”' for t in parts)}: this take's new parts go there." in message
    )
    assert gen.keep()
    after = window.document.project
    assert not after.tracks[0].mute and not any(after.track_by_id(t.id).mute for t in parts)
    assert all(t.mute for t in after.tracks[4 + len(parts) :])  # take 2's
    window.undo_stack.undo()
    assert all(window.document.project.track_by_id(t.id).mute for t in parts)


def test_arranging_a_bar_of_a_tune_harmonises_it_in_the_key_the_panel_shows(make_window):
    """Before: Arrange read the key from the selected notes alone, so bar 2 of a C major tune (G F E D)
    was harmonised in D minor while the panel said "Detected (C major)". It goes by the whole track's key,
    as every other mode does, unless the user picks "From the selection"."""
    from musestudio.core.keys import detect_key

    window = make_window(song())
    gen, tune = window.generate, window.document.project.tracks[0]
    bar = [n for n in tune.notes if BAR <= n.start < 2 * BAR]
    window.state.set_selection(n.id for n in bar)
    gen.panel.set_mode(RESTYLE)
    gen.panel.where.setCurrentIndex(gen.panel.where.findData("selection"))
    shown = detect_key(tune.notes)
    assert detect_key(bar) != shown and gen.panel.key.itemText(0) == f"Detected ({shown.name})"
    assert gen.build_request().options.key == shown
    gen.panel.key.setCurrentIndex(gen.panel.key.findText("From the selection"))
    assert gen.build_request().options.key == detect_key(bar)


@pytest.mark.parametrize("strength", [0.0, DEFAULT_STRENGTH])
def test_a_tune_note_fixed_before_keep_stays_fixed(qtbot, make_window, strength):
    """The musician hears the arrangement, fixes a note of the tune (a semitone up), deletes another and
    moves a third into the next bar, then keeps the take. Before, Keep put the tune back as it was at the
    click: the fixed note wrong again, the deleted one back, the moved one twice. Now each is as the user
    left it, with the arrangement's change to it (at 0.5, a move into the idiom's register) on top."""
    window = make_window(song())
    arrange_in(qtbot, window, "track", "pop", strength=strength)
    gen, tune = window.generate, window.document.project.tracks[0]
    take = gen.current_take()
    (sung,) = (notes for track_id, notes in take.parts if track_id == tune.id)
    fixed, deleted, moved = (n for n in tune.notes if n.start in (TPB, 5 * TPB, 8 * TPB))
    (fixed_as, deleted_as, moved_as) = (
        [m for m in sung if m.start == n.start] for n in (fixed, deleted, moved)
    )
    window.state.set_selection([fixed.id])
    window.editor.transpose_selection(1)
    window.editor.delete_notes([deleted.id])
    window.editor.move_notes([moved], 2 * BAR, 0)  # to bar 5: out of the bars the take was drawn for
    assert gen.keep()
    kept = window.document.project.tracks[0].notes
    after = {(n.pitch, n.start) for n in kept}
    assert [(m.pitch + 1, m.start) in after and (m.pitch, m.start) not in after for m in fixed_as] == [True]
    assert [(m.pitch, m.start) in after for m in deleted_as] == [False]
    assert [(m.pitch, m.start) in after for m in moved_as] == [False]
    assert (moved.pitch, moved.start + 2 * BAR) in after
    assert len(kept) == len(after)  # no note twice


def test_after_keeping_an_arrangement_the_panel_no_longer_says_keep_mutes(qtbot, make_window):
    """Keep take 1: the song's bass and chords are muted, so the panel no longer says Keep mutes them (take
    2, current now, goes in place of take 1). Undo unmutes them and lists take 1 again: said again. Discard
    All: nothing is said of takes no longer listed. (Before, "Keep mutes ..." stayed after each.)"""
    window = make_window(with_accompaniment(4))
    arrange_in(qtbot, window, "track", "pop", variations=2, seed=3)
    gen = window.generate
    assert "Keep mutes “Bass”, “Chords”" in keep_note(window)
    assert gen.keep()
    assert "Keep mutes" not in keep_note(window)
    assert "Keep puts this take in place of take 1, kept before it" in keep_note(window)
    window.undo_stack.undo()
    assert "Keep mutes “Bass”, “Chords”" in keep_note(window)
    gen.discard_all()
    assert keep_note(window) == "" and gen.panel.message.text() == ""


def held_bass_piano() -> Project:
    """A piano part: a bass held through each bar, the tune entering on beat 2 (the bass is the tune on
    beat one, cut where the tune enters)."""
    notes = [Note(48, b * BAR, BAR, 70) for b in range(4)]
    notes += [Note(67 + k, b * BAR + k * TPB, TPB, 90) for b in range(4) for k in (1, 2, 3)]
    return Project(tracks=(Track(name="Piano", notes=tuple(notes)),))


@pytest.mark.parametrize("strength", [0.0, DEFAULT_STRENGTH])
def test_a_held_note_the_tune_cuts_edited_before_keep_stays_edited(qtbot, make_window, strength):
    """At strength 0 the take's tune came back with new ids, and Keep found the user's edits by the notes'
    sound: a held bass cut where the tune enters does not sound as it did, so the bass the user moved up
    a tone came back where it was, and the one they deleted came back. Now each is as the user left it,
    cut where the tune enters."""
    window = make_window(held_bass_piano())
    arrange_in(qtbot, window, "track", "pop", strength=strength)
    bass = [n for n in window.document.project.tracks[0].notes if n.pitch == 48]
    window.state.set_selection([bass[1].id])
    window.editor.transpose_selection(2)
    window.editor.delete_notes([bass[2].id])
    assert window.generate.keep()
    kept = window.document.project.tracks[0].notes
    on_one = sorted((n.start, n.pitch) for n in kept if n.start % BAR == 0)
    assert on_one == [(0, 48), (BAR, 50), (3 * BAR, 48)]
    assert all(n.duration < BAR for n in kept if n.start % BAR == 0)  # cut where the tune enters


@pytest.mark.parametrize("strength", [0.0, DEFAULT_STRENGTH])
def test_a_doubled_note_the_user_deletes_before_keep_leaves_the_other(qtbot, make_window, strength):
    """A tune with one note struck twice (a file's doubled note): the user deletes the copy while the
    takes are listed. Before, at strength 0 both take notes stood for the copy, and Keep left neither."""
    piece = song()
    tune = piece.tracks[0]
    twice = tune.notes[4]
    copy = Note(twice.pitch, twice.start, twice.duration, twice.velocity)
    window = make_window(piece.replace_track(tune.with_notes((*tune.notes, copy))))
    arrange_in(qtbot, window, "track", "pop", strength=strength)
    window.editor.delete_notes([copy.id])
    assert window.generate.keep()
    kept = window.document.project.tracks[0].notes
    assert len([n for n in kept if n.start == twice.start]) == 1
