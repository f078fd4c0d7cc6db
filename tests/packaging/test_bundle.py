"""The installable bundle, tested the way a user gets it (slow: it builds the bundle; run by `make test-bundle`).

The frozen app runs in a private mount namespace where the system's FluidSynth and PortAudio and the
system soundfonts are gone: an overlay with whiteouts removes the libraries' files from their folder, the
linker cache is rebuilt without them and the soundfont folders are covered by an empty one, so neither
``ctypes.util.find_library`` nor ``dlopen`` can reach them, as on a machine without those packages (a
control test checks this). The dynamic linker's own log (LD_DEBUG) then shows which copies were loaded.

Set MUSESTUDIO_BUNDLE=dist/MuseStudio to test a bundle built already instead of building one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import wave
from pathlib import Path

import numpy as np
import pytest

from musestudio import __version__
from musestudio.audio.soundfont import SYSTEM_SOUNDFONTS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT / "dist" / f"MuseStudio-{__version__}-linux-x86_64.tar.gz"
#: The headless run of the frozen app (then ``--out DIR``; it writes one WAV there): the self-test opens the
#: window offscreen, continues the demo seed with the bundled model, keeps the best take and renders it.
HEADLESS_RUN = ("--selftest",)
HEADLESS_TIMEOUT_S = 900
CTYPES_LIBRARIES = ("libfluidsynth.so", "libportaudio.so")
#: What the bundle takes from the system on purpose (README, "Install the app"): glibc, zlib, and the graphics
#: libraries that have to match the machine's drivers.
SYSTEM_LIBRARIES = (
    "ld-linux-x86-64.so",
    "libc.so",
    "libm.so",
    "libdl.so",
    "libpthread.so",
    "librt.so",
    "libz.so",
    "libGL.so",
    "libEGL.so",
    "libGLX.so",
    "libGLdispatch.so",
    "libOpenGL.so",
    "libdrm.so",
    "libwayland-",
    "libxcb.so",
)
TRANSLATIONS = sorted((ROOT / "resources" / "i18n").glob("musestudio_*.qm"))
LANGUAGES = [p.stem.removeprefix("musestudio_") for p in TRANSLATIONS]
# the languages the window is translated into; English's file holds only the forms of its counted messages
TRANSLATED = [language for language in LANGUAGES if language != "en"]
BENCHMARK_MODELS = ("jsb_transformer",)  # `evaluate jsb` only (its code is left out too)
LEFT_OUT = ("music21", "matplotlib", "scipy", "sympy", "tkinter", "PIL", "pytest", "tensorboard")

HIDE_SCRIPT = r"""
set -eu
tmp=$1 overlays=$2 whiteouts=$3 covered=$4; shift 4
while IFS= read -r w; do [ -z "$w" ] || [ -e "$w" ] || mknod "$w" c 0 0; done <<< "$whiteouts"
while IFS=$'\t' read -r lower upper work; do
  [ -z "$lower" ] || mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$lower"
