"""The ``.muse`` project file: JSON with a format name and version, saved atomically, loaded with checks.

A project file is the user's work, so saving never leaves half a file behind (see ``atomic``) and loading
says exactly where a damaged file is wrong ("track 2 'Bass', note 14: velocity 0 is outside MIDI's
1..127") instead of failing somewhere later. Notes are stored as ``[pitch, start, duration, velocity]``
rows in ticks: compact, and exact.

Format 2 adds what a MIDI file can hold besides notes: key changes and the key's spelling, markers, the
meter's metronome fields, per track controller rows ``[tick, lane, value]``, text events ``[tick, kind,
text]`` and kept-verbatim events ``[tick, "hex bytes"]``, for the piece and for each track. Format 1 files
open as before (they have none of these). Format 3 adds a note's release velocity as a fifth number
where it has one (``[pitch, start, duration, velocity, release]``); a piece with none is still saved as
format 2, so the app before it opens what holds nothing new to it. Format 4 adds ``end_of_track``, where
the piece ends after its last note, when that leaves whole silent bars at its end (a loop's rests); a shorter
end (a tick or a beat after the last note, as many MIDI files end) is stored in any format, as an app that
ignores it loses no bar of the piece and the file should still open there. Format 4 adds ``text_encoding``, for the
piece and each track whose text a MIDI file held in Latin-1, and a third number to a kept event that a
file gives after text events at its tick (``[tick, "hex bytes", texts before it]``); only a piece with one
of these is saved as format 4, so an app that would drop them says it cannot open the file instead.
Format 5 adds texts (a track's name, a marker, a text event, a metadata value) written as a list of
strings: JSON reads a lone high surrogate escaped right before a lone low one (``"\\ud83c\\udfb5"``, as a
damaged source can give) as one character, so a text holding such two is split between them, and each
part reads back as written; only a piece with such a text is saved as format 5. Format 6 adds a track's
``program_after``. Format 7 adds a fourth number to a kept event that a file gives after controllers at its
tick (``[tick, "hex bytes", texts before it, controllers before it]``: a SysEx after a pan, which a GS
reset would undo), and a track's ``releases_first`` (its note-offs before its controllers at one tick);
only a piece with one of these is saved as format 7 (since format 14 the controllers say it themselves:
opened, ``releases_first`` becomes their ``after_releases``). Format 8 adds a third item to a marker's row, the
encoding a MIDI file held it in where that is not the piece's (``Marker.text_encoding``: a marker in UTF-8
under a title in Latin-1); only a piece with such a marker is saved as format 8. Format 9 adds a track's
``volume_after`` (its volume sent after a SysEx at tick 0, which a GS reset before it would undo); only
a piece with one is saved as format 9. Format 10 adds a track's ``sound_before_lanes`` (its bank selects
and program sent after a SysEx at tick 0 that came after some of its controllers, which a GS reset before
them would undo); only a piece with one is saved as format 10. Format 11 adds ``end_before_bars``, the end a
piece had before Insert Bars put bars at or after it, and those bars (``[end before, their first bar line,
their end]``): Delete Bars of them after the file is opened again gives the piece back as long as it was;
only a piece with one is saved as format 11 (an app before it, carrying the field unread, would write back
a note of bars its edits had since moved). Format 12 adds a fourth item, ``true``, to a controller row sent
after the notes struck at its tick (``[tick, lane, value, true]``: ``ControlEvent.after_strikes``, a
sostenuto pressed after a chord's note-ons, which holds the chord); only a piece with one is saved as
format 12 (an app before it reads such a row as damage). Format 13 adds a track's ``name_event``, ``false``
for a part its MIDI file left unnamed (its ``name`` then ``""``), which the export gives no name event;
only a piece with one is saved as format 13 (an app before it would show and export the empty name).
Format 14 adds a fifth item, ``true``, to a controller row sent after the note-offs at its tick
(``[tick, lane, value, false, true]``: ``ControlEvent.after_releases``, a sustain pedal pressed after a
chord's note-offs, which does not hold it); only a piece with one is saved as format 14 (an app before it
reads such a row as damage, where it would send the pedal before the note-offs). Format 15 adds a track's
``program_stated`` and ``volume_stated``, ``false`` for a part its MIDI file sent no program change or no
volume (CC 7) at the start, which the export then does not state (``Track.program_stated``); only a piece
with one is saved as format 15 (an app before it would carry the field unread, and leave an instrument or
volume the user set there out of the export). A file before format 15 opens with both stated, as it
exported.
``shared_channels`` (any format: an app that does not know it exports as it always did) lists the channels
a MIDI file shared among tracks setting them differently (at the start or later), with how each of those
tracks starts its channel, as ``[channel, [[is_drum, program, volume, [[lane, value], ...]], ...]]`` (see
``Project.shared_channels``).

A newer format gets a new version, which this version refuses to open; a field it does not know in a
file it opens (one a newer MuseStudio adds where an older app may ignore it, as ``shared_channels``; one
another tool adds), at the top or in a track, is carried unread and written back by the next save
(``Project.unknown_fields``). A note row longer than five numbers is damage, not a newer note.

Saving follows symlinks, keeps permissions and hard links and refuses read-only files unless told
(``atomic``); recovery copies (autosave) live in ``recovery``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from musestudio.core.errors import BadInputError, InvalidValue, error_json, reason
from musestudio.core.events import (
    TEXT_ENCODINGS,
    ControlEvent,
    KeyChange,
    Marker,
    RawEvent,
    TextEvent,
    is_lane,
    lane_range,
)
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange, TimeSignature
from musestudio.core.timing import silent_bars
from musestudio.core.track import ChannelSetup, Track
from musestudio.io.atomic import ReadOnlyFileError, atomic_write_bytes
from musestudio.io.files import read_input_bytes, save_error

FORMAT_NAME = "musestudio-project"
FORMAT_VERSION = 15
RELEASE_VERSION = 3  # the first format with release velocities; a piece without one is saved as format 2
END_VERSION = 4  # the first with the piece's end after its last event, Latin-1 text, kept events' order
SPLIT_TEXT_VERSION = 5  # the first with texts split where two lone surrogates meet (``_text_to_json``)
PROGRAM_AFTER_VERSION = 6  # the first with a bank select kept after a track's program (``program_after``)
KEPT_AFTER_CONTROLS_VERSION = 7  # the first with a SysEx kept after controllers, or note-offs before them
MARKER_ENCODING_VERSION = 8  # the first with a marker in an encoding not the piece's (``_marker_row``)
VOLUME_AFTER_VERSION = 9  # the first with a track's volume sent after a SysEx at tick 0 (``volume_after``)
SOUND_AFTER_VERSION = (
    10  # the first with a track's program sent after a SysEx at tick 0 (``sound_before_lanes``)
)
END_BEFORE_BARS_VERSION = 11  # the first with the end Insert Bars replaced (``Project.end_before_bars``)
AFTER_STRIKES_VERSION = 12  # the first with a controller sent after its tick's notes (``_controller_row``)
NAME_EVENT_VERSION = 13  # the first with a track its file left unnamed (``Track.name_event``)
AFTER_RELEASES_VERSION = 14  # the first with one sent after its tick's note-offs (``_controller_row``)
UNSTATED_VERSION = 15  # the first with a program or volume a track's file left unsaid (``program_stated``)
SUFFIX = ".muse"
UTF_8 = TEXT_ENCODINGS[0]
#: No position or length may pass this (a day of music at MIDI's finest 32,767 ticks per beat even at
#: 1,000 BPM fits): a larger one is a damaged file.
MAX_TICK = 2**36
#: A lone high surrogate right before a lone low one: JSON would read the two back as one character.
_SURROGATES_MEETING = re.compile("[\ud800-\udbff](?=[\udc00-\udfff])")


# -- saving --------------------------------------------------------------------------------------------


def _key_to_dict(key: KeySignature) -> dict[str, Any]:
    return {"name": key.name, "accidentals": key.sharps, "mode": key.mode}


def _meter_to_dict(s: TimeSignature) -> dict[str, Any]:
    out = {"tick": s.tick, "numerator": s.numerator, "denominator": s.denominator}
    if (s.clocks_per_click, s.notated_32nds) != (24, 8):
        out |= {"clocks_per_click": s.clocks_per_click, "notated_32nds": s.notated_32nds}
    return out


def _text_to_json(text: str) -> str | list[str]:
    """``text`` as JSON gives it back: itself, or the list of its parts split wherever a lone high
    surrogate stands right before a lone low one (in one JSON string the two would read back as one
    character, and the text would not be what was saved)."""
    cuts = [m.end() for m in _SURROGATES_MEETING.finditer(text)]
    if not cuts:
        return text
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def _events_to_dict(owner: Any) -> dict[str, Any]:
    """Text and kept events of a track or of the piece (left out when there are none)."""
    out: dict[str, Any] = {}
    if owner.texts:
        out["texts"] = [[t.tick, t.kind, _text_to_json(t.text)] for t in owner.texts]
    if owner.extra_events:
        out["extra_events"] = [_kept_row(e) for e in owner.extra_events]
    return out


def _kept_row(e: RawEvent) -> list:
    """``[tick, hex bytes]``, and how many texts at its tick come before it where any do, then how many
    controllers where any do."""
    row = [e.tick, e.data.hex()]
    if e.after_controls:
        return [*row, e.after_texts, e.after_controls]
    return [*row, e.after_texts] if e.after_texts else row


def _marker_row(m: Marker) -> list:
    """``[tick, text]``, and the encoding a MIDI file held it in where that is not the piece's."""
    row = [m.tick, _text_to_json(m.text)]
    return [*row, m.text_encoding] if m.text_encoding else row


