#!/usr/bin/env bash
# Gradescope runs this once, as root on Ubuntu, while it builds the autograder's image, with
# the autograder zip unpacked in /autograder/source. It installs Rust if the image has none,
# builds the grader, then grades the reference solutions once: that compiles every kata's
# dependencies (normal and loom builds) into the grader's cache, so grading a student later
# needs no network and compiles only the student's own code.
#
# Environment (for trying it outside Gradescope):
#   AUTOGRADER_ROOT    the /autograder folder [default: /autograder]
#   AUTOGRADER_KATAS   grade only these katas (names separated by spaces) [default: all]
# make-autograder-zip.sh may have baked a choice of katas into autograder.env.
set -euo pipefail

root=${AUTOGRADER_ROOT:-/autograder}
# The real path, as run_autograder uses it: the build cache is only reused for the same paths.
source_dir=$(cd "$root/source" && pwd -P)
cd "$source_dir"
if [ -f autograder.env ]; then
  . ./autograder.env
fi

need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl ca-certificates)
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential) # rustc links with cc
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)        # run_autograder opens .zip submissions
if [ ${#need_apt[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

# A rustup installed earlier (or by a previous run of this script) is only on PATH once its
# env file is sourced.
if ! command -v cargo >/dev/null 2>&1 && [ -f "${HOME:-/root}/.cargo/env" ]; then
  . "${HOME:-/root}/.cargo/env"
fi
# The oldest Rust the workspace builds with (its rust-version); an older one (say, Ubuntu's own
# rustc package) counts as none.
wanted=$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml | head -n 1)
rust_is_recent() {
  local have
  have=$(rustc --version 2>/dev/null | awk '{ print $2 }')
  [ -n "$have" ] && [ "$(printf '%s\n' "${wanted:-0}" "$have" | sort -V | head -n 1)" = "${wanted:-0}" ]
}
if command -v rustup >/dev/null 2>&1 && ! rust_is_recent; then
  echo "== updating Rust (rustup, stable toolchain)"
  rustup toolchain install stable --profile minimal
  rustup default stable
fi
if ! command -v cargo >/dev/null 2>&1 || ! rust_is_recent; then
  echo "== installing Rust (rustup, stable toolchain)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable
  . "${HOME:-/root}/.cargo/env"
fi
rust_is_recent || {
  echo "== Rust $wanted or newer is needed; found: $(rustc --version 2>&1)" >&2
  exit 1
}
cargo --version

echo "== downloading every dependency in Cargo.lock"
cargo fetch --locked

echo "== building the grader"
cargo build --release --locked -p grader
grader=$source_dir/target/release/grader

# The katas to pre-build: the same selection run_autograder will grade.
read -r -a katas <<<"${AUTOGRADER_KATAS:-}"

echo "== grading solutions/ once, to compile every kata dependency (a few minutes)"
status=0
KATA_GRADER_HOME=$source_dir CARGO_NET_OFFLINE=true "$grader" "${katas[@]}" \
  --submission "$source_dir/solutions" --require-full-marks || status=$?
case $status in
  0) echo "== the reference solutions score full marks: the autograder is ready" ;;
  1) echo "== WARNING: the reference solutions did not score full marks on this machine" \
       "(see above); the dependencies are built, but check the katas before students submit" ;;
  *) echo "== the grader could not run (exit status $status): see above" >&2
     exit "$status" ;;
esac

# Student code runs in this image, and the reference answers are no longer needed: remove them
# so a submission cannot read them. Only in an unpacked autograder zip (it has no .git), never
# in a checkout someone works in.
if [ ! -e "$source_dir/.git" ]; then
  rm -rf "$source_dir/solutions"
fi
