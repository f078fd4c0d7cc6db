"""Drag out: a take, the selection or a track leaves the app as a .mid file (for a DAW or a file manager).

What is dragged is written, through the project's own MIDI writer, to a file in a temporary folder, and the
drag carries that file's URL (what file managers and most Linux DAWs read: text/uri-list) plus the MIDI
bytes themselves under audio/midi and audio/x-midi (what some DAWs and browsers read instead of a file).
A clip keeps the tempo, meter and key in force where it starts, and starts at the bar line before its first
note, so it lands in a DAW on the same beat it had here; a whole track goes from bar 1 to the piece's end
(a loop's silent bars too). The SysEx that set the device up for the dragged parts come along, the piece's
(a type-0 file's GS reset and part levels) included, but not those of the parts left behind
(``_setup_sysex``). Files older than a day are cleared on the next
drag; newer ones stay, because a DAW may still be reading one it was handed.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QDrag, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from musestudio.core.events import PROGRAM, SOUND_CHOICE, VOLUME, ControlEvent, KeyChange, RawEvent
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange, TimeSignature
from musestudio.core.timing import bar_line_before
from musestudio.core.track import Track, sent_controls
from musestudio.io.midi import midi_to_bytes
from musestudio.io.sysex import is_system_reset, part_channel

MIDI_MIME_TYPES = ("audio/midi", "audio/x-midi")
KEEP_SECONDS = 24 * 3600


def clip_project(
    project: Project,
    parts: Sequence[tuple[Track, Iterable[Note] | None]],
    origin: int | None = None,
) -> Project:
    """Tracks of ``project`` (each with all its notes, or the notes given) as a piece of their own.

    The clip starts at ``origin``: by default the bar line at or before its first note, so a selection
    or a take lands on the same beat in a DAW (``track_clip`` is a whole track's). It ends where its last
    note ends. The tempo, meter and key in force there come along, with the
    changes that follow inside the clip, and each track's controllers, words (lyrics) and kept events
    (SysEx) in that stretch, moved as its notes are, after the values in force at its start (the
    instrument a program change chose, a held pedal): the file sounds as the clip does in the app, and
    a SysEx at its start comes after those values, as Export MIDI sends it there (a GS reset undoes them).
    The SysEx that set the device up before it come first (``_setup_sysex``).
    """
    chosen = [(track, tuple(track.notes if notes is None else notes)) for track, notes in parts]
    every = [n for _track, notes in chosen for n in notes]
    tpb = project.ticks_per_beat
    if not every:
        return Project(tracks=tuple(_emptied(t) for t, _ in chosen), ticks_per_beat=tpb)
    first = min(n.start for n in every)
    if origin is None:
        origin = bar_line_before(first, project.time_signatures, tpb)
    origin = min(origin, first)
    end = max(n.end for n in every)
    tempos = [TempoChange(0, project.tempo_at(origin).bpm)] + [
        TempoChange(t.tick - origin, t.bpm) for t in project.tempos if origin < t.tick < end
    ]
    meters = [project.meter_at(origin)] + [s for s in project.time_signatures if origin < s.tick < end]
    tracks = tuple(_clipped(track, notes, origin, end) for track, notes in chosen)
    return Project(
        tracks=tracks,
        ticks_per_beat=tpb,
        tempos=tuple(tempos),
        time_signatures=tuple(
            TimeSignature(max(0, s.tick - origin), s.numerator, s.denominator) for s in meters
        ),
        key=project.key_at(origin),
        key_changes=tuple(
            KeyChange(k.tick - origin, k.key) for k in project.key_changes if origin < k.tick < end
        ),
        extra_events=_setup_sysex(project, [t for t, _ in chosen], origin, end),
    )


def _clipped(track: Track, notes: Sequence[Note], origin: int, end: int) -> Track:
    """``track`` from ``origin`` to before ``end``, with ``notes``, moved to start at 0."""
    inside = [c.moved(-origin) for c in track.controllers if origin <= c.tick < end]
    clip = (
        _in_force(track, origin)
        .with_notes(n.with_start(n.start - origin) for n in notes)
        .with_controllers((*_carried(track, origin), *inside))
        .with_(**_words_between(track, origin, end))
    )
    if not origin:
        return clip  # the track's own start: its SysEx keep their places among its settings
    return _kept_after_what_is_in_force(clip, [c for c in inside if c.tick == 0])


def _kept_after_what_is_in_force(clip: Track, at_origin: list[ControlEvent]) -> Track:
    """``clip`` with each SysEx at its start placed as Export MIDI sends it at the clip's origin: after
    every value in force there (the program, the volume, a held pedal: sent earlier in the piece, so a GS
    reset there undoes them) and after the ``after_controls`` of its track's controllers at the origin
    (``at_origin``, in the order the track sends them) that the file sent before it."""
    sent = [e for e in sent_controls(clip) if e.tick == 0]
    place = {id(e): i for i, e in enumerate(sent)}
    from_origin = {id(e) for e in at_origin}
    in_force = [i for i, e in enumerate(sent) if id(e) not in from_origin]

    def placed(event: RawEvent) -> RawEvent:
        before = in_force + [place[id(e)] for e in at_origin[: event.after_controls]]
        return replace(event, after_controls=1 + max(before, default=-1))

    return clip.with_(extra_events=tuple(placed(e) if e.tick == 0 else e for e in clip.extra_events))


def track_clip(project: Project, track: Track) -> Project:
    """A whole track dragged out: from bar 1, everything in it, the piece's tempo, meter and key changes,
    lasting as long as the piece (a loop's silent bars too), so that every track dragged from one song
    lines up with the others and loops as the song does. The piece's SysEx for its part come along, where
    Export MIDI writes them (``_setup_sysex``)."""
    clip = Project(
        tracks=(track,),
        extra_events=_setup_sysex(project, [track], 0, None),
        ticks_per_beat=project.ticks_per_beat,
        tempos=project.tempos,
        time_signatures=project.time_signatures,
        key=project.key,
        key_changes=project.key_changes,
    )
    return clip.with_(end_of_track=project.length if project.length > clip.end else 0)


def _setup_sysex(
    project: Project, tracks: Sequence[Track], origin: int, end: int | None
) -> tuple[RawEvent, ...]:
    """The SysEx that set the device up for ``tracks``' parts, for the clip's conductor track: the system
    resets, the messages of the whole device, and those addressed to a dragged part's channel (a GS part
    level), not another part's. A type-0 file keeps its whole set-up in the piece; dropped, the part sounds
    otherwise on a GS device than in the song. The piece's inside the clip move with its notes; those before
    ``origin``, the piece's and the tracks' own, come at its start in the order they were sent, from the last
    reset on (it undid those before it), before the values in force there, as they were sent before them."""
    channels = {t.channel & 0x0F for t in tracks}
    piece = _concerning(project.extra_events, channels)
    own = [e for t in tracks for e in _concerning([e for e in t.extra_events if e.tick < origin], channels)]
    before = sorted([e for e in piece if e.tick < origin] + own, key=lambda e: e.tick)
    resets = [i for i, e in enumerate(before) if e.data[0] == 0xF0 and is_system_reset(e.data)]
    in_force = before[resets[-1] :] if resets else before
    inside = [e for e in piece if origin <= e.tick and (end is None or e.tick < end)]
    return (
        *(RawEvent(0, e.data) for e in in_force),
        *(RawEvent(e.tick - origin, e.data) for e in inside),
    )


def _concerning(events: Iterable[RawEvent], channels: set[int]) -> list[RawEvent]:
    """The SysEx of ``events`` that concern the parts on ``channels`` (``part_channel`` None: the whole
    device's), each packet of one sent in several with its first. Meta events and escapes are the file's,
    not a part's set-up."""
    out: list[RawEvent] = []
    pending: bool | None = None  # whether the SysEx awaiting its next packet is kept; None: none awaits
    for e in events:
        if e.data[0] == 0xF0:
            keep = part_channel(e.data) in (None, *channels)
        elif e.data[0] == 0xF7 and pending is not None:
            keep = pending
        else:
            continue
        if keep:
            out.append(e)
        pending = None if e.data.endswith(b"\xf7") else keep
    return out


def _emptied(track: Track) -> Track:
    return track.with_notes(()).with_controllers(()).with_(texts=(), extra_events=())


# Text that says what a track is (its instrument, its copyright), not something at a moment in it.
NAMING_TEXTS = ("copyright", "instrument_name", "program_name", "device_name")


def _words_between(track: Track, origin: int, end: int) -> dict:
    """``track``'s text and kept events from ``origin`` to before ``end``, moved as its notes are: a
    selection's lyrics sing at its notes, and the words of the notes left behind stay behind. The names
    it gave itself before ``origin`` (instrument, copyright) come along at the clip's start, before what
    is at ``origin`` itself, so the kept events there keep their place among the texts."""
    named = [replace(t, tick=0) for t in track.texts if t.tick < origin and t.kind in NAMING_TEXTS]
    texts = [replace(t, tick=t.tick - origin) for t in track.texts if origin <= t.tick < end]
    extras = [
        replace(e, tick=e.tick - origin, after_texts=e.after_texts + (len(named) if e.tick == origin else 0))
        for e in track.extra_events
        if origin <= e.tick < end
    ]
    return {"texts": (*named, *texts), "extra_events": tuple(extras)}


def _last_before(track: Track, origin: int) -> dict[int, ControlEvent]:
    """Each lane's last value set before ``origin``: what is in force where the clip starts."""
    last: dict[int, ControlEvent] = {}
    for c in sorted(track.controllers, key=lambda c: c.tick):
        if c.tick < origin:
            last[c.lane] = c
    return last


def _in_force(track: Track, origin: int) -> Track:
    """``track`` with the program and volume in force at ``origin`` as its own. A file states a track's own
    at its start, its volume before the lane events there and its program after the bank selects in force
    (``Track.settings_and_lanes``), but before a bank select or program change at ``origin`` itself: the
    sound chosen there is the one the clip plays, as the app plays it there."""
    if not origin:
        return track
    last = _last_before(track, origin)
    # one set before the clip is stated at its start, where the track's file left its own unsaid
    own = {"program": last[PROGRAM].value, "program_stated": True} if PROGRAM in last else {}
    if VOLUME in last:
        own |= {"volume": last[VOLUME].value, "volume_stated": True}
    carried = sum(e.lane in SOUND_CHOICE for e in _carried(track, origin))
    choosing = any(c.tick == origin and c.lane in SOUND_CHOICE for c in track.controllers)
    # its sound goes before its other lanes at the clip's start, and its volume first of all:
    # ``sound_before_lanes`` and ``volume_after`` placed them among bar 1's SysEx, not the clip's (those go
    # after every value in force there, ``_kept_after_what_is_in_force``)
    return track.with_(
        **own, program_after=carried if choosing else None, sound_before_lanes=None, volume_after=None
    )


def _carried(track: Track, origin: int) -> list[ControlEvent]:
    """The other lanes' values in force at ``origin`` (a held pedal, a bend), at the clip's start, where
    the clip does not set them itself there."""
    at_origin = {c.lane for c in track.controllers if c.tick == origin}
    return [
        ControlEvent(0, lane, c.value)
        for lane, c in _last_before(track, origin).items()
        if lane not in (PROGRAM, VOLUME) and lane not in at_origin
    ]


def drag_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"musestudio-drag-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder.mkdir(mode=0o700, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.mid"):
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
        except OSError:
            pass
    return folder


def safe_name(name: str) -> str:
    """A file name from a track or take name: no slashes or control characters, never empty."""
    cleaned = re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", " ", name).strip(" .")
    return (cleaned or "MuseStudio")[:80]


def write_drag_file(project: Project, name: str) -> Path:
    """Write ``project`` as ``name``.mid into the drag folder (a new name if one is already there)."""
    folder = drag_folder()
    stem = safe_name(name)
    path = folder / f"{stem}.mid"
    n = 2
    while path.exists():
        path = folder / f"{stem} ({n}).mid"
        n += 1
    path.write_bytes(midi_to_bytes(project))
    return path


def midi_mime(path: Path) -> QMimeData:
    """The drag's data: the file's URL and the MIDI bytes under the MIDI MIME types."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    data = path.read_bytes()
    for kind in MIDI_MIME_TYPES:
        mime.setData(kind, data)
    return mime


def _pixmap(text: str, colour: str) -> QPixmap:
    pix = QPixmap(150, 24)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setBrush(QColor(colour))
    p.setPen(QColor("#0c0d0f"))
    p.drawRoundedRect(0, 0, 149, 23, 4, 4)
    p.setPen(QColor("#0c0d0f"))
    p.drawText(pix.rect().adjusted(6, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, text)
    p.end()
    return pix


class DragOut:
    """Starts the drag of a clip; ``last_mime`` and ``last_path`` say what the latest drag carried.

    ``announce`` is told each clip as its drag starts: the window says what the file changes of it (a
    track moved to a free channel), as Export MIDI does, since a drag has no message of its own."""

    def __init__(self, announce: Callable[[Project], None]) -> None:
        self.announce = announce
        self.last_mime: QMimeData | None = None
        self.last_path: Path | None = None

    def prepare(self, project: Project, name: str) -> QMimeData:
        self.last_path = write_drag_file(project, name)
        self.last_mime = midi_mime(self.last_path)
        return self.last_mime

    def start(self, source: QWidget, project: Project, name: str, colour: str = "#8fb4ff") -> Qt.DropAction:
        """Write the file and run the drag (the call returns when the mouse is released)."""
        drag = QDrag(source)
        drag.setMimeData(self.prepare(project, name))
        self.announce(project)
        drag.setPixmap(_pixmap(f"♪ {self.last_path.name}", colour))
        return drag.exec(Qt.DropAction.CopyAction)
