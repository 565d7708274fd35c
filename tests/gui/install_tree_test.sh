#!/usr/bin/env bash
# `cmake --install` of the build folder into a temp prefix: both programs (executable, and
# answering --version), the .desktop file (with the keys a launcher needs, pointing at the
# installed program and icon) and the icons in the hicolor theme.
# usage: install_tree_test.sh CMAKE BUILD_DIR
set -euo pipefail
cmake=$1
build=$2
prefix=$(mktemp -d "${TMPDIR:-/tmp}/bc-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT

"$cmake" --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || { cat "$prefix.log"; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"

fail=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
check "bin/backchannel is executable" test -x "$prefix/bin/backchannel"
check "bin/backchannel-cli is executable" test -x "$prefix/bin/backchannel-cli"
check "backchannel-cli --version runs" sh -c "'$prefix/bin/backchannel-cli' --version >/dev/null"
check "backchannel --version runs without a display" sh -c "env -u DISPLAY -u WAYLAND_DISPLAY '$prefix/bin/backchannel' --version >/dev/null"

desktop="$prefix/share/applications/backchannel.desktop"
check "share/applications/backchannel.desktop" test -s "$desktop"
if [ -s "$desktop" ]; then
  check "desktop file starts with [Desktop Entry]" sh -c "head -n1 '$desktop' | grep -qx '\[Desktop Entry\]'"
  for kv in "Type=Application" "Name=Backchannel" "Exec=backchannel" "Icon=backchannel" "Terminal=false"; do
    check "desktop file has $kv" grep -qx "$kv" "$desktop"
  done
  check "desktop file has Categories" grep -q '^Categories=.*;$' "$desktop"
  if command -v desktop-file-validate >/dev/null 2>&1; then
    check "desktop-file-validate" desktop-file-validate "$desktop"
  fi
fi

svg="$prefix/share/icons/hicolor/scalable/apps/backchannel.svg"
png="$prefix/share/icons/hicolor/256x256/apps/backchannel.png"
check "scalable icon" grep -q '<svg' "$svg"
check "256x256 icon" test -s "$png"
if [ -s "$png" ]; then
  sig=$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')
  check "256x256 icon is a PNG" test "$sig" = "89504e470d0a1a0a"
  dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
  check "256x256 icon is 256x256 (is $dims)" test "$dims" = "256x256"
fi
exit $fail
