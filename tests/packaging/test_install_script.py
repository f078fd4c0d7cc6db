"""packaging/install.sh on a folder laid out like the bundle, with HOME pointing at a temporary folder.

The installer only places files, so these checks run in a second against a folder with the bundle's layout
(made by the same add_desktop_files.sh the build uses, plus an executable that prints its arguments);
tests/packaging/test_bundle.py installs the real bundle.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture
def bundle(tmp_path) -> Path:
    folder = tmp_path / "unpacked" / "MuseStudio"
    (folder / "_internal").mkdir(parents=True)
    exe = folder / "musestudio"
    exe.write_text('#!/bin/sh\necho "musestudio ran with: $*"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    subprocess.run([str(ROOT / "packaging" / "add_desktop_files.sh"), str(folder)], check=True)
    return folder


@pytest.fixture
def home(tmp_path) -> Path:
    path = tmp_path / "home dir"  # a space, to check quoting
    path.mkdir()
    return path


def run(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env["HOME"] = str(home)
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=60)


def snapshot(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): (p.read_bytes() if p.is_file() else b"")
        for p in home.rglob("*")
        if not p.is_symlink() or p.exists()
    }


def test_install_places_the_app_launcher_menu_entry_icons_and_file_type(bundle, home):
    result = run(bundle / "install.sh", home)
    assert result.returncode == 0, result.stderr

    opt = home / ".local/opt/MuseStudio"
    launcher = home / ".local/bin/musestudio"
    assert (opt / "musestudio").is_file() and (opt / "_internal").is_dir()
    assert launcher.is_symlink() and launcher.resolve() == (opt / "musestudio").resolve()
    assert (
        subprocess.run([str(launcher), "song.mid"], capture_output=True, text=True).stdout.strip()
        == "musestudio ran with: song.mid"
    )

    entry = (home / ".local/share/applications/musestudio.desktop").read_text().splitlines()
    assert f'Exec="{opt}/musestudio" %f' in entry
    assert "Icon=musestudio" in entry and "Type=Application" in entry
    icons = home / ".local/share/icons/hicolor"
    for size in ICON_SIZES:
        assert (icons / f"{size}x{size}/apps/musestudio.png").is_file()
    assert (icons / "scalable/apps/musestudio.svg").is_file()
    assert "*.muse" in (home / ".local/share/mime/packages/musestudio.xml").read_text()


def test_install_puts_the_command_line_beside_the_app(bundle, home):
    result = run(bundle / "install.sh", home)
    assert result.returncode == 0, result.stderr
    cli = home / ".local/bin/musestudio-cli"
    assert cli.is_symlink() and cli.resolve() == (home / ".local/opt/MuseStudio/musestudio").resolve()
    ran = subprocess.run([str(cli), "info", "song.mid"], capture_output=True, text=True)
    assert ran.stdout.strip() == "musestudio ran with: info song.mid"


def test_uninstall_leaves_home_as_it_was_and_keeps_user_data(bundle, home):
    other_entry = home / ".local/share/applications/other.desktop"
    user_data = home / ".local/share/MuseStudio/recovery/untitled.muse"
    for path in (other_entry, user_data, home / ".local/bin/other-tool"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.name)
    before = snapshot(home)

    assert run(bundle / "install.sh", home).returncode == 0
    assert snapshot(home) != before
    result = run(home / ".local/opt/MuseStudio/install.sh", home, "--uninstall")  # from the installed copy
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before
    assert result.stdout.strip().endswith(f"recovery copies are still in {home}/.local/share/MuseStudio.")


def test_uninstall_of_a_fresh_home_leaves_it_empty(bundle, home):
    assert run(bundle / "install.sh", home).returncode == 0
    result = run(bundle / "install.sh", home, "--uninstall")
    assert result.returncode == 0
    assert list(home.iterdir()) == []
    assert result.stdout.strip() == "MuseStudio removed."  # (it named ~/.local/share/MuseStudio, not there)


def test_uninstall_names_the_settings_folder_too(bundle, home):
    """Settings are in ~/.config/MuseStudio (QSettings), learned styles in ~/.local/share/MuseStudio."""
    for kept in (home / ".config/MuseStudio/MuseStudio.conf", home / ".local/share/MuseStudio/styles/a.json"):
        kept.parent.mkdir(parents=True)
        kept.write_text("kept")
    assert run(bundle / "install.sh", home).returncode == 0
    result = run(bundle / "install.sh", home, "--uninstall")
    assert result.returncode == 0
    assert result.stdout.strip() == (
        "MuseStudio removed. Your settings, learned styles and recovery copies are still in "
        f"{home}/.config/MuseStudio and {home}/.local/share/MuseStudio."
    )


def test_installing_again_replaces_the_previous_install(bundle, home):
    assert run(bundle / "install.sh", home).returncode == 0
    stale = home / ".local/opt/MuseStudio/_internal/from-the-old-version"
    stale.write_text("old")
    result = run(bundle / "install.sh", home)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert (home / ".local/bin/musestudio").resolve() == (home / ".local/opt/MuseStudio/musestudio").resolve()


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("musestudio", "is not from this installer"),
        ("musestudio-cli", "musestudio-cli exists and is not from this installer"),
    ],
)
def test_a_foreign_musestudio_command_is_left_alone(bundle, home, command, said):
    foreign = home / ".local/bin" / command
    foreign.parent.mkdir(parents=True)
    foreign.write_text("#!/bin/sh\necho pip-installed\n")
    result = run(bundle / "install.sh", home)
    assert result.returncode == 1
    assert said in result.stderr
    assert foreign.read_text() == "#!/bin/sh\necho pip-installed\n"
    assert not (home / ".local/opt/MuseStudio").exists()


def test_install_from_somewhere_else_than_a_bundle_is_refused(tmp_path, home):
    script = tmp_path / "install.sh"
    script.write_bytes((ROOT / "packaging" / "install.sh").read_bytes())
    result = run(script, home)
    assert result.returncode == 1
    assert "run install.sh from the unpacked MuseStudio folder" in result.stderr


def test_uninstall_when_nothing_is_installed_says_so(bundle, home):
    result = run(bundle / "install.sh", home, "--uninstall")
    assert result.returncode == 0
    assert "not installed" in result.stdout
    assert list(home.iterdir()) == []


def test_unknown_option_prints_usage(bundle, home):
    result = run(bundle / "install.sh", home, "--frobnicate")
    assert result.returncode == 2
    assert "--uninstall" in result.stderr
