"""The Generate panel: what to generate and how, the Generate/Cancel button and the progress bar.

The panel only holds the choices and shows state; the GenerateController reads ``choices()`` when the
button is pressed and drives the button, progress bar and messages while a generation runs. Engines whose
model file is missing stay listed but disabled, with the reason as their tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from musestudio.core.keys import KEYS, PITCH_NAMES, KeySignature
from musestudio.ml.engines import (
    ADD_PART,
    ARRANGE,
    CONTINUE,
    ENGINES,
    PARTS,
    REGENERATE,
    RESTYLE,
    TOP_P,
    default_temperature,
    default_top_p,
    missing_model_error,
)
from musestudio.ml.generate.arrange_styles import DEFAULT_STRENGTH as ARRANGE_STRENGTH
from musestudio.ml.generate.request import RUN_SEEDS, SEEDS
from musestudio.ml.styles import STYLES
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.focus import focus_by_tab_only
from musestudio.ui.generate.form_rows import SettingsForm, fit_a_narrow_column
from musestudio.ui.generate.requests import role_label
from musestudio.ui.generate.style_words import (
    learned_style_bases,
    style_description,
    style_label,
)
from musestudio.ui.generate.takes_panel import engine_label
from musestudio.ui.gm import program_name
from musestudio.ui.keynames import key_label
from musestudio.ui.wheel import scroll_past_boxes
from musestudio.ui.wrapping_label import WrappingLabel

MAX_VARIATIONS = 8
KEY_FROM_SELECTION = "selection"  # the key combo's choice: detect the key in the selected notes
FULL_RANGE = (24, 108)  # the note range's default: no limit beyond each part's own register
ROLES = ("harmony", "bass", "accompaniment", "counter-melody", "melody")  # what Add a part can write
# the instrument a new part gets unless the user picks another (GM programs)
ROLE_PROGRAMS = {"harmony": 48, "bass": 32, "accompaniment": 0, "counter-melody": 71, "melody": 73}


def note_name(pitch: int) -> str:
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def dice_icon(size: int = 20) -> QIcon:
    """A die showing five: drawn, so it looks the same on every platform and font."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor("#3a3f47"))
    p.setBrush(QColor("#f4f1ea"))
    p.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 4, 4)
    p.setBrush(QColor("#23262b"))
    p.setPen(Qt.PenStyle.NoPen)
    r = size / 10
    for fx, fy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.5), (0.3, 0.7), (0.7, 0.7)):
        p.drawEllipse(QRectF(fx * size - r, fy * size - r, 2 * r, 2 * r))
    p.end()
    return QIcon(pix)


class NoteSpinBox(QSpinBox):
    """A MIDI pitch shown by name (C4 = 60)."""

    def __init__(self, value: int, parent=None) -> None:
        super().__init__(parent)
        self.setRange(0, 127)
        self.setValue(value)

    def textFromValue(self, value: int) -> str:
        return note_name(value)

    def valueFromText(self, text: str) -> int:
        t = text.strip()
        for pitch in range(128):
            if note_name(pitch).lower() == t.lower():
                return pitch
        return self.value()

    def validate(self, text, pos):
        from PySide6.QtGui import QValidator

        ok = any(note_name(p).lower() == text.strip().lower() for p in range(128))
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


