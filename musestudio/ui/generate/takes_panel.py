"""The Takes panel: the variations of the last generation, best first, with what each judge thought.

Each row shows the take's colour (the same as its notes over the roll), engine, style, seed, the critic's
score (with realness and style probability in the tooltip), the taste's keep probability, the blended
score it is sorted by, and why it ranks where it does. The list shows the columns its width holds, without
scrolling sideways, in the order a musician comparing takes reads them (``SHOWN_FIRST``); every cell's
tooltip says the whole row, so a column left out is still a hover away.

Buttons act on the current row, and under them the panel says what Keep and Keep as New Track would do
with it (``show_keep_note``: the tracks they mute, the notes or kept takes the take goes in place of). Keys
1-8 (window actions the controller owns) audition the take with that number; Enter keeps the current take
while the list has the focus, and nowhere else (the window's Enter plays from the start). Dragging a row out
of the list asks (``drag_out``) for the take to leave the app as a .mid file.

Tab goes from the list through the buttons as they are laid out, and Space presses the one Tab reached
(``focus``: Space is otherwise the window's Play/Stop). A click on a button leaves the focus where it was,
so after Audition the arrows still pick a take and Enter still keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from musestudio.ml.generate.request import Take
from musestudio.ui.focus import focus_by_tab_only
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.placeholders import fill

# a take's colour over the roll and in the list: takes 1-8 of a Generate in their numbers' colours (the
# first eight); the spare ones go to takes of another Generate listed beside them that show the same
# numbers (``TakeColours``)
NUMBER_COLOURS = ("#ffb74d", "#4dd0e1", "#f06292", "#aed581", "#ba68c8", "#fff176", "#4fc3f7", "#ff8a65")
SPARE_COLOURS = ("#7986cb", "#a1887f", "#e0e0e0", "#26a69a", "#e53935", "#c0ca33", "#7e57c2", "#90a4ae")
TAKE_COLOURS = (*NUMBER_COLOURS, *SPARE_COLOURS)
ENGINE_LABELS = {  # the engines' names, translated where they are shown (``engine_label``)
    "transformer": QT_TRANSLATE_NOOP("GeneratePanel", "Transformer"),
    "seq2seq": QT_TRANSLATE_NOOP("GeneratePanel", "Seq2Seq"),
    "markov": QT_TRANSLATE_NOOP("GeneratePanel", "Markov"),
    "gan": QT_TRANSLATE_NOOP("GeneratePanel", "GAN"),
    "parts": QT_TRANSLATE_NOOP("GeneratePanel", "Parts"),
}


def engine_label(engine: str) -> str:
    """An engine's name as the user reads it, in the UI's language: the Generate panel's engine box, the
    Takes list's Engine column and the messages that name an engine all say the same."""
    name = ENGINE_LABELS.get(engine)
    return QCoreApplication.translate("GeneratePanel", name) if name else engine


def same_take(a: Take, b: Take) -> bool:
    """Whether ``a`` and ``b`` are one take: of one Generate (its request) and with one number. A take
    shown early is listed again as a new object with the rest of its run, and takes of two Generates listed
    together may share a number."""
    return a.request is b.request and a.number == b.number


def row_listing(takes: Sequence[Take], take: Take) -> int:
    """The row of ``takes`` that lists ``take`` (-1 if none)."""
    return next((row for row, t in enumerate(takes) if same_take(t, take)), -1)