def _controller_row(e: ControlEvent) -> list:
    """``[tick, lane, value]``, and ``true`` where it is sent after the notes struck at its tick, then
    ``true`` where it is sent after the note-offs there (``false`` before it then)."""
    row = [e.tick, e.lane, e.value]
    if e.after_releases:
        return [*row, e.after_strikes, True]
    return [*row, True] if e.after_strikes else row


def _has_after_strikes(project: Project) -> bool:
    return any(e.after_strikes for t in project.tracks for e in t.controllers)


def _has_after_releases(project: Project) -> bool:
    return any(e.after_releases for t in project.tracks for e in t.controllers)


def _note_row(n: Note) -> list[int]:
    row = [n.pitch, n.start, n.duration, n.velocity]
    return [*row, n.release] if n.release else row


def _has_latin1(project: Project) -> bool:
    return any(owner.text_encoding != UTF_8 for owner in (project, *project.tracks))


def _has_kept_after_controls(project: Project) -> bool:
    return any(e.after_controls for owner in (project, *project.tracks) for e in owner.extra_events)


def _has_kept_order(project: Project) -> bool:
    return any(e.after_texts for owner in (project, *project.tracks) for e in owner.extra_events)


def _encoding_to_dict(owner: Any) -> dict[str, Any]:
    """The encoding a piece's or track's text came in, where it is not UTF-8 (left out then)."""
    return {"text_encoding": owner.text_encoding} if owner.text_encoding != UTF_8 else {}