done <<< "$overlays"
while IFS= read -r d; do [ -z "$d" ] || mount --bind "$tmp/empty" "$d"; done <<< "$covered"
mount --bind "$tmp/ldconfig" /var/cache/ldconfig      # the real side cache stays untouched
ldconfig -X -C "$tmp/ld.so.cache" 2>/dev/null           # a linker cache without the removed libraries
mount --bind "$tmp/ld.so.cache" /etc/ld.so.cache
# only the command itself logs what the dynamic linker loads (not this shell, mount or ldconfig)
if [ -n "${TRACE_LIBRARIES_TO:-}" ]; then export LD_DEBUG=libs LD_DEBUG_OUTPUT=$TRACE_LIBRARIES_TO; fi
unset TRACE_LIBRARIES_TO
exec "$@"
"""


@pytest.fixture(scope="module")
def bundle() -> Path:
    if prebuilt := os.environ.get("MUSESTUDIO_BUNDLE"):
        return Path(prebuilt).resolve()
    build = subprocess.run(
        [str(ROOT / "packaging" / "build_bundle.sh")], cwd=ROOT, capture_output=True, text=True, timeout=3600
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    print(build.stdout)
    return ROOT / "dist" / "MuseStudio"


def system_copies() -> list[Path]:
    """Every installed x86-64 copy of the libraries pyfluidsynth and sounddevice look up: links and files."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found = set()
    for line in cache.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.startswith(CTYPES_LIBRARIES) and "x86-64" in name:
            found.add(Path(os.path.realpath(Path(path).parent)) / Path(path).name)
            found.add(Path(os.path.realpath(path)))
    return sorted(found)


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    """Run a command where the system's FluidSynth, PortAudio and soundfonts are not installed."""
    root = [] if os.geteuid() == 0 else ["--map-root-user"]
    unshare = ["unshare", *root, "--mount", "--propagation", "private"]
    if subprocess.run([*unshare, "true"], capture_output=True).returncode != 0:
        pytest.skip("needs a private mount namespace (root, or unprivileged user namespaces)")
    tmp = tmp_path_factory.mktemp("hidden")
    for folder in ("empty", "ldconfig"):
        (tmp / folder).mkdir()
    overlays, whiteouts = [], []
    for i, folder in enumerate(sorted({path.parent for path in system_copies()})):
        upper, work = tmp / f"upper{i}", tmp / f"work{i}"
        upper.mkdir()
        work.mkdir()
        overlays.append(f"{folder}\t{upper}\t{work}")
        whiteouts += [str(upper / path.name) for path in system_copies() if path.parent == folder]
    covered = sorted({str(p.parent) for p in SYSTEM_SOUNDFONTS if p.parent.is_dir()})

    def run(
        command: list[str], env: dict[str, str], timeout: float = 300, also_cover: tuple[Path, ...] = ()
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                *unshare,
                "bash",
                "-c",
                HIDE_SCRIPT,
                "hide",
                str(tmp),
                "\n".join(overlays),
                "\n".join(whiteouts),
                "\n".join([*covered, *map(str, also_cover)]),
                *command,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


def app_env(tmp_path: Path) -> dict[str, str]:
    """A user's environment with no display and a fresh home; the dynamic linker will log what it loads."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "LD_", "PYTHON", "QT_", "MUSESTUDIO_"))
        and key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    (tmp_path / "home").mkdir(exist_ok=True)
    (tmp_path / "ld").mkdir(exist_ok=True)
    env.update(
        HOME=str(tmp_path / "home"),
        QT_QPA_PLATFORM="offscreen",
        TRACE_LIBRARIES_TO=str(tmp_path / "ld" / "trace"),
    )  # see HIDE_SCRIPT
    return env


def loaded_copies(tmp_path: Path, name: str) -> set[str]:
    """The files named ``name``* the dynamic linker initialised, from the LD_DEBUG logs."""
    loaded = set()
    for trace in (tmp_path / "ld").iterdir():
        for path in re.findall(r"calling init: (\S+)", trace.read_text(errors="replace")):
            if Path(path).name.startswith(name):
                loaded.add(os.path.realpath(path))
    return loaded


def loaded_from_the_system(tmp_path: Path, folder: Path) -> set[str]:
    """Libraries the app's processes (those whose log mentions ``folder``) initialised from outside it."""
    outside = set()
    for trace in (tmp_path / "ld").iterdir():
        text = trace.read_text(errors="replace")
        if str(folder.resolve()) in text:
            outside |= {
                Path(p).name
                for p in re.findall(r"calling init: (\S+)", text)
                if not Path(os.path.realpath(p)).is_relative_to(folder.resolve())
            }
    return outside


def assert_loaded_from(folder: Path, tmp_path: Path, *names: str) -> None:
    for name in names:
        loaded = loaded_copies(tmp_path, name)
        assert loaded, f"{name} was never loaded"
        assert all(Path(p).is_relative_to(folder.resolve()) for p in loaded), loaded


def assert_sounding_wav(folder: Path) -> None:
    wavs = sorted(folder.glob("*.wav"))
    assert len(wavs) == 1, wavs
    with wave.open(str(wavs[0])) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 44100)
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2)
    assert len(frames) > 44100  # more than a second
    assert np.abs(frames).max() > 0.05 * 32767  # audible, not silence
    assert np.sqrt(np.mean(frames.astype(np.float64) ** 2)) > 0.002 * 32767


