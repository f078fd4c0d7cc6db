#!/usr/bin/env bash
# `make bundle`: the one-folder bundle dist/MuseStudio/ and dist/MuseStudio-<version>-linux-x86_64.tar.gz.
#
# PyInstaller builds dist/MuseStudio/ from packaging/musestudio.spec (its analysis is cached in
# build/pyinstaller, so a rebuild without changes is quicker); then the installer, the .desktop entry,
# the MIME type and the icons are laid out next to the executable, the way install.sh expects them,
# with a BUILD-INFO file (version, build start, git commit), and the folder is archived. Prints the
# build time and the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
version=$("$PY" -c 'import musestudio; print(musestudio.__version__)')
bundle=dist/MuseStudio
archive=dist/MuseStudio-$version-linux-x86_64.tar.gz
start=$SECONDS
started=$(date +%s)

"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/musestudio.spec

packaging/add_desktop_files.sh "$bundle"
# what went in, for bug reports (and for the bundle test: files changed after "started" may be missing)
cat > "$bundle/BUILD-INFO" <<EOF
version=$version
started=$started
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
EOF
built=$SECONDS

rm -f "$archive"
tar -C dist -cf - MuseStudio | gzip -6 > "$archive.part"
mv "$archive.part" "$archive"

echo "bundle:  $bundle/musestudio ($(du -sh "$bundle" | cut -f1) unpacked)"
echo "archive: $archive ($(du -sh "$archive" | cut -f1))"
echo "time:    $((built - start)) s to build, $((SECONDS - built)) s to archive"
echo "biggest parts:"
du -s "$bundle"/_internal/* | sort -rn | awk 'NR <= 8' | while read -r kib path; do
  printf '  %6d MB  %s\n' $((kib / 1024)) "${path#"$bundle"/}"
done
