"""What the UI calls each track: the one place that turns the piece's track names into the names shown, so
the track list, the messages that name tracks and the files dragged out of the window all agree.

A part with no name of its own (its MIDI file gave it none, or an empty one; File > New's track) is shown by
what it plays now, in the user's language ("Acoustic Grand Piano", "Drums", "Text" for a part of only words):
choose another instrument and it reads so. Two such parts of one instrument (a Nottingham tune's melody and
chords, both piano) would read alike everywhere a track is named, so where tracks would be shown with the
same name, those called by their instrument are numbered in track order, as a score numbers two parts for
one instrument: "Acoustic Grand Piano 1", "Acoustic Grand Piano 2". A name the file or the user gave is shown
as it is, even when another track has it, and even when it is an instrument's ("Acoustic Grand Piano" a file
wrote): it was chosen, numbering it would show a name no one wrote, and a rename tells the tracks apart in
the file too. It still takes its place in the count, so "Violin" (typed) above an unnamed violin shows the
violin as "Violin 2".

Only what is shown changes: the piece, and every file it is saved or exported to, keep the names they had,
and a part with none gets none (``Track.name_event``).
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QCoreApplication

from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import named_for_instrument, plays_nothing
from musestudio.ui.gm import DRUMS_PART, PROGRAMS


def track_labels(project: Project) -> dict[int, str]:
    """Each track's name as the UI shows it, by track id: no two tracks called by their instrument (with no
    name of their own) read alike."""
    shown = {t.id: _own_label(t) for t in project.tracks}
    taken = set(shown.values())
    alike: dict[str, list[Track]] = defaultdict(list)
    for track in project.tracks:
        alike[shown[track.id]].append(track)
    for label, tracks in alike.items():
        if len(tracks) < 2 or not any(named_for_instrument(t) for t in tracks):
            continue
        number = 0
        for track in tracks:
            number += 1
            if not named_for_instrument(track):
                continue  # the file's or the user's name, shown as it is; it is still counted
            while _numbered(label, number) in taken:  # a name another track has: "Violin 2" typed
                number += 1
            shown[track.id] = _numbered(label, number)
            taken.add(shown[track.id])
    return shown


def track_label(project: Project, track: Track) -> str:
    """``track``'s name as the UI shows it among the tracks of ``project`` (``track_labels``); a track the
    piece no longer holds (deleted while a message about it was being made) shows its own name."""
    labels = track_labels(project)
    return labels[track.id] if track.id in labels else _own_label(track)


def is_numbered(track: Track, label: str) -> bool:
    """Whether ``label`` (``track``'s in ``track_labels``) carries a number the piece's name does not."""
    return label != _own_label(track)


def _own_label(track: Track) -> str:
    """The track's name alone, before any number: its own as it is; for a track with none, what it plays
    in the user's language, as the instrument menu names it (the command line says it in English, in
    pretty_midi's words: ``io.midi.part_name``)."""
    if not named_for_instrument(track):
        return track.name
    if track.is_drum:
        return QCoreApplication.translate("GM", DRUMS_PART)
    if plays_nothing(track):
        return QCoreApplication.translate("TrackLabels", "Text", "a track of only words, which has no name")
    return QCoreApplication.translate("GM", PROGRAMS[track.program])


def _numbered(label: str, number: int) -> str:
    """ "Violin 2"; "Electric Piano 1 (2)" for a name that already ends in a number, which "Electric Piano 1
    2" would run together with."""
    if label[-1:].isdigit():
        form = QCoreApplication.translate(
            "TrackLabels",
            "%1 (%2)",
            "a track's name that ends in a number, and its number among tracks so named",
        )
    else:
        form = QCoreApplication.translate(
            "TrackLabels", "%1 %2", "a track's name and its number among tracks so named: Violin 2"
        )
    return form.replace("%1", label).replace("%2", str(number))
