"""Standard MIDI files <-> Project, keeping every event.

Reading (``smf`` reads the chunks) turns each file track into one Track per MIDI channel it uses, keeping the
channel (channel 10 is drums, as is any channel a GS or XG SysEx makes a drum part before its notes:
``drum_parts``). Notes are paired first in, first out per channel and pitch, so overlapping notes of one pitch
keep their own ends; a zero-length note gets one tick (the shortest note MuseStudio has and draws); a note-off
with no note of its track to release releases one another track struck on its channel (``_LooseEnds``: a
player merges the tracks); a note never released ends with its track. Tempo, meter, key and marker events
count wherever they are, not only in track 0; where two of a kind share a tick, the later is in force and the
earlier is kept verbatim. Controllers, pitch bend, pressure and program changes become the track's lane
events; lyrics and other text stay text events; SysEx and meta events we have no model for are kept byte for
byte, in their order, and written back (a SysEx among its part's controllers where the file put it:
``RawEvent.after_controls``; a controller sent after a note-off of its part at its tick after that tick's
note-offs, a sustain pedal pressed as a chord is let go catching only the next one:
``ControlEvent.after_releases``; one sent after a note-on of its part at its tick after that tick's notes,
a sostenuto pressed on a chord holding it: ``ControlEvent.after_strikes``). A part level a GS or XG SysEx sets at the start, where no CC 7 does, is the
volume of the track on the channel that part receives (``part_levels``). Those of the conductor track, and of a type-0 file's one track (the song,
not one of its parts), are the piece's, but for a SysEx the song sends among a part's controllers, which is
that part's, sent among them (``_place_among_parts``); those of any other track are its part's: where the
track holds several parts, its first part's, but for its lyrics, which go with the part whose notes start
where most of them lie (the voice, not its accompaniment), and its MIDI port (FF 21), which is every part's (a
type-0 file's too: each part goes out in a track of its own, on the port the file sent it to). The latest
end-of-track is where the piece ends, where that is after its last note (a loop's rests, though a pedal-up
lies at its end), but for a track's end that lies on its last event, that being only text, a marker, a tempo,
meter or key change (a "Fine" set after the music: ``_stated_end``); one absurdly far off (a bad delta time)
is dropped, and the reading says so (``FarEnd``). A track of only words sets no sound; tracks sharing a
channel state what the channel has at tick 0. Text is decoded per track: UTF-8 where the whole track is valid
UTF-8, else Latin-1, so one old track name cannot garble the others; it is written back in the encoding it
came in, where all of that track's text has a form in it (else in UTF-8, and the export says so). A marker,
the piece's wherever it lies, is read by its own bytes (UTF-8 where they are, in a track in Latin-1), keeps
that encoding where it is not the piece's (``Marker.text_encoding``: "Refrain é" in UTF-8 under a title in
Latin-1), and goes back out in it, in a track of such markers after the parts.

Writing builds a type-1 file: a conductor track (title, meter, keys, tempo map, markers, the piece's own
text and kept events, ending where the piece ends, silent bars at its end included), then one track per
Track on its channel, each (but a part without notes on MIDI's defaults: words, a name, set-up lanes)
setting its program and volume at tick 0, and ending at the end of the piece's silent bars where it has
them (as a DAW writes a loop). The app plays every track on a synth channel of its own, so tracks sharing
a MIDI channel while setting it differently (at the start or later: one part's program change at bar 2)
go out on free channels, unless that is the file's own layout (``channel_plan``).

Anything wrong with a file becomes a ``BadInputError`` saying what is wrong in words.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import io
import struct
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from musestudio.core.errors import BadInputError, error_json
from musestudio.core.events import (
    PITCH_BEND,
    PROGRAM,
    SOUND_CHOICE,
    TEXT_ENCODINGS,
    VOLUME,
    ControlEvent,
    KeyChange,
    Marker,
    RawEvent,
    TextEvent,
    is_cc,
    is_poly_pressure,
    poly_pressure_pitch,
)
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import MAX_BPM, MIN_BPM, Project, TempoChange, TimeSignature
from musestudio.core.timing import ticks_to_seconds
from musestudio.core.track import (
    DRUM_CHANNEL,
    TRACK_COLOURS,
    Track,
    sends_only_its_lanes,
    sent_controls,
    start_settings,
)
from musestudio.io import smf
from musestudio.io.atomic import atomic_write_bytes
from musestudio.io.channel_plan import export_plan, file_shared_channels
from musestudio.io.drum_parts import GM_DRUMS, drum_channels
from musestudio.io.files import read_input_bytes, save_error
from musestudio.io.part_levels import DEFAULT_VOLUME, channel_levels

MIDI_SUFFIXES = (".mid", ".midi", ".smf", ".kar")  # the names a MIDI file is read and written under
#: Windows' name for an RMID file (a MIDI file in a RIFF wrapper): read as the MIDI file inside it, never
#: written, as Export MIDI writes that MIDI file alone (``is_rmid``).
RMID_SUFFIX = ".rmi"
READ_SUFFIXES = (*MIDI_SUFFIXES, RMID_SUFFIX)
UTF_8, LATIN_1 = TEXT_ENCODINGS
#: A file whose events reach past this much music is damaged (a bad delta time), not a long piece.
MAX_HOURS = 24
#: MIDI stores a tempo as 1 to 0xFFFFFF microseconds a beat: nothing slower than about 3.58 BPM. A slower
#: tempo of the piece goes out at this one (``midi_export_changes`` says so).
SLOWEST_MICROS = 0xFFFFFF
SLOWEST_BPM = 60e6 / SLOWEST_MICROS


@dataclass(frozen=True)
class FarEnd:
    """What reading a file says when its end-of-track lay ``hours`` of silence after its last event (a
    buggy writer's last delta time): the piece opens, ending at its last event instead."""

    hours: float


@dataclass(frozen=True)
class SmpteTime:
    """What reading a file says when it counts time in SMPTE frames (``fps`` a second, 29.97 for drop
    frame), not beats: MuseStudio counts in beats, so the piece opens at ``bpm`` (60: a beat a second, or
    59.94 at 29.97 frames), every event at its time to the millisecond, and is saved and exported in beats.
    A musician sees a grid of seconds, not of the music's beats, and the exported file has no frames."""

    fps: float
    bpm: float


_TEXT_META = {
    0x01: "text",
    0x02: "copyright",
    0x04: "instrument_name",
    0x05: "lyrics",
    0x07: "cue_marker",
    0x08: "program_name",
    0x09: "device_name",
}
_META_OF_KIND = {kind: code for code, kind in _TEXT_META.items()}
_TRACK_NAME, _MARKER, _TEMPO, _TIME_SIGNATURE, _KEY_SIGNATURE = 0x03, 0x06, 0x51, 0x58, 0x59
#: The MIDI port meta event (FF 21): which of a device's ports (a 32-part synth's A or B) the track's
#: channel messages go to. It is every part's of a track split by channel (``_words_of_parts``).
_PORT = bytes((0xFF, 0x21))


# -- reading -------------------------------------------------------------------------------------------


def read_midi(path: str | Path, said: list | None = None) -> Project:
    path = Path(path)
    return midi_from_bytes(read_input_bytes(path, "midi_file"), path.name, said)


def midi_from_bytes(data: bytes, name: str = "the MIDI data", said: list | None = None) -> Project:
    """Parse a whole standard MIDI file (type 0 or 1), bare or in an RMID wrapper, into a Project; what the
    reading changed that the user should hear of (``FarEnd``, ``SmpteTime``) is added to ``said``."""
    if not data:
        raise BadInputError(f"{name} is empty", "midi_empty", name=name)
    if is_rmid(data):
        data = _rmid_contents(data, name)
    if not data.startswith(b"MThd"):
        raise BadInputError(
            f"{name} is not a MIDI file (it does not start with a MIDI header)", "midi_no_header", name=name
        )
    try:
        raw = smf.read_file(data)
        if raw.format == 2:
            raise BadInputError(
                f"{name} is a type-2 MIDI file (separate songs); only types 0 and 1 open",
                "midi_type_2",
                name=name,
            )
        reader = _Reader(raw)
        project = reader.project()
        if raw.smpte and said is not None:
            said.append(
                SmpteTime(29.97 if raw.smpte[0] == 29 else raw.smpte[0], _plain_bpm(reader.smpte_tempo))
            )
    except smf.SmfError as e:
        raise BadInputError(
            f"{name} is damaged or incomplete ({e})", "midi_damaged", name=name, why=e.as_json()
        ) from None
    except ValueError as e:  # a value our model refuses: say which (with core's code, for the window)
        raise BadInputError(
            f"{name} is damaged ({e})", "midi_bad_value", name=name, why=error_json(e)
        ) from None
    if not reader.events:
        raise BadInputError(f"{name} contains no MIDI events", "midi_no_events", name=name)
    return _within_reason(project, name, said)


def _within_reason(project: Project, name: str, said: list | None) -> Project:
    """Refuse a file whose events reach past ``MAX_HOURS`` (a bad delta time); one whose only far thing is
    its end-of-track loses just that, which was never music, and ``said`` hears of it."""
    hours = _hours(project, project.last_event_tick)
    if hours > MAX_HOURS:
        raise BadInputError(
            f"{name} is damaged or incomplete (its events lie absurdly far apart: {hours:,.0f} hours)",
            "midi_far_apart",
            name=name,
            hours=f"{hours:,.0f}",
        )
    end_hours = _hours(project, project.end_of_track)
    if end_hours <= MAX_HOURS:
        return project
    if said is not None:
        said.append(FarEnd(end_hours - hours))
    return project.with_(end_of_track=0)


def _hours(project: Project, tick: int) -> float:
    return ticks_to_seconds(tick, project.tempos, project.ticks_per_beat) / 3600


def is_rmid(data: bytes) -> bool:
    """Whether ``data`` is an RMID file: a standard MIDI file in a RIFF wrapper (what Windows wrote for
    years as .mid). Export MIDI writes the standard MIDI file alone; the app says so when one opens."""
    return data[:4] == b"RIFF" and data[8:12] == b"RMID"


def is_rmid_file(path: str | Path) -> bool:
    """Whether the file at ``path`` (already read as a MIDI file) is an RMID file."""
    try:
        with Path(path).open("rb") as f:
            return is_rmid(f.read(12))
    except OSError:
        return False


def _rmid_contents(data: bytes, name: str) -> bytes:
    """The standard MIDI file in an RMID file's ``data`` chunk (its other chunks, an INFO list with the
    title or a DLS sound set, are left out)."""
    pos = 12
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if kind == b"data":
            return data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)  # RIFF chunks are padded to an even length
    raise BadInputError(f"{name} is an RMID file with no MIDI data in it", "rmid_empty", name=name)


