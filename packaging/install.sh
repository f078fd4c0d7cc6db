#!/usr/bin/env bash
# Install MuseStudio for the current user (no root needed), or remove it again.
#
#   ./install.sh              copy this folder to ~/.local/opt/MuseStudio, put the `musestudio` and
#                             `musestudio-cli` commands in ~/.local/bin, and add the menu entry, the icon
#                             and the .muse file type under ~/.local/share
#   ./install.sh --uninstall  remove all of that; your projects, settings and recovery copies are kept
#
# Run it from the unpacked bundle (the folder holding the `musestudio` executable); --uninstall also works
# from the installed copy. Every file placed outside the install folder is listed in the folder's
# .installed-files, which is what --uninstall removes, so nothing else in your home is touched.
set -euo pipefail

APP=MuseStudio
OPT="$HOME/.local/opt/$APP"
BIN="$HOME/.local/bin"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
MANIFEST="$OPT/.installed-files"
# The commands linked into $BIN: the app, and the command line (a link to the app's executable).
COMMANDS=(musestudio musestudio-cli)
# Libraries the bundle takes from the system, and the Debian/Ubuntu package of each (checked on install).
declare -A PACKAGE_OF=(
  [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1 [libOpenGL.so.0]=libopengl0 [libGLX.so.0]=libglx0
  [libGLdispatch.so.0]=libglvnd0 [libz.so.1]=zlib1g
  [libfontconfig.so.1]=libfontconfig1 [libfreetype.so.6]=libfreetype6 [libdbus-1.so.3]=libdbus-1-3
  [libxkbcommon.so.0]=libxkbcommon0 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-image.so.0]=libxcb-image0
  [libxcb-keysyms.so.1]=libxcb-keysyms1 [libxcb-randr.so.0]=libxcb-randr0
  [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-xinerama.so.0]=libxcb-xinerama0 [libxcb-xkb.so.1]=libxcb-xkb1 [libX11-xcb.so.1]=libx11-xcb1
  [libwayland-client.so.0]=libwayland-client0 [libwayland-cursor.so.0]=libwayland-cursor0
  [libwayland-egl.so.1]=libwayland-egl1 [libwayland-server.so.0]=libwayland-server0 [libxcb.so.1]=libxcb1
  [libdrm.so.2]=libdrm2 [libgomp.so.1]=libgomp1 [libasound.so.2]=libasound2
)

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "$0"
}

refresh_desktop_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA/applications" 2>/dev/null || true
  fi
  if command -v update-mime-database >/dev/null 2>&1 && [ -d "$DATA/mime/packages" ]; then
    update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
  fi
}

# Drop caches that only describe files we removed (a folder holding nothing but generated files).
remove_stale_caches() {
  local apps="$DATA/applications" mime="$DATA/mime"
  if [ -d "$apps" ] && [ -z "$(find "$apps" -mindepth 1 ! -name mimeinfo.cache -print -quit)" ]; then
    rm -f "$apps/mimeinfo.cache"
  fi
  if [ -d "$mime" ] && [ -z "$(find "$mime/packages" -mindepth 1 -print -quit 2>/dev/null)" ]; then
    rm -rf "$mime"
  fi
}

# Remove each now-empty folder above a removed file, up to (not including) $HOME.
remove_empty_parents() {
  local dir=$1
  while [ "$dir" != "$HOME" ] && [ "$dir" != / ] && [ -d "$dir" ] && rmdir "$dir" 2>/dev/null; do
    dir=$(dirname "$dir")
  done
}

uninstall() {
  if [ ! -e "$OPT" ]; then
    echo "$APP is not installed in $OPT; nothing to remove."
    return 0
  fi
  local path
  if [ -f "$MANIFEST" ]; then
    while IFS= read -r path; do
      [ -n "$path" ] || continue
      rm -f -- "$path"
      remove_empty_parents "$(dirname "$path")"
    done < "$MANIFEST"
  fi
  rm -rf -- "$OPT"
  remove_empty_parents "$(dirname "$OPT")"
  refresh_desktop_caches
  remove_stale_caches
  for dir in "$DATA/applications" "$DATA/mime" "$DATA"; do remove_empty_parents "$dir"; done
  say_what_is_kept
}

