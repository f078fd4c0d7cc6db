"""The Chinese translation is complete, compiled, and loads."""

from __future__ import annotations

import importlib.util
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from musestudio import paths

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
