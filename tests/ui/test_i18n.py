"""The Chinese translation is complete, compiled, and loads."""

from __future__ import annotations

import importlib.util
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import mido
import pytest
from mido import Message
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QInputDialog

from musestudio import paths
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import read_midi, write_midi
from musestudio.io.project_file import load_project
from musestudio.ui import gm
from musestudio.ui.track_labels import track_labels
from tests.ui.ui_helpers import mido_file

I18N = Path(__file__).resolve().parents[2] / "resources" / "i18n"
_spec = importlib.util.spec_from_file_location("i18n_update", I18N / "update.py")
update = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update)  # the same source list the maintainers' script extracts from


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    return {
        (ctx.find("name").text, m.find("source").text): m.find("translation")
        for ctx in ET.parse(ts).getroot()
        for m in ctx.findall("message")
    }


def test_every_string_in_the_code_is_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [update.tool("pyside6-lupdate"), *update.SOURCES, "-ts", str(fresh)],
        cwd=update.ROOT,
        check=True,
        capture_output=True,
    )
    shipped = messages(I18N / "musestudio_zh_CN.ts")
    missing = set(messages(fresh)) - set(shipped)
    assert not missing, f"run resources/i18n/update.py and translate: {sorted(missing)[:5]}"
    unfinished = [k for k, t in shipped.items() if t.get("type") == "unfinished"]
    assert not unfinished, unfinished[:5]


def test_compiled_translation_loads(qapp):
    translator = QTranslator()
    assert translator.load("musestudio_zh_CN", str(paths.resource("i18n")))
    qapp.installTranslator(translator)
    try:
        assert QCoreApplication.translate("Actions", "&New") == "新建(&N)"
        assert QCoreApplication.translate("GM", "Acoustic Grand Piano") == "大钢琴"
    finally:
        qapp.removeTranslator(translator)


def test_every_counted_message_in_the_code_has_its_english_forms(tmp_path):
    """A new "%n thing(s)" string without its English entry would read "1 thing(s)": the shipped English
    translation holds every counted message, with the forms update.py makes from it, "(s)" nowhere."""
    fresh = tmp_path / "musestudio_en.ts"
    subprocess.run(
        [update.tool("pyside6-lupdate"), *update.SOURCES, "-pluralonly", "-ts", str(fresh)],
        cwd=update.ROOT,
        check=True,
        capture_output=True,
    )
    counted = set(messages(fresh))
    assert len(counted) > 20  # the extraction found the counted messages
    shipped = messages(update.ENGLISH)
    missing = counted - set(shipped)
    assert not missing, f"run resources/i18n/update.py: {sorted(missing)[:5]}"
    for (_, source), translation in shipped.items():
        forms = tuple(form.text for form in translation.findall("numerusform"))
        assert translation.get("type") is None and forms == update.english_forms(source), source
        assert not any("(s)" in form for form in forms), forms


