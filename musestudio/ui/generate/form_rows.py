"""The Generate panel's settings form: each label beside its box where the box still shows its choices
whole there, else above it; a few short number boxes share a row.

At 1024x768 the right column is 240 px wide and about 220 px tall for the settings. Laid out as a
``QFormLayout`` with every label above its box (the only way its boxes read whole in that width), a row
took about 50 px and Style and Bars were a scroll away. Here each row decides for itself: a label goes
beside its box (a row of about 28 px) wherever the box's widest choice still fits beside the label column,
and above it only where it does not. Bars, Strength and Variations share a row (as do Temperature and Top-p,
Density and Voices), so the choices a musician makes on every Generate come before any scrolling.

The form is split into sections, each with its own label column: a long label of a setting set seldom
("Temperature", "Note range") would otherwise push the everyday boxes under their labels.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

NARROW_COMBO_CHARS = 6  # the characters a choice box shows at the least, in the narrowest column
SPACING = 6  # px between a label and its box, and between the cells of a shared row
ROW_SPACING = 3  # px between rows
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"


def fit_a_narrow_column(combo: QComboBox) -> None:
    """A choice box as narrow as the column it is in: at 1024x700 the right column is 240 px, and a box as
    wide as its longest choice (an engine's description) pushed the form past its right edge. The box
    shows what fits; its list opens as wide as its choices."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(NARROW_COMBO_CHARS)


def readable_width(box: QWidget) -> int:
    """The width at which a choice box shows each of its choices whole (other fields: their least): the
    widest choice's text plus what the style draws around the text (frame, arrow)."""
    if not isinstance(box, QComboBox):
        return box.minimumSizeHint().width()
    widest = max(
        (box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count())), default=0
    )
    if any(not box.itemIcon(i).isNull() for i in range(box.count())):
        widest += box.iconSize().width() + 4
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    option.rect = QRect(0, 0, 1000, max(box.height(), box.sizeHint().height()))
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    return widest + option.rect.width() - field.width() + 1


def _host(field: QWidget | QLayout) -> QWidget:
    """A field as a widget (a row of boxes given as a layout gets a widget around it)."""
    if isinstance(field, QWidget):
        return field
    host = QWidget()
    field.setContentsMargins(0, 0, 0, 0)
    host.setLayout(field)
    return host


def _first_box(field: QWidget) -> QWidget:
    """What a label names and Alt+its mnemonic would focus: the field, or the first box in it."""
    if field.focusPolicy() != Qt.FocusPolicy.NoFocus:
        return field
    boxes = [w for w in field.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    return boxes[0] if boxes else field


class _Row(QWidget):
    """One setting: its label beside its box, or above it, with the buttons that go with the box (the
    style's Suggest and Learn..., the key's Lock) beside the box where they fit, else on the label's line.
    Under the box, as before, they took a line of their own."""

    def __init__(self, text: str, field: QWidget, buttons: tuple[QWidget, ...] = ()) -> None:
        super().__init__()
        self.field = field
        self.label = QLabel(text) if text else None
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(SPACING)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        self._grid.addWidget(field, 0, 1)  # before its buttons: Tab goes from the box to them
        self.buttons = None
        if buttons:
            self.buttons = QWidget(self)
            row = QHBoxLayout(self.buttons)
            row.setContentsMargins(0, 0, 0, 0)
            for button in buttons:
                row.addWidget(button)
        if self.label is not None:
            self.label.setBuddy(_first_box(field))
        self._beside: bool | None = None
        self.place(False, 0)

    def label_width(self) -> int:
        return 0 if self.label is None else self.label.sizeHint().width()

    def needs(self) -> int:
        """The width the field needs to read whole, with its buttons beside it."""
        buttons = 0 if self.buttons is None else SPACING + self.buttons.sizeHint().width()
        return readable_width(self.field) + buttons

    def minimumSizeHint(self) -> QSize:
        """As narrow as the label with the buttons, or the box, whichever is wider: the label then goes
        above the box (``place``)."""
        line = self.label_width() + (0 if self.buttons is None else SPACING + self.buttons.sizeHint().width())
        narrow = max(line, self.field.minimumSizeHint().width())
        return QSize(narrow, super().minimumSizeHint().height())

    def place(self, beside: bool, label_column: int) -> None:
        """Label beside the box, ``label_column`` px wide (the section's labels line up), or above it."""
        if beside == self._beside and (not beside or self.label.width() == label_column):
            return
        self._beside = beside
        for widget in (self.label, self.field, self.buttons):
            if widget is not None:
                self._grid.removeWidget(widget)
        if self.label is None:  # a note: the form's whole width
            self._grid.addWidget(self.field, 0, 0, 1, 3)
        elif beside:  # level with the box
            self.label.setFixedSize(label_column, _first_box(self.field).sizeHint().height())
            self._grid.addWidget(self.label, 0, 0)
            self._grid.addWidget(self.field, 0, 1)
            if self.buttons is not None:
                self._grid.addWidget(self.buttons, 0, 2)
        else:
            self.label.setMinimumSize(0, 0)
            self.label.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
            self._grid.addWidget(self.label, 0, 0, 1, 2)
            if self.buttons is not None:
                self._grid.addWidget(self.buttons, 0, 2)
            self._grid.addWidget(self.field, 1, 0, 1, 3)


class _SharedRow(QWidget):
    """Short number boxes side by side, each with its label beside it (Bars and Variations); one under the
    other where the column is too narrow for them side by side."""

    def __init__(self, cells: list[tuple[str, QWidget]]) -> None:
        super().__init__()
        self.cells: dict[QWidget, QWidget] = {}  # box: the cell holding it and its label
        self._labels: dict[QWidget, QLabel] = {}  # cell: its label
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(SPACING * 2)
        for text, box in cells:
            cell = QWidget()
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(SPACING)
            label = QLabel(text)
            label.setBuddy(box)
            row.addWidget(label)
            row.addWidget(box, 1)
            self._layout.addWidget(cell, 1)
            self.cells[box] = cell
            self._labels[cell] = label

    def minimumSizeHint(self) -> QSize:
        """As narrow as its widest cell: the cells then go one under the other (``place``)."""
        narrow = max(
            (c.minimumSizeHint().width() for c in self.cells.values() if not c.isHidden()), default=0
        )
        return QSize(narrow, super().minimumSizeHint().height())

    def any_shown(self) -> bool:
        return any(not cell.isHidden() for cell in self.cells.values())

    def place(self, width: int, label_column: int) -> None:
        """Side by side if they fit ``width``, else one under the other; the first box (and, one under the
        other, each) lines up with the boxes of the rows above, whose labels are ``label_column`` wide."""
        shown = [(box, c) for box, c in self.cells.items() if not c.isHidden()]
        if not shown:
            return
        widths = [
            max(self._labels[c].sizeHint().width(), label_column if i == 0 else 0)
            + SPACING
            + box.minimumSizeHint().width()
            for i, (box, c) in enumerate(shown)
        ]
        wide = width >= sum(widths) + self._layout.spacing() * (len(shown) - 1)
        first = shown[0][1]
        shown = [c for _box, c in shown]
        for cell in shown:
            self._labels[cell].setMinimumWidth(label_column if cell is first or not wide else 0)
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)