def _plain_bpm(bpm: float) -> float:
    """The shortest decimal whose tempo rounds to what the file stores.

    Files keep whole microseconds per beat, so 140.5 BPM comes back as 140.500087 (and 138 written by a
    truncating tool as 138.0002); both read as the tempo the composer typed, and write back to the very
    same microseconds.
    """
    stored = round(60e6 / bpm)
    for digits in range(7):
        candidate = round(bpm, digits)
        if candidate > 0 and round(60e6 / candidate) == stored:
            return candidate
    return bpm


def _encoding(payloads: list[bytes]) -> str:
    """UTF-8 when every text of the track is valid UTF-8, else Latin-1 (what older tools wrote)."""
    try:
        for p in payloads:
            p.decode("utf-8")
    except UnicodeDecodeError:
        return LATIN_1
    return UTF_8


def _marker_encoding(payload: bytes, track_encoding: str) -> str:
    """The encoding a marker is read in: UTF-8 where its own bytes are valid UTF-8, though its track is in
    Latin-1 (a section name in UTF-8 beside a title in Latin-1 showed as "Refrain Ã©"), else its track's.
    Text in Latin-1 that happens to be valid UTF-8 ("Ã©" written for itself) is all but unknown."""
    if track_encoding == LATIN_1 and _encoding([payload]) == UTF_8:
        return UTF_8
    return track_encoding


