"""The styles' labels and descriptions as translatable text.

``ml.styles`` is Qt-free and holds the English words; lupdate only finds strings written out in the UI code,
so they are repeated here inside QT_TRANSLATE_NOOP (a test checks the two stay the same). At run time the
English text is looked up in the "Styles" context, so an untranslated or renamed style still shows English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from musestudio.ml import learned
from musestudio.ml.styles import STYLES

WORDS = (
    QT_TRANSLATE_NOOP("Styles", "Bach chorale"),
    QT_TRANSLATE_NOOP(
        "Styles",
        "Four-part chorale harmonisations by J.S. Bach: hymn melody over three moving "
        "voices, phrase-end fermatas, dense functional harmony.",
    ),
    QT_TRANSLATE_NOOP("Styles", "Renaissance polyphony"),
    QT_TRANSLATE_NOOP(
        "Styles",
        "Palestrina's masses: smooth stepwise lines in long notes, imitation between "
        "voices, modal harmony with few leaps.",
    ),
    QT_TRANSLATE_NOOP("Styles", "Celtic fiddle"),
    QT_TRANSLATE_NOOP(
        "Styles",
        "Irish and Scottish dance tunes (jigs, reels, hornpipes) from O'Neill's 1850, "
        "Ryan's Mammoth and the Nottingham collection: running eighths, repeated "
        "four-bar phrases.",
    ),
    QT_TRANSLATE_NOOP("Styles", "Chinese folk"),
    QT_TRANSLATE_NOOP(
        "Styles", "Han Chinese folk songs from the Essen collection: pentatonic melodies, flexible phrasing."
    ),
    QT_TRANSLATE_NOOP("Styles", "German folk"),
    QT_TRANSLATE_NOOP(
        "Styles",
        "German folk songs and ballads from the Essen collection: diatonic, singable, regular phrases.",
    ),
    QT_TRANSLATE_NOOP("Styles", "Classical quartet"),
    QT_TRANSLATE_NOOP(
        "Styles",
        "String quartets by Haydn, Mozart and Beethoven: melody over accompaniment, "
        "clear cadences, contrasting textures.",
    ),
    QT_TRANSLATE_NOOP("Styles", "Pop"),
    QT_TRANSLATE_NOOP(
        "Styles", "Chinese pop songs arranged for piano (POP909): a sung melody over chordal accompaniment."
    ),
    QT_TRANSLATE_NOOP("Styles", "Jazz standard"),
    QT_TRANSLATE_NOOP(
        "Styles",
        "Lead-sheet melodies of jazz standards from OpenEWLD: syncopation, chromatic approach notes.",
    ),
)


def style_label(name: str) -> str:
    style = STYLES.get(name)
    return QCoreApplication.translate("Styles", style.label) if style else name


def style_description(name: str) -> str:
    style = STYLES.get(name)
    if style is not None:
        return QCoreApplication.translate("Styles", style.description)
    mine = learned.find(name) if name else None
    if mine is None:
        return ""
    return Styles().learned_from(mine.meta, style_label(mine.base_style))


class Styles(QObject):
    """The learned style's counted words, in the "Styles" context: lupdate marks a message as counted
    (``%n``, "1 file" or "3 files") only in a QObject's ``tr``, never in ``QCoreApplication.translate``."""

    def learned_from(self, meta: dict, base: str) -> str:
        # one count to a message: the bars are counted in a message of their own
        bars = self.tr("%n bar(s)", "", int(meta.get("bars", 0)))
        return (
            self.tr("Learned from %n file(s), %1, on %2 (starts from %3).", "", len(meta.get("files", ())))
            .replace("%1", bars)
            .replace("%2", str(meta.get("created", ""))[:10])
            .replace("%3", base)
        )


def unusable_learned_styles() -> tuple[str, list[learned.StyleError]]:
    """(the styles folder, why each learned style there that cannot be used cannot), for the user."""
    return str(learned.styles_dir(create=False)), learned.unusable()


def learned_style_bases() -> dict[str, str]:
    """The user's learned styles (issue 16), in order, each with the built-in style it was learned from
    (the panel's choice when the learned one is removed); damaged style files are left out."""
    return {style.name: style.base_style for style in learned.all_styles()}
