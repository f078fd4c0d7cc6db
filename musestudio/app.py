"""Starting the GUI: QApplication, translations, the model and the window wired together.

Start-up is kept light so the window shows in well under a second: torch is never imported here (the
compute device is probed after the window is up), pretty_midi only when a MIDI file is opened, and the
audio device is opened once the window is on screen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from musestudio import paths
from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.core.errors import BadInputError
from musestudio.settings import APPLICATION, ORGANIZATION, Settings
from musestudio.ui.autosave import end_sessions
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.files import new_project
from musestudio.ui.main_window import MainWindow, Reopen

LANGUAGES = ("en", "zh_CN")
SCREENSHOT_DELAY_MS = 400  # long enough for the first layout and paint of every dock
WARM_DELAY_MS = 300  # the warm-up (torch, the default model) starts once the window is painted


def resolve_language(preference: str, system_locale: str | None = None) -> str:
    """The UI language: the preference, or for "system" the closest shipped language to the locale."""
    if preference in LANGUAGES:
        return preference
    locale = system_locale or QLocale.system().name()
    return "zh_CN" if locale.startswith("zh") else "en"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Load our strings and Qt's own (standard dialogs' buttons) for ``language``. English, the source
    language, has a translation too: it holds only the counted messages, whose "%n take(s)" Qt turns into
    "1 take" or "2 takes" only through a loaded translation."""
    translators = []
    for folder, name in (
        (paths.resource("i18n"), f"musestudio_{language}"),
        (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), f"qtbase_{language}"),
    ):
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def create_window(settings: Settings) -> MainWindow:
    player = PlayerAdapter(
        LivePlayer(
            settings.get("soundfont") or None,
            blocksize=settings.get("audio_blocksize"),
            say=ErrorWords().say,  # why the synth cannot start, in the user's language
        )
    )
    return MainWindow(Document(new_project()), settings, player)


def _save_screenshot(window: MainWindow, path: str) -> None:
    if not window.grab().save(path):
        print(f"error: cannot write the screenshot {path}", file=sys.stderr)
        QApplication.exit(1)
        return
    window.files.document.mark_saved()  # a screenshot run never prompts about unsaved changes
    QApplication.exit(0)


def run_gui(args) -> int:
    """Run the app; ``args`` has ``.file`` (or None) and ``.screenshot`` (a PNG path or None)."""
    file = getattr(args, "file", None)
    screenshot = getattr(args, "screenshot", None)
    if screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = Settings()
    translators = install_translators(app, resolve_language(settings.get("language")))

    window = create_window(settings)
    _windows.append(window)
    if file and screenshot:
        try:
            window.files.open_file(file)
        except BadInputError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    elif file:
        window.files.open_path(file, ask=False)
    _start(window)
    if screenshot:
        QTimer.singleShot(SCREENSHOT_DELAY_MS, lambda: _save_screenshot(window, screenshot))
    else:
        QTimer.singleShot(0, lambda: _after_start(window, settings))
        QTimer.singleShot(WARM_DELAY_MS, window.generate.warm_up)
    while True:
        rc = app.exec()
        for w in _windows:
            w.player.close()
        if window.reopen is None:
            end_sessions()
            return rc
        # Preferences asked for a fresh window (a new language): same piece, same file, unsaved changes kept.
        reopen = window.reopen
        window.deleteLater()  # its timers (autosave, playhead) go with it
        for translator in translators:
            app.removeTranslator(translator)
        translators = install_translators(app, resolve_language(settings.get("language")))
        window = create_window(settings)
        _windows[:] = [window]
        carry_over(window, reopen)
        _start(window)


def carry_over(window: MainWindow, reopen: Reopen) -> None:
    """The fresh window goes on where the old one stopped: the piece, the takes listed, the recovery copy."""
    window.files.load(
        reopen.project,
        reopen.path,
        reopen.name,
        modified=reopen.modified,
        source=reopen.source,
        stamp=reopen.stamp,
    )
    if reopen.takes is not None:
        window.generate.restore_takes(reopen.takes, said=False)  # the takes listed stay listed
    if reopen.copy is not None:
        window.autosaver.adopt(reopen.copy)  # the same recovery copy goes on, under the new window


_windows: list[MainWindow] = []  # every open window (restored recovery copies may open more)


def open_new_window(settings: Settings) -> MainWindow:
    """Another main window (a second restored recovery copy gets its own); kept alive until closed."""
    window = create_window(settings)
    _windows.append(window)
    _start(window)
    return window


def _after_start(window: MainWindow, settings: Settings) -> None:
    """Once the window is up: say which damaged user files were moved aside, clean up, offer recoveries."""
    from musestudio.io.userdata import TASTE_FILE, check_taste_file
    from musestudio.ui.dialogs.recovery import offer_recovery

    notes = [m for m in (settings.moved_aside, check_taste_file(paths.user_data_dir() / TASTE_FILE)) if m]
    if notes:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            window,
            QCoreApplication.translate("App", "Damaged files moved aside"),
            "\n\n".join(m.message() for m in notes),
        )
    _say_unusable_styles(window, settings)
    window.files.clean_temp_leftovers()
    offer_recovery(window, open_window=lambda: open_new_window(settings))


def _say_unusable_styles(window: MainWindow, settings: Settings) -> None:
    """Say which learned styles cannot be used (their files damaged or missing, or made by a newer
    MuseStudio), each once: they are not in the Style list, and without a word they would seem gone. Their
    files are left where they are (a newer MuseStudio still reads its own)."""
    from musestudio.ui.error_words import ErrorWords
    from musestudio.ui.generate.style_words import unusable_learned_styles

    folder, errors = unusable_learned_styles()
    told = set(settings.get("styles_told"))
    settings.set("styles_told", [str(e) for e in errors])  # in English: the same in every language
    new = [ErrorWords().say(e) for e in errors if str(e) not in told]
    if not new:
        return
    from PySide6.QtWidgets import QMessageBox

    intro = QCoreApplication.translate(
        "App",
        "These learned styles cannot be used, so the Style list leaves them out (Learn a Style lists them "
        "too); their files are left as they are in %1:",
    ).replace("%1", folder)
    QMessageBox.information(
        window,
        QCoreApplication.translate("App", "Learned styles that cannot be used"),
        intro + "\n\n" + "\n\n".join(new),
    )


def _start(window: MainWindow) -> None:
    window.show()
    QTimer.singleShot(0, window.player.open)
