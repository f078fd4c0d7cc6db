"""The Generate panel's style follows the piece: what its seed sounds like, or what the user chose for it.

A fixed default (the first style of the list) continued a pop seed as a Bach chorale without a word. So
the style of a piece is, in this order: the style the user picked by hand for it (remembered per file in
the settings, ``piece_styles``, and restored when it is opened again); else the style classifier's
reading of its notes (``service.suggest_style``, the same reading as the Suggest button, leaning to the
styles whose takes the user keeps). The panel says which of the two it shows.

The reading needs torch. It runs in the warmed generation process (``GenerationProcess.call``) once there
is one, so the app's own process never imports torch for it; before the warm-up it waits for it. A
Generate pressed while the style is still unknown (not read yet, not chosen, or a piece begun empty)
reads the seed first, in the same job and process, and generates in that style (the box says "Reading the
seed…" meanwhile, as for any reading); Restyle is the exception: its style is the target the user picks,
never the seed's own.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from musestudio.core.note import Note
from musestudio.ml.engines import ARRANGE, RESTYLE, trained_styles
from musestudio.ml.generate import service
from musestudio.ml.generate.request import DRUMS_ONLY_STYLE, Request, drums_alone
from musestudio.ml.styles import STYLES
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.placeholders import fill
from musestudio.ui.worker import Runner

SEED, CHOSEN = "seed", "chosen"  # where the panel's style came from (None: not known yet)
MAX_REMEMBERED = 200  # pieces whose chosen style the settings keep (the oldest goes first)


class SeedStyle(QObject):
    """Keeps the panel's style on the open piece's: restored, read from the seed, or read at Generate."""

    # (piece number, style or None): a reading came back (emitted on a worker thread, heard here)
    arrived = Signal(int, object)
    # (piece number, whether): a Generate's job began or ended its own reading of the seed (worker thread)
    generate_reads = Signal(int, bool)

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.panel = controller.panel
        self.settings = self.window.settings
        self.runner = Runner(self)  # its own thread: a reading never cancels a generation
        self.source: str | None = None
        self.unread = False  # a reading came back empty: the user is asked to pick
        self.piece = 0  # counts the pieces opened: a reading of an earlier one is dropped
        self.panel.style.activated.connect(self._on_chosen)  # the user's own pick (not ours)
        self.arrived.connect(self._on_arrived)
        self.runner.busy_changed.connect(lambda _busy: self._show())  # "Reading the seed…" while it is
        self._read_at_generate = False  # a Generate's job is reading the seed (``resolver``)
        self.generate_reads.connect(self._on_generate_reads)
        self._has_seed = False  # the piece has pitched notes to read a style from (as last shown)
        controller.state.document.changed.connect(self._on_piece_changed)
        self._to_come = False  # the style box shows that the style comes from the seed (``_show``)
        self.panel.choices_changed.connect(self._on_choices)
        self.piece_loaded()

    # -- the open piece --------------------------------------------------------------------------------
    def piece_loaded(self) -> None:
        """A piece was opened or begun: its remembered style, else a reading of its notes."""
        self.piece += 1
        self.runner.cancel()
        self._read_at_generate = False  # the running Generate is dropped with the piece before
        remembered = self._remembered()
        if remembered is not None and self.panel.style.findData(remembered) >= 0:
            self.source = CHOSEN  # first: the box shows the style set, no placeholder
            self.panel.set_style(remembered)
        else:
            self.source, self.unread = None, False
            if self._drums_alone():  # no seed to read: not the list's first style (a chorale) for a beat
                self.panel.set_style(DRUMS_ONLY_STYLE)
            self.read()
        self._show()

    def warmed(self) -> None:
        """The generation process is ready: read the seed there if the style is still unknown."""
        if self.source is None:
            self.read()

    def read(self, asked: bool = False) -> None:
        """Read the seed's style in the background (``asked``: the Suggest button, which may use the app's
        own process when there is no generation process). Without a warmed process an automatic reading
        waits for it (``warmed``) or for Generate."""
        reader = self._reader(process_only=not asked)
        if reader is None:
            if asked:
                self._say(self.tr("There are no notes to read a style from."))
            return
        piece = self.piece

        def work(_report, say, cancel):
            style = reader(say, cancel)
            self.arrived.emit(piece, style)
            return style

        self.runner.start(
            work,
            status=self.controller.generation.show_status,
            result=(lambda style: self._suggested(style)) if asked else (lambda _style: None),
            error=lambda text: self._say(text) if asked else None,
        )

    def resolver(self, request: Request) -> Callable:
        """For Generate's job (run on its worker thread): ``(say, cancel) -> request``, in the seed's style
        when the style is still unknown, else ``request`` itself."""
        reader = None
        if self.source is None and request.mode not in (RESTYLE, ARRANGE):
            reader = self._reader(process_only=False)
        if reader is None:
            return lambda _say, _cancel: request
        piece = self.piece

        def resolve(say, cancel) -> Request:
            self.generate_reads.emit(piece, True)  # the box says "Reading the seed…" as for any reading
            try:
                style = reader(say, cancel)
                self.arrived.emit(piece, style)
            finally:
                self.generate_reads.emit(piece, False)
            if not style or style == request.style:
                return request
            return dataclasses.replace(request, options=dataclasses.replace(request.options, style=style))

        return resolve

    def remember(self) -> None:
        """Store a style the user chose for the piece under its file (a piece saved since it was chosen)."""
        path = self._piece_file()
        style = self.panel.style.currentData()
        if self.source != CHOSEN or path is None or not style:
            return
        entries = [e for e in self._entries() if e[0] != path]
        entries.insert(0, (path, style))
        self.settings.set("piece_styles", [json.dumps(e) for e in entries[:MAX_REMEMBERED]])

    def renamed(self, old: str, new: str) -> None:
        """A learned style was renamed: the pieces it was chosen for keep it under its new name."""
        entries = [(path, new if style == old else style) for path, style in self._entries()]
        self.settings.set("piece_styles", [json.dumps(e) for e in entries])

    # -- reading ---------------------------------------------------------------------------------------
    def seed_notes(self) -> tuple[Note, ...]:
        """What the style is read from: the selection, else every pitched track (drums have no style)."""
        selected = self.controller.state.selected_notes()
        if selected:
            return tuple(selected)
        tracks = self.controller.state.document.project.tracks
        return tuple(n for t in tracks if not t.is_drum for n in t.notes)

    def _reader(self, process_only: bool) -> Callable | None:
        """``(say, cancel) -> style or None`` for a worker thread, with everything read here, on the GUI
        thread; None when there are no notes, or (``process_only``) no generation process to read in."""
        notes = self.seed_notes()
        process = self.controller._process
        if process is not None and not process.alive:
            process = None
        if not notes or (process_only and process is None):
            return None
        project = self.controller.state.document.project
        c = self.panel.choices()
        kwargs = {
            "tpb": project.ticks_per_beat,
            "time_signatures": project.time_signatures,
            "taste": self.controller.taste.snapshot(),
            # what the engine can play
            "candidates": list((c["engine"] and trained_styles(c["mode"], c["engine"])) or STYLES),
        }

        def reader(say, cancel):
            if process is not None:
                say(service.LISTENING)
                return process.call(service.suggest_style, notes, cancel=cancel, **kwargs)
            return service.suggest_style(notes, say=say, **kwargs)

        return reader

    def _on_arrived(self, piece: int, style) -> None:
        if piece != self.piece or self.source == CHOSEN:
            return
        if not style or self.panel.style.findData(style) < 0:
            self.unread = True  # no classifier installed, or nothing it could read
        else:
            self.source, self.unread = SEED, False  # first: the box shows the style set, no placeholder
            self.panel.set_style(style)
            self._say(
                fill(self.tr("The seed sounds like %1: Generate writes in that style"), style_label(style))
            )
        self._show()

    def _on_generate_reads(self, piece: int, reading: bool) -> None:
        if piece == self.piece:
            self._read_at_generate = reading
            self._show()

    def _suggested(self, style) -> None:
        """The Suggest button's answer: set even over a style chosen before (the user asked for it)."""
        if style and self.panel.style.findData(style) >= 0:
            self.source, self.unread = SEED, False
            self.panel.set_style(style)
            self._show()
            self._say(self.tr("Suggested style: %1").replace("%1", style_label(style)))

    def _on_choices(self) -> None:
        """The mode (Restyle's style is the one picked, never the seed's) or the style changed. A style set
        in the box while it said the style comes from the seed is the user's pick: heard here, as the box
        then reports no pick of its own (hearing the new style, it was back at "From the seed" by then)."""
        if self.source is None and self._to_come and self.panel.style.currentIndex() >= 0:
            self.chosen()
        else:
            self._show()

    def _on_chosen(self, _index: int) -> None:
        self.chosen()

    def chosen(self) -> None:
        """The panel's style is the user's choice for this piece (picked from the list, or just learned)."""
        self.source = CHOSEN
        self.runner.cancel()
        self.remember()
        self._show()

    # -- what the panel says ---------------------------------------------------------------------------
    def _show(self) -> None:
        """Say where the style comes from, under the box; in the box, while the seed's style is still to be
        read (and Generate will read it), that it comes from the seed, not a style Generate will not use."""
        self._has_seed = self._seed_exists()
        reads = self.source is None and not self.unread and self._has_seed  # Generate will read the seed
        to_come = reads and self.panel.engine_mode() not in (RESTYLE, ARRANGE)
        self._to_come = to_come
        if not to_come:
            self.panel.show_style()
        elif self.runner.busy or self._read_at_generate:
            self.panel.show_style_to_come(self.tr("Reading the seed…"))
        else:
            self.panel.show_style_to_come(self.tr("From the seed"))
        over_drums = self.source is None and not self._has_seed and self._drums_alone()
        if self.source == CHOSEN:
            note = self.tr("Your choice for this piece.")
        elif over_drums:
            note = self.tr("Drums alone have no style to read: a part added to them is in this one.")
        elif self.source == SEED:
            note = self.tr("What the seed sounds like (read from its notes).")
        elif self.panel.engine_mode() in (RESTYLE, ARRANGE):
            note = self.tr("Restyle goes to the style you pick here.")
        elif self.unread:
            note = self.tr("No style could be read from the seed: pick one.")
        elif not self._has_seed:  # an empty piece: the box shows the style, and no seed will be read
            note = self.tr("No notes to read a style from yet: Generate writes in the style shown.")
        else:
            note = self.tr("Generate reads the style from the seed first, unless you pick one.")
        self.panel.set_style_note(note)

    def _drums_alone(self) -> bool:
        """A piece of drums alone: no style to read; opened, the panel shows ``DRUMS_ONLY_STYLE`` (a beat the
        user writes a bass to is no chorale, the list's first style) until the user picks one."""
        return drums_alone(self.controller.state.document.project.tracks)

    def _seed_exists(self) -> bool:
        return any(t.notes for t in self.controller.state.document.project.tracks if not t.is_drum)

    def _on_piece_changed(self, *_change) -> None:
        """The first notes drawn into an empty piece (or its last deleted): a seed to read comes or goes.
        In an empty piece Generate writes in the style shown, and the box shows it."""
        if self._seed_exists() != self._has_seed:
            self._show()

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 5000)

    # -- the settings ----------------------------------------------------------------------------------
    def _entries(self) -> list[tuple[str, str]]:
        out = []
        for text in self.settings.get("piece_styles"):
            try:
                path, style = json.loads(text)
            except (ValueError, TypeError):  # a damaged entry counts as none
                continue
            if isinstance(path, str) and isinstance(style, str):
                out.append((path, style))
        return out

    def _piece_file(self) -> str | None:
        """The piece's file: the project Save writes to, else the MIDI file it was opened from."""
        files = self.window.files
        path = files.path or files.source
        return str(path.resolve()) if path is not None else None

    def _remembered(self) -> str | None:
        path = self._piece_file()
        if path is None:
            return None
        return next((style for p, style in self._entries() if p == path), None)
