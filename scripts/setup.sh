#!/usr/bin/env bash
# Idempotent set-up for `make run` / `make test`: Debian packages (when missing), .venv, Python packages.
# Fast when everything is there already: it checks before it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
# The bundle (make bundle, and make test with CI=true) runs PyInstaller, which needs objdump (binutils) and
# the shared libpython of the interpreter the .venv is made from (Debian 12: python3 is 3.11).
# MIDI: python-rtmidi needs libasound2 and carries its own libjack; jackd2 is the JACK server the MIDI
# tests start with the dummy driver (these machines have no ALSA sequencer, /dev/snd/seq).
PY_VERSION=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')

APT_PACKAGES=(
  binutils "libpython${PY_VERSION}"
  python3-venv
  libfluidsynth3 libportaudio2 fluidr3mono-gm-soundfont
  libasound2 jackd2
  xvfb xauth libxcb-icccm4 libxcb-keysyms1
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-shape0 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xinerama0
  libxcb-xkb1 fonts-wqy-microhei
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    # python3-venv is only needed where the interpreter lacks venv (Debian's own python3)
    if [ "$p" = python3-venv ] && python3 -c "import ensurepip, venv" 2>/dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # jackd2 (the JACK server the MIDI tests start) asks whether to allow realtime priority: answer no
    if command -v debconf-set-selections >/dev/null; then
      echo "jackd2 jackd/tweak_rt_limits boolean false" | debconf-set-selections
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages. Run as root, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi

# Reinstall only when pyproject.toml changed since the last successful install.
stamp=.venv/.musestudio-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  extra=()
  [ -d /opt/wheels ] && extra+=(--find-links /opt/wheels)   # the local torch CPU wheel, where present
  .venv/bin/python -m pip install -q --disable-pip-version-check "${extra[@]}" -e ".[dev]"
  touch "$stamp"
fi