class GeneratePanel(QWidget):
    generate_clicked = Signal()  # Generate pressed (or Cancel, while running: the controller decides)
    choices_changed = Signal()
    suggest_style_clicked = Signal()
    learn_style_clicked = Signal()
    rebar_clicked = Signal()  # the beat-grid note's link: Edit > Re-bar One-Beat Bars in 4/4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("generate_panel")
        form = self.form = SettingsForm()  # each label beside its box where the box reads whole there

        self.mode = QComboBox()
        for mode, text in (
            (CONTINUE, self.tr("Continue")),
            (RESTYLE, self.tr("Restyle")),
            (REGENERATE, self.tr("Regenerate selection")),
            (ADD_PART, self.tr("Add a part")),
        ):
            self.mode.addItem(text, mode)
        form.add_row(self.tr("Mode"), self.mode)

        self.where = QComboBox()  # Continue: after the seed or the playhead; Restyle: selection or track
        form.add_row(self.tr("From"), self.where)

        self.restyle_as = QComboBox()  # Restyle: Arrange (the default) or Rewrite
        self.restyle_as.addItem(self.tr("Arrange"), ARRANGE)
        self.restyle_as.setItemData(0, self.tr("Arrange: keep the tune"), Qt.ItemDataRole.ToolTipRole)
        self.restyle_as.addItem(self.tr("Rewrite"), RESTYLE)
        self.restyle_as.setItemData(1, self.tr("Rewrite: change the tune too"), Qt.ItemDataRole.ToolTipRole)
        self.restyle_as.setToolTip(
            "<p>"
            + self.tr(
                "Arrange keeps your tune and writes the style's parts under it in new tracks (a chorale's "
                "alto, tenor and bass; pop piano and bass). Rewrite writes the whole phrase anew in the style."
            )
            + "</p>"
        )
        self._strengths = {ARRANGE: ARRANGE_STRENGTH, RESTYLE: 1.0}  # each way's own strength
        self._learned_bases: dict[str, str] = {}  # learned style: its built-in one (``_instead_of_removed``)
        form.add_row(self.tr("As"), self.restyle_as)

        self.engine = QComboBox()
        form.add_row(self.tr("Engine"), self.engine)
        self._part_rows(form)

        self.style = QComboBox()
        self._style_note = ""  # where the style shown came from (``set_style_note``)
        self._style_behind = next(iter(STYLES))  # the style Generate goes by under a placeholder
        for s in STYLES.values():
            self.style.addItem(style_label(s.name), s.name)
            self.style.setItemData(
                self.style.count() - 1, style_description(s.name), Qt.ItemDataRole.ToolTipRole
            )
        self.suggest = QToolButton()
        self.suggest.setText(self.tr("Suggest"))
        self.suggest.setToolTip(self.tr("Pick the style that fits this seed and the takes you keep"))
        self.learn = QToolButton()  # learned styles (issue 16)
        self.learn.setText(self.tr("Learn..."))
        self.learn.setToolTip(self.tr("Learn a style from your own MIDI files"))
        self.refresh_learned_styles()
        form.add_row(self.tr("Style"), self.style, (self.suggest, self.learn))
        # where the style shown came from, and a learned style's source; a built-in style's description is
        # the tooltip of the box and of each choice, so the knobs under it fit a laptop's screen
        self.style_description = WrappingLabel()
        self.style_description.setStyleSheet("color:#8b929c; font-size:11px;")
        form.add_row("", self.style_description)

        self.bars = QSpinBox()
        self.bars.setRange(1, 32)
        self.bars.setValue(4)
        self._beat_grid = False  # the piece is in 1/4 throughout (``set_beat_grid``)
        self.beat_grid = QLabel(
            self.tr(
                "This piece's bars are single beats (1/4 throughout), so bars here count beats and the "
                "models hear the piece a beat a bar."
            )
            + ' <a href="rebar" style="color:#8ab4f8;">'
            + QCoreApplication.translate("Editor", "Re-bar in 4/4")  # the edit's own name (its undo step)
            + "</a>"
        )
        self.beat_grid.setWordWrap(True)
        self.beat_grid.setStyleSheet("color:#e0b060; font-size:11px;")
        self.beat_grid.setToolTip(
            self.tr(
                "4/4 bars from the piece's downbeat; every note stays where it is, and Undo takes it back"
            )
        )
        self.beat_grid.linkActivated.connect(lambda _link: self.rebar_clicked.emit())
        self.strength = QDoubleSpinBox()
        self.strength.setRange(0.0, 1.0)
        self.strength.setSingleStep(0.1)
        self.strength.setValue(1.0)
        self.strength.setToolTip(
            "<p>"
            + self.tr(  # rich text, so Qt wraps the tooltip
                "Arrange: how far your tune may move: 0 keeps its notes exactly; higher adds the style's "
                "ornaments and rhythm, from 0.5 its register. Every note of the tune stays, but a slower "
                "style (a chorale, Palestrina, a German song, a jazz head) folds up to 14% of a busy "
                "tune's quick notes into the note before. Above 0.5 the tune carries more ornaments than "
                "the style's own tunes usually do. "
                "Rewrite: how much the new style may rewrite. Seq2Seq: up to 0.25 the texture and dynamics around your "
                "melody, up to 0.5 its rhythm too, up to 0.75 its register too; above that only each bar's "
                "harmony is kept. GAN: how sure the model must be to add or remove a note."
            )
            + "</p>"
        )
        # with the style, over the sampling knobs: a user sets them on most Generates, the temperature seldom
        self.variations = QSpinBox()
        self.variations.setRange(1, MAX_VARIATIONS)
        self.variations.setValue(4)
        form.add_shared_row(
            (self.tr("Bars"), self.bars),
            (self.tr("Strength"), self.strength),
            (self.tr("Variations"), self.variations),
        )
        form.add_row("", self.beat_grid)
        form.add_section()  # what a user leaves at its default on most Generates
        self._shape_rows(form)

        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.1, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setValue(1.0)
        self._temperature_default = 1.0  # the engine's own (engines.default_temperature), until changed
        self.temperature.setToolTip(self.tr("Lower: safer, more predictable. Higher: more surprising."))
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.5, 1.0)
        self.top_p.setSingleStep(0.01)
        self.top_p.setValue(TOP_P)
        self._top_p_default = TOP_P  # the engine's own in the style (engines.default_top_p), until changed
        self.top_p.setToolTip(self.tr("Draw only from the likeliest notes that make up this share of chance"))
        form.add_shared_row((self.tr("Temperature"), self.temperature), (self.tr("Top-p"), self.top_p))

        self.key = QComboBox()
        self.key.addItem(self.tr("Detected"), None)
        self.key.addItem(self.tr("From the selection"), KEY_FROM_SELECTION)
        self.key.setItemData(
            0,
            self.tr("The key detected in the whole piece: every pitched track's notes together"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.key.setItemData(
            1,
            self.tr("The key detected in the selected notes (default: the whole piece's)"),
            Qt.ItemDataRole.ToolTipRole,
        )
        for k in KEYS:
            self.key.addItem(key_label(k), k)
        self.key_lock = QCheckBox(self.tr("Lock"))
        self.key_lock.setToolTip(self.tr("Only notes of this key"))
        form.add_row(self.tr("Key"), self.key, (self.key_lock,))
        self.detected_key = QLabel()
        self.detected_key.setStyleSheet("color:#8b929c; font-size:11px;")
        form.add_row("", self.detected_key)

        range_row = QHBoxLayout()
        self.low = NoteSpinBox(FULL_RANGE[0])
        self.high = NoteSpinBox(FULL_RANGE[1])
        range_row.addWidget(self.low)
        range_row.addWidget(QLabel("–"))
        range_row.addWidget(self.high)
        form.add_row(self.tr("Note range"), range_row)

        seed_row = QHBoxLayout()
        self.seed = QSpinBox()
        self.seed.setRange(0, SEEDS - 1)  # every seed a take shows (a run's takes go round past the top)
        self.seed.setValue(1)
        self.dice = QToolButton()
        self.dice.setIcon(dice_icon())
        self.dice.setToolTip(self.tr("Roll a new random seed"))
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.dice)
        form.add_row(self.tr("Seed"), seed_row)

        self.device = QComboBox()
        self.set_devices("CPU")
        form.add_row(self.tr("Compute"), self.device)

        for combo in form.findChildren(QComboBox):
            fit_a_narrow_column(combo)
        scroll_past_boxes(form)  # at 1024x700 the pointer rests on a box nearly anywhere in the form
        scroll = self._scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # a click on the form's Lock or dice (Tab-only buttons) or between its boxes leaves the focus where
        # it was: the scroll area took it, and Space no longer played (the wheel and Tab still scroll it)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(form)

        self.button = QPushButton(self.tr("Generate"))
        self.button.setObjectName("generate_button")
        self.button.setMinimumHeight(34)
        self.button.setStyleSheet("QPushButton#generate_button { font-weight: bold; }")
        # a click leaves the focus in the roll, where Space plays; Tab reaches them (Suggest, Learn... and
        # the dice too: tool buttons, so by Qt's default), and Space then presses the one reached
        focus_by_tab_only(self.button, self.key_lock)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()  # shown while a Generate runs (``set_running``): idle, its line is the form's
        self.message = QLabel()
        self.shows_error = False  # the message is an error (``show_message``)
        self.message.setWordWrap(True)
        self.message.setObjectName("generate_message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()  # shown with something to say (``show_message``)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)

        self.mode.currentIndexChanged.connect(self._on_mode)
        self.restyle_as.currentIndexChanged.connect(self._on_restyle_as)
        self.engine.currentIndexChanged.connect(self._update_rows)
        self.engine.currentIndexChanged.connect(self._describe_engine)
        self.role.currentIndexChanged.connect(self._on_role)
        self.style.currentIndexChanged.connect(self._on_style)
        self.dice.clicked.connect(self.roll_seed)
        self.button.clicked.connect(self.generate_clicked)
        self.suggest.clicked.connect(self.suggest_style_clicked)
        self.learn.clicked.connect(self.learn_style_clicked)
        for w in (self.engine, self.where, self.key, self.style, self.restyle_as):
            w.currentIndexChanged.connect(self.choices_changed)
        self.strength.setValue(self._strengths[self.restyle_as.currentData()])
        self._on_mode()
        self._on_style()

    def _part_rows(self, form: SettingsForm) -> None:
        """The parts engine's choices of what is written: which tracks Continue writes, Add a part's role
        and instrument."""
        self.tracks = QComboBox()
        self.tracks.addItem(self.tr("All tracks"), "all")
        self.tracks.addItem(self.tr("The active track"), "active")
        self.tracks.setToolTip(self.tr("Continue every track, each in itself, or only the active one"))
        form.add_row(self.tr("Tracks"), self.tracks)
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        form.add_row(self.tr("Part"), self.role)
        self.instrument = QComboBox()
        for program in range(128):
            self.instrument.addItem(f"{program + 1} {program_name(program)}", program)
        self.instrument.setCurrentIndex(ROLE_PROGRAMS[ROLES[0]])
        form.add_row(self.tr("Instrument"), self.instrument)

    def _shape_rows(self, form: SettingsForm) -> None:
        """The parts engine's shape of what is written: density and voices (0: as the seed's own). Under
        the knobs a user sets on most Generates, as they keep their default on most."""
        self.density = QDoubleSpinBox()
        self.density.setRange(0.0, 32.0)
        self.density.setSingleStep(0.5)
        self.density.setSpecialValueText(self.tr("As the seed"))
        self.density.setToolTip(self.tr("Notes per bar in each written part"))
        self.voices = QSpinBox()
        self.voices.setRange(0, 4)
        self.voices.setSpecialValueText(self.tr("As the seed"))
        self.voices.setToolTip(self.tr("Notes at once in each written part: 1 is a single line"))
        form.add_shared_row((self.tr("Density"), self.density), (self.tr("Voices"), self.voices))

    def height_for_every_choice(self) -> int:
        """The panel's height with every choice of the mode shown, none scrolled out of view."""
        return self._scroll.widget().sizeHint().height() + self.height() - self._scroll.viewport().height()

    def _on_role(self) -> None:
        self.instrument.setCurrentIndex(ROLE_PROGRAMS[self.role.currentData()])

    # -- state shown -----------------------------------------------------------------------------------
    def current_mode(self) -> str:
        return self.mode.currentData()

    def engine_mode(self) -> str:
        """The mode the engines and requests go by: ARRANGE for Restyle's Arrange, else the panel's mode."""
        mode = self.current_mode()
        return self.restyle_as.currentData() if mode == RESTYLE else mode

    def set_restyle_as(self, how: str) -> None:
        """Arrange (``ARRANGE``) or Rewrite (``RESTYLE``)."""
        self.restyle_as.setCurrentIndex(self.restyle_as.findData(how))

    def _on_restyle_as(self) -> None:
        other = RESTYLE if self.restyle_as.currentData() == ARRANGE else ARRANGE
        self._strengths[other] = self.strength.value()
        self.strength.setValue(self._strengths[self.restyle_as.currentData()])
        self.refresh_engines()
        self._update_rows()

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(self.mode.findData(mode))

    def refresh_learned_styles(self, renamed: dict[str, str] | None = None) -> None:
        """The built-in styles, then the user's learned ones (one picker serves every mode); a style in
        ``renamed`` (old name: new name) stays chosen under its new name. Heard as one change, at the end:
        a style set here is no pick of the user's."""
        placeholder = self.style.placeholderText() if self.style.currentIndex() < 0 else None
        self.style.blockSignals(True)
        self.show_style()  # the style behind a placeholder is the one renamed or removed
        before = self.style.currentData()
        current = (renamed or {}).get(before, before)
        while self.style.count() > len(STYLES):
            self.style.removeItem(self.style.count() - 1)
        bases = learned_style_bases()  # one read of the styles' files: their names and where they came from
        for name in bases:
            self.style.addItem(self.tr("%1 (learned)").replace("%1", name), name)
            self.style.setItemData(
                self.style.count() - 1, style_description(name), Qt.ItemDataRole.ToolTipRole
            )
        was, self._learned_bases = self._learned_bases, bases  # before the style shown is described
        self.set_style(current or "")
        if current and self.style.currentData() != current:  # the learned style chosen is gone
            self._instead_of_removed(current, was.get(current, ""))
        if placeholder is not None:
            self.show_style_to_come(placeholder)
        self.style.blockSignals(False)
        if self.current_style() != before:
            self._on_style()
            self.choices_changed.emit()

    def _instead_of_removed(self, gone: str, base: str) -> None:
        """The learned style ``gone`` was chosen and is removed: ``base``, the style it was learned from, is
        chosen in its place (not whichever the list ends with), and the panel says so."""
        self.set_style(base)
        if self.style.currentData() == base:
            self.show_message(
                self.tr(
                    "%1 is no longer a learned style: %2, the style it was learned from, is chosen instead."
                )
                .replace("%1", gone)
                .replace("%2", style_label(base))
            )

    def set_style(self, style: str) -> None:
        i = self.style.findData(style)
        if i >= 0:
            self.style.setCurrentIndex(i)

    def current_style(self) -> str:
        """The style Generate goes by: the one shown, or under a placeholder (``show_style_to_come``) the
        one shown before it, which Generate falls back on where the seed's style cannot be read."""
        return self.style.currentData() if self.style.currentIndex() >= 0 else self._style_behind

    def show_style_to_come(self, placeholder: str) -> None:
        """Show ``placeholder`` in the style box, not a style: the piece's style is still to be read from its
        seed. The box read "Bach chorale", the first of the list, until the reading came (seconds later,
        once the models had loaded) and then jumped to the seed's "Pop": a musician took it for the style
        Generate would write in. What Generate goes by (``current_style``) does not change."""
        self.style.setPlaceholderText(placeholder)
        if self.style.currentIndex() >= 0:
            self._style_behind = self.style.currentData()
            self._show_index(-1)

    def show_style(self) -> None:
        """Show a style in the style box again: the one a placeholder stood in for."""
        if self.style.currentIndex() < 0:
            self._show_index(max(0, self.style.findData(self._style_behind)))

    def _show_index(self, index: int) -> None:
        """The box's shown row, Generate's style unchanged: nothing hears it as a new choice."""
        was_blocked = self.style.blockSignals(True)
        self.style.setCurrentIndex(index)
        self.style.blockSignals(was_blocked)
        self._on_style()

    def _on_mode(self) -> None:
        mode = self.current_mode()
        self.where.blockSignals(True)
        self.where.clear()
        if mode == CONTINUE:
            self.where.addItem(self.tr("After the seed"), "seed")
            self.where.addItem(self.tr("After the playhead"), "playhead")
        elif mode == RESTYLE:
            self.where.addItem(self.tr("The selection"), "selection")
            self.where.addItem(self.tr("The whole track"), "track")
        elif mode == REGENERATE:
            self.where.addItem(self.tr("The selected bars"), "selection")
        else:
            self.where.addItem(self.tr("The whole piece"), "piece")
        self.where.blockSignals(False)
        self.refresh_engines()
        self._update_rows()
        self.choices_changed.emit()

    def _update_rows(self) -> None:
        """Show only the knobs the chosen mode uses (Restyle takes a strength, not sampling settings)."""
        mode = self.current_mode()
        arrange = self.engine_mode() == ARRANGE
        parts = self.engine.currentData() == PARTS and not arrange  # Arrange sets each part itself
        self._row_visible(self.restyle_as, mode == RESTYLE)
        self._row_visible(self.tracks, parts and mode == CONTINUE)
        self._row_visible(self.role, mode == ADD_PART)
        self._row_visible(self.instrument, mode == ADD_PART)
        self._row_visible(self.density, parts)
        self._row_visible(self.voices, parts)
        self._row_visible(self.bars, mode == CONTINUE)
        self._row_visible(self.beat_grid, self._beat_grid and mode in (CONTINUE, REGENERATE, ADD_PART))
        self._row_visible(self.strength, mode == RESTYLE)
        self._row_visible(self.temperature, mode != RESTYLE or arrange)  # Arrange samples its parts
        self._row_visible(self.top_p, mode != RESTYLE or arrange)
        self._on_style()  # the engine's defaults in the style, and what Rewrite does with a learned one

    def _sync_defaults(self) -> None:
        """Start from the chosen engine's own temperature and top-p in the chosen style, unless the user has
        set one of theirs."""
        engine = self.engine.currentData()
        wanted = default_temperature(engine, self.current_style())
        if abs(self.temperature.value() - self._temperature_default) < 1e-6:
            self.temperature.setValue(wanted)
        self._temperature_default = wanted
        wanted = default_top_p(engine, self.current_style())
        if abs(self.top_p.value() - self._top_p_default) < 1e-6:
            self.top_p.setValue(wanted)
        self._top_p_default = wanted

    def refresh_engines(self) -> None:
        """List the mode's engines; a missing model disables its engine and says why."""
        mode = self.engine_mode()
        wanted = self.engine.currentData()
        self.engine.blockSignals(True)
        self.engine.clear()
        model: QStandardItemModel = self.engine.model()
        first_ok = -1
        for i, engine in enumerate(ENGINES[mode]):
            self.engine.addItem(engine_label(engine), engine)
            self.engine.setItemData(i, self._engine_description(engine), Qt.ItemDataRole.ToolTipRole)
            missing = missing_model_error(mode, engine)
            if missing is not None:
                item = model.item(i)
                item.setEnabled(False)
                item.setToolTip(ErrorWords().say(missing))
                item.setText(self.tr("%1 — model missing").replace("%1", engine_label(engine)))
            elif first_ok < 0:
                first_ok = i
        keep = self.engine.findData(wanted)
        ok = keep >= 0 and model.item(keep).isEnabled()
        self.engine.setCurrentIndex(keep if ok else max(first_ok, 0))
        self.engine.blockSignals(False)
        self._describe_engine()
        self._sync_defaults()

    def _engine_description(self, engine: str) -> str:
        """What an engine is, in its list's tooltip and the box's: the box shows its short name, which fits
        the narrow column of a 1024 px window."""
        return {
            "transformer": self.tr("Transformer: a model with relative attention"),
            "seq2seq": self.tr("Seq2Seq: a sequence-to-sequence model with attention"),
            "markov": self.tr("Markov: the baseline"),
            "gan": self.tr("GAN: a denoiser and a critic"),
            PARTS: self.tr("Parts: every track hears the others"),
        }.get(engine, "")

    def _describe_engine(self) -> None:
        self.engine.setToolTip(self.engine.itemData(self.engine.currentIndex(), Qt.ItemDataRole.ToolTipRole))

    def _row_visible(self, field: QWidget, visible: bool) -> None:
        self.form.set_row_visible(field, visible)

    def _on_style(self) -> None:
        self._sync_defaults()
        name = self.style.currentData()  # None under a placeholder: no style to describe
        description = style_description(name) if name else ""
        self.style.setToolTip(description)
        shown = [self._style_note, description if name not in STYLES else "", self._rewrite_note(name)]
        self.style_description.setText("\n".join(line for line in shown if line))
        self._row_visible(self.style_description, bool(self.style_description.text()))

    def _rewrite_note(self, name: str) -> str:
        """Under a learned style in Restyle's Rewrite: its engines have no learned layers, so the tune is
        rewritten toward the built-in style it was learned from (the takes were listed under the learned
        style's name with nothing said, and played as that one); Arrange writes in the learned style."""
        base = self._learned_bases.get(name)
        if base is None or self.engine_mode() != RESTYLE:
            return ""
        return (
            self.tr(
                "Rewrite has no layers of a learned style: it rewrites toward %1, the style %2 was learned "
                "from. Arrange writes in %2 itself."
            )
            .replace("%1", style_label(base))
            .replace("%2", name)
        )

    def set_style_note(self, note: str) -> None:
        """Where the style shown came from (the seed's reading, the user's choice), over its description."""
        self._style_note = note
        self._on_style()

    def set_beat_grid(self, beat_grid: bool) -> None:
        """Say (in the modes that count bars) that the piece's bars are single beats, with the fix."""
        self._beat_grid = beat_grid
        self._update_rows()

    def set_detected_key(self, key: KeySignature | None, over_drums: KeySignature | None = None) -> None:
        """The key detected in the piece; with none to detect in a piece of drums alone, ``over_drums``:
        the key a part added to the beat is written in (``request.drums_alone``), so the user knows it."""
        if key:
            text = self.tr("Detected: %1").replace("%1", key_label(key))
        elif over_drums:
            text = self.tr("Detected: none (only drums); a part added is in %1").replace(
                "%1", key_label(over_drums)
            )
        else:
            text = self.tr("Detected: none (no notes)")
        self.detected_key.setText(text)
        self.key.setItemText(
            0, self.tr("Detected (%1)").replace("%1", key_label(key)) if key else self.tr("Detected")
        )

    def set_devices(self, gpu: str) -> None:
        """The compute choices: auto, CPU, and CUDA when ``gpu`` names a CUDA device (not "CPU")."""
        current = self.device.currentData()
        self.device.clear()
        has_gpu = gpu and gpu != "CPU"
        self.device.addItem(self.tr("Auto (%1)").replace("%1", gpu if has_gpu else "CPU"), "auto")
        self.device.addItem(self.tr("CPU"), "cpu")
        if has_gpu:
            self.device.addItem(self.tr("CUDA: %1").replace("%1", gpu), "cuda")
        i = self.device.findData(current)
        self.device.setCurrentIndex(max(i, 0))

    def roll_seed(self) -> None:
        """A run's seed (below ``RUN_SEEDS``): an Arrange from it lists its best take first."""
        import secrets

        self.seed.setValue(secrets.randbelow(RUN_SEEDS))

    def set_running(self, running: bool) -> None:
        self.button.setText(self.tr("Cancel") if running else self.tr("Generate"))
        if running:
            self.progress.setValue(0)
        self.progress.setVisible(running)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)

    def show_message(self, text: str, error: bool = False) -> None:
        self.shows_error = error  # left up until the user deals with the takes, not wiped by an edit
        self.message.setStyleSheet("color:#ff8a80;" if error else "color:#9aa0a8;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def choices(self) -> dict:
        """Everything the controller needs from the panel, as plain values."""
        lo, hi = sorted((self.low.value(), self.high.value()))
        return {
            "mode": self.engine_mode(),
            "where": self.where.currentData(),
            "engine": self.engine.currentData(),
            "style": self.current_style(),
            "bars": self.bars.value(),
            "strength": self.strength.value(),
            "temperature": self.temperature.value(),
            "top_p": self.top_p.value(),
            "variations": self.variations.value(),
            "key": key if isinstance(key := self.key.currentData(), KeySignature) else None,
            "key_from": "selection" if self.key.currentData() == KEY_FROM_SELECTION else "track",
            "key_lock": self.key_lock.isChecked(),
            "pitch_range": (lo, hi),
            "seed": self.seed.value(),
            "device": self.device.currentData(),
            "tracks": self.tracks.currentData(),
            "role": self.role.currentData(),
            "program": self.instrument.currentData(),
            "density": self.density.value() or None,
            "voices": self.voices.value() or None,
            "part_range": None if (lo, hi) == FULL_RANGE else (lo, hi),
        }