class _Reader:
    """Builds the Project from the raw tracks: conductor events to the piece, the rest to tracks."""

    def __init__(self, raw: smf.RawFile) -> None:
        self.raw = raw
        if raw.smpte:
            # Absolute time: ticks of 1/(fps * ticks-per-frame) s. At 60 BPM a beat is a second, so ticks
            # per beat = nominal fps * ticks per frame; 29.97 fps drop-frame runs 30/29.97 slower.
            fps, per_frame = raw.smpte
            self.tpb = fps * per_frame if fps != 29 else 30 * per_frame
            seconds_per_beat = self.tpb / (fps * per_frame if fps != 29 else 29.97 * per_frame)
            self.smpte_tempo = 60.0 / seconds_per_beat
        else:
            self.tpb = raw.division
            self.smpte_tempo = None
        self.tempos: list[TempoChange] = []
        self.sigs: list[TimeSignature] = []
        self.keys: list[KeyChange] = []
        self.markers: list[Marker] = []
        self.texts: list[TextEvent] = []
        self.extra: list[RawEvent] = []
        self.stated: dict[int, dict[int, tuple]] = {}  # meta kind -> tick -> (its change, its payload)
        self.title: str | None = None
        self.events = False  # whether the file held any event at all
        # the latest end-of-track that states where the piece ends (``_stated_end``): silent bars at
        # its end included
        self.end = 0
        self.text_encoding = UTF_8
        # The markers go to the piece, written in the conductor's encoding: where its own text is plain
        # ASCII (the same bytes in either), markers read as Latin-1 from another track make it Latin-1,
        # so their bytes go back out as they came (not re-encoded as UTF-8).
        self.plain_conductor = True
        self.latin1_markers = False
        self.track_count = 0
        # per Track made, in order: whether it set its program and its volume; None for a track of only words
        self.own_settings: list[tuple[bool, bool] | None] = []
        # what the SysEx at tick 0 does to the channels' volumes, in the order a player meets them
        self.part_levels: list[bytes] = []
        # every SysEx (tick, file track, bytes from F0) and each channel's first note: which channels a GS
        # or XG synth plays as drums (``drum_parts``)
        self.sysex: list[tuple[int, int, bytes]] = []
        self.first_notes: dict[int, int] = {}

    def project(self) -> Project:
        tracks: list[Track] = []
        loose = _LooseEnds()
        for index in range(len(self.raw.chunks)):
            raw_track = self.raw.track(index)  # one track's rows at a time: memory follows the notes
            self.events = self.events or bool(raw_track.meta or raw_track.channels)
            self.end = max(self.end, _stated_end(raw_track))
            self.part_levels.extend(_sysex_at_start(raw_track))
            self._note_drum_parts(index, raw_track)
            made = self._tracks_of(index, raw_track)
            loose.add(index, raw_track, {t.channel: len(tracks) + i for i, t in enumerate(made)})
            tracks.extend(made)
        loose.close(tracks)
        drums = drum_channels(
            ((tick, data) for tick, _, data in sorted(self.sysex, key=lambda r: r[:2])), self.first_notes
        )
        self._drum_parts(tracks, drums)
        if self.smpte_tempo is not None:
            self.tempos = [TempoChange(0, self.smpte_tempo)]
        _share_channel_settings(tracks, self.own_settings)
        _take_part_levels(tracks, self.own_settings, self.part_levels)
        encoding = LATIN_1 if self.plain_conductor and self.latin1_markers else self.text_encoding
        project = Project(
            tracks=tuple(tracks),
            ticks_per_beat=self.tpb,
            tempos=tuple(self.tempos),
            time_signatures=tuple(self.sigs),
            key_changes=tuple(self.keys),
            markers=_own_encodings(self.markers, encoding),
            texts=tuple(self.texts),
            extra_events=tuple(self.extra),
            metadata={"title": self.title} if self.title is not None else {},
            text_encoding=encoding,
            shared_channels=file_shared_channels(tuple(tracks), drums),
        )
        return project.with_(end_of_track=self.end if self.end > project.end else 0)

    def _note_drum_parts(self, index: int, raw: smf.RawTrack) -> None:
        """Keep what of a file track says which channels play drums: its SysEx and each channel's first
        note."""
        self.sysex.extend(
            (tick, index, b"\xf0" + payload) for tick, status, _, payload in raw.meta if status == 0xF0
        )
        for channel, rows in raw.notes.items():
            if rows:
                first = min(row[0] for row in rows)
                self.first_notes[channel] = min(self.first_notes.get(channel, first), first)

    def _drum_parts(self, tracks: list[Track], drums: frozenset[int]) -> None:
        """Each track that plays on a channel plays drums where ``drums`` (the file's drum channels:
        ``drum_parts``) holds that channel, and its instrument where not (in place)."""
        if drums == GM_DRUMS:
            return
        for i, track in enumerate(tracks):
            is_drum = track.channel in drums
            if self.own_settings[i] is None or track.is_drum == is_drum:
                continue
            tracks[i] = track.with_(is_drum=is_drum)

    def _conductor_event(self, tick: int, kind: int, payload: bytes, encoding: str) -> bool:
        """Take a tempo, meter, key or marker event (its text in its track's ``encoding``) for the piece;
        False when it is none of them (or one our model cannot hold, which is then kept verbatim)."""
        if kind == _TEMPO and len(payload) == 3 and self.smpte_tempo is not None:
            return True  # SMPTE time is absolute: a tempo event there means nothing, and is dropped
        change = _timing_change(tick, kind, payload)
        if change is not None:
            changes = {_TEMPO: self.tempos, _TIME_SIGNATURE: self.sigs, _KEY_SIGNATURE: self.keys}[kind]
            self._change(changes, change, kind, payload)
            return True
        if kind == _MARKER:
            own = _marker_encoding(payload, encoding)
            text = payload.decode(own)
            self.markers.append(Marker(tick, text, None if text.isascii() else own))
            return True
        return False

    def _change(self, changes: list, change, kind: int, payload: bytes) -> None:
        """A tempo, meter or key change. Where the file states another of its kind at the same tick (86 of
        POP909's files start with 4/4 then 2/4), the later one is in force: the model holds that one, and
        the one it replaces is kept verbatim among the piece's events, written back just before it."""
        seen = self.stated.setdefault(kind, {})
        earlier = seen.get(change.tick)
        if earlier is not None:
            changes.remove(earlier[0])
            self.extra.append(RawEvent(change.tick, bytes((0xFF, kind)) + earlier[1]))
        seen[change.tick] = (change, payload)
        changes.append(change)

    def _tracks_of(self, index: int, raw: smf.RawTrack) -> list[Track]:
        texts = [p for _, status, kind, p in raw.meta if status == 0xFF and 0x01 <= kind <= 0x09]
        encoding = _encoding(texts)
        if index == 0:
            self.text_encoding = encoding  # the title's and the conductor text's
            self.plain_conductor = all(p.isascii() for p in texts)
        elif any(
            kind == _MARKER and _marker_encoding(p, encoding) == LATIN_1 and not p.isascii()
            for _, status, kind, p in raw.meta
            if status == 0xFF
        ):
            self.latin1_markers = True

        def decode(payload: bytes) -> str:
            return payload.decode(encoding)

        name: str | None = None
        texts: list[TextEvent] = []
        extra: list[RawEvent] = []
        song = len(raw.channels) > 1 and index == 0  # a type-0 file's one track: the song's
        parts_sysex: dict[int, list[RawEvent]] = {}  # the song's SysEx sent among a part's controllers
        for k, (tick, status, kind, payload) in enumerate(raw.meta):
            if status != 0xFF:  # SysEx, kept where it is among the meta events: devices read them in turn
                data = bytes((status,)) + payload  # and among its part's controllers
                part, before = _place_among_parts(raw, k) if song else (None, _controls_before(raw, k))
                if part is None:
                    extra.append(RawEvent(tick, data, _texts_at(texts, tick), before))
                else:
                    parts_sysex.setdefault(part, []).append(RawEvent(tick, data, 0, before))
            elif self._conductor_event(tick, kind, payload, encoding):
                continue
            elif kind == _TRACK_NAME and name is None:
                name = decode(payload)
            elif kind in _TEXT_META:
                texts.append(TextEvent(tick, _TEXT_META[kind], decode(payload)))
            else:
                extra.append(RawEvent(tick, bytes((0xFF, kind)) + payload, _texts_at(texts, tick)))
        if not raw.channels:
            # the conductor track, or one of only tempo or meter changes (the piece's); one holding nothing at
            # all, or only its name (an empty one too), is a part still to be written: it comes back out so
            if index == 0 or (raw.meta and not (texts or extra or name is not None)):
                if index == 0:  # its name is the title: an empty one too, an event written back
                    self.title = name
                    self.texts.extend(texts)
                    self.extra.extend(extra)
                return []
            self.own_settings.append(None)  # it sets no program or volume: it plays nothing
            return [
                Track(
                    name=name or "",
                    name_event=name is not None,
                    colour=self._colour(),
                    texts=tuple(texts),
                    extra_events=tuple(extra),
                    text_encoding=encoding,
                )
            ]
        if song:
            # the conductor's SysEx goes out before every part's controllers at its tick; the track's port
            # is its parts' (in the conductor it would name the port of a track with no channel messages)
            self._take_for_the_piece(name, texts, [e for e in extra if not _is_port(e)])
            texts, extra = [], [replace(e, after_texts=0) for e in extra if _is_port(e)]
        by_channel: dict[int, list] = {ch: [] for ch in raw.channels}
        for event in raw.controls:
            by_channel[event[1]].append(event)
        words = _words_of_parts(raw.channels, raw.notes, texts, extra)
        out = []
        for ch in raw.channels:
            rows = raw.notes.pop(ch)  # dropped as soon as its notes exist
            fields = words.get(ch, {})
            if ch in parts_sysex:
                fields = fields | {"extra_events": (*fields.get("extra_events", ()), *parts_sysex[ch])}
            track, settings = _channel_track(
                ch,
                rows,
                by_channel.pop(ch),
                colour=self._colour(),
                text_encoding=encoding,
                **fields,
            )
            self.own_settings.append(settings)
            del rows
            # One part: the track's name, as written (empty or of only spaces too). Several: the first keeps a
            # type-1 track's name (type 0 names the song, kept as the title), the others have none.
            keeps_name = (
                name is not None
                and ch == raw.channels[0]
                and (len(raw.channels) == 1 or not name or self.title != name)
            )
            out.append(track.with_(name=name, name_event=True) if keeps_name else _unnamed(track))
        return out

    def _take_for_the_piece(self, name: str | None, texts: list[TextEvent], extra: list[RawEvent]) -> None:
        """A type-0 file's one track (or a first track holding several parts) is the song: its name is the
        title, and its words, copyright, SMPTE offset and SysEx are the piece's, as a conductor track's
        are (but a SysEx sent among a part's controllers: ``_place_among_parts``). Given to its first
        part, they went with that part when the user deleted it."""
        if name and self.title is None:
            self.title = name
        self.texts.extend(texts)
        self.extra.extend(extra)

    def _colour(self) -> str:
        self.track_count += 1
        return TRACK_COLOURS[(self.track_count - 1) % len(TRACK_COLOURS)]