def test_translators_read_no_code_comment_as_a_note_on_a_message():
    """lupdate takes a ``#:`` comment for a note to the translator and hangs it on the next message, however
    far down: the Takes list's "#" header carried a comment about how many rows the list shows. Every
    translator note in the shipped file stands right above the message it explains."""
    notes = [n.text for n in ET.parse(I18N / "musestudio_zh_CN.ts").getroot().iter("extracomment")]
    stray = []
    for source in update.SOURCES:
        lines = (update.ROOT / source).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            after = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if line.strip().startswith("#:") and not after.startswith("#:") and "tr" not in after:
                stray.append(f"{source}:{i + 1}")
    assert not stray, f"write code comments with '# ', not '#:' (lupdate's translator notes): {stray}"
    assert not notes, notes


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_part_with_no_name_reads_by_its_instrument_in_chinese_and_gets_no_name_in_the_piece(
    language, make_window, tmp_path, monkeypatch
):
    """A MIDI file's unnamed parts are called by their GM instrument: the Chinese track list read "Violin"
    and "Drums" (and "Viola" once the instrument was changed). The list shows them in Chinese; the piece,
    and the MIDI file it is exported to, hold no name for them, in either language."""
    source = mido_file(
        tmp_path / "duet.mid",
        [
            [(0, Message("program_change", channel=0, program=40)), *_note(0, 76)],
            [*_note(9, 36)],
        ],
    )
    project = read_midi(source)
    violin, drums = project.tracks
    assert (violin.name, drums.name, violin.name_event, drums.name_event) == ("", "", False, False)
    window = make_window(project)
    rows = window.tracks.widget().rows
    assert (rows[violin.id].name.text(), rows[drums.id].name.text()) == ("小提琴", "鼓")
    assert rows[violin.id].instrument.text() == "小提琴"

    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, text, **_k: (text, True))
    rows[violin.id].rename()  # the name as shown, OK'd: nothing renamed
    assert window.document.project.tracks[0].name == ""
    assert not window.undo_stack.canUndo()

    menu = rows[violin.id].instrument.menu()
    menu.aboutToShow.emit()
    strings = next(a.menu() for a in menu.actions() if a.menu() and a.text() == "弦乐")
    assert [a.text() for a in strings.actions()[:2]] == ["41  小提琴", "42  中提琴"]
    strings.actions()[1].trigger()
    assert window.document.project.tracks[0].name == ""
    assert window.tracks.widget().rows[violin.id].name.text() == "中提琴"  # the instrument it plays now

    out = tmp_path / "out.mid"
    write_midi(window.document.project, out)
    assert not [m for t in mido.MidiFile(out).tracks for m in t if m.type == "track_name"]
    assert [(t.program, t.name_event) for t in read_midi(out).tracks] == [(41, False), (0, False)]


def test_with_the_english_ui_a_part_with_no_name_is_called_as_the_instrument_menu_calls_it(qapp):
    """pretty_midi calls program 54 "Synth Choir" where the GM menu says "Synth Voice": a part with no name
    reads as its instrument button does; a file's name "Synth Choir" reads as the file wrote it."""
    choir, named = Track(name="", name_event=False, program=54), Track(name="Synth Choir", program=54)
    assert track_labels(Project(tracks=(choir, named))) == {choir.id: "Synth Voice", named.id: "Synth Choir"}


def _note(channel: int, pitch: int) -> list:
    return [
        (0, Message("note_on", channel=channel, note=pitch, velocity=90)),
        (480, Message("note_off", channel=channel, note=pitch)),
    ]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_every_gm_instrument_and_drum_reads_in_chinese(language):
    """The instrument menu's 16 families and 128 programs, its drum kit and the drum track's key names."""
    english = [*gm.FAMILIES, *gm.PROGRAMS, gm.DRUMS, gm.DRUMS_PART, *gm.DRUM_NAMES.values()]
    shown = [QCoreApplication.translate("GM", name) for name in english]
    assert not [e for e, s in zip(english, shown, strict=True) if e == s]
    assert (gm.program_name(0), gm.program_name(40), gm.program_name(0, True)) == ("大钢琴", "小提琴", "鼓组")
    assert gm.drum_name(38) == "原声军鼓"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_new_shows_its_track_in_chinese_and_saves_it_with_no_name(language, window, tmp_path):
    """File > New named its track in the UI's language: under the Chinese UI the piece, and every file it was
    saved to, said "钢琴", which the English UI then showed. It has no name, as a part its MIDI file leaves
    unnamed: shown by its instrument in Chinese, saved with no name, shown by the instrument chosen."""
    window.files.new()
    (track,) = window.document.project.tracks
    assert (track.name, track.name_event) == ("", False)
    assert window.tracks.widget().rows[track.id].name.text() == "大钢琴"
    assert window.files.save_as(tmp_path / "sketch.muse")
    assert [(t.name, t.name_event) for t in load_project(tmp_path / "sketch.muse").tracks] == [("", False)]
    window.editor.set_track(track.id, "Instrument", program=40)
    assert window.document.project.tracks[0].name == ""
    assert window.tracks.widget().rows[track.id].name.text() == "小提琴"


def test_with_the_english_ui_new_shows_its_track_by_its_instrument(window):
    window.files.new()
    (track,) = window.document.project.tracks
    assert window.tracks.widget().rows[track.id].name.text() == "Acoustic Grand Piano"
