"""What is wrong in a damaged project file, and where, in the user's language.

``io.project_file`` checks every field of a ``.muse`` file and builds the piece through ``core``, whose
types refuse what no piece can hold (a pitch above 127, a tempo of 0 BPM). Both say it in English with a
code and its params (``core.errors.InvalidValue``, the project file's own checks), and the project file
names the place as steps (``io.project_file.PLACE_WORDS``: "track 2 'Bass', note 14"); ``ErrorWords`` words
them from the tables here. What the file itself holds stays as it is: its field names ('ticks_per_beat'),
Python's names for the types it found (str, list), a track's name, a text it gives.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from musestudio.core.events import (
    CHANNEL_PRESSURE,
    PITCH_BEND,
    PROGRAM,
    is_cc,
    is_poly_pressure,
    poly_pressure_pitch,
)
from musestudio.ui.placeholders import fill

Templates = dict[str, tuple[str, tuple[str, ...]]]


class ProjectErrorWords(QObject):
    """code: (the words, with %1, %2... for the params named after them), for ``ErrorWords``; and the
    words for a place in the file and for a controller lane."""

    def templates(self) -> Templates:
        return {
            **self._field_words(),
            **self._note_and_event_words(),
            **self._piece_words(),
            **self._shared_channel_words(),
        }

    def place(self, steps) -> str:
        """A place in the file (``io.project_file.Place``), each step worded, the outer one first."""
        words = {
            "key": self.tr("the key"),
            "settings": self.tr("the project settings"),
            "tempo": self.tr("tempo"),
            "tempo_change": self.tr("tempo change %1"),
            "meter": self.tr("time signature"),
            "meter_change": self.tr("time signature %1"),
            "key_change": self.tr("key change %1"),
            "piece": self.tr("the piece"),
            "piece_end": self.tr("the piece's end"),
            "marker": self.tr("marker %1"),
            "shared_channel": self.tr("shared channel %1"),
            "metadata": self.tr("metadata"),
            "track": self.tr("track %1"),
            "named_track": self.tr("track %1 '%2'"),
            "note": self.tr("note %1"),
            "controller": self.tr("controller %1"),
            "text": self.tr("text %1"),
            "kept_event": self.tr("kept event %1"),
            # a row of one of the file's lists, by the list's field name: "controllers 3"
            "row": self.tr("%1 %2", "a row of a list in a project file: the list's field name, the row"),
        }
        said = ""
        for kind, *particulars in steps:
            step = fill(words[kind], *map(str, particulars))
            said = (
                fill(self.tr("%1, %2", "a place in a project file, then a place within it"), said, step)
                if said
                else step
            )
        return said

    def lane(self, lane: int) -> str:
        """A controller lane a value is out of range for (``core.events.lane_name`` says it in English)."""
        if lane == PITCH_BEND:
            return self.tr("pitch bend")
        if lane == CHANNEL_PRESSURE:
            return self.tr("channel pressure")
        if lane == PROGRAM:
            return self.tr("program change")
        if is_poly_pressure(lane):
            return fill(self.tr("aftertouch on key %1"), str(poly_pressure_pitch(lane)))
        return fill(self.tr("controller CC %1"), str(lane)) if is_cc(lane) else str(lane)

    def _field_words(self) -> Templates:
        """The project file's own checks of its fields (``io.project_file._Reader``)."""
        field, found = ("field",), ("field", "found")
        return {
            "damaged_at": (
                self.tr("%1: %2", "where in a project file, then what is wrong there"),
                ("place", "problem"),
            ),
            "field_missing": (self.tr("'%1' is missing"), field),
            "field_type": (self.tr("'%1' has the wrong type (%2)"), found),
            "field_not_text": (self.tr("'%1' is not text"), field),
            "field_too_far": (
                self.tr("'%1' lies absurdly far from the start (%2 ticks)"),
                ("field", "ticks"),
            ),
            "field_not_finite": (self.tr("'%1' is not a finite number"), field),
            "item_type": (self.tr("item %1 of '%2' has the wrong type (%3)"), ("item", "field", "found")),
            "row_shape": (self.tr("a row must be [%1]"), ("types",)),
            "too_far_from_start": (self.tr("it lies absurdly far from the start"), ()),
            "metadata_not_text": (self.tr("every entry must be text"), ()),
            "note_row": (
                self.tr(
                    "a note must be four whole numbers [pitch, start, duration, velocity], and a fifth for "
                    "its release velocity"
                ),
                (),
            ),
        }

    def _note_and_event_words(self) -> Templates:
        """What a note or an event cannot be (``core.note``, ``core.events``)."""
        return {
            "note_pitch": (self.tr("pitch %1 is outside MIDI's 0..127"), ("pitch",)),
            "note_before_zero": (self.tr("note starts before zero (%1 ticks)"), ("ticks",)),
            "note_duration": (self.tr("note duration must be positive, got %1 ticks"), ("ticks",)),
            "note_velocity": (self.tr("velocity %1 is outside MIDI's 1..127"), ("velocity",)),
            "note_release": (self.tr("release velocity %1 is outside MIDI's 0..127"), ("velocity",)),
            "controller_before_zero": (self.tr("controller event before zero (%1 ticks)"), ("ticks",)),
            "not_a_lane": (self.tr("%1 is not a controller lane"), ("lane_number",)),
            # %1 is the lane's English name as the command line says it; %5 the lane in the user's words
            "controller_value": (
                self.tr("%1 value %2 is outside %3..%4"),
                ("name", "value", "low", "high", "lane"),
            ),
            "key_change_before_zero": (self.tr("key change before zero"), ()),
            "marker_before_zero": (self.tr("marker before zero"), ()),
            "text_before_zero": (self.tr("text event before zero"), ()),
            "text_kind": (self.tr("unknown text event kind %1"), ("text_kind",)),
            "kept_event_before_zero": (self.tr("event before zero"), ()),
            "kept_event_after_texts": (
                self.tr("a kept event cannot come after fewer than no text events"),
                (),
            ),
            "kept_event_after_controls": (
                self.tr("a kept event cannot come after fewer than no controller events"),
                (),
            ),
            "kept_event_kind": (
                self.tr("a kept event must be a SysEx (F0/F7) or a meta event (FF type ...)"),
                (),
            ),
            # %1 is what Python said of the bytes ("non-hexadecimal number found in fromhex() arg at ...")
            "kept_event_not_hex": (
                self.tr("%1", "why a kept event's bytes are not hexadecimal, in Python's words"),
                ("why",),
            ),
        }

    def _piece_words(self) -> Templates:
        """What a key, a tempo, a meter, a track or the piece cannot be (``core.keys``, ``core.project``,
        ``core.track``)."""
        return {
            "key_tonic": (self.tr("tonic %1 is not a pitch class 0..11"), ("tonic",)),
            "key_mode": (self.tr("mode must be major or minor, not %1"), ("mode",)),
            "key_spelling": (
                self.tr("%1 accidentals do not spell a %2 key on %3"),
                ("accidentals", "key_mode", "tonic"),
            ),
            "key_unreadable": (self.tr("cannot read key %1"), ("text",)),
            "tempo_before_zero": (self.tr("tempo change before zero"), ()),
            "tempo_outside": (self.tr("tempo %1 BPM is outside %2..%3"), ("bpm", "low", "high")),
            "meter_before_zero": (self.tr("time signature before zero"), ()),
            "meter_numerator": (self.tr("time signature numerator %1 is outside 1..255"), ("numerator",)),
            "meter_denominator": (
                self.tr("time signature denominator %1 is not a power of two up to 128"),
                ("denominator",),
            ),
            "meter_metronome": (self.tr("time signature metronome values must be 0..255"), ()),
            "text_encoding": (self.tr("text encoding %1 is not one of %2"), ("encoding", "known")),
            "ticks_per_beat_outside": (self.tr("ticks per beat %1 is outside 1..32767"), ("ticks",)),
            "end_before_zero": (self.tr("end of the piece before zero"), ()),
            "program_outside": (self.tr("GM program %1 is outside 0..127"), ("program",)),
            "channel_outside": (self.tr("MIDI channel %1 is outside 0..15"), ("channel",)),
            "volume_outside": (self.tr("volume %1 is outside 0..127"), ("volume",)),
            "name_without_event": (
                self.tr("name \u201c%1\u201d is set where name_event is false"),
                ("name",),
            ),
            "program_after_negative": (self.tr("program_after %1 is below 0"), ("program_after",)),
            "volume_after_negative": (self.tr("volume_after %1 is below 0"), ("volume_after",)),
            "sound_before_lanes_negative": (
                self.tr("sound_before_lanes %1 is below 0"),
                ("sound_before_lanes",),
            ),
        }

    def _shared_channel_words(self) -> Templates:
        """What a shared channel's row cannot be (``io.project_file._shared_channel``)."""
        in_range = ("value", "low", "high")
        return {
            "shared_channel_shape": (
                self.tr("it must be [channel, [[is_drum, program, volume, [[lane, value], ...]], ...]]"),
                (),
            ),
            "shared_channel_channel": (self.tr("channel %1 is not a whole number in %2..%3"), in_range),
            "shared_channel_program": (self.tr("program %1 is not a whole number in %2..%3"), in_range),
            "shared_channel_volume": (self.tr("volume %1 is not a whole number in %2..%3"), in_range),
            "shared_channel_lane_value": (
                self.tr("lane %1 value %2 is not a whole number in %3..%4"),
                ("lane_number", *in_range),
            ),
            "shared_channel_lane": (self.tr("lane %1 is not a controller lane"), ("lane_number",)),
        }