class TakeColours:
    """The colour each listed take shows, over the roll and in the list: its number's (take 1 orange), or,
    when a take of another Generate listed beside it has that one, a colour no listed take has, so two
    takes showing one number never look alike. A take keeps its colour while it is listed, whatever is
    listed or taken off around it, and when a recovery copy lists it again (``restore``)."""

    def __init__(self) -> None:
        self._given: list[tuple[Take, int]] = []  # each take listed, with its colour's place in TAKE_COLOURS

    def assign(self, takes: Sequence[Take]) -> list[QColor]:
        """Colour ``takes``, the takes listed now (those listed before keep theirs); their colours by row."""
        given = [self._index(take) for take in takes]
        used = {i for i in given if i is not None}
        for row, take in enumerate(takes):
            if given[row] is None:
                given[row] = _free_colour(take.number, used)
                used.add(given[row])
        self._given = list(zip(takes, given, strict=True))
        return [QColor(TAKE_COLOURS[i]) for i in given]

    def of(self, take: Take) -> QColor:
        """The colour ``take`` is listed in (its number's if it is not listed)."""
        return QColor(TAKE_COLOURS[self.index(take)])

    def index(self, take: Take) -> int:
        """The place in ``TAKE_COLOURS`` of the colour ``take`` is listed in (its number's if it is not
        listed): what the recovery copy writes, since which take got a spare colour depends on which was
        listed first, and the takes and their order do not tell."""
        index = self._index(take)
        return _own_colour(take.number) if index is None else index

    def restore(self, takes: Sequence[Take], indexes: Sequence[object]) -> None:
        """Give ``takes``, about to be listed again from a recovery copy, the colours they were listed in
        (``indexes``, as the copy holds them): each comes back as the user knew it. One the copy has none
        for, or none that is a colour (an older or damaged copy), or one another take claimed first, gets
        a free colour when listed."""
        self._given, claimed = [], set()
        for take, index in zip(takes, indexes, strict=True):
            if type(index) is int and 0 <= index < len(TAKE_COLOURS) and index not in claimed:
                self._given.append((take, index))
                claimed.add(index)

    def _index(self, take: Take) -> int | None:
        return next((i for listed, i in self._given if same_take(listed, take)), None)


def _own_colour(number: int) -> int:
    return (number - 1) % len(NUMBER_COLOURS)


def _free_colour(number: int, used: set[int]) -> int:
    """Take ``number``'s own colour if no listed take has it, else the first spare one that none has (then
    another number's: a number's colour stays that number's as long as it can), and its own again when
    every colour is taken."""
    own = _own_colour(number)
    if own not in used:
        return own
    spare_first = [*range(len(NUMBER_COLOURS), len(TAKE_COLOURS)), *range(len(NUMBER_COLOURS))]
    return next((i for i in spare_first if i not in used), own)


def _swatch(colour: QColor) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(colour)
    return QIcon(pix)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


# takes the list shows without scrolling however small the window (1024x700 included): takes are
# compared side by side, and a Generate lists four by default
ROWS_SHOWN = 4

NUMBER, ENGINE, STYLE, SEED, CRITIC, TASTE, SCORE, WHY = range(8)  # the list's columns, left to right
# the columns in the order they are shown as the list grows wider, each while all before it fit: which
# take, how it ranks and why first (what tells takes apart), then the style (cut short where it must be:
# every take of a Generate has the same), the judges' own numbers, the engine and the seed. At 1024 px
# wide the Takes panel holds the first four: before, all eight were laid out, and Critic, Score and Why
# were a sideways scroll away.
SHOWN_FIRST = (NUMBER, SCORE, WHY, STYLE, CRITIC, TASTE, ENGINE, SEED)
STYLE_AT_LEAST = 48  # px: the style column is shown cut short ("Classical…"), never narrower than this