# Name the folders of the user's own files that stay (settings; learned styles and recovery copies), those
# that exist: a folder named that is not there sends the user looking for nothing.
say_what_is_kept() {
  local kept=() dir
  for dir in "${XDG_CONFIG_HOME:-$HOME/.config}/$APP" "$DATA/$APP"; do
    if [ -d "$dir" ]; then kept+=("$dir"); fi
  done
  case ${#kept[@]} in
    0) echo "$APP removed." ;;
    1) echo "$APP removed. Your settings, learned styles and recovery copies are still in ${kept[0]}." ;;
    *) echo "$APP removed. Your settings, learned styles and recovery copies are still in ${kept[0]} and ${kept[1]}." ;;
  esac
}

# Report system libraries the bundle needs but this machine lacks (the install goes ahead regardless).
check_system_libraries() {
  local src=$1 missing soname packages=()
  # the bundle's own libraries, Qt's, and the X11 platform plugin (the other plugins are optional)
  missing=$( { find "$src/_internal" "$src/_internal/PySide6/Qt/lib" -maxdepth 1 -name '*.so*' -print0 2>/dev/null
               find "$src/_internal" -path '*/platforms/libqxcb.so' -print0; } \
             | xargs -0 -r env LD_LIBRARY_PATH="$src/_internal" ldd 2>/dev/null \
             | awk '/=> not found/ {print $1}' | sort -u || true)
  [ -n "$missing" ] || return 0
  for soname in $missing; do
    if [ -n "${PACKAGE_OF[$soname]:-}" ]; then packages+=("${PACKAGE_OF[$soname]}"); fi
  done
  echo "warning: this system lacks libraries $APP needs: $(echo $missing)" >&2
  if [ ${#packages[@]} -gt 0 ]; then
    echo "  on Debian/Ubuntu: sudo apt-get install $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')" >&2
  fi
}

# Desktop-entry quoting: a double-quoted argument with ", `, $ and \ escaped.
desktop_quote() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}; s=${s//\`/\\\`}; s=${s//\$/\\\$}
  printf '"%s"' "$s"
}

# Copy one file into place and note it in the manifest.
place() {
  install -D -m "$1" "$2" "$3"
  printf '%s\n' "$3" >> "$MANIFEST"
}

install_app() {
  local src
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
  if [ ! -x "$src/musestudio" ] || [ ! -d "$src/_internal" ]; then
    echo "error: run install.sh from the unpacked $APP folder (it holds the musestudio executable)" >&2
    exit 1
  fi
  if [ "$src" = "$(cd "$OPT" 2>/dev/null && pwd -P)" ]; then
    echo "$APP is already installed in $OPT (to update, run install.sh from a newer unpacked bundle)."
    return 0
  fi
  local command
  for command in "${COMMANDS[@]}"; do
    if [ -e "$BIN/$command" ] && [ "$(readlink "$BIN/$command")" != "$OPT/$command" ]; then
      echo "error: $BIN/$command exists and is not from this installer; move it away and run again" >&2
      exit 1
    fi
  done
  check_system_libraries "$src"

  [ -e "$OPT" ] && uninstall >/dev/null  # an update replaces the previous install completely
  mkdir -p "$(dirname "$OPT")"
  rm -rf -- "$OPT.partial"
  cp -a "$src" "$OPT.partial"
  mv -- "$OPT.partial" "$OPT"
  : > "$MANIFEST"

  mkdir -p "$BIN"
  for command in "${COMMANDS[@]}"; do
    [ -e "$OPT/$command" ] || continue  # (a bundle from before musestudio-cli was part of it)
    ln -s "$OPT/$command" "$BIN/$command"
    printf '%s\n' "$BIN/$command" >> "$MANIFEST"
  done

  local desktop="$DATA/applications/musestudio.desktop" exec
  exec="Exec=$(desktop_quote "$OPT/musestudio") %f"
  mkdir -p "$(dirname "$desktop")"
  while IFS= read -r line; do
    case $line in Exec=*) printf '%s\n' "$exec" ;; *) printf '%s\n' "$line" ;; esac
  done < "$OPT/share/applications/musestudio.desktop" > "$desktop"
  printf '%s\n' "$desktop" >> "$MANIFEST"

  local icon
  for icon in "$OPT"/share/icons/hicolor/*/apps/musestudio.*; do
    place 644 "$icon" "$DATA/icons/${icon#"$OPT/share/icons/"}"
  done
  place 644 "$OPT/share/mime/packages/musestudio.xml" "$DATA/mime/packages/musestudio.xml"
  refresh_desktop_caches

  echo "$APP installed in $OPT."
  echo "Start it from your applications menu, or run: musestudio"
  case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "($BIN is not on your PATH: add it, or run $OPT/musestudio)" ;;
  esac
}

case "${1:-}" in
  "") install_app ;;
  --uninstall) uninstall ;;
  -h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