class SettingsForm(QWidget):
    """The settings, in sections (``add_section``) of rows (``add_row``, ``add_shared_row``)."""

    def __init__(self) -> None:
        super().__init__()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(ROW_SPACING)
        self._sections: list[list[QWidget]] = [[]]
        self._rows: dict[QWidget, QWidget] = {}  # field: the row holding it
        self._arranging = False  # a new arrangement is due (``_arrange_soon``)

    def add_row(self, text: str, field: QWidget | QLayout, buttons: tuple[QWidget, ...] = ()) -> QWidget:
        """A setting named ``text`` (empty: a note under the setting before, as wide as the form), with
        the ``buttons`` that go with its box."""
        field = _host(field)
        row = _Row(text, field, buttons)
        self._add(row)
        self._rows[field] = row
        if isinstance(field, QComboBox):  # new choices (a GPU's name, a learned style) may need more room
            model = field.model()
            for changed in (model.rowsInserted, model.rowsRemoved, model.dataChanged):
                changed.connect(self._arrange_soon)
        return field

    def add_shared_row(self, *cells: tuple[str, QWidget]) -> None:
        """Short boxes, each with its label, side by side on one row."""
        row = _SharedRow(list(cells))
        self._add(row)
        for box in row.cells:
            self._rows[box] = row

    def add_section(self) -> None:
        """Rows from here on line up their labels among themselves, under a thin line."""
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self._layout.addWidget(line)
        self._sections.append([])

    def _add(self, row: QWidget) -> None:
        self._layout.addWidget(row)
        self._sections[-1].append(row)

    def set_row_visible(self, field: QWidget, visible: bool) -> None:
        row = self._rows[field]
        if isinstance(row, _SharedRow):
            row.cells[field].setVisible(visible)
            row.setVisible(row.any_shown())
        else:
            row.setVisible(visible)
        self._arrange(self.width())

    def is_row_visible(self, field: QWidget) -> bool:
        row = self._rows[field]
        if isinstance(row, _SharedRow):
            return not row.isHidden() and not row.cells[field].isHidden()
        return not row.isHidden()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange_soon(self, *_change) -> None:
        """Arrange the rows once the event loop is back: a list of choices refilled is one arrangement."""
        if not self._arranging:
            self._arranging = True
            QTimer.singleShot(0, self, self._arrange_now)

    def _arrange_now(self) -> None:
        self._arranging = False
        self._arrange(self.width())

    def _arrange(self, width: int) -> None:
        """Each section's label column: as wide as the widest label of the rows whose box reads whole
        beside it; a row whose box would not, has its label above the box and no say in the column."""
        room = width - self._layout.contentsMargins().left() - self._layout.contentsMargins().right()
        for rows in self._sections:
            singles = [r for r in rows if isinstance(r, _Row) and not r.isHidden() and r.label is not None]
            fitting = [r.label_width() for r in singles if r.label_width() + SPACING + r.needs() <= room]
            column = max(fitting, default=0)
            for row in singles:
                row.place(column + SPACING + row.needs() <= room, column)
            for row in rows:
                if isinstance(row, _SharedRow):
                    row.place(room, column)