class _LooseEnds:
    """Note-offs that close a note of another file track on their channel (a sequencer that wrote each
    note's release in a track of its own, or a part's last note released in the next one).

    A player merges the tracks: a channel is a channel, so such a note-off releases the note sounding on
    its channel and pitch, the earliest struck first. Read track by track, the note would ring to its
    track's end (or stop there, where the note-off lies later) and the note-off would be lost."""

    def __init__(self) -> None:
        self.offs: list[tuple[int, int, int, int, int]] = []  # (tick, file track, channel, pitch, release)
        self.unreleased: dict[tuple[int, int, int], int] = {}  # (track index, start, pitch) -> its end
        self.file_track: dict[int, int] = {}  # track index -> file track it came from

    def add(self, file_track: int, raw: smf.RawTrack, made: dict[int, int]) -> None:
        """What one file track left open, given the index its part on each channel has (``made``)."""
        self.offs.extend((t, file_track, ch, pitch, r) for t, ch, pitch, r in raw.stray_offs)
        self.unreleased.update(
            ((made[ch], start, pitch), raw.end_tick) for ch, start, pitch in raw.unreleased if ch in made
        )
        self.file_track.update((index, file_track) for index in made.values())

    def close(self, tracks: list[Track]) -> None:
        """End each note a note-off of another track releases there, in ``tracks`` (in place)."""
        if not self.offs:
            return
        offs: dict[tuple[int, int], list] = {}
        for tick, file_track, channel, pitch, release in sorted(self.offs):
            offs.setdefault((channel, pitch), []).append((tick, file_track, release))
        struck: dict[tuple[int, int], list] = {key: [] for key in offs}
        for index, track in enumerate(tracks):
            for k, note in enumerate(track.notes):
                key = (track.channel, note.pitch)
                if key in struck:
                    rings = self.unreleased.get((index, note.start, note.pitch)) == note.end
                    end = float("inf") if rings else note.end
                    struck[key].append((note.start, self.file_track[index], index, k, end))
        ended: dict[int, dict[int, Note]] = {}
        for key, releases in offs.items():
            for index, k, tick, release in _released(sorted(struck[key]), releases):
                note = tracks[index].notes[k]
                ended.setdefault(index, {})[k] = replace(
                    note, duration=tick - note.start or 1, release=release
                )
        for index, changed in ended.items():
            notes = tracks[index].notes
            tracks[index] = tracks[index].with_notes(changed.get(k, n) for k, n in enumerate(notes))


