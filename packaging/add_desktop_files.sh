#!/usr/bin/env bash
# Lay out the installer and the desktop integration next to a bundle's executable, where install.sh finds
# them: install.sh, share/applications, share/mime/packages and share/icons/hicolor (freedesktop layout);
# and musestudio-cli, a link to the executable that starts the command line (musestudio_main.py).
# Usage: packaging/add_desktop_files.sh BUNDLE_FOLDER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bundle=${1:?usage: add_desktop_files.sh BUNDLE_FOLDER}

install -m 755 "$here/install.sh" "$bundle/install.sh"
ln -sfn musestudio "$bundle/musestudio-cli"
install -D -m 644 "$here/musestudio.desktop" "$bundle/share/applications/musestudio.desktop"
install -D -m 644 "$here/musestudio-mime.xml" "$bundle/share/mime/packages/musestudio.xml"
install -D -m 644 "$here/icons/musestudio.svg" "$bundle/share/icons/hicolor/scalable/apps/musestudio.svg"
for png in "$here"/icons/musestudio-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$bundle/share/icons/hicolor/${size}x${size}/apps/musestudio.png"
done