class _TakeList(QTreeWidget):
    """The list; a drag starting on a row is handed to the controller, which writes the take's file."""

    drag_requested = Signal(int)

    def minimumSizeHint(self) -> QSize:
        """Tall enough for the header, the rows listed (``ROWS_SHOWN`` at most, and before any are) and,
        where it is shown, the sideways scroll bar (only where the list is too narrow for a take's number:
        ``fit_columns``): the window's dock layout gives the Takes panel at least that, so a small window
        shows takes to compare rather than one row. Rows no take fills are left to the note on what Keep
        does (``TakesPanel.show_keep_note``), not taken from the Generate settings above; nor is the room
        of a scroll bar not shown (an empty strip under the fourth take at 1024x768, while Bars was a scroll
        away in the settings)."""
        row = max(self.fontMetrics().height() + 4, self.iconSize().height(), 16)
        bar = self.horizontalScrollBar().sizeHint().height() if self.horizontalScrollBar().isVisible() else 0
        rows = min(self.topLevelItemCount(), ROWS_SHOWN) or ROWS_SHOWN
        height = self.header().sizeHint().height() + rows * row + bar + 2 * self.frameWidth()
        return QSize(super().minimumSizeHint().width(), height)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:  # the panel resized, a vertical scroll bar came or went
            self.fit_columns()
        return super().viewportEvent(event)

    def fit_columns(self) -> None:
        """Show the columns (in ``SHOWN_FIRST``'s order) as long as each fits beside those before it, the
        style cut short to fit; the rest are hidden, said in the rows' tooltips, not a scroll away."""
        header, room, used, fits = self.header(), self.viewport().width(), 0, True
        for column in SHOWN_FIRST:
            width = max(header.sectionSizeFromContents(column).width(), self.sizeHintForColumn(column))
            width = min(width, STYLE_AT_LEAST) if column == STYLE else width
            fits = fits and (column == NUMBER or used + width <= room)
            self.setColumnHidden(column, not fits)
            used += width if fits else 0

    def startDrag(self, _actions) -> None:
        item = self.currentItem()
        if item is not None:
            self.drag_requested.emit(self.indexOfTopLevelItem(item))


