#!/usr/bin/env bash
# Packs the Gradescope autograder: setup.sh and run_autograder at the root of the zip, where
# Gradescope looks for them, next to the repository's files (what Gradescope unpacks into
# /autograder/source). Upload the zip as the assignment's autograder.
#
#   deploy/gradescope/make-autograder-zip.sh [OUT.zip]    [default: ./autograder.zip]
#
# Choices made now are baked into the zip (as autograder.env, read by setup.sh and
# run_autograder), since Gradescope has no way to set environment variables:
#   AUTOGRADER_KATAS        the katas this assignment grades, e.g. "race deadlock" [default: all]
#   AUTOGRADER_GRADER_ARGS  more grader flags, e.g. "--visibility-hidden after_due_date"
#
# The files packed are git's: the tracked ones, plus new files git does not ignore (a hidden
# test written but not committed yet is still packed), as they are in the working tree.
# Nothing ignored (target/, build caches) goes in.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
out=${1:-$PWD/autograder.zip}
case $out in /*) ;; *) out=$PWD/$out ;; esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

count=0
while IFS= read -r -d '' file; do
  [ -f "$repo/$file" ] || continue # tracked but deleted in the working tree
  mkdir -p "$stage/$(dirname "$file")"
  cp -p "$repo/$file" "$stage/$file"
  count=$((count + 1))
done < <(git -C "$repo" ls-files -z --cached --others --exclude-standard)

{
  echo "# Written by make-autograder-zip.sh. The environment, when it sets these, wins."
  for var in AUTOGRADER_KATAS AUTOGRADER_GRADER_ARGS; do
    if [ -n "${!var+set}" ]; then
      printf 'if [ -z "${%s+set}" ]; then %s=%q; fi\n' "$var" "$var" "${!var}"
    fi
  done
} >"$stage/autograder.env"

cp "$here/setup.sh" "$stage/setup.sh"
cp "$here/run_autograder" "$stage/run_autograder"
chmod +x "$stage/setup.sh" "$stage/run_autograder"

rm -f "$out"
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && zip -q -r -X "$out" .)
else
  # python's zipfile keeps each file's mode, so run_autograder stays executable.
  (cd "$stage" && shopt -s dotglob && python3 -m zipfile -c "$out" *)
fi
echo "wrote $out ($count repository files, with setup.sh and run_autograder at its root)"
echo "katas: ${AUTOGRADER_KATAS:-all}; grader flags: ${AUTOGRADER_GRADER_ARGS:-none}"
