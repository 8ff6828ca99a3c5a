#!/usr/bin/env bash
# Measures the grader's overhead over plain cargo doing the same work, side by side.
#
#   scripts/bench-grader.sh [ROUNDS]
#
# Two scenarios, each timed ROUNDS times (default 3), grader and plain cargo interleaved so
# that machine load affects both alike; prints the medians and their ratio:
#   full     grade every kata of solutions/ with nothing changed (all builds cached)
#   regrade  the same right after editing one kata's lib.rs (race): that kata rebuilds
# "Plain cargo" is the same work without the grader: in a copy of the grader's assembled
# workspace (same tests, same lock file, same target dirs), `cargo test --tests` and
# `RUSTFLAGS="--cfg kata_loom" cargo test --release --test loom`.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
work=$PWD/target/kata-grader
plain_ws=$work/bench-plain
sub=$(mktemp -d)
trap 'rm -rf "$sub"' EXIT
cp -r solutions/. "$sub/"

cargo build --release -q -p grader
grade() { ./target/release/grader -q --submission "$sub" --work-dir "$work" >/dev/null; }

plain() {
  local loom=()
  for d in "$plain_ws"/katas/*/; do
    if [ -f "$d/tests/loom.rs" ]; then
      loom+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$d/Cargo.toml" | head -1)")
    fi
  done
  # Timed whatever the outcome: a few kata tests rely on the grader running each test in a
  # process of its own (e.g. "no zombie children"), so plain cargo can fail them.
  (cd "$plain_ws" && env -u RUSTFLAGS CARGO_TARGET_DIR="$work/build" \
     PROPTEST_DISABLE_FAILURE_PERSISTENCE=true cargo test -q --no-fail-fast --tests \
     >/dev/null 2>&1) || true
  (cd "$plain_ws" && RUSTFLAGS="--cfg kata_loom" CARGO_TARGET_DIR="$work/build-loom" \
     LOOM_MAX_PREEMPTIONS=2 cargo test -q --release --no-fail-fast --test loom "${loom[@]}" \
     >/dev/null 2>&1) || true
}

secs() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); awk "BEGIN {print $e - $s}"; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
edit_race() { echo "// edit $RANDOM$RANDOM" >> "$1/03-race/src/lib.rs"; }

# Warm every cache, and make the plain workspace a copy of the grader's.
grade
rm -rf "$plain_ws"
cp -r "$work/default" "$plain_ws"
rm -f "$plain_ws/.grader-lock"
# Package names of its own, so its artifacts never overwrite the grader's (see assemble.rs).
sed -i 's/--default"$/--bench-plain"/' "$plain_ws"/katas/*/Cargo.toml
plain

for scenario in full regrade; do
  g=(); p=()
  for _ in $(seq "$rounds"); do
    [ "$scenario" = regrade ] && edit_race "$sub"
    g+=("$(secs grade)")
    [ "$scenario" = regrade ] && edit_race "$plain_ws/katas"
    p+=("$(secs plain)")
  done
  gm=$(printf '%s\n' "${g[@]}" | median)
  pm=$(printf '%s\n' "${p[@]}" | median)
  awk -v s="$scenario" -v g="$gm" -v p="$pm" -v r="$rounds" \
    'BEGIN {printf "%-8s grader %6.1f s   plain cargo %6.1f s   ratio %.2f   (medians of %d)\n", s, g, p, g / p, r}'
done
