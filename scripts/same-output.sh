#!/usr/bin/env bash
# Shows that two builds of nsa-migrate behave the same: both run over every fixture case and over a
# generated corpus, and their dry runs (diffs, findings, summary, exit code) and --write results
# (the files left on disk) are compared byte for byte. A refactor must leave no difference.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY [CORPUS_FILES]   # CORPUS_FILES default 1000
#
# Prints one line per difference and a count; exits 1 when anything differs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=$(realpath "$1")
NEW=$(realpath "$2")
FILES=${3:-1000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# One case: a folder run by both binaries, in copies of it, from inside it (paths are relative).
differences=0
cases=0
compare() {
  local name=$1 input=$2
  cases=$((cases + 1))
  for side in old new; do
    local bin=$OLD
    [ "$side" = new ] && bin=$NEW
    rm -rf "$WORK/$side" && mkdir -p "$WORK/$side" && cp -a "$input/." "$WORK/$side/"
    (cd "$WORK/$side" && { "$bin" --dry-run --color never . >"$WORK/$side.dry" 2>&1; echo "exit $?" >>"$WORK/$side.dry"; })
    (cd "$WORK/$side" && { "$bin" --write --force --color never . >/dev/null 2>&1 || true; })
  done
  if ! cmp -s "$WORK/old.dry" "$WORK/new.dry"; then
    echo "differs (dry run): $name"
    diff "$WORK/old.dry" "$WORK/new.dry" | head -20
    differences=$((differences + 1))
  fi
  if ! diff -r "$WORK/old" "$WORK/new" >/dev/null; then
    echo "differs (--write): $name"
    diff -r "$WORK/old" "$WORK/new" | head -20
    differences=$((differences + 1))
  fi
}

for input in "$ROOT"/tests/fixtures/*/*/input; do
  case_dir=$(dirname "$input")
  compare "$(basename "$(dirname "$case_dir")")/$(basename "$case_dir")" "$input"
done

GEN=$WORK/gen-corpus
rustc -O --edition 2021 "$ROOT/examples/gen-corpus.rs" -o "$GEN"
for mode in mixed all; do
  "$GEN" --files "$FILES" --matching 20% --seed 7 --mode "$mode" --out "$WORK/corpus-$mode" >/dev/null
  compare "generated corpus ($mode, $FILES files)" "$WORK/corpus-$mode"
done

echo "$cases cases compared, $differences differences"
[ "$differences" -eq 0 ]