def test_the_system_copies_are_hidden_in_the_test_environment(hidden, tmp_path):
    probe = (
        "import ctypes, ctypes.util, os\n"
        "print([ctypes.util.find_library(n) for n in ('fluidsynth', 'portaudio')])\n"
        "for name in ('libfluidsynth.so.3', 'libportaudio.so.2'):\n"
        "    try:\n        ctypes.CDLL(name)\n        print('loaded', name)\n"
        "    except OSError:\n        pass\n"
        f"print(any(os.path.lexists(p) for p in {[str(p) for p in system_copies()]!r}))\n"
        f"print(any(os.path.exists(p) for p in {[str(p) for p in SYSTEM_SOUNDFONTS]!r}))\n"
    )
    assert system_copies(), "libfluidsynth3 and libportaudio2 should be installed on the build machine"
    result = hidden([str(ROOT / ".venv" / "bin" / "python"), "-c", probe], app_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[None, None]", "False", "False"]


def test_the_bundle_carries_its_libraries_and_data_and_leaves_out_the_rest(bundle):
    internal = bundle / "_internal"
    assert os.access(bundle / "musestudio", os.X_OK)
    assert os.readlink(bundle / "musestudio-cli") == "musestudio"  # the command line: the same executable
    for name in (
        "libfluidsynth.so.3",
        "libportaudio.so.2",
        "resources/soundfonts/FluidR3Mono_GM.sf3",
        "resources/seeds/demo.mid",
        *(f"resources/i18n/{p.name}" for p in TRANSLATIONS),
        *(f"PySide6/Qt/translations/qtbase_{lang}.qm" for lang in LANGUAGES),
        "libasound.so.2",  # ALSA for python-rtmidi
    ):
        assert (internal / name).is_file(), name
    assert list(internal.glob("rtmidi/_rtmidi*.so")), "python-rtmidi's extension"
    assert list(internal.glob("python_rtmidi*/libjack*.so*")), "python-rtmidi's JACK client library"
    qt_translations = {p.name for p in (internal / "PySide6/Qt/translations").glob("*.qm")}
    assert all(name.endswith(tuple(f"_{lang}.qm" for lang in LANGUAGES)) for name in qt_translations)
    info = dict(line.split("=", 1) for line in (bundle / "BUILD-INFO").read_text().splitlines())
    assert info["version"] == __version__
    for model in (ROOT / "models").rglob("*.safetensors"):
        shipped = (internal / model.relative_to(ROOT)).is_file()
        if model.stem in BENCHMARK_MODELS:
            assert not shipped, f"{model.name} is read only by an evaluation the bundle leaves out"
        elif model.stat().st_mtime < int(info["started"]):  # (one saved since the build is not in it yet)
            assert shipped, model
    for name in LEFT_OUT:
        assert not (internal / name).exists(), f"{name} should not be in the bundle"
    assert ARCHIVE.is_file()


def test_the_frozen_app_generates_and_renders_with_its_own_libraries_models_and_soundfont(
    bundle, hidden, tmp_path
):
    out = tmp_path / "out"
    result = hidden(
        [str(bundle / "musestudio"), *HEADLESS_RUN, "--out", str(out)],
        app_env(tmp_path),
        timeout=HEADLESS_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    print(result.stdout)
    assert_sounding_wav(out)
    assert "MIDI: " in result.stdout  # python-rtmidi loaded from the bundle and looked for ports
    if not Path("/dev/snd/seq").exists() and "JACK_DEFAULT_SERVER" not in os.environ:
        # no MIDI system (no ALSA sequencer, no JACK server): the self-test says so and passes
        assert "MIDI: none (no MIDI system found" in result.stdout
    # FluidSynth's own dependencies come from the bundle too, and torch shares its libgomp; python-rtmidi
    # with its JACK client and ALSA library
    assert_loaded_from(
        bundle,
        tmp_path,
        "libfluidsynth.so",
        "libSDL2",
        "libsndfile.so",
        "libgomp.so",
        "libtorch_cpu.so",
        "_rtmidi",
        "libjack",
        "libasound.so",
    )
    from_the_system = loaded_from_the_system(tmp_path, bundle)
    assert {name for name in from_the_system if not name.startswith(SYSTEM_LIBRARIES)} == set()
    assert any(name.startswith("libc.so") for name in from_the_system)  # (the log is read right)


def test_the_frozen_app_learns_a_style_the_way_the_learn_dialog_starts_it(bundle, hidden, tmp_path):
    """The Learn dialog starts the bundle's own executable as the trainer (``--learn-style``): a few steps
    on a tiny folder with the bundled models write a style to the user's data folder."""
    from tests.ml.learn_fixtures import make_files

    make_files(tmp_path / "midi", 3, bars=12)
    env = app_env(tmp_path)
    command = [str(bundle / "musestudio"), "--learn-style", str(tmp_path / "midi"), "--name", "Frozen"]
    result = hidden(
        [*command, "--from", "pop", "--minutes", "5", "--max-steps", "3", "--nice", "0"], env, timeout=900
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    done = events[-1]
    assert done["event"] == "done" and done["style"] == "Frozen" and done["files"] == 3, done
    assert set(done["models"]) == {"parts", "continue_transformer"}
    assert all(m["steps"] == 3 for m in done["models"].values())
    styles = Path(env["HOME"]) / ".local/share/MuseStudio/styles"
    written = sorted(p.suffix for p in styles.iterdir())
    assert written == [".json", ".safetensors"], written
    meta = json.loads(next(styles.glob("*.json")).read_text())
    assert meta["name"] == "Frozen" and meta["from"] == "pop"


def test_the_frozen_command_line_converts_renders_and_writes_with_the_bundled_models(
    bundle, hidden, tmp_path
):
    """``musestudio-cli``, the README's command line, is in the bundle (a link to its executable): it was
    missing, and with it the parser's evaluation module that ``restyle`` reads too."""
    env = app_env(tmp_path)
    demo = bundle / "_internal" / "resources" / "seeds" / "demo.mid"

    def cli(*args: object) -> str:
        result = hidden([str(bundle / "musestudio-cli"), *map(str, args)], env, timeout=600)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        return result.stdout

    cli("convert", demo, tmp_path / "demo.muse")
    (tmp_path / "wav").mkdir()
    cli("render", tmp_path / "demo.muse", "-o", tmp_path / "wav" / "demo.wav")
    assert_sounding_wav(tmp_path / "wav")
    cli("continue", demo, "-o", tmp_path / "takes", "--bars", "2", "--variations", "1", "--seed", "1")
    assert len(list((tmp_path / "takes").glob("*.mid"))) == 1
    cli("restyle", demo, "-o", tmp_path / "restyled.mid", "--to", "jazz", "--seed", "1")
    assert (tmp_path / "restyled.mid").is_file()
    assert "pop" in json.loads(cli("classify", demo, "--json"))["styles"]
    assert "bach" in cli("styles")


def test_the_frozen_window_opens_offscreen_with_its_own_portaudio(bundle, hidden, tmp_path):
    from PySide6.QtGui import QImage

    shot = tmp_path / "window.png"
    result = hidden(
        [
            str(bundle / "musestudio"),
            str(ROOT / "resources" / "seeds" / "demo.mid"),
            "--screenshot",
            str(shot),
        ],
        app_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    image = QImage(str(shot))
    assert image.width() >= 640 and image.height() >= 400
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # a drawn window, not a blank rectangle
    assert_loaded_from(bundle, tmp_path, "libportaudio.so")


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_frozen_window_speaks_each_shipped_language(bundle, hidden, tmp_path, language):
    from PySide6.QtGui import QImage

    def screenshot(name: str, also_cover: tuple[Path, ...] = ()) -> QImage:
        locale = f"{language}.UTF-8"
        shot = tmp_path / f"{name}.png"
        result = hidden(
            [str(bundle / "musestudio"), "--screenshot", str(shot)],
            app_env(tmp_path) | {"LANG": locale, "LC_ALL": locale},
            also_cover=also_cover,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return QImage(str(shot))

    # the same locale with the bundle's translations covered: same fonts, English words
    untranslated = tuple(
        folder
        for folder in (bundle / "_internal/resources/i18n", bundle / "_internal/PySide6/Qt/translations")
        if folder.is_dir()
    )
    reference = screenshot("untranslated", untranslated)
    assert screenshot("untranslated-again", untranslated) == reference, "screenshots should be reproducible"
    assert screenshot("translated") != reference, f"the window is not translated to {language}"


def test_the_archive_installs_runs_from_the_menu_command_and_uninstalls(bundle, hidden, tmp_path):
    unpacked = tmp_path / "Downloads"
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(unpacked, filter="tar")
    env = app_env(tmp_path)
    home = Path(env["HOME"])
    install = subprocess.run(
        [str(unpacked / "MuseStudio" / "install.sh")], env=env, capture_output=True, text=True, timeout=600
    )
    assert install.returncode == 0, install.stderr
    shutil.rmtree(unpacked)  # the installed copy must not depend on the unpacked one

    opt = home / ".local" / "opt" / "MuseStudio"
    entry = (home / ".local/share/applications/musestudio.desktop").read_text()
    assert f'Exec="{opt}/musestudio" %f' in entry.splitlines()
    out = tmp_path / "out"
    run = hidden(
        [str(home / ".local" / "bin" / "musestudio"), *HEADLESS_RUN, "--out", str(out)],
        env,
        timeout=HEADLESS_TIMEOUT_S,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    assert_sounding_wav(out)
    assert_loaded_from(opt, tmp_path, "libfluidsynth.so")

    uninstall = subprocess.run(
        [str(opt / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True, timeout=300
    )
    assert uninstall.returncode == 0, uninstall.stderr
    assert not (home / ".local" / "opt").exists() and not (home / ".local" / "bin").exists()
    user_data = (home / ".local/share/MuseStudio", home / ".config/MuseStudio")  # kept on purpose
    left = [
        p
        for p in home.rglob("*")
        if "musestudio" in p.name.lower()
        and not any(p == kept or p.is_relative_to(kept) for kept in user_data)
    ]
    assert left == []