def _has_release(project: Project) -> bool:
    return any(n.release for t in project.tracks for n in t.notes)


def _free_texts(project: Project) -> Iterator[str]:
    """Every text a user or a file gave the piece: track names, markers, text events, metadata values."""
    yield from project.metadata.values()
    yield from (m.text for m in project.markers)
    for owner in (project, *project.tracks):
        yield from (t.text for t in owner.texts)
    yield from (t.name for t in project.tracks)


def _has_split_text(project: Project) -> bool:
    return any(_SURROGATES_MEETING.search(text) for text in _free_texts(project))


def _version(project: Project) -> int:
    """The oldest format that holds everything in ``project``: an older app opens what it can keep."""
    if not all(t.program_stated and t.volume_stated for t in project.tracks):
        return UNSTATED_VERSION
    if _has_after_releases(project):
        return AFTER_RELEASES_VERSION
    if not all(t.name_event for t in project.tracks):
        return NAME_EVENT_VERSION
    if _has_after_strikes(project):
        return AFTER_STRIKES_VERSION
    if project.end_before_bars is not None:
        return END_BEFORE_BARS_VERSION
    if any(t.sound_before_lanes is not None for t in project.tracks):
        return SOUND_AFTER_VERSION
    if any(t.volume_after is not None for t in project.tracks):
        return VOLUME_AFTER_VERSION
    if any(m.text_encoding for m in project.markers):
        return MARKER_ENCODING_VERSION
    if _has_kept_after_controls(project):
        return KEPT_AFTER_CONTROLS_VERSION
    if any(t.program_after is not None for t in project.tracks):
        return PROGRAM_AFTER_VERSION
    if _has_split_text(project):
        return SPLIT_TEXT_VERSION
    if silent_bars(project) or _has_latin1(project) or _has_kept_order(project):
        return END_VERSION
    return RELEASE_VERSION if _has_release(project) else RELEASE_VERSION - 1


def project_to_dict(project: Project) -> dict[str, Any]:
    piece = {
        "format": FORMAT_NAME,
        "version": _version(project),
        "ticks_per_beat": project.ticks_per_beat,
        "tempos": [{"tick": t.tick, "bpm": t.bpm} for t in project.tempos],
        "time_signatures": [_meter_to_dict(s) for s in project.time_signatures],
        "key": project.key.name if project.key else None,
        "key_signature": _key_to_dict(project.key) if project.key else None,
        "key_changes": [{"tick": k.tick} | _key_to_dict(k.key) for k in project.key_changes],
        "markers": [_marker_row(m) for m in project.markers],
        "metadata": {key: _text_to_json(value) for key, value in project.metadata.items()},
        **_events_to_dict(project),
        **({"end_of_track": project.end_of_track} if project.end_of_track else {}),
        **({"end_before_bars": list(project.end_before_bars)} if project.end_before_bars is not None else {}),
        **_encoding_to_dict(project),
        **({"shared_channels": project.shared_channels} if project.shared_channels else {}),
        "tracks": [
            _with_unknown_fields(
                t,
                {
                    "name": _text_to_json(t.name),
                    **({} if t.name_event else {"name_event": False}),
                    "program": t.program,
                    **({} if t.program_stated else {"program_stated": False}),
                    "channel": t.channel,
                    "is_drum": t.is_drum,
                    "colour": t.colour,
                    "mute": t.mute,
                    "solo": t.solo,
                    "volume": t.volume,
                    **({} if t.volume_stated else {"volume_stated": False}),
                    "notes": [_note_row(n) for n in t.notes],
                    "controllers": [_controller_row(e) for e in t.controllers],
                    **({"program_after": t.program_after} if t.program_after is not None else {}),
                    **({"volume_after": t.volume_after} if t.volume_after is not None else {}),
                    **(
                        {"sound_before_lanes": t.sound_before_lanes}
                        if t.sound_before_lanes is not None
                        else {}
                    ),
                    **_events_to_dict(t),
                    **_encoding_to_dict(t),
                },
            )
            for t in project.tracks
        ],
    }
    return _with_unknown_fields(project, piece)


