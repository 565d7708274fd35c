#!/usr/bin/env bash
# Keeps docs/architecture.md true: checks the include boundaries and link rules that its
# "Rules the build enforces" section states, in the source tree itself (ctest: Architecture).
#   - errors_and_files includes no other layer; crypto no storage, core or program header;
#     storage no core or program header; core no program header.
#   - sqlite3.h only in storage/ (and the SQLCipher build); sodium.h only in crypto/ and storage/.
#   - ImGui, GLFW and OpenGL headers only in app/gui.
#   - app/cli and app/gui include no storage header at all, and crypto headers only where the
#     table "Crypto headers the programs use" in docs/architecture.md lists them (every listed
#     use must exist, too, so the table cannot go stale).
#   - core links storage PRIVATE, so the programs cannot reach it through core.
#   - only app/core/src/record_writer.cpp writes the tables a series is made of.
# usage: tests/architecture_test.sh [SOURCE_DIR]
set -uo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root" || exit 2
failures=0
complain() {
  echo "architecture: $*" >&2
  failures=$((failures + 1))
}

# includes DIR... : "path:included-header" for every #include of those folders (one grep).
includes() {
  local dirs=()
  for d in "$@"; do [ -d "$d" ] && dirs+=("$d"); done
  [ ${#dirs[@]} -eq 0 ] && return 0
  grep -rH --include='*.cpp' --include='*.h' -E '^[[:space:]]*#[[:space:]]*include' "${dirs[@]}" |
    sed -n 's/^\([^:]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1:\2/p'
}

forbid() {  # forbid "what" REGEX DIR...
  local what="$1" re="$2"
  shift 2
  local hits
  hits=$(includes "$@" | grep -E ":($re)\$" || true)
  if [ -n "$hits" ]; then
    while IFS= read -r h; do complain "$what: $h"; done <<<"$hits"
  fi
}

# Layering.
forbid "errors_and_files includes another layer" 'backchannel/(crypto|storage|core|gui)/.*|sodium\.h|sqlite3\.h' errors_and_files
forbid "crypto includes a higher layer" 'backchannel/(storage|core|gui)/.*' crypto
forbid "storage includes a higher layer" 'backchannel/(core|gui)/.*' storage
forbid "core includes a program" 'backchannel/gui/.*|cli_context\.h' app/core

# Third-party headers that belong to one layer.
forbid "sqlite3.h outside storage" 'sqlite3\.h|sqlcipher/.*' errors_and_files crypto app
forbid "sodium.h outside crypto and storage" 'sodium\.h|sodium/.*' errors_and_files app
forbid "ImGui/GLFW/OpenGL outside app/gui" 'imgui.*|GLFW/.*|GL/.*' errors_and_files crypto storage app/core app/cli

# The programs: no storage, crypto only as documented.
forbid "a program includes storage" 'backchannel/storage/.*|vault_store_access\.h|record_writer\.h' app/cli app/gui

doc=docs/architecture.md
# The table rows look like: | `app/cli/age_commands.cpp` | `backchannel/crypto/age.h` | why |
allowed=$(sed -n '/^## Crypto headers the programs use/,/^## /p' "$doc" |
  sed -n 's/^| `\(app\/[^`]*\)` | `\(backchannel\/crypto\/[^`]*\)` |.*/\1:\2/p' | sort -u)
if [ -z "$allowed" ]; then
  complain "$doc has no table under \"## Crypto headers the programs use\""
fi
actual=$(includes app/cli app/gui | grep -E ':backchannel/crypto/' | sort -u)
while IFS= read -r use; do
  [ -z "$use" ] && continue
  grep -qxF "$use" <<<"$allowed" || complain "crypto header used but not documented in $doc: $use"
done <<<"$actual"
while IFS= read -r use; do
  [ -z "$use" ] && continue
  grep -qxF "$use" <<<"$actual" || complain "documented in $doc but no longer true (remove the row): $use"
done <<<"$allowed"

# Link rules: core exposes crypto and errors_and_files, never storage.
core_cmake=app/core/CMakeLists.txt
public_line=$(grep -E 'target_link_libraries\(bc_core ' "$core_cmake" | sed 's/PRIVATE.*//')
if grep -q 'bc::storage' <<<"$public_line"; then complain "$core_cmake links storage PUBLIC: $public_line"; fi
for prog in app/cli/CMakeLists.txt app/gui/CMakeLists.txt; do
  if grep -qE 'bc::storage|bc_storage|bc_core_internals' "$prog"; then complain "$prog links storage or core internals"; fi
done

# One write path per record: only the RecordWriter writes the tables a series is made of.
hits=$(grep -rn --include='*.cpp' --include='*.h' -iE '(insert( or [a-z]+)? into|update|delete from)[[:space:]]+(series|meetings|participants|participant_aliases|attendance|disclosure|notes|note_revisions|note_tombstones|threads|thread_notes|thread_status|papers|paper_authors|paper_sections|paper_section_revisions|paper_citations|paper_approvals|paper_copies)\b' \
  app/core/src | grep -v '^app/core/src/record_writer\.cpp:' || true)
if [ -n "$hits" ]; then
  while IFS= read -r h; do complain "writes a series record outside RecordWriter: $h"; done <<<"$hits"
fi

# Nothing may still use the storage layer through the Vault.
hits=$(grep -rn --include='*.cpp' --include='*.h' -E '\.store\(\)|->store\(\)' app/cli app/gui || true)
if [ -n "$hits" ]; then
  while IFS= read -r h; do complain "reaches into the vault's storage: $h"; done <<<"$hits"
fi

if [ "$failures" -gt 0 ]; then
  echo "architecture: $failures violation(s); fix the code or, for a deliberate change, docs/architecture.md" >&2
  exit 1
fi
echo "architecture: every boundary in $doc holds"
