"""Refresh the translation files: extract tr() strings with pyside6-lupdate, compile with pyside6-lrelease.

English is the source language. Translators edit ``musestudio_zh_CN.ts`` (Qt Linguist or a text editor);
lupdate keeps existing translations and marks new strings unfinished. Run from the repository root:

    .venv/bin/python resources/i18n/update.py

English still needs a translation of its own for the messages that count (``tr("%n take(s)", "", n)``): Qt
picks "1 take" or "2 takes" only from a loaded translation, and without one the user reads "1 take(s)".
``musestudio_en.ts`` holds only those messages, and is written here, never by hand: each message's forms for
one and for more come from its source by rule ("(s)" dropped, or made "s"), or from ``IRREGULAR`` where
other words agree with the count ("is"/"are", "it"/"them"). A new message with such a word that is not in
the table stops this script, so no English form is guessed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh_CN",)  # translated by hand
ENGLISH = HERE / "musestudio_en.ts"  # the plural forms of the source language, filled in by rule
SOURCES = [
    "musestudio/app.py",
    "musestudio/audio/player.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "musestudio" / "ui").rglob("*.py")),
]

# words whose form follows the count; the rule for "(s)" cannot be trusted with a message holding one
AGREEING = re.compile(r"\b(are|were|they|them|their|these|those)\b")

# source: (the form for one, the form for more), for messages where more than the noun follows the count
IRREGULAR: dict[str, tuple[str, str]] = {
    "In %n step(s) the models learned nothing from your files that they do not already play in the %2 style, "
    "so %3 plays as %2. Learn it again with more time.": (
        "In %n step the models learned nothing from your files that they do not already play in the %2 style, "
        "so %3 plays as %2. Learn it again with more time.",
        "In %n steps the models learned nothing from your files that they do not already play in the %2 "
        "style, so %3 plays as %2. Learn it again with more time.",
    ),
    "While you chose, a Generate listed %n new take(s), not kept. Discard them too?": (
        "While you chose, a Generate listed %n new take, not kept. Discard it too?",
        "While you chose, a Generate listed %n new takes, not kept. Discard them too?",
    ),
    "The %n takes in the Takes panel are not kept and will be lost too: saving the piece does not keep them.": (
        "The %n take in the Takes panel is not kept and will be lost too: saving the piece does not keep it.",
        "The %n takes in the Takes panel are not kept and will be lost too: saving the piece does not keep "
        "them.",
    ),
    "Cancelled; the %n take(s) kept before the cancel stay in the score (Undo takes them out and lists them "
    "again).": (
        "Cancelled; the %n take kept before the cancel stays in the score (Undo takes it out and lists it "
        "again).",
        "Cancelled; the %n takes kept before the cancel stay in the score (Undo takes them out and lists them "
        "again).",
    ),
    "%n takes are not kept. Discard them?": (
        "%n take is not kept. Discard it?",
        "%n takes are not kept. Discard them?",
    ),
    "%1 ends in %n silent bar(s) after its notes, and so does the piece now: they play and export with it (the "
    "ruler marks its end; Edit > Trim Silent Bars at the End takes them away).": (
        "%1 ends in %n silent bar after its notes, and so does the piece now: that bar plays and exports with "
        "it (the ruler marks its end; Edit > Trim Silent Bars at the End takes it away).",
        "%1 ends in %n silent bars after its notes, and so does the piece now: they play and export with it "
        "(the ruler marks its end; Edit > Trim Silent Bars at the End takes them away).",
    ),
    "%n note(s) sound inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file "
    "gives them each other's ends (the piece keeps them as they are).": (
        "%n note sounds inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file "
        "gives the two each other's ends (the piece keeps both as they are).",
        "%n notes sound inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file "
        "gives them each other's ends (the piece keeps them as they are).",
    ),
    "Keep puts the tune back into %1 without the %n note(s) under it: the new parts take their place (Undo "
    "brings them back; Keep as New Track leaves %1 as it is).": (
        "Keep puts the tune back into %1 without the %n note under it: the new parts take its place (Undo "
        "brings it back; Keep as New Track leaves %1 as it is).",
        "Keep puts the tune back into %1 without the %n notes under it: the new parts take their place (Undo "
        "brings them back; Keep as New Track leaves %1 as it is).",
    ),
    # "their" and "them": the note under the tune and the notes cut short (%2, counted on its own) together
    "Keep puts the tune back into %1 without the %n note(s) under it, and with %2 cut where it enters: the new "
    "parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).": (
        "Keep puts the tune back into %1 without the %n note under it, and with %2 cut where it enters: the "
        "new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).",
        "Keep puts the tune back into %1 without the %n notes under it, and with %2 cut where it enters: the "
        "new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).",
    ),
    "Already in %1 of %2: %n note(s). Keep puts the take in their place (Undo brings them back); Keep as New "
    "Track leaves them as they are and plays the take over them from a track of its own.": (
        "Already in %1 of %2: %n note. Keep puts the take in its place (Undo brings it back); Keep as New "
        "Track leaves it as it is and plays the take over it from a track of its own.",
        "Already in %1 of %2: %n notes. Keep puts the take in their place (Undo brings them back); Keep as New "
        "Track leaves them as they are and plays the take over them from a track of its own.",
    ),
    "%n take(s) came back empty (or opened on an empty bar) even when drawn again and are not listed: try "
    "another style, engine or temperature.": (
        "%n take came back empty (or opened on an empty bar) even when drawn again and is not listed: try "
        "another style, engine or temperature.",
        "%n takes came back empty (or opened on an empty bar) even when drawn again and are not listed: try "
        "another style, engine or temperature.",
    ),
    "%n take(s) repeated another take even when drawn again and are not listed.": (
        "%n take repeated another take even when drawn again and is not listed.",
        "%n takes repeated another take even when drawn again and are not listed.",
    ),
    "%n take(s) came back empty or repeated another and were drawn again.": (
        "%n take came back empty or repeated another and was drawn again.",
        "%n takes came back empty or repeated another and were drawn again.",
    ),
    "Cancelled; the %n take(s) kept before the cancel stay in the score (Undo takes them out).": (
        "Cancelled; the %n take kept before the cancel stays in the score (Undo takes it out).",
        "Cancelled; the %n takes kept before the cancel stay in the score (Undo takes them out).",
    ),
    "The %n take(s) listed before this Generate are listed again.": (
        "The %n take listed before this Generate is listed again.",
        "The %n takes listed before this Generate are listed again.",
    ),
    "The %n take(s) it drew before the cancel are no longer listed.": (
        "The %n take it drew before the cancel is no longer listed.",
        "The %n takes it drew before the cancel are no longer listed.",
    ),
    "%n take(s) not kept when MuseStudio stopped are listed again": (
        "%n take not kept when MuseStudio stopped is listed again",
        "%n takes not kept when MuseStudio stopped are listed again",
    ),
    # "them": the notes under the tune and those cut short (%1, counted on its own) together
    ": %n note(s) under the tune gave way to the new parts and %1 (Undo brings them back)": (
        ": %n note under the tune gave way to the new parts and %1 (Undo brings them back)",
        ": %n notes under the tune gave way to the new parts and %1 (Undo brings them back)",
    ),
    "%n held note(s) were cut short": ("%n held note was cut short", "%n held notes were cut short"),
    ": %n note(s) under the tune gave way to the new parts (Undo brings them back)": (
        ": %n note under the tune gave way to the new parts (Undo brings it back)",
        ": %n notes under the tune gave way to the new parts (Undo brings them back)",
    ),
    ": the %n note(s) already in %1 gave way to it (Undo brings them back)": (
        ": the %n note already in %1 gave way to it (Undo brings it back)",
        ": the %n notes already in %1 gave way to it (Undo brings them back)",
    ),
    # "They": the new takes, however many were replaced
    "They replace the %n take(s) of the last Generate that were not kept.": (
        "They replace the %n take of the last Generate that was not kept.",
        "They replace the %n takes of the last Generate that were not kept.",
    ),
    # a soundfont's damaged samples: "points" and "it" for one of them
    "The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments "
    "using them will be silent.": (
        "The soundfont %1 looks damaged: %n of its %2 samples points outside its sample data, so the "
        "instruments using it will be silent.",
        "The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the "
        "instruments using them will be silent.",
    ),
    "The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments "
    "using them are missing from the WAV.": (
        "The soundfont %1 looks damaged: %n of its %2 samples points outside its sample data, so the "
        "instruments using it are missing from the WAV.",
        "The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the "
        "instruments using them are missing from the WAV.",
    ),
    "%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 samples "
    "point outside its sample data, so they cannot sound. Choose another under File > Preferences > "
    "Soundfont.": (
        "%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 "
        "samples points outside its sample data, so it cannot sound. Choose another under File > Preferences "
        "> Soundfont.",
        "%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 "
        "samples point outside its sample data, so they cannot sound. Choose another under File > "
        "Preferences > Soundfont.",
    ),
    "The piece ends here, after %n silent bar(s): the MIDI file it came from ends so (a loop's rests). They "
    "play, export and loop with it; Edit > Trim Silent Bars at the End ends the piece at its last note.": (
        "The piece ends here, after %n silent bar: the MIDI file it came from ends so (a loop's rest). That bar "
        "plays, exports and loops with it; Edit > Trim Silent Bars at the End ends the piece at its last note.",
        "The piece ends here, after %n silent bars: the MIDI file it came from ends so (a loop's rests). They "
        "play, export and loop with it; Edit > Trim Silent Bars at the End ends the piece at its last note.",
    ),
}


def english_forms(source: str) -> tuple[str, str]:
    """The English text of a numerus message for one and for more than one."""
    if source in IRREGULAR:
        return IRREGULAR[source]
    if AGREEING.search(source):
        raise SystemExit(f"write the English forms of this message in IRREGULAR ({__file__}): {source!r}")
    return source.replace("(s)", ""), source.replace("(s)", "s")


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def extract(ts: Path, *options: str) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), *SOURCES, *options, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
    )


def compile_translation(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True
    )


def fill_english(ts: Path) -> None:
    """Write every message's two English forms over whatever the file held: it is made, not edited."""
    tree = ET.parse(ts)
    for message in tree.iter("message"):
        translation = message.find("translation")
        translation.attrib.clear()  # no longer "unfinished"
        forms = translation.findall("numerusform")
        assert len(forms) == 2, "English has a form for one and a form for more"
        for form, text in zip(forms, english_forms(message.find("source").text), strict=True):
            form.text = text
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")


def main() -> None:
    for lang in LANGUAGES:
        ts = HERE / f"musestudio_{lang}.ts"
        extract(ts)
        compile_translation(ts)
    extract(ENGLISH, "-pluralonly")
    fill_english(ENGLISH)
    compile_translation(ENGLISH)


if __name__ == "__main__":
    main()