def _with_unknown_fields(owner: Project | Track, written: dict[str, Any]) -> dict[str, Any]:
    """``written``, then the fields of the file the piece or track came from that this version does not
    know, as they came (a newer MuseStudio's or another tool's: left out, the next save lost them)."""
    return written | {key: json.loads(text) for key, text in owner.unknown_fields if key not in written}


def _unknown_fields(obj: dict, known: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The fields of ``obj`` this version does not read, as ``(key, JSON text)``, kept to be written back."""
    return tuple((key, json.dumps(value)) for key, value in obj.items() if key not in known)


#: The fields this version reads at the top of a project file (``recovery``: a recovery copy's own block,
#: never the piece's) and in a track; any other is carried unread (``unknown_fields``).
PIECE_FIELDS = frozenset(
    (
        "format version ticks_per_beat tempos time_signatures key key_signature key_changes markers "
        "metadata texts extra_events end_of_track end_before_bars text_encoding shared_channels tracks recovery"
    ).split()
)
TRACK_FIELDS = frozenset(
    (
        "name name_event program program_stated channel is_drum colour mute solo volume volume_stated notes "
        "controllers program_after releases_first volume_after sound_before_lanes texts extra_events "
        "text_encoding"
    ).split()
)


def project_to_bytes(project: Project, extra: dict[str, Any] | None = None) -> bytes:
    doc = project_to_dict(project) | (extra or {})
    # One note per line keeps files diffable without the bulk of fully indented rows.
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # The break goes only between rows, never inside a string: a marker, lyric or name "],[" broken there
    # would be a raw newline in a JSON string, a file that no longer opens.
    text = _ROW_OR_STRING.sub(lambda m: m[0] if m[0][0] == '"' else "],\n[", text)
    # A lone surrogate (a name from a damaged file) cannot be UTF-8: it is written as the JSON escape
    # "\\ud800", which reads back as the same text, instead of making every save and autosave fail.
    return text.encode("utf-8", "backslashreplace")


#: a JSON string (skipped whole, escapes included) or the seam between two rows of an array
_ROW_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\],\[')


def save_project(project: Project, path: str | Path, *, replace_read_only: bool = False) -> None:
    """Write ``path`` atomically: after a crash it holds either the old project or the new one.

    A read-only ``path`` is refused (``ReadOnlyFileError``, a BadInputError) unless ``replace_read_only``.
    """
    try:
        atomic_write_bytes(path, project_to_bytes(project), replace_read_only=replace_read_only)
    except ReadOnlyFileError as e:
        raise save_error(path, e, ReadOnlyError) from None
    except (OSError, ValueError) as e:  # a full disk, a read-only folder, a name that cannot be encoded
        raise save_error(path, e) from None


class ReadOnlyError(BadInputError):
    """Saving would replace a read-only file; the app asks first and then saves with replace_read_only."""


# -- loading -------------------------------------------------------------------------------------------


def load_project(path: str | Path) -> Project:
    path = Path(path)
    return project_from_bytes(read_input_bytes(path, "project"), path.name)


def project_from_bytes(data: bytes, name: str = "the project") -> Project:
    return project_from_dict(parse_project_json(data, name), name)


def parse_project_json(data: bytes, name: str) -> Any:
    """The JSON document in a project file's bytes, for ``project_from_dict`` (and for what a recovery copy
    adds beside the piece); BadInputError saying why ``data`` is not one (with a code and its particulars,
    for the window to word)."""
    if not data.strip():
        raise BadInputError(f"{name} is empty", "project_empty", name=name)
    try:
        # utf-8-sig: a file an editor saved with a byte-order mark opens like any other
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(
            f"{name} is not a MuseStudio project (it is not text)", "project_not_text", name=name
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        # e.msg ("Expecting ',' delimiter") is the parser's jargon: say where, not what it expected;
        # e.pos counts characters of the text (not bytes: a BOM or an umlaut would make an end a middle)
        if e.pos >= len(text.rstrip()) - 1:
            raise _unreadable(name, "it ends too early", "project_ends_early") from None
        where = f"it is damaged at line {e.lineno}, column {e.colno}"
        raise _unreadable(name, where, "project_damaged_at", line=e.lineno, column=e.colno) from None
    except RecursionError:
        raise _unreadable(name, "it is nested too deeply", "project_nested_too_deeply") from None
    except _NotANumber as e:
        raise _unreadable(name, str(e), "project_not_a_number", token=e.token) from None
    except ValueError as e:  # a number of more digits than Python reads (4,300), and the like
        why = "it holds a number too long to read" if "digits" in str(e) else str(e)
        raise _unreadable(name, why, "project_unreadable", why=why) from None


def _unreadable(name: str, reason: str, code: str, **params: object) -> BadInputError:
    """``name`` is no JSON document: ``reason`` in English, ``code`` and ``params`` for the window."""
    return BadInputError(f"{name} is not a readable MuseStudio project ({reason})", code, name=name, **params)


class _NotANumber(ValueError):
    """A constant JSON has no place for (NaN, Infinity) in a project file: ``token`` names it."""

    def __init__(self, token: str) -> None:
        super().__init__(f"it contains {token}, which is not a number")
        self.token = token


def _reject_constant(token: str) -> Any:
    raise _NotANumber(token)


def project_from_dict(doc: Any, name: str = "the project") -> Project:
    """Build a Project from parsed JSON, checking every field; errors say where the problem is."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise BadInputError(f"{name} is not a MuseStudio project", "not_a_project", name=name)
    version = doc.get("version")
    if not _is_int(version) or version < 1:
        raise BadInputError(f"{name} has no valid format version", "project_no_version", name=name)
    if version > FORMAT_VERSION:
        raise BadInputError(
            f"{name} was saved by a newer MuseStudio (format {version}); update MuseStudio to open it",
            "project_newer",
            name=name,
            version=version,
        )
    r = _Reader(name)
    key_text = r.field(doc, "key", (str, type(None)), TOP, default=None)
    key = r.build(KEY, lambda: KeySignature.parse(key_text)) if key_text else None
    spelled = r.field(doc, "key_signature", (dict, type(None)), TOP, default=None)
    if key is not None and spelled:  # the signature keeps the spelling (7 sharps, not 5 flats)
        signature = r.key(spelled, KEY)
        key = signature if (signature.tonic, signature.mode) == (key.tonic, key.mode) else key
    tempo, meter = (("tempo",),), (("meter",),)
    return r.build(
        (("settings",),),
        lambda: Project(
            ticks_per_beat=r.int_field(doc, "ticks_per_beat", TOP),
            tempos=tuple(
                r.build(
                    (("tempo_change", i + 1),),
                    lambda t=t: TempoChange(r.tick_field(t, "tick", tempo), r.number_field(t, "bpm", tempo)),
                )
                for i, t in enumerate(r.list_of(doc, "tempos", dict))
            ),
            time_signatures=tuple(
                r.build(
                    (("meter_change", i + 1),),
                    lambda s=s: TimeSignature(
                        r.tick_field(s, "tick", meter),
                        r.int_field(s, "numerator", meter),
                        r.int_field(s, "denominator", meter),
                        r.int_field(s, "clocks_per_click", meter, 24),
                        r.int_field(s, "notated_32nds", meter, 8),
                    ),
                )
                for i, s in enumerate(r.list_of(doc, "time_signatures", dict))
            ),
            key=key,
            key_changes=tuple(
                r.build(
                    (("key_change", i + 1),),
                    lambda k=k, i=i: KeyChange(
                        r.tick_field(k, "tick", (("key_change", i + 1),)), r.key(k, (("key_change", i + 1),))
                    ),
                )
                for i, k in enumerate(r.list_of(doc, "key_changes", dict, default=[]))
            ),
            markers=r.markers(doc),
            texts=r.texts(doc, PIECE),
            extra_events=r.extra_events(doc, PIECE),
            metadata=r.metadata(doc),
            end_of_track=r.end_of_track(doc),
            end_before_bars=r.end_before_bars(doc),
            text_encoding=r.text_encoding(doc, TOP),
            shared_channels=r.shared_channels(doc),
            tracks=tuple(r.track(t, i) for i, t in enumerate(r.list_of(doc, "tracks", dict))),
            unknown_fields=_unknown_fields(doc, PIECE_FIELDS),
        ),
    )


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


