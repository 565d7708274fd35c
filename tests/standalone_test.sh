#!/usr/bin/env bash
# The repository stands alone: no file in it may point outside it for something the build, the
# tests or the docs need. Fails when any file but this one mentions a folder beside the checkout
# (the `shared` folder of given material beside it, or its sub-folders) or an absolute path on a developer's machine. What
# the tests need lives in the tree (tests/data, docs/examples) with its provenance written down.
# A positive control first proves that the scan finds such a mention.
# usage: tests/standalone_test.sh [SOURCE_DIR]      (ctest: standalone_repository, label unit-repo)
set -euo pipefail
root="$(cd "${1:-$(dirname "$0")/..}" && pwd -P)"
self="tests/standalone_test.sh"

# Extended regular expressions, one per forbidden kind of mention.
# The first is spelled in two parts so that this script itself never names that folder.
parent='\.\.'
patterns=(
  "$parent/shared"                                     # the folder beside the checkout
  'BC_SHARED_DIR'                                      # the old CMake definition pointing there
  'shared/(testkits|spec|design|tools|hooks)\b'        # its sub-folders, however they are reached
  '(^|[^A-Za-z0-9_.~-])/(work|home|root|mnt)/'         # absolute paths on a developer's machine
)

# scan DIR: prints "path:line: text" for every forbidden mention in the files listed on stdin
# (paths relative to DIR), skipping this script.
scan() {
  local dir="$1" p
  local args=()
  for p in "${patterns[@]}"; do args+=(-e "$p"); done
  grep -v -x -F -e "$self" | (cd "$dir" && xargs -d '\n' -r grep -I -n -H -E "${args[@]}" -- 2>/dev/null) || true
}

# The tracked files when this is a git checkout and git is installed; otherwise every file but
# the build folders, the fetched dependencies and git's own (a fresh machine may lack git).
list_files() {
  if command -v git >/dev/null 2>&1 && git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files
  else
    (cd "$root" && find . \( -path ./.git -o -path './build*' -o -path ./.deps -o -path ./out \) -prune \
      -o -type f -print | sed 's|^\./||')
  fi
}

# Positive control: a scratch tree with one file per forbidden kind must give one finding each,
# and a file with allowed look-alikes none.
control="$(mktemp -d "${TMPDIR:-/tmp}/standalone-control.XXXXXX")"
trap 'rm -rf "$control"' EXIT
printf 'see ..%s\n' '/shared/spec/examples' > "$control/a.md"
printf 'add_compile_definitions(BC_SHARED_DIR="x")\n' > "$control/b.cmake"
printf 'KIT = ROOT.parent / "shared/testkits" / "age-cctv"\n' > "$control/c.py"
printf 'read("/work/main/docs/x.md")\n' > "$control/d.cpp"
printf 'std::make_shared<int>(1); // shared_ptr, /usr/bin/age, ~/.config/x, tests/data/age-cctv\n' > "$control/e.cpp"
found="$(printf '%s\n' a.md b.cmake c.py d.cpp e.cpp | scan "$control" | cut -d: -f1 | sort -u | tr '\n' ' ')"
if [ "$found" != "a.md b.cmake c.py d.cpp " ]; then
  echo "standalone_test: the positive control failed: expected findings in a.md b.cmake c.py d.cpp, got: $found" >&2
  exit 2
fi

files="$(list_files)"
count="$(printf '%s\n' "$files" | grep -c . || true)"
if [ "$count" -lt 100 ]; then
  echo "standalone_test: only $count files found under $root; is this the source tree?" >&2
  exit 2
fi
findings="$(printf '%s\n' "$files" | scan "$root")"
if [ -n "$findings" ]; then
  echo "standalone_test: files that point outside the repository (copy what is needed into the tree, with its provenance):" >&2
  printf '%s\n' "$findings" >&2
  exit 1
fi
echo "standalone_test: $count files scanned, none points outside the repository"