class TakesPanel(QWidget):
    current_changed = Signal(int)  # row, -1 for none
    picked = Signal()  # the user made a row current, or clicked the current one (not ``set_takes``)
    audition_clicked = Signal()
    keep_clicked = Signal()
    keep_new_track_clicked = Signal()
    discard_clicked = Signal()
    discard_all_clicked = Signal()
    drag_out = Signal(int)  # row: take this take out as a .mid file

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("takes_panel")
        self.list = _TakeList()
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.drag_requested.connect(self.drag_out)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [
                self.tr("#"),
                self.tr("Engine"),
                self.tr("Style"),
                self.tr("Seed"),
                self.tr("Critic"),
                self.tr("Taste"),
                self.tr("Score"),
                self.tr("Why"),
            ]
        )
        header = self.list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STYLE, QHeaderView.ResizeMode.Stretch)  # it takes what room is left
        header.setStretchLastSection(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._listing = False  # set_takes is making a row current, not the user
        self.list.currentItemChanged.connect(self._on_current_item)
        self.list.itemPressed.connect(lambda *_: self.picked.emit())
        self.list.installEventFilter(self)
        self.setFocusProxy(self.list)

        self.audition = QPushButton(self.tr("Audition"))
        self.audition.setToolTip(self.tr("Play the seed and this take (1-8 pick a take)"))
        self.keep = QPushButton(self.tr("Keep"))
        self.keep.setToolTip(self.tr("Merge this take into the track (Enter in the list)"))
        self.keep_new_track = QPushButton(self.tr("Keep as New Track"))
        self.discard = QPushButton(self.tr("Discard"))
        self.discard_all = QPushButton(self.tr("Discard All"))
        buttons = QGridLayout()
        # two columns, so the panel fits beside the roll in a 1024 px wide window; Tab follows the rows
        buttons.addWidget(self.audition, 0, 0)
        buttons.addWidget(self.keep, 0, 1)
        buttons.addWidget(self.keep_new_track, 1, 0, 1, 2)
        buttons.addWidget(self.discard, 2, 0)
        buttons.addWidget(self.discard_all, 2, 1)
        self._buttons = (self.audition, self.keep, self.keep_new_track, self.discard, self.discard_all)
        focus_by_tab_only(*self._buttons)  # the arrows and Enter stay the list's after a click
        # what keeping the current take does, beside the buttons that keep it (``show_keep_note``)
        self.keep_note = QLabel()
        self.keep_note.setObjectName("keep_note")
        self.keep_note.setWordWrap(True)
        self.keep_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keep_note.setStyleSheet("color:#9aa0a8;")
        self.keep_note.hide()
        self.hint = QLabel(self.tr("No takes yet: press Generate (Ctrl+G)."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#8b929c; font-size:11px;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        words = QVBoxLayout()  # what Keep does and the hint read as one text under the buttons
        words.setSpacing(2)
        words.addWidget(self.keep_note)
        words.addWidget(self.hint)
        layout.addLayout(words)
        self.audition.clicked.connect(self.audition_clicked)
        self.keep.clicked.connect(self.keep_clicked)
        self.keep_new_track.clicked.connect(self.keep_new_track_clicked)
        self.discard.clicked.connect(self.discard_clicked)
        self.discard_all.clicked.connect(self.discard_all_clicked)
        self._update_buttons()

    def minimumSizeHint(self) -> QSize:
        """At least the height the panel needs at its width: a layout counts the word-wrapped hint as one
        line, and the window's dock layout then squeezed the list to one row in a small window."""
        size = super().minimumSizeHint()
        return QSize(size.width(), max(size.height(), self.layout().minimumHeightForWidth(self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the hint wraps anew: the dock layout reads the new minimum

    def show_keep_note(self, text: str) -> None:
        """Say what Keep and Keep as New Track do with the current take (``text``; empty: no take is
        current, and the note is hidden), under their buttons. Said under the Generate button before, it
        squeezed the Generate settings to a row or two behind a scroll bar in a small window."""
        if text == self.keep_note.text():
            return
        self.keep_note.setText(text)
        self.keep_note.setVisible(bool(text))
        self.updateGeometry()  # the note's lines count in the panel's minimum height

    def set_takes(self, takes: tuple[Take, ...], colours: Sequence[QColor], current: int = 0) -> None:
        """List ``takes``, each with its swatch in ``colours`` (the colour of its notes over the roll)."""
        self.list.blockSignals(True)
        self.list.clear()
        for take, colour in zip(takes, colours, strict=True):
            self.list.addTopLevelItem(self._item(take, colour))
        self.list.blockSignals(False)
        self.list.fit_columns()  # what the columns hold changed: a longer style, a wider number
        self.list.updateGeometry()  # its minimum counts the rows listed
        if takes:
            self._listing = True
            self.list.setCurrentItem(self.list.topLevelItem(max(0, min(current, len(takes) - 1))))
            self._listing = False
            self.hint.setText(  # three lines at 1024x768, not four: the room is the Generate settings'
                self.tr(
                    "Best first. Keys 1-8 audition, Enter keeps. Generate again replaces these takes: keep "
                    "the ones you want first."
                )
            )
        else:
            self.hint.setText(self.tr("No takes: press Generate (Ctrl+G)."))
            self.current_changed.emit(-1)
        self._update_buttons()

    def _on_current_item(self, *_items) -> None:
        self.current_changed.emit(self.current_row())
        if not self._listing and self.current_row() >= 0:
            self.picked.emit()

    def _item(self, take: Take, colour: QColor) -> QTreeWidgetItem:
        """A take's row."""
        item = QTreeWidgetItem(
            [
                str(take.number),
                engine_label(take.engine),
                style_label(take.style),
                "—" if take.seed is None else str(take.seed),  # its own: with one variation it draws it again
                _pct(take.critic),
                _pct(take.taste),
                _pct(take.score),
                self._why(take),
            ]
        )
        item.setIcon(NUMBER, _swatch(colour))
        critic = fill(
            self.tr("Critic: realness %1, sounds %2 %3"),
            _pct(take.realness),
            _pct(take.style_probability),
            style_label(take.style),
        )
        if take.harmony is not None:
            critic += fill(self.tr(", keeps %1 of the harmony"), _pct(take.harmony))
        item.setToolTip(CRITIC, critic)
        item.setToolTip(WHY, self._why_long(take))
        item.setToolTip(SEED, self._seed_tip(take))
        whole = self._whole_row(take, critic)
        for col in (NUMBER, ENGINE, STYLE, TASTE, SCORE):  # the others say what their own column means
            item.setToolTip(col, whole)
        for col in (CRITIC, TASTE, SCORE):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not take.notes:
            item.setForeground(ENGINE, QBrush(QColor("#8b929c")))
        return item

    def _seed_tip(self, take: Take) -> str:
        """What the Seed cell says: the take's own seed draws it again; a take recovered from a copy an
        earlier MuseStudio wrote may have none that does (``takes_recovery``), and the cell says why."""
        if take.seed is not None:
            return self.tr("This take's own seed: Generate with it and one variation to draw it again")
        return self.tr(
            "No seed: this take was recovered from a copy an earlier version of MuseStudio wrote, which drew "
            "it with the other takes of its run in a way no seed draws it alone now. Keep it to have it, or "
            "Generate again for takes with seeds of their own"
        )

    def _whole_row(self, take: Take, critic: str) -> str:
        """Everything the row says, in words: the tooltip of its cells, so the columns a narrow list leaves
        out (``fit_columns``) and a style cut short are read in full by hovering the take."""
        said = [str(take.number), engine_label(take.engine), style_label(take.style)]
        return "\n".join(
            [
                fill(self.tr("Take %1: %2, %3, seed %4"), *said, str(take.seed))
                if take.seed is not None
                else fill(self.tr("Take %1: %2, %3, no seed (recovered from an earlier version)"), *said),
                fill(
                    self.tr("Critic %1, taste %2, score %3"),
                    _pct(take.critic),
                    _pct(take.taste),
                    _pct(take.score),
                ),
                critic,
                self._why_long(take),
            ]
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the list keeps the current take: claimed before the window's Enter (Play from Start)."""
        if watched is self.list and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_row() >= 0:
                if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                    return super().eventFilter(watched, event)
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.keep_clicked.emit()
                return True
        return super().eventFilter(watched, event)

    def _why(self, take: Take) -> str:
        return {
            "nearly empty": self.tr("nearly empty"),
            "critic": self.tr("critic"),
            "critic and taste agree": self.tr("agreed"),
            "taste ranks it higher": self.tr("taste ▲"),
            "taste ranks it lower": self.tr("taste ▼"),
        }.get(take.why, take.why)

    def _why_long(self, take: Take) -> str:
        return {
            "nearly empty": self.tr("Almost nothing in it: listed below the fuller takes"),
            "critic": self.tr("Ranked by the critic alone (keep and discard takes to teach it your taste)"),
            "critic and taste agree": self.tr("The critic and your taste agree on this take"),
            "taste ranks it higher": self.tr("Your taste ranks it higher than the critic does"),
            "taste ranks it lower": self.tr("Your taste ranks it lower than the critic does"),
        }.get(take.why, take.why)

    def current_row(self) -> int:
        item = self.list.currentItem()
        return self.list.indexOfTopLevelItem(item) if item is not None else -1

    def set_current_row(self, row: int) -> None:
        item = self.list.topLevelItem(row)
        if item is not None:
            self.list.setCurrentItem(item)

    def set_auditioning(self, on: bool) -> None:
        self.audition.setText(self.tr("Stop") if on else self.tr("Audition"))

    def _update_buttons(self) -> None:
        has = self.list.topLevelItemCount() > 0
        if not has and any(b.hasFocus() for b in self._buttons):
            self.list.setFocus()  # Discard All from the keyboard: the focus stays in the panel, not in a tab bar
        for b in self._buttons:
            b.setEnabled(has)