class _Text:
    """The type of a row's item that holds a text: a string, or the list of parts ``_text_to_json`` split
    it into (format 5)."""


def _is_text(x: Any) -> bool:
    return isinstance(x, str) or (isinstance(x, list) and bool(x) and all(isinstance(p, str) for p in x))


def _joined(text: str | list[str]) -> str:
    """A text as read, its parts (``_text_to_json``) joined: two lone surrogates they meet at stay two."""
    return text if isinstance(text, str) else "".join(text)


def _fits(x: Any, kind: type) -> bool:
    if kind is int:
        return _is_int(x)
    return _is_text(x) if kind is _Text else isinstance(x, kind)


#: Where in a project file a problem is: steps from the top (``PLACE_WORDS``' kinds with their particulars),
#: ``(("named_track", 2, "Bass"), ("note", 14))``; none for a field at the top. Plain data, as a parameter
#: of the error, so the window words each step.
Place = tuple[tuple, ...]
TOP: Place = ()
KEY: Place = (("key",),)
PIECE: Place = (("piece",),)

#: a step of a ``Place`` in English, its particulars filled in in order
PLACE_WORDS = {
    "key": "the key",
    "settings": "the project settings",
    "tempo": "tempo",
    "tempo_change": "tempo change {}",
    "meter": "time signature",
    "meter_change": "time signature {}",
    "key_change": "key change {}",
    "piece": "the piece",
    "piece_end": "the piece's end",
    "marker": "marker {}",
    "shared_channel": "shared channel {}",
    "metadata": "metadata",
    "track": "track {}",
    "named_track": "track {} '{}'",
    "note": "note {}",
    "controller": "controller {}",
    "text": "text {}",
    "kept_event": "kept event {}",
    "row": "{} {}",  # a row of one of the file's lists, by the list's field name: "controllers 3"
}


