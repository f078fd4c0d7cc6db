"""A JACK server that leaves the close of the app's keyboard port unanswered while the user picks another
keyboard: the window must not stop (JACK's library would keep any new client waiting behind that close,
with Python's lock held), and the status bar says in the user's language why the keyboard cannot be opened
now, as does the picker, which shows it as not connected (the status bar cuts a long sentence short in a
narrow window); the MIDI system is not taken for lost. Once the server answers, the keyboard picked is taken up
without a word from the user.

The close waits inside the real JACK library: the test server is stopped at it (``close_left_unanswered``).
"""

from __future__ import annotations

import re
import time

import pytest
from midi_ports_helpers import close_left_unanswered, external_output, pick, wait_until

from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.midi import jack_client
from musestudio.midi.ports import CLIENT_NAME, release_clients
from musestudio.ui.midi import LIFE_CHECK_RESCANS

FIRST, SECOND = "First keyboard:keys", "Second keyboard:keys"
WHY = (
    r"the JACK server has not answered a close for \d+ s, and nothing can be opened until it does "
    r"\(or is restarted\)"
)
WHY_ZH = r"JACK 服务器已有 \d+ 秒没有响应关闭请求，在它响应（或重新启动）之前无法打开任何端口"


def said_while_a_close_is_unanswered(
    app_window, jack_server, monkeypatch, qtbot
) -> tuple[list[str], str, str]:
    """The status bar's words when the second keyboard is picked while the server leaves the first one's
    close unanswered, and as the app looks whether the system still runs, with the keyboard picker's text
    and tooltip then; the second keyboard is heard, and the picker says nothing more, once the server
    answers."""
    first, second = external_output(*FIRST.split(":")), external_output(*SECOND.split(":"))
    window = app_window(Project(tracks=(Track(name="Piano"),)), midi_input=FIRST)
    try:
        qtbot.waitUntil(lambda: window.midi.input is not None, timeout=30_000)
        closing = window.midi.input._rt
        window.midi.rescan()  # the pickers list the second keyboard
        said: list[str] = []
        window.midi.status.connect(said.append)
        with close_left_unanswered(jack_server, CLIENT_NAME, monkeypatch) as close:
            started = time.monotonic()
            pick(window.midi_toolbar.input, SECOND)
            for _ in range(LIFE_CHECK_RESCANS):  # the app asks whether the MIDI system still runs
                window.midi.rescan()
            took = time.monotonic() - started
            assert close.stopped.is_set()
            assert took < 10, f"the window stood still for {took:.0f} s behind the unanswered close"
            assert window.midi.input is None and window.midi.system is not None
            refused = list(said)
            picker = window.midi_toolbar.input
            shown, tip = picker.currentText(), picker.toolTip()
            close.answer()
            assert wait_until(lambda: jack_client._read_pointer(jack_client._jack_data(closing)) == 0, 10)
        got = []
        window.midi.message.connect(got.append)
        qtbot.waitUntil(lambda: (window.midi.rescan(), window.midi.input is not None)[-1], timeout=30_000)
        assert window.midi.input.name == SECOND
        assert (picker.currentText(), picker.toolTip()) == (SECOND, window.midi_toolbar._input_tip)
        qtbot.waitUntil(lambda: (second.send_message([0x90, 62, 90]), qtbot.wait(50), bool(got))[-1])
        return refused, shown, tip
    finally:
        release_clients(first, second)


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_keyboard_picked_behind_an_unanswered_close_is_said_in_the_user_s_language(
    language, app_window, jack_server, monkeypatch, qtbot
):
    said, shown, tip = said_while_a_close_is_unanswered(app_window, jack_server, monkeypatch, qtbot)
    assert said and all(re.fullmatch(f"无法打开 MIDI 输入 '{SECOND}'：{WHY_ZH}", s) for s in said), said
    assert shown == f"{SECOND}（未连接）"
    assert re.fullmatch(rf"[^\n]+\n\n无法打开 MIDI 输入 '{SECOND}'：{WHY_ZH}", tip), tip


def test_without_a_translation_a_keyboard_picked_behind_an_unanswered_close_is_said_in_english(
    app_window, jack_server, monkeypatch, qtbot
):
    said, shown, tip = said_while_a_close_is_unanswered(app_window, jack_server, monkeypatch, qtbot)
    # each look tries the keyboard again, and none says the MIDI system is lost
    assert said and all(re.fullmatch(f"cannot open the MIDI input '{SECOND}': {WHY}", s) for s in said), said
    assert shown == f"{SECOND} (not connected)"
    assert re.fullmatch(
        rf"The keyboard to play, record and jam with\n\ncannot open the MIDI input '{SECOND}': {WHY}", tip
    )