def _released(struck: list[tuple], releases: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """(track index, note index, tick, release velocity) of each note one of ``releases`` (tick, file
    track, velocity; in time order) ends: the note struck earliest among those sounding on its channel and
    pitch as a player merging the tracks meets it (a note struck at its tick, in an earlier file track,
    comes before it). ``struck``: (start, file track, track index, note index, end) by start, the end
    infinite for a note its own track never released."""
    sounding: list[tuple] = []
    out = []
    pending = iter(struck)
    upcoming = next(pending, None)
    for tick, file_track, release in releases:
        while upcoming is not None and (upcoming[0], upcoming[1]) < (tick, file_track):
            heapq.heappush(sounding, upcoming)
            upcoming = next(pending, None)
        while sounding and sounding[0][4] <= tick:  # released before this note-off: not sounding
            heapq.heappop(sounding)
        if sounding:
            _, _, index, k, _ = heapq.heappop(sounding)
            out.append((index, k, tick, release))
    return out


def _timing_change(tick: int, kind: int, payload: bytes) -> TempoChange | TimeSignature | KeyChange | None:
    """The tempo, meter or key change a meta event states, where the piece can hold it; None for any other
    event, and for one of those kinds out of form or range (no beats to a bar, a tempo of 0), which the
    piece keeps verbatim instead."""
    if kind == _TEMPO and len(payload) == 3:
        micros = int.from_bytes(payload, "big")
        if micros and MIN_BPM <= 60e6 / micros <= MAX_BPM:
            return TempoChange(tick, _plain_bpm(60e6 / micros))
    elif kind == _TIME_SIGNATURE and len(payload) == 4:
        num, power, clocks, n32 = payload
        if 1 <= num and power <= 7:
            return TimeSignature(tick, num, 2**power, clocks, n32)
    elif kind == _KEY_SIGNATURE and len(payload) == 2:
        sharps = payload[0] - 256 if payload[0] > 127 else payload[0]
        if -7 <= sharps <= 7 and payload[1] in (0, 1):
            return KeyChange(tick, KeySignature.from_signature(sharps, "minor" if payload[1] else "major"))
    return None


def _named(name: str | None) -> bool:
    """Whether a file's track name names the track: one of only spaces names nothing (the track is called
    by its instrument), any other is kept as written, padding and all, so it goes back out the same."""
    return bool(name and name.strip())


def _words_of_parts(
    channels: list[int], notes: dict[int, list], texts: list[TextEvent], extra: list[RawEvent]
) -> dict[int, dict]:
    """The texts and kept events each part of a file track gets, by channel: the first part (which keeps
    the track's name) all of them, but the lyrics, which go with the part that sings them. Given to the
    accompaniment, they went with it when the user deleted it or dragged the voice out. The track's port
    events (FF 21) are every part's: each part's channel messages went to that port, and each part goes
    out in a track of its own."""
    singer = _singing_channel(channels, notes, texts)
    if singer == channels[0]:
        words = {singer: {"texts": tuple(texts), "extra_events": tuple(extra)}}
    else:
        lyrics = tuple(t for t in texts if t.kind == "lyrics")
        words = {channels[0]: _without_lyrics(texts, extra), singer: {"texts": lyrics}}
    ports = [e for e in extra if _is_port(e)]
    for ch in channels[1:] if ports else ():
        own = words.setdefault(ch, {})
        own["extra_events"] = tuple(_among(e, texts, own.get("texts", ())) for e in ports)
    return words


def _is_port(event: RawEvent) -> bool:
    return event.data[:2] == _PORT


def _among(event: RawEvent, texts: list[TextEvent], kept: Iterable[TextEvent]) -> RawEvent:
    """``event`` still after the words that came before it at its tick, of those a part ``kept``."""
    kept_ids = {id(t) for t in kept}
    before = [t for t in texts if t.tick == event.tick][: event.after_texts]
    return replace(event, after_texts=sum(id(t) in kept_ids for t in before))


def _singing_channel(channels: list[int], notes: dict[int, list], texts: list[TextEvent]) -> int:
    """Of a file track holding several parts (a voice over its accompaniment), the channel that sings its
    lyrics: the one whose notes start where most of them lie, as a score reader matches them (drums sing
    none). Its lyrics go there together, never a line split between parts; where no part matches more
    of them than the first, they stay with the first, with the track's other words."""
    ticks = Counter(t.tick for t in texts if t.kind == "lyrics")
    best, most = channels[0], 0
    for ch in channels if ticks else ():
        if ch != DRUM_CHANNEL:
            starts = {row[0] for row in notes[ch]}
            matches = sum(n for tick, n in ticks.items() if tick in starts)
            if matches > most:
                best, most = ch, matches
    return best


def _without_lyrics(texts: list[TextEvent], extra: list[RawEvent]) -> dict:
    """A track's words but its lyrics, each kept event still after the words that came before it at its
    tick (a lyric gone from before it no longer counts)."""
    kinds_at: dict[int, list[str]] = {}
    for text in texts:
        kinds_at.setdefault(text.tick, []).append(text.kind)

    def words_before(event: RawEvent) -> int:
        return sum(kind != "lyrics" for kind in kinds_at.get(event.tick, [])[: event.after_texts])

    return {
        "texts": tuple(t for t in texts if t.kind != "lyrics"),
        "extra_events": tuple(replace(e, after_texts=words_before(e)) for e in extra),
    }


def _controls_before(raw: smf.RawTrack, k: int) -> int:
    """How many controller events of the track's first part (the one its SysEx goes with) come before its
    ``k``-th meta event or SysEx at its tick, in the file."""
    if not raw.channels:
        return 0
    tick, channel = raw.meta[k][0], raw.channels[0]
    count, i = 0, raw.meta_controls[k] - 1
    while i >= 0 and raw.controls[i][0] == tick:
        count += raw.controls[i][1] == channel
        i -= 1
    return count


def _place_among_parts(raw: smf.RawTrack, k: int) -> tuple[int | None, int]:
    """Where a type-0 file's ``k``-th meta event, a SysEx, goes: ``(None, 0)``, the song's, sent before
    every part's controllers at its tick, where none comes before it there; else ``(channel, n)``, the
    part on that channel's, sent after the first ``n`` of its controllers there (``after_controls``).

    The export writes each part in a track of its own, and a player merging them sends a tick's events
    track by track: a GS reset sent after a part's pan undoes it, and sent first it did not. So the SysEx
    goes where the fewest controllers at its tick change side of it: after all of the parts before its
    part's, the ones of its part that came before it, and before all of the parts after it."""
    tick, first = raw.meta[k][0], raw.meta_controls[k]
    before: Counter[int] = Counter()
    i = first - 1
    while i >= 0 and raw.controls[i][0] == tick:
        before[raw.controls[i][1]] += 1
        i -= 1
    if not before:
        return None, 0
    after: Counter[int] = Counter()
    i = first
    while i < len(raw.controls) and raw.controls[i][0] == tick:
        after[raw.controls[i][1]] += 1
        i += 1
    best, least = (None, 0), sum(before.values())  # the song's: every controller before it moves after
    for order, channel in enumerate(raw.channels):
        moved = sum(after[c] for c in raw.channels[:order]) + sum(
            before[c] for c in raw.channels[order + 1 :]
        )
        if moved < least or (moved == least and best[0] is not None and not best[1] and before[channel]):
            best, least = (channel, before[channel]), moved
    return best


def _texts_at(texts: list[TextEvent], tick: int) -> int:
    """How many of ``texts`` (read so far, in file order) lie at ``tick``: a kept event read now comes after
    them there."""
    count = 0
    for text in reversed(texts):
        if text.tick != tick:
            break
        count += 1
    return count


def _channel_track(
    channel: int, rows: list[tuple[int, int, int, int, int]], controls: list, **fields
) -> tuple[Track, tuple[bool, bool]]:
    """One channel of a file track: its notes, its start program and volume, and its lane events; and
    whether the track set its program and its volume itself at tick 0."""
    notes = [
        Note(pitch, start, end - start or 1, velocity, release=release)
        for start, end, pitch, velocity, release in rows
    ]
    # The track's own settings, in the order the export writes them, so the same values are left in force
    at_program, at_volume, program_after = start_settings(
        [(t, lane, after) for t, _, lane, _, after, _ in controls]
    )
    program = controls[at_program][3] if at_program is not None else None
    volume = controls[at_volume][3] if at_volume is not None else None
    settings = {i for i in (at_program, at_volume) if i is not None}
    lane_events = {
        i: ControlEvent(t, lane, value, after, released)
        for i, (t, _, lane, value, after, released) in enumerate(controls)
        if i not in settings
    }
    events = list(lane_events.values())
    own = (program is not None, volume is not None)
    if program is None and rows:  # no program at the start: the one the first note plays with
        first = min(r[0] for r in rows)
        # (one sent after the first note's strike, at its tick, is not the one it plays with)
        programs = [
            e
            for e in events
            if e.lane == PROGRAM and (e.tick < first or (e.tick == first and not e.after_strikes))
        ]
        program = programs[-1].value if programs else None
    # A track without notes plays nothing: its later program changes stay where they are, and are not
    # its program at the start (written at tick 0, another track's notes on its channel would play it).
    track = Track(
        program=program or 0,
        channel=channel,
        is_drum=channel == DRUM_CHANNEL,
        volume=100 if volume is None else volume,
        program_stated=own[0],
        volume_stated=own[1],
        notes=tuple(notes),
        controllers=tuple(events),
        program_after=program_after,
        volume_after=_volume_after(fields.get("extra_events", ()), at_volume),
        sound_before_lanes=_sound_before_lanes(
            fields.get("extra_events", ()), controls, at_volume, at_program
        ),
        **fields,
    )
    if settings and sends_only_its_lanes(track):
        # it set MIDI's defaults itself: all its controls are kept as lane events, in the file's order
        kept = [ControlEvent(t, lane, value, *order) for t, _, lane, value, *order in controls]
        return track.with_(controllers=tuple(kept), volume_after=None, sound_before_lanes=None), own
    return _placed_among_settings(track, lane_events, at_volume), own


def _volume_after(extra: tuple[RawEvent, ...], volume: int | None) -> int | None:
    """How many of a track's kept events at tick 0 go before its volume (``Track.volume_after``): all up to
    the last SysEx the file sent after some of its controllers there and before its volume (``volume``:
    the place of the control read as its volume among the channel's); None where none lies so."""
    if volume is None:
        return None
    at_zero = [e for e in extra if e.tick == 0]
    between = [k for k, e in enumerate(at_zero) if 0 < e.after_controls <= volume]
    return between[-1] + 1 if between else None


def _sound_before_lanes(
    extra: tuple[RawEvent, ...], controls: list, volume: int | None, program: int | None
) -> int | None:
    """How many of a channel's bank selects and programs at tick 0 go before its other lanes there
    (``Track.sound_before_lanes``): the count that sends them in the file's order (``controls``, in the
    file's order; ``volume``: the place of the one read as its volume, which goes first anyway); where
    none does, the one that sends every control on the side of each SysEx there that the file sent it,
    first those the file sent before its first SysEx that came after some of the channel's controls there
    (a pan, a GS reset, then the program: sent before the reset, the program is undone by it); and the
    program the export states first of them where the file sent none there (``program`` None: the count
    is of what the export sends); None where it sends them all first, or where no SysEx came after some of
    its controls there, or where it has no other lanes there (the order is the same either way, and a
    project file of it opens in the apps before the field). Those sent after the notes struck at tick 0 go
    after all of these anyway (``Track.settings_and_lanes``): they count for neither."""
    resets = [e.after_controls for e in extra if e.tick == 0 and e.after_controls]
    at_zero = [
        (i, lane) for i, (tick, _, lane, _, after, _) in enumerate(controls) if tick == 0 and not after
    ]
    others = [i for i, lane in at_zero if lane not in SOUND_CHOICE and i != volume]
    if not resets or not others:
        return None
    sound = [i for i, lane in at_zero if lane in SOUND_CHOICE]
    stated = int(program is None)
    as_sent = [i for i, _ in at_zero if i != volume]

    def sent(early: int) -> list[int]:  # the order sent, the first ``early`` sound events before the lanes
        return sound[:early] + others + sound[early:]

    def undone(early: int) -> int:
        """How many controls go out before a SysEx that the file sent before them (a SysEx goes after
        the last control the file sent before it, ``_placed_among_settings``): two programs with a reset
        between them, then a bend and a pan, counted as sent before the first reset, sent the second
        program and reset after the pan, and the reset undid it."""
        order = sent(early)
        out = 0
        for reset in resets:
            before = [p for p, i in enumerate(order) if i < reset]
            out += sum(i >= reset for i in order[: before[-1] + 1 if before else 0])
        return out

    first = sum(i < min(resets) for i in sound)
    counts = [first, *(n for n in range(len(sound) + 1) if n != first)]
    early = min(counts, key=lambda n: (sent(n) != as_sent, undone(n)))  # the first of the best
    return early + stated if early < len(sound) else None


def _placed_among_settings(track: Track, lane_events: dict[int, ControlEvent], volume: int | None) -> Track:
    """The track with each SysEx at tick 0 placed among the controllers its export sends there.

    ``after_controls`` counts the file's controllers before it; at tick 0 the export sends them in another
    order (``Track.settings_and_lanes``: the volume first, the program after the bank selects), so the SysEx
    goes after the last of those in what is sent. ``lane_events``: the lane event made of each of the
    channel's controls, by its place in the file (the others are its settings); ``volume``: the place of
    the one read as its volume."""
    early = [e for e in track.extra_events if e.tick == 0 and e.after_controls]
    if not early:
        return track
    sent = [e for e in sent_controls(track) if e.tick == 0]
    places = {id(e): place for place, e in enumerate(sent)}
    lanes = {id(e) for e in lane_events.values()}
    program = next((p for p, e in enumerate(sent) if e.lane == PROGRAM and id(e) not in lanes), 0)

    def place(i: int) -> int:
        if i in lane_events:
            return places[id(lane_events[i])]
        return 0 if i == volume else program

    moved = {id(e): replace(e, after_controls=1 + max(map(place, range(e.after_controls)))) for e in early}
    return track.with_(extra_events=tuple(moved.get(id(e), e) for e in track.extra_events))


#: Meta events that a track's end falling on says nothing of the piece's end (``_stated_end``): text,
#: a marker or cue, a tempo, meter or key change.
_CHANGES = frozenset((0x01, _MARKER, 0x07, _TEMPO, _TIME_SIGNATURE, _KEY_SIGNATURE))


def _stated_end(raw: smf.RawTrack) -> int:
    """Where a track says the piece ends: its end-of-track, unless that lies on its last event and that is
    only text, a marker, a tempo, meter or key change; then its last other event. A writer ends a track
    on its last event, so a marker or tempo change set after the music (a "Fine" two bars on) is where
    the track ends, not a loop's rests: Export MIDI writes such a piece so, moving the changes to the
    conductor, and it must open as long as it was. A loop ends every track at its end (Export MIDI
    writes one so), or lets a pedal-up lie there: those ends stay the piece's."""
    end = raw.end_tick
    if not raw.meta or raw.meta[-1][0] != end:
        return end
    others = [
        *(rows[-1][1] for rows in raw.notes.values() if rows),
        *(event[0] for event in raw.controls[-1:]),
        *(event[0] for event in raw.stray_offs[-1:]),
        next(
            (tick for tick, status, kind, _ in reversed(raw.meta) if status != 0xFF or kind not in _CHANGES),
            0,
        ),
    ]
    return max(others)


def _own_encodings(markers: list[Marker], encoding: str) -> tuple[Marker, ...]:
    """The piece's markers, each keeping the encoding its track held it in only where that is not the
    piece's ``encoding`` (a marker in UTF-8 under a title in Latin-1): written back in it, its bytes come
    out as they went in."""
    return tuple(m if m.text_encoding != encoding else replace(m, text_encoding=None) for m in markers)


def _sysex_at_start(raw: smf.RawTrack) -> list[bytes]:
    """A file track's SysEx at tick 0 (from F0), in its order: what sets the parts' levels and channels
    (``part_levels``)."""
    out = []
    for tick, status, _, payload in raw.meta:
        if tick:
            break
        if status == 0xF0:
            out.append(b"\xf0" + payload)
    return out


def _take_part_levels(tracks: list[Track], own: list[tuple[bool, bool] | None], sysex: list[bytes]) -> None:
    """A channel no track sets a volume (CC 7) for at tick 0, whose level a GS or XG SysEx sets there (the
    resets after it counted, on the part that receives the channel), plays at that level: each track on it
    that states its settings takes it as its volume (``part_levels``). Stated at MIDI's default after the
    SysEx, the export undid it."""
    if not sysex:
        return
    for channel, value in channel_levels(sysex).items():
        sharing = [i for i, t in enumerate(tracks) if own[i] is not None and t.channel == channel]
        if value == DEFAULT_VOLUME or any(own[i][1] for i in sharing):
            continue
        for i in sharing:
            if not sends_only_its_lanes(tracks[i]):
                tracks[i] = tracks[i].with_(volume=value)


def _share_channel_settings(tracks: list[Track], own: list[tuple[bool, bool] | None]) -> None:
    """Tracks on one MIDI channel share its program and volume (a piano's two hands on channel 1, only
    one of them choosing the sound). The export writes every track's settings at tick 0, so a track that
    did not set them there itself is given what the channel has at tick 0: the export must neither reset
    the channel to a piano at full volume under the other track, nor switch it early to an instrument the
    other track changes to later."""
    for i, track in enumerate(tracks):
        if own[i] is None or all(own[i]):
            continue
        sharing = [j for j, t in enumerate(tracks) if own[j] is not None and t.channel == track.channel]
        if len(sharing) == 1:
            continue
        changes = {}
        if not own[i][0]:
            changes["program"] = _start_program(i, [(j, tracks[j], own[j][0]) for j in sharing])
        if not own[i][1]:
            # the volume in force after the tick-0 lane events of the last track that set one
            volumes = [
                tracks[j].value_at(VOLUME, 0, tracks[j].volume) for j in sharing if j != i and own[j][1]
            ]
            if volumes:
                changes["volume"] = volumes[-1]
        if changes:
            tracks[i] = track.with_(**changes)


def _start_program(index: int, sharing: list[tuple[int, Track, bool]]) -> int:
    """The program track ``index`` states at tick 0, given the tracks on its channel in file order (index,
    track, whether it set its program at tick 0).

    Where others set one there: the last of them (what the track plays after tick 0), unless a note at
    tick 0 in this or a following track plays before that track sets it; then the last set before this
    track, or MIDI's program 0. Where none does: if no note on the channel sounds before its first
    program change, the one the track's first note plays with (so the track's name says its
    instrument); else program 0, what the channel plays until its first change. A change and a note at
    one tick meet the channel as a player merging the tracks sends them (``_sent_before``): a change the
    track sends after its note-ons there (``ControlEvent.after_strikes``) is not what they play.
    """
    setters = [(j, track.program) for j, track, own in sharing if own]
    if setters:
        earlier = [program for j, program in setters if j < index]
        later = [j for j, _ in setters if j > index]
        played_first = [t for j, t, _ in sharing if later and index <= j < later[0]]
        if later and any(t.notes and t.notes[0].start == 0 for t in played_first):
            return earlier[-1] if earlier else 0
        return setters[-1][1]
    changes = sorted(
        (((e.tick, j, e.after_strikes), e.value) for j, track, _ in sharing for e in track.lane(PROGRAM)),
        key=lambda c: c[0],  # stable: changes at one moment keep their order
    )
    firsts = [(track.notes[0].start, j) for j, track, _ in sharing if track.notes]
    mine = next(track for j, track, _ in sharing if j == index)
    if not changes or not mine.notes or not all(_sent_before(changes[0][0], n) for n in firsts):
        return 0
    # the latest change sent before its first note (there is one: no note sounds before the first)
    return [value for when, value in changes if _sent_before(when, (mine.notes[0].start, index))][-1]


def _sent_before(change: tuple[int, int, bool], note: tuple[int, int]) -> bool:
    """Whether a program change, (tick, track index, whether sent after its tick's note-ons), reaches the
    channel before a note struck at (tick, track index), as a player merging the tracks sends them: at one
    tick track by track, and within a track its changes before its note-ons but for those sent after them."""
    tick, track, after_strikes = change
    return (tick, track) < note or ((tick, track) == note and not after_strikes)


def _unnamed(track: Track) -> Track:
    return track.with_(name="", name_event=False)  # no second sort


def named_for_instrument(track: Track) -> bool:
    """Whether ``track`` has no name of its own, so is called by what it plays (``part_name``): its file
    gave it no name event, or an empty one or one of only spaces (kept as written, and written back so),
    or it is File > New's. A name the file or the user gave, "Acoustic Grand Piano" too, is its own."""
    return not _named(track.name)


def part_name(track: Track) -> str:
    """The track's name for words outside the window (the command line, messages of the files' code): its
    own, else its GM instrument's English name, "Drums", or "Text" for a part of only text or kept events.
    The UI says the same in the user's language (``ui.track_labels``)."""
    if not named_for_instrument(track):
        return track.name
    if track.is_drum:
        return "Drums"
    return "Text" if plays_nothing(track) else program_name(track.program)


def plays_nothing(track: Track) -> bool:
    """A track of only words or kept events (lyrics, a SysEx): no notes and no controllers, though it
    holds something. Unnamed, it is called "Text", not by an instrument it never plays."""
    return not track.notes and not track.controllers and bool(track.texts or track.extra_events)


@functools.cache
def _gm_names() -> tuple[str, ...]:
    # pretty_midi imports pyfluidsynth, which prints where it found the library when CI is set
    with contextlib.redirect_stdout(io.StringIO()):
        from pretty_midi import program_to_instrument_name
    return tuple(program_to_instrument_name(p) for p in range(128))


def program_name(program: int) -> str:
    """The General MIDI name of ``program`` ("Acoustic Grand Piano"), untranslated (for files and CLI)."""
    return _gm_names()[program]


# -- writing -------------------------------------------------------------------------------------------


def write_midi(project: Project, path: str | Path) -> None:
    try:
        atomic_write_bytes(path, midi_to_bytes(project))
    except (OSError, ValueError) as e:  # a full disk, a read-only file, a name that cannot be encoded
        raise save_error(path, e) from None


def midi_to_bytes(project: Project) -> bytes:
    """A type-1 standard MIDI file: conductor track first, then one track per project track, each on the
    channel ``export_plan`` gives it."""
    chunks = [smf.track_chunk(_conductor_events(project), end=project.length)]
    # A piece ending in silent bars ends every track there (as a DAW writes a loop): a marker or tempo
    # change on its last tick then does not make the end read as the marker's (``_stated_end``).
    end = project.end_of_track
    channels = export_plan(project).channels
    for track, channel in zip(stating_as_played(project.tracks, channels), channels, strict=True):
        chunks.append(smf.track_chunk(_track_events(track, channel), end=end))
    own = markers_in_own_encoding(project)
    if own:  # a track of their own, as one track holds one encoding: it reads back as one
        chunks.append(smf.track_chunk([(m.tick, _text(_MARKER, m.text, m.text_encoding)) for m in own], end))
    return smf.file_bytes(1, project.ticks_per_beat, chunks)


def stating_as_played(tracks: Sequence[Track], channels: Sequence[int]) -> list[Track]:
    """The tracks as the export writes them on ``channels``: a program or volume a track's file left unsaid
    (``Track.program_stated``) stays unsaid where the file read back plays the track so without it, and is
    stated where it would not (a track given another channel, the other hand that chose the sound deleted,
    a GS part level, two kits on the drum channel one stating a volume of 0).

    Read back, a part that leaves its program or volume unsaid takes MIDI's default, the program its first
    note is sent, or what another track on its channel states there (``_share_channel_settings``), the last
    of them, whichever side of it that track was written. So the read-back is worked out as the import does
    it, and a part it would give another volume, or a program its first note does not play with, states its
    own; stating one can change what the others read back, so this repeats until none changes. A track
    without notes plays nothing with its settings: it stays as its file had it."""
    out = list(tracks)
    while True:
        read = _as_read_back(out, channels)
        stated = [
            (
                t.program_stated or _heard_program(r) != _heard_program(t),
                t.volume_stated or r.volume != t.volume,
            )
            if t.notes
            else (t.program_stated, t.volume_stated)
            for t, r in zip(out, read, strict=True)
        ]
        if stated == [(t.program_stated, t.volume_stated) for t in out]:
            return out
        out = [t.with_(program_stated=p, volume_stated=v) for t, (p, v) in zip(out, stated, strict=True)]


def _as_read_back(tracks: Sequence[Track], channels: Sequence[int]) -> list[Track]:
    """The tracks' programs and volumes as the import reads the exported file: what a track states, else
    the program its first note is sent (``_channel_track``) and MIDI's default volume, then what the
    tracks sharing its channel state (``_share_channel_settings``)."""
    read = [
        t.with_(
            channel=channel,
            program=t.program if t.program_stated else _heard_program(t.with_(program=0)),
            volume=t.volume if t.volume_stated else DEFAULT_VOLUME,
        )
        for t, channel in zip(tracks, channels, strict=True)
    ]
    _share_channel_settings(read, [(t.program_stated, t.volume_stated) for t in tracks])
    return read


def _heard_program(track: Track) -> int:
    """The program the track's first note plays with: its last program change sent before that note (at
    its tick, before its note-ons), else its program (a track without notes: its program)."""
    if not track.notes:
        return track.program
    first = track.notes[0].start
    chosen = [e for e in track.lane(PROGRAM) if e.tick < first or (e.tick == first and not e.after_strikes)]
    return chosen[-1].value if chosen else track.program


def _text(kind: int, text: str, encoding: str = UTF_8) -> bytes:
    return smf.meta(kind, text.encode(encoding))


def _holds(encoding: str, text: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _writable_encoding(encoding: str, texts: Iterable[str]) -> str:
    """``encoding`` where every text has a form in it (Latin-1 text kept as a karaoke file wrote it), else
    UTF-8 for all of them: one track never mixes two encodings, so it reads back as one."""
    return encoding if all(_holds(encoding, text) for text in texts) else UTF_8


def piece_text_encoding(project: Project) -> str:
    """The encoding the export writes the title, markers and conductor text in: the one they came in where
    all of it has a form in it, else UTF-8 (``midi_export_changes`` says so). A marker that came in an
    encoding of its own, which still holds it, goes out in that one (``markers_in_own_encoding``)."""
    texts = (
        project.metadata.get("title", ""),
        *(m.text for m in project.markers if not _keeps_its_encoding(m)),
        *(t.text for t in project.texts),
    )
    return _writable_encoding(project.text_encoding, texts)


def _keeps_its_encoding(marker: Marker) -> bool:
    """Whether a marker goes out in an encoding of its own: one that holds it, where that gives other
    bytes (plain ASCII is the same in any)."""
    text, encoding = marker.text, marker.text_encoding
    return encoding is not None and not text.isascii() and _holds(encoding, text)


def markers_in_own_encoding(project: Project) -> tuple[Marker, ...]:
    """The markers the export writes in the encoding a file held them in, not the piece's
    (``Marker.text_encoding``: a marker in UTF-8 under a title in Latin-1): in a track of their own after
    the parts, as a track holds one encoding, so their bytes come out as they went in and read back as
    they were."""
    piece = piece_text_encoding(project)
    return tuple(m for m in project.markers if _keeps_its_encoding(m) and m.text_encoding != piece)


def track_text_encoding(track: Track) -> str:
    """The encoding the export writes a track's name and text in: the one they came in where all of it has
    a form in it, else UTF-8 (``midi_export_changes`` says so)."""
    return _writable_encoding(track.text_encoding, (track.name, *(t.text for t in track.texts)))


def _raw(event: RawEvent) -> bytes:
    if event.data[0] == 0xFF:
        return smf.meta(event.data[1], event.data[2:])
    return event.data[:1] + smf.vlq(len(event.data) - 1) + event.data[1:]


def _conductor_events(project: Project) -> list[tuple[int, bytes]]:
    timed: list[tuple[int, float, bytes]] = []
    encoding = piece_text_encoding(project)
    title = project.metadata.get("title")
    if title is not None:  # an empty one too: a file's conductor named so
        timed.append((0, 0, _text(_TRACK_NAME, title, encoding)))
    for ts in project.time_signatures:
        power = ts.denominator.bit_length() - 1
        payload = bytes((ts.numerator, power, ts.clocks_per_click, ts.notated_32nds))
        timed.append((ts.tick, 1, smf.meta(_TIME_SIGNATURE, payload)))
    keys = [KeyChange(0, project.key)] if project.key is not None else []
    for k in (*keys, *project.key_changes):
        payload = struct.pack(">bB", k.key.sharps, k.key.mode == "minor")
        timed.append((k.tick, 2, smf.meta(_KEY_SIGNATURE, payload)))
    for tc in project.tempos:
        # MIDI stores 1..0xFFFFFF microseconds per beat: anything under 3.58 BPM plays at 3.58 (and is said)
        micros = max(1, min(round(60e6 / tc.bpm), SLOWEST_MICROS))
        timed.append((tc.tick, 3, smf.meta(_TEMPO, micros.to_bytes(3, "big"))))
    own = set(markers_in_own_encoding(project))
    for m in project.markers:
        if m not in own:
            timed.append((m.tick, 4, _text(_MARKER, m.text, encoding)))
    stated = _timing_stated(project)
    timed.extend(
        (e.tick, _kept_place(e), _kept(e, encoding))
        for e in _in_file_order(project)
        if _still_stated(e, stated)
    )
    timed.sort(key=lambda e: (e[0], e[1]))  # stable: equal keys keep their order
    return [(tick, data) for tick, _, data in timed]


def _timing_stated(project: Project) -> set[tuple[int, int]]:
    """(meta type, tick) of every meter, key and tempo change the piece holds."""
    keys = [*([0] if project.key is not None else []), *(k.tick for k in project.key_changes)]
    return {
        *((_TIME_SIGNATURE, s.tick) for s in project.time_signatures),
        *((_KEY_SIGNATURE, tick) for tick in keys),
        *((_TEMPO, t.tick) for t in project.tempos),
    }


def _still_stated(event: RawEvent | TextEvent, stated: set[tuple[int, int]]) -> bool:
    """A kept meter, key or tempo event (one a file stated before another at its tick) goes out only while
    the piece still has a change of its kind there: deleted or moved, the change would come back through it.
    One the piece cannot hold (out of form or range) was never a change of the piece's: it always goes out."""
    if isinstance(event, TextEvent) or event.data[0] != 0xFF or event.data[1] not in _BEFORE_ITS_KIND:
        return True
    if _timing_change(event.tick, event.data[1], event.data[2:]) is None:
        return True
    return (event.data[1], event.tick) in stated


#: Where a kept meter, key or tempo event goes among the conductor's events at its tick: just before the
#: piece's own of its kind, so a change the file stated twice at one tick keeps the later one in force.
_BEFORE_ITS_KIND = {_TIME_SIGNATURE: 0.5, _KEY_SIGNATURE: 1.5, _TEMPO: 2.5}


def _kept_place(event: RawEvent | TextEvent) -> float:
    if isinstance(event, TextEvent) or event.data[0] != 0xFF:
        return 5
    return _BEFORE_ITS_KIND.get(event.data[1], 5)


def _in_file_order(owner: Project | Track) -> list[RawEvent | TextEvent]:
    """A piece's or track's text and kept events by tick, at one tick in the order the file gave them:
    each kept event after the texts that came before it (a channel prefix before the name it applies to)."""
    place: dict[int, int] = {}
    keyed = []
    for text in owner.texts:
        place[text.tick] = place.get(text.tick, -1) + 1
        keyed.append(((text.tick, place[text.tick], 1), text))
    keyed.extend(((e.tick, e.after_texts, 0), e) for e in owner.extra_events)
    keyed.sort(key=lambda k: k[0])  # stable: kept events at one place keep their order
    return [event for _, event in keyed]


def _kept(event: RawEvent | TextEvent, encoding: str) -> bytes:
    if isinstance(event, TextEvent):
        return _text(_META_OF_KIND[event.kind], event.text, encoding)
    return _raw(event)


def _kept_places_in_track(events: list[RawEvent | TextEvent]) -> list[tuple[int, int, int]]:
    """Each of a track's text and kept events (``_in_file_order``) with its place among its tick's events
    (``_controls_in_place``): before the controllers, or, for a SysEx a file sent after ``n`` of them,
    right after those; a text the file gave after such a SysEx right after it too (a lyric after a GS
    reset sent among the settings stays after it, ``RawEvent.after_texts``). The last number keeps their
    order at one place."""
    places, tick, place = [], -1, (0, 0)
    for j, e in enumerate(events):
        if e.tick != tick:
            tick, place = e.tick, (0, 0)
        if isinstance(e, RawEvent):
            place = (1, 2 * e.after_controls - 1) if e.after_controls else (0, 0)
        places.append((*place, j))
    return places


def _control_bytes(event: ControlEvent, channel: int) -> bytes:
    lane, value = event.lane, event.value
    if is_cc(lane):
        return bytes((0xB0 | channel, lane, value))
    if lane == PITCH_BEND:
        v = value + 8192
        return bytes((0xE0 | channel, v & 0x7F, v >> 7))
    if lane == PROGRAM:
        return bytes((0xC0 | channel, value))
    if is_poly_pressure(lane):
        return bytes((0xA0 | channel, poly_pressure_pitch(lane), value))
    return bytes((0xD0 | channel, value))  # channel pressure


def _track_events(track: Track, channel: int) -> list[tuple[int, bytes]]:
    """The track's name, then everything in time order. At one tick: kept events and text (a GM-reset
    SysEx before the settings it resets), then controllers in their own order, a SysEx the file sent after
    some of them among them (``RawEvent.after_controls``: a pan sent before a GS reset is undone by it),
    then note-offs, then the controllers the file sent after them (``ControlEvent.after_releases``: a
    sustain pedal pressed after a chord's note-offs does not hold it), then note-ons (a repeated pitch is
    released before it is struck again), then the controllers the file sent after them
    (``ControlEvent.after_strikes``: a sostenuto pressed after a chord's note-ons holds the chord); a SysEx
    the file sent after one of those goes right after it. At tick 0 the track's volume and program go
    where the app plays them (``Track.settings_and_lanes``): a volume drawn from bar 1 is what the file
    starts with, and a bank select chooses the bank of the program; but the volume goes after a SysEx the
    file sent before it (``Track.volume_after``: a GS reset after the program would undo it)."""
    encoding = track_text_encoding(track)
    timed: list[tuple[int, tuple, bytes]] = _name_event(track, encoding)
    in_order = _in_file_order(track)
    kept = list(zip(in_order, _kept_places_in_track(in_order), strict=True))
    controls = _controls_in_place(sent_controls(track), channel, track.after_strikes_at())
    kept = _after_late_controls(kept, controls)
    timed.extend((e.tick, place, _kept(e, encoding)) for e, place in kept)
    if track.volume_after and track.volume_stated and not sends_only_its_lanes(track):
        # its volume (the first control sent at tick 0) right after the kept events the file sent before it
        before = [place for e, place in kept if isinstance(e, RawEvent) and e.tick == 0][: track.volume_after]
        if before:
            controls[0] = (0, (*before[-1][:2], before[-1][2] + 0.5), controls[0][2])
    timed.extend(controls)
    on, off = 0x90 | channel, 0x80 | channel
    for n in track.notes:
        timed.append((n.start, (3, 0), bytes((on, n.pitch, n.velocity))))
        timed.append((n.end, (2, -1), bytes((off, n.pitch, n.release))))
    timed.sort(key=lambda e: (e[0], e[1]))  # stable: equal places keep their order
    return [(tick, data) for tick, _, data in timed]


def _name_event(track: Track, encoding: str) -> list[tuple[int, tuple, bytes]]:
    """The track's name, first of all its events, where it has a name event: a file goes in, the same
    file comes out, so a part its file left unnamed gets none (``Track.name_event``)."""
    return [(0, (-2, 0), _text(_TRACK_NAME, track.name, encoding))] if track.name_event else []


def _controls_in_place(
    controls: Iterable[ControlEvent], channel: int, after: frozenset[int] = frozenset()
) -> list[tuple[int, tuple[int, int], bytes]]:
    """Each controller event with its place among a tick's events: the ``n``-th at its tick (from 0) at
    ``(1, 2n)``, so a SysEx sent after ``n`` of them (``RawEvent.after_controls``) goes at ``(1, 2n - 1)``;
    one sent after the note-offs there (``ControlEvent.after_releases``, at ``(2, -1)``) at ``(2, 2n)``, as
    is one sent after the notes struck at its tick where none is struck there any more; one sent after the
    notes struck at its tick (``after``: ``Track.after_strikes_at``) at ``(4, 2n)``, after the note-ons."""
    out, tick, n = [], -1, 0
    for e in controls:
        n = n + 1 if e.tick == tick else 0
        tick = e.tick
        band = 4 if e.after_strikes and tick in after else 2 if e.after_releases or e.after_strikes else 1
        out.append((tick, (band, 2 * n), _control_bytes(e, channel)))
    return out


def _after_late_controls(
    kept: list[tuple], controls: list[tuple[int, tuple[int, int], bytes]]
) -> list[tuple]:
    """``kept`` (each kept event or text with its place, ``_kept_places_in_track``), a SysEx placed right
    after a controller sent after its tick's note-offs or note-ons going there too, after them, with the
    texts placed with it: a file's note-on, sostenuto and SysEx come back in that order."""
    late = {(tick, place[1]): place[0] for tick, place, _ in controls if place[0] != 1}
    if not late:
        return kept
    return [
        (e, (late.get((e.tick, place[1] - 1), 1), *place[1:]) if place[0] == 1 else place)
        for e, place in kept
    ]