def place_text(place: Place) -> str:
    """``place`` in English: "track 2 'Bass', note 14"."""
    return ", ".join(PLACE_WORDS[kind].format(*particulars) for kind, *particulars in place)


class _Reader:
    """Field access that turns every type or range problem into a BadInputError naming its place."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: Place, problem: dict) -> BadInputError:
        """The error for a damaged field: ``detail`` says where it is and what is wrong (a check of the
        file's fields or of ``core``'s values), in English and with codes the window words both from."""
        detail = problem
        if where:
            message = f"{place_text(where)}: {problem['message']}"
            detail = reason(message, "damaged_at", place=where, problem=problem)
        return BadInputError(
            f"{self.name} is damaged: {detail['message']}", "project_damaged", name=self.name, detail=detail
        )

    def build(self, where: Place, make: Callable[[], Any]) -> Any:
        try:
            return make()
        except ValueError as e:
            raise self.fail(where, error_json(e)) from None

    def field(self, obj: dict, key: str, types: type | tuple, where: Place, default: Any = ...) -> Any:
        if key not in obj:
            if default is ...:
                raise self.fail(where, reason(f"'{key}' is missing", "field_missing", field=key))
            return default
        value = obj[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
            found = type(value).__name__
            raise self.fail(
                where, reason(f"'{key}' has the wrong type ({found})", "field_type", field=key, found=found)
            )
        return value

    def text_field(self, obj: dict, key: str, where: Place, default: Any = ...) -> str:
        value = self.field(obj, key, (str, list), where, default)
        if not _is_text(value):
            raise self.fail(where, reason(f"'{key}' is not text", "field_not_text", field=key))
        return _joined(value)

    def int_field(self, obj: dict, key: str, where: Place, default: Any = ...) -> int:
        return self.field(obj, key, int, where, default)

    def tick_field(self, obj: dict, key: str, where: Place) -> int:
        value = self.int_field(obj, key, where)
        if value > MAX_TICK:
            message = f"'{key}' lies absurdly far from the start ({value} ticks)"
            raise self.fail(where, reason(message, "field_too_far", field=key, ticks=value))
        return value

    def number_field(self, obj: dict, key: str, where: Place) -> float:
        value = float(self.field(obj, key, (int, float), where))
        if not math.isfinite(value):
            raise self.fail(where, reason(f"'{key}' is not a finite number", "field_not_finite", field=key))
        return value

    def list_of(self, obj: dict, key: str, item_type: type, where: Place = TOP, default: Any = ...) -> list:
        items = self.field(obj, key, list, where, default)
        for i, item in enumerate(items):
            if not isinstance(item, item_type):
                found = type(item).__name__
                message = f"item {i + 1} of '{key}' has the wrong type ({found})"
                raise self.fail(where, reason(message, "item_type", item=i + 1, field=key, found=found))
        return items

    def key(self, obj: dict, where: Place) -> KeySignature:
        accidentals = self.int_field(obj, "accidentals", where)
        mode = self.field(obj, "mode", str, where)
        return self.build(where, lambda: KeySignature.from_signature(accidentals, mode))

    def rows(
        self, obj: dict, key: str, where: Place, types: tuple[type, ...], optional: int = 0
    ) -> list[list]:
        """Rows like [tick, ...] of the given item types (the last ``optional`` of them may be left out;
        a ``_Text`` item is given joined), the tick checked; an absent key is no rows. A row of another
        shape is refused naming the shapes a row may have: ``[int, int, int[, bool[, bool]]]``, each
        optional item in brackets inside the one before it (it is given only where that one is)."""
        out = []
        for j, row in enumerate(self.list_of(obj, key, list, where, default=[])):
            if not len(types) - optional <= len(row) <= len(types) or not all(
                _fits(v, t) for v, t in zip(row, types, strict=False)
            ):
                named = ["text" if t is _Text else t.__name__ for t in types]
                required = len(types) - optional
                names = ", ".join(named[:required]) + "".join(f"[, {n}" for n in named[required:])
                names += "]" * optional
                raise self.fail(
                    (*where, ("row", key, j + 1)),
                    reason(f"a row must be [{names}]", "row_shape", types=names),
                )
            if row[0] > MAX_TICK:
                raise self.fail((*where, ("row", key, j + 1)), _TOO_FAR)
            out.append([_joined(v) if t is _Text else v for v, t in zip(row, types, strict=False)])
        return out

    def markers(self, doc: dict) -> tuple[Marker, ...]:
        return tuple(
            self.build((("marker", j + 1),), lambda row=row: Marker(*row))
            for j, row in enumerate(self.rows(doc, "markers", PIECE, (int, _Text, str), optional=1))
        )

    def texts(self, obj: dict, where: Place) -> tuple[TextEvent, ...]:
        return tuple(
            self.build((*where, ("text", j + 1)), lambda row=row: TextEvent(*row))
            for j, row in enumerate(self.rows(obj, "texts", where, (int, str, _Text)))
        )

    def extra_events(self, obj: dict, where: Place) -> tuple[RawEvent, ...]:
        return tuple(
            self.build((*where, ("kept_event", j + 1)), lambda row=row: _kept_event(row))
            for j, row in enumerate(self.rows(obj, "extra_events", where, (int, str, int, int), optional=2))
        )

    def controllers(self, t: dict, where: Place) -> tuple[ControlEvent, ...]:
        return tuple(
            self.build((*where, ("controller", j + 1)), lambda row=row: ControlEvent(*row))
            for j, row in enumerate(
                self.rows(t, "controllers", where, (int, int, int, bool, bool), optional=2)
            )
        )

    def end_of_track(self, doc: dict) -> int:
        if "end_of_track" not in doc:
            return 0
        return self.tick_field(doc, "end_of_track", (("piece_end",),))

    def end_before_bars(self, doc: dict) -> tuple[int, int, int] | None:
        """``Project.end_before_bars``: three whole numbers, each a tick (else the file is damaged); a note
        whose ticks are out of order (an end before the bars, bars ending where they begin) is dropped, as
        no Insert Bars wrote it: Delete Bars would give back an end that never was."""
        if "end_before_bars" not in doc:
            return None
        where: Place = (("piece_end",),)
        row = self.field(doc, "end_before_bars", list, where)
        if len(row) != 3 or not all(_is_int(v) for v in row):
            raise self.fail(
                where, reason("a row must be [int, int, int]", "row_shape", types="int, int, int")
            )
        if max(row) > MAX_TICK:
            raise self.fail(where, _TOO_FAR)
        before, at, end = row
        return (before, at, end) if 0 <= before <= at < end else None

    def text_encoding(self, obj: dict, where: Place) -> str:
        return self.field(obj, "text_encoding", str, where, default=UTF_8)

    def shared_channels(self, doc: dict) -> tuple:
        return tuple(
            self.build((("shared_channel", j + 1),), lambda row=row: _shared_channel(row))
            for j, row in enumerate(self.list_of(doc, "shared_channels", list, default=[]))
        )

    def metadata(self, doc: dict) -> dict[str, str]:
        meta = self.field(doc, "metadata", dict, TOP, default={})
        if not all(isinstance(k, str) and _is_text(v) for k, v in meta.items()):
            raise self.fail((("metadata",),), reason("every entry must be text", "metadata_not_text"))
        return {k: _joined(v) for k, v in meta.items()}

    def track(self, t: dict, index: int) -> Track:
        name = self.text_field(t, "name", (("track", index + 1),), default=f"Track {index + 1}")
        # a part its file left unnamed is said by its number alone: "track 2 ''" says nothing more
        where: Place = (("named_track", index + 1, name),) if name.strip() else (("track", index + 1),)
        notes = []
        for j, row in enumerate(self.list_of(t, "notes", list, where)):
            if len(row) not in (4, 5) or not all(_is_int(v) for v in row):
                raise self.fail((*where, ("note", j + 1)), _NOTE_SHAPE)
            if row[1] + row[2] > MAX_TICK:
                raise self.fail((*where, ("note", j + 1)), _TOO_FAR)
            notes.append(
                self.build(
                    (*where, ("note", j + 1)),
                    lambda row=row: Note(*row[:4], release=row[4] if len(row) == 5 else 0),
                )
            )
        settings = {
            "name_event": self.field(t, "name_event", bool, where, True),
            "program": self.int_field(t, "program", where, 0),
            "channel": self.int_field(t, "channel", where, 0),
            "is_drum": self.field(t, "is_drum", bool, where, False),
            "mute": self.field(t, "mute", bool, where, False),
            "solo": self.field(t, "solo", bool, where, False),
            "volume": self.int_field(t, "volume", where, 100),
            "program_stated": self.field(t, "program_stated", bool, where, True),
            "volume_stated": self.field(t, "volume_stated", bool, where, True),
        }
        if "colour" in t:
            settings["colour"] = self.field(t, "colour", str, where)
        settings["controllers"] = self.controllers(t, where)
        if self.field(t, "releases_first", bool, where, False):
            settings["controllers"] = _released_first(settings["controllers"], notes)
        settings["program_after"] = self.int_field(t, "program_after", where, None)
        settings["volume_after"] = self.int_field(t, "volume_after", where, None)
        settings["sound_before_lanes"] = self.int_field(t, "sound_before_lanes", where, None)
        settings["texts"] = self.texts(t, where)
        settings["extra_events"] = self.extra_events(t, where)
        settings["text_encoding"] = self.text_encoding(t, where)
        settings["unknown_fields"] = _unknown_fields(t, TRACK_FIELDS)
        return self.build(where, lambda: Track(name=name, notes=tuple(notes), **settings))


def _released_first(controllers: tuple[ControlEvent, ...], notes: list[Note]) -> tuple[ControlEvent, ...]:
    """The controllers of a track a file of formats 7 to 12 says sends its note-offs first
    (``releases_first``), each at a tick where one of its notes ends sent after the note-offs
    (``ControlEvent.after_releases``), as that track played and exported."""
    ends = {n.end for n in notes}
    return tuple(
        replace(e, after_releases=True) if e.tick in ends and not e.after_strikes else e for e in controllers
    )


_TOO_FAR = reason("it lies absurdly far from the start", "too_far_from_start")
_NOTE_SHAPE = reason(
    "a note must be four whole numbers [pitch, start, duration, velocity], and a fifth for its release velocity",
    "note_row",
)


def _kept_event(row: list) -> RawEvent:
    try:
        data = bytes.fromhex(row[1])
    except ValueError as e:  # Python's own words, with a code the window words
        raise InvalidValue(str(e), "kept_event_not_hex", why=str(e)) from None
    return RawEvent(row[0], data, *row[2:])


def _shared_channel(row: list) -> tuple[int, tuple[ChannelSetup, ...]]:
    """``[channel, [[is_drum, program, volume, [[lane, value], ...]], ...]]`` as the tuples a Project holds,
    every number a whole one in its MIDI range (``InvalidValue`` saying which is not)."""
    if not (isinstance(row, list) and len(row) == 2 and isinstance(row[1], list)):
        raise _shared_channel_shape()
    channel, setups = row
    _check_number(channel, "channel", 0, 15)
    return channel, tuple(_channel_setup(setup) for setup in setups)


def _shared_channel_shape() -> InvalidValue:
    return InvalidValue(
        "it must be [channel, [[is_drum, program, volume, [[lane, value], ...]], ...]]",
        "shared_channel_shape",
    )


def _channel_setup(setup: Any) -> ChannelSetup:
    if not (isinstance(setup, list) and len(setup) == 4 and isinstance(setup[0], bool)):
        raise _shared_channel_shape()
    is_drum, program, volume, lanes = setup
    _check_number(program, "program", 0, 127)
    _check_number(volume, "volume", 0, 127)
    if not (isinstance(lanes, list) and all(isinstance(p, list) and len(p) == 2 for p in lanes)):
        raise _shared_channel_shape()
    for lane, value in lanes:
        if not (_is_int(lane) and is_lane(lane)):
            raise InvalidValue(
                f"lane {lane!r} is not a controller lane", "shared_channel_lane", lane_number=repr(lane)
            )
        low, high = lane_range(lane)
        _check_number(value, f"lane {lane} value", low, high, "shared_channel_lane_value", lane_number=lane)
    return (is_drum, program, volume, tuple((lane, value) for lane, value in lanes))


def _check_number(value: Any, what: str, low: int, high: int, code: str = "", **params: object) -> None:
    """``value`` a whole number in ``low..high``, else ``InvalidValue`` saying ``what`` it is, with its
    ``code`` ("shared_channel_" and ``what`` unless given) and any more ``params`` its wording needs."""
    if not (_is_int(value) and low <= value <= high):
        raise InvalidValue(
            f"{what} {value!r} is not a whole number in {low}..{high}",
            code or f"shared_channel_{what}",
            value=repr(value),
            low=low,
            high=high,
            **params,
        )


def _as_tuple(types: type | tuple) -> tuple:
    return types if isinstance(types, tuple) else (types,)
