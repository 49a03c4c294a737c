#!/usr/bin/env bash
# Runs every fuzz target for the given number of seconds, then minimises its corpus.
#
#   scripts/fuzz.sh <seconds-per-target> [target...]
#
# cargo-fuzz wants a nightly toolchain; on stable, RUSTC_BOOTSTRAP=1 lets it pass the -Z flags
# it needs. No sanitizer (`-s none`): the targets look for panics and broken properties, and the
# Rust code is safe. Corpora live in fuzz/corpus/<target> (committed, minimised to edge
# coverage), seeded from the fixture inputs; crashes land in fuzz/artifacts/<target>. Each
# target's execution count is appended to fuzz/campaign.log.
set -euo pipefail

seconds=${1:?usage: scripts/fuzz.sh <seconds-per-target> [target...]}
shift
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2; exit 2; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
cargo fuzz build -s none -O >/dev/null

# Seeds: every fixture input as raw text, with the flag byte picking a path of the same kind
# (see fuzz/common/mod.rs: bits 3..=5 index its PATHS).
seed() {
  local dir=$1
  mkdir -p "$dir"
  local file ext index n=0
  while IFS= read -r -d '' file; do
    ext=${file##*.}
    case "$ext" in
      tsx) index=0 ;; jsx) index=1 ;; ts) index=2 ;; js) index=3 ;; mjs) index=5 ;; *) continue ;;
    esac
    case "$file" in */next.config.*) index=4 ;; esac
    { printf "\\$(printf '%03o' $((index << 3)))"; cat "$file"; } > "$dir/seed-$n"
    n=$((n + 1))
  done < <(find tests/fixtures -path '*/input/*' -type f -print0 | sort -z)
}

crashed=0
for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  [ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || seed "$corpus"
  mkdir -p fuzz/artifacts/$target
  log=$(mktemp)
  status=0
  cargo fuzz run -s none -O "$target" "$corpus" -- \
    -max_total_time="$seconds" -max_len=512 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$target/" 2>"$log" || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  echo "$(date -u +%FT%TZ) $target ${seconds}s executions=$runs exit=$status" | tee -a fuzz/campaign.log
  if [ "$status" -ne 0 ]; then
    grep -A20 'panicked' "$log" | grep -v '^ *[0-9]*: \|^ *at ' | head -40 >&2 || tail -40 "$log" >&2
    echo "$target: crash, see fuzz/artifacts/$target" >&2
    crashed=1
  fi
  # Keep the committed corpus small: only inputs that add an edge of coverage (without
  # -use_counters=0, hit-count buckets keep several times as many).
  minimised=$(mktemp -d)
  "fuzz/target/x86_64-unknown-linux-gnu/release/$target" -merge=1 -use_counters=0 -max_len=512 \
    "$minimised" "$corpus" >/dev/null 2>&1 && { rm -rf "$corpus"; mv "$minimised" "$corpus"; } || rm -rf "$minimised"
  rm -f "$log"
done
exit $crashed
