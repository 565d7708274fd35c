#!/usr/bin/env bash
# Shows that tests/architecture_test.sh fails on each kind of violation it exists to catch: it
# runs the check on a copy of the tree with one violation planted at a time (ctest:
# ArchitectureSelfTest). The real tree is never touched.
# usage: tests/architecture_selftest.sh [SOURCE_DIR]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
check="$root/tests/architecture_test.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy() {
  rm -rf "$work/tree"
  mkdir -p "$work/tree"
  (cd "$root" && tar cf - errors_and_files crypto storage app docs/architecture.md) | (cd "$work/tree" && tar xf -)
}
copy
bash "$check" "$work/tree" >/dev/null 2>&1 || { echo "selftest: the unchanged copy does not pass" >&2; exit 1; }

status=0
expect_failure() {  # expect_failure NAME FILE LINE
  local name="$1" file="$2" line="$3"
  copy
  mkdir -p "$(dirname "$work/tree/$file")"
  printf '%s\n' "$line" >>"$work/tree/$file"
  if bash "$check" "$work/tree" >/dev/null 2>&1; then
    echo "selftest: NOT caught: $name ($file: $line)" >&2
    status=1
  else
    echo "selftest: caught: $name"
  fi
}
expect_failure "storage header in the CLI" app/cli/planted.cpp '#include "backchannel/storage/database.h"'
expect_failure "storage header in the GUI" app/gui/src/planted.cpp '#include "backchannel/storage/vault_store.h"'
expect_failure "sqlite3.h in core" app/core/src/planted.cpp '#include <sqlite3.h>'
expect_failure "sodium.h in core" app/core/src/planted.cpp '#include <sodium.h>'
expect_failure "sodium.h in the CLI" app/cli/planted.cpp '#include <sodium.h>'
expect_failure "ImGui in core" app/core/src/planted.cpp '#include <imgui.h>'
expect_failure "GLFW in the CLI" app/cli/planted.cpp '#include <GLFW/glfw3.h>'
expect_failure "core including the GUI" app/core/src/planted.cpp '#include "backchannel/gui/app.h"'
expect_failure "crypto including storage" crypto/src/planted.cpp '#include "backchannel/storage/database.h"'
expect_failure "storage including core" storage/src/planted.cpp '#include "backchannel/core/vault.h"'
expect_failure "errors_and_files including crypto" errors_and_files/src/planted.cpp '#include "backchannel/crypto/random.h"'
expect_failure "an undocumented crypto header in the GUI" app/gui/src/planted.cpp '#include "backchannel/crypto/hmac.h"'
expect_failure "a second write path" app/core/src/planted.cpp 'const char* k = "INSERT INTO notes(uid) VALUES (?)";'
expect_failure "reaching into the store" app/cli/planted.cpp 'void f(bc::core::Vault& v) { v.store(); }'
# The stale-row case needs a real row for a file that does not include the header: plant it in
# the table itself.
copy
sed -i 's#^| `app/cli/age_commands.cpp` | `backchannel/crypto/age.h` |#| `app/cli/main.cpp` | `backchannel/crypto/age.h` | planted |\n&#' "$work/tree/docs/architecture.md"
if bash "$check" "$work/tree" >/dev/null 2>&1; then echo "selftest: NOT caught: stale table row" >&2; status=1; else echo "selftest: caught: stale table row"; fi
copy
sed -i 's/PRIVATE bc::storage/PRIVATE/; s/PUBLIC bc::crypto/PUBLIC bc::storage bc::crypto/' "$work/tree/app/core/CMakeLists.txt"
if bash "$check" "$work/tree" >/dev/null 2>&1; then echo "selftest: NOT caught: storage linked PUBLIC" >&2; status=1; else echo "selftest: caught: storage linked PUBLIC"; fi
exit $status
