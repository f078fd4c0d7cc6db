"""From what the user chose and what the editor holds to a Request, and from a kept take back to the score.

Both halves are plain functions over values (the panel's choices, the project, the selection), so the
controller only wires them to widgets. Messages are translated in the controller's context, where the
translation file has always kept them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, next_bar_line
from musestudio.core.track import DRUM_CHANNEL, TRACK_COLOURS, Track
from musestudio.ml.engines import CONTINUE, RESTYLE, missing_model, trained_styles
from musestudio.ml.generate.request import Options, Request, Take
from musestudio.ui.generate.style_words import style_label


class NothingToDo(Exception):
    """The request cannot be made from what is selected (the message says what to do)."""


def build_request(
    c: dict, project: Project, track: Track | None, selected: Sequence[Note], playhead: int
) -> Request:
    """The Request for the panel's choices ``c`` on the active ``track``; NothingToDo says what is missing."""
    if c["engine"] is None or missing_model(c["mode"], c["engine"]):
        raise NothingToDo(
            missing_model(c["mode"], c["engine"] or "transformer")
            or QCoreApplication.translate("GenerateController", "No engine is installed for this mode.")
        )
    styles = trained_styles(c["mode"], c["engine"])
    if styles is not None and c["style"] not in styles:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "This engine was not trained on %1. Choose one of: %2."
            )
            .replace("%1", style_label(c["style"]))
            .replace("%2", ", ".join(style_label(s) for s in styles))
        )
    if track is not None and track.is_drum:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "The models write pitched parts: choose a track that is not drums."
            )
        )
    all_notes = track.notes if track is not None else ()
    tpb, sigs = project.ticks_per_beat, project.time_signatures
    options = Options(
        style=c["style"],
        temperature=c["temperature"],
        top_p=c["top_p"],
        variations=c["variations"],
        key_lock=c["key_lock"],
        pitch_range=c["pitch_range"],
        seed=c["seed"],
        device=c["device"],
        strength=c["strength"],
    )
    fields = dict(
        mode=c["mode"],
        engine=c["engine"],
        tpb=tpb,
        time_signatures=sigs,
        bars=c["bars"],
        track_id=track.id if track is not None else -1,
    )

    def with_key(notes) -> Options:
        return replace(options, key=c["key"] or detect_key(notes) or project.key)

    if c["mode"] == CONTINUE:
        after = playhead if c["where"] == "playhead" else 0
        notes = tuple(n for n in all_notes if n.start < after) if c["where"] == "playhead" else all_notes
        return Request(notes=notes, options=with_key(notes), after=after, **fields)
    if c["mode"] == RESTYLE:
        notes = tuple(selected if c["where"] == "selection" else all_notes)
        if not notes:
            raise NothingToDo(
                QCoreApplication.translate(
                    "GenerateController",
                    "Nothing selected: select the notes to restyle, or restyle the whole track.",
                )
                if c["where"] == "selection"
                else QCoreApplication.translate(
                    "GenerateController", "The active track has no notes to restyle."
                )
            )
        return Request(
            notes=notes, options=with_key(notes), replaces=frozenset(n.id for n in notes), **fields
        )
    if not selected:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "Nothing selected: select notes in the bars to regenerate."
            )
        )
    first = min(n.start for n in selected)
    a = max(ln for ln in bar_lines(sigs, tpb, first + 1) if ln <= first)
    b = next_bar_line(max(n.end for n in selected), sigs, tpb)
    replaces = frozenset(n.id for n in all_notes if a <= n.start < b)
    context = [n for n in all_notes if n.id not in replaces]
    options = with_key(context or all_notes)
    return Request(notes=tuple(all_notes), options=options, start=a, end=b, replaces=replaces, **fields)


def with_take(
    project: Project, request: Request, take: Take, new_track: bool, fallback: Track | None
) -> tuple[Project, int]:
    """The project with ``take`` in place of the notes it replaces, and the id of the track it is in.

    With ``new_track`` (or when the request's track is gone) the take becomes a track of its own, with the
    instrument of the request's track (or ``fallback``) on a free channel.
    """
    track = next((t for t in project.tracks if t.id == request.track_id), None)
    notes = tuple(n.copy_as_new() for n in take.notes)
    if track is None or new_track:
        source = track or fallback
        used = {t.channel for t in project.tracks}
        channel = next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)
        added = Track(
            name=QCoreApplication.translate("GenerateController", "Take %1 (%2)")
            .replace("%1", str(take.number))
            .replace("%2", style_label(take.style)),
            program=source.program if source else 0,
            channel=channel,
            colour=TRACK_COLOURS[len(project.tracks) % len(TRACK_COLOURS)],
            notes=notes,
        )
        return project.add_track(added), added.id
    kept = [n for n in track.notes if n.id not in request.replaces]
    return project.replace_track(track.with_notes(kept + list(notes))), track.id
