#!/usr/bin/env bash
# End-to-end proof on a real app (issue 7).
#
# Takes examples/next14-app (a Next 14.2 / React 18 App Router app with the
# Server Action patterns nsa-migrate fixes), shows that it does not build as is,
# runs `nsa-migrate --write` on a copy without the project rules, moves the copy
# to Next 15 / React 19 (examples/next14-app/package.next15.json +
# package-lock.next15.json), shows that the Next 15 build fails on what the
# project rules fix (React 19's types), runs them, builds it, serves it with
# `next start` and drives it with Chromium via playwright-core
# (scripts/e2e/browser-check.mjs).
#
# Environment:
#   NSA_MIGRATE_BIN   use this nsa-migrate binary instead of `cargo build --release`
#   NSA_E2E_CACHE     cache folder reused between runs (default ~/.cache/nsa-migrate-e2e):
#                     npm cache in $NSA_E2E_CACHE/npm, browser runner in $NSA_E2E_CACHE/browser-runner
#   NSA_E2E_KEEP=1    keep the temporary app folder (its path is printed)
#   CHROMIUM_PATH     browser binary (default /usr/bin/chromium; installed with apt-get if missing)
#
# Exits 0 when every step passes; otherwise non-zero after printing
# "e2e: FAILED at step: <name>".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$ROOT/examples/next14-app"
RUNNER_SRC="$ROOT/scripts/e2e"
CACHE_ROOT="${NSA_E2E_CACHE:-$HOME/.cache/nsa-migrate-e2e}"
NPM_CACHE="$CACHE_ROOT/npm"
RUNNER_DIR="$CACHE_ROOT/browser-runner"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH
export NEXT_TELEMETRY_DISABLED=1
export CI="${CI:-true}" # no interactive prompts from npm/next

NPM_CI=(npm ci --cache "$NPM_CACHE" --prefer-offline --no-audit --no-fund)

START_TS=$SECONDS
STEP=""
STEP_TS=$SECONDS
SUMMARY=()
WORK=""
APP=""
SERVER_PID=""

finish_step() {
  if [[ -n "$STEP" ]]; then
    SUMMARY+=("$(printf '%4ss  %s' "$((SECONDS - STEP_TS))" "$STEP")")
  fi
}

step() {
  finish_step
  STEP="$1"
  STEP_TS=$SECONDS
  echo
  echo "==> [e2e +$((SECONDS - START_TS))s] $STEP"
}

fail() {
  echo "e2e: $*" >&2
  exit 1
}

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "==> [e2e] stopping next start (pid $SERVER_PID)"
    kill "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${NSA_E2E_KEEP:-0}" == 1 ]]; then
      echo "==> [e2e] kept temporary app at $APP"
    else
      rm -rf "$WORK"
    fi
  fi
  if [[ $rc -ne 0 ]]; then
    finish_step
    echo >&2
    echo "==> [e2e] step timings:" >&2
    printf '  %s\n' "${SUMMARY[@]}" >&2
    echo "e2e: FAILED at step: ${STEP:-setup} (exit $rc, after $((SECONDS - START_TS))s)" >&2
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

strip_ansi() { sed -e $'s/\x1b\\[[0-9;]*[A-Za-z]//g'; }

# `next build` of the app, its log printed and kept without colours in $WORK/build-NAME.clean.log;
# its exit code in $rc.
next_build() {
  local name=$1
  set +e
  (cd "$APP" && ./node_modules/.bin/next build) >"$WORK/build-$name.log" 2>&1
  rc=$?
  set -e
  strip_ansi <"$WORK/build-$name.log" >"$WORK/build-$name.clean.log"
  cat "$WORK/build-$name.clean.log"
}

installed_versions() {
  echo "next $(cd "$APP" && node -p 'require("next/package.json").version'), react $(cd "$APP" && node -p 'require("react/package.json").version')"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# ---------------------------------------------------------------------------
step "check tools"
for tool in node npm tar; do
  command -v "$tool" >/dev/null || fail "missing tool: $tool"
done
echo "node $(node --version), npm $(npm --version 2>/dev/null)"
[[ -f "$EXAMPLE/package.json" && -f "$EXAMPLE/package.next15.json" ]] || fail "example app not found at $EXAMPLE"
mkdir -p "$NPM_CACHE" "$RUNNER_DIR"

# ---------------------------------------------------------------------------
step "build nsa-migrate"
if [[ -n "${NSA_MIGRATE_BIN:-}" ]]; then
  BIN="$NSA_MIGRATE_BIN"
  echo "using NSA_MIGRATE_BIN=$BIN"
else
  (cd "$ROOT" && cargo build --release)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/nsa-migrate"
fi
[[ -x "$BIN" ]] || fail "nsa-migrate binary not found or not executable: $BIN"
case "$BIN" in /*) ;; *) BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" ;; esac

# ---------------------------------------------------------------------------
step "copy example app to a temporary folder"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/nsa-e2e.XXXXXX")"
APP="$WORK/next14-app"
mkdir -p "$APP"
tar -C "$EXAMPLE" --exclude=./node_modules --exclude=./.next -cf - . | tar -C "$APP" -xf -
echo "app copy: $APP"

# ---------------------------------------------------------------------------
step "npm ci (Next 14)"
(cd "$APP" && "${NPM_CI[@]}")
installed_versions

# ---------------------------------------------------------------------------
step "next build of the unmigrated Next 14 app must fail on the inline \"use server\" and the doctor cases"
next_build next14
[[ $rc -ne 0 ]] || fail "next build of the unmigrated app succeeded; expected it to fail"
grep -qF 'It is not allowed to define inline "use server" annotated Server Actions in Client Components' "$WORK/build-next14.clean.log" \
  || fail "next build failed, but not with the inline \"use server\" in a Client Component error"
grep -qF 'post-item.tsx' "$WORK/build-next14.clean.log" \
  || fail "the inline \"use server\" error does not name app/posts/_components/post-item.tsx"
echo "OK: next build failed (exit $rc) with the inline \"use server\" error"
# The doctor rules' cases: a 'use server' after the imports (app/posts/likes.ts) and a non-async
# exported form action (app/posts/pin-actions.ts).
# Anchored on the error marker (`  x ...`), so the code frames Next prints cannot match. Next 14
# says "Server actions must be async functions" for the export; Next 15 "Only async functions ...".
grep -qE '^ +x The "use server" directive must be at the top of the file' "$WORK/build-next14.clean.log" \
  || fail "next build did not report the misplaced 'use server' of app/posts/likes.ts"
grep -A1 -F './app/posts/pin-actions.ts' "$WORK/build-next14.clean.log" | grep -q '^Error' \
  && grep -qE '^ +x (Server actions must be async functions|Only async functions are allowed to be exported)' "$WORK/build-next14.clean.log" \
  || fail "next build did not report the non-async export of app/posts/pin-actions.ts"
echo "OK: next build also reported the misplaced directive and the non-async exported action"

# ---------------------------------------------------------------------------
# The project rules (issue 16) run later, after the bump: first the Next 15 build must show what
# they fix.
PROJECT_RULES="missing-use-server,action-state-signature,action-state-initial-type,form-action-return,action-event-handler"
step "nsa-migrate --write --skip <the project rules> ."
FORCE=()
if git -C "$APP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  FORCE=(--force) # the temp folder sits inside a git work tree
fi
MIGRATE_ARGS=(--write "${FORCE[@]}" --skip "$PROJECT_RULES" .)
echo "+ $BIN ${MIGRATE_ARGS[*]}"
(cd "$APP" && "$BIN" "${MIGRATE_ARGS[@]}")

grep -qxF "'use server';" <(head -n 3 "$APP/app/posts/likes.ts") \
  || fail "app/posts/likes.ts does not start with 'use server' after the migration"
grep -qF 'export async function pinPost' "$APP/app/posts/pin-actions.ts" \
  || fail "pinPost in app/posts/pin-actions.ts is not async after the migration"

# React 19 still exports useFormState from react-dom, so neither the build nor
# the browser would notice it was left in place: check the source.
if grep -rn --include='*.ts' --include='*.tsx' --include='*.js' --include='*.jsx' -e 'useFormState' "$APP/app"; then
  fail "useFormState is still used after migration (expected useActionState from 'react')"
fi

# ---------------------------------------------------------------------------
step "switch to Next 15 / React 19 and npm ci"
cp "$APP/package.next15.json" "$APP/package.json"
cp "$APP/package-lock.next15.json" "$APP/package-lock.json"
rm -rf "$APP/node_modules" "$APP/.next"
(cd "$APP" && "${NPM_CI[@]}")
installed_versions

# ---------------------------------------------------------------------------
step "next build on Next 15 without the project rules must fail (no 'use server'; React 19's types: TS2769, TS2322)"
next_build next15-before
[[ $rc -ne 0 ]] || fail "next build on Next 15 succeeded before the project rules ran; expected it to fail"
# The actions module without 'use server' is bundled into the client form: Next refuses its
# next/cache import there.
grep -qF "You're importing a component that needs \"revalidatePath\"" "$WORK/build-next15-before.clean.log" \
  && grep -qF './app/notes/note-actions.ts' "$WORK/build-next15-before.clean.log" \
  || fail "next build did not refuse app/notes/note-actions.ts (no 'use server') in the client bundle"
# next build stops at its first type error: tsc lists them all.
set +e
(cd "$APP" && ./node_modules/.bin/tsc --noEmit -p .) >"$WORK/tsc-before.log" 2>&1
set -e
cat "$WORK/tsc-before.log"
grep -q "app/notes/note-form.tsx.*error TS2769" "$WORK/tsc-before.log" \
  || fail "tsc did not report TS2769 (the untyped initial state) in app/notes/note-form.tsx"
grep -q "app/notes/page.tsx.*error TS2322" "$WORK/tsc-before.log" \
  || fail "tsc did not report TS2322 (the form action that returns a value) in app/notes/page.tsx"
echo "OK: next build failed (exit $rc) on the module without 'use server'; tsc shows TS2769 and TS2322"

# ---------------------------------------------------------------------------
step "nsa-migrate --write . (the project rules)"
echo "+ $BIN --write ${FORCE[*]} ."
(cd "$APP" && "$BIN" --write "${FORCE[@]}" .)
grep -qxF "'use server';" <(sed -n 3p "$APP/app/notes/note-actions.ts") \
  || fail "app/notes/note-actions.ts did not get 'use server' after its leading comment"
grep -qF 'useActionState<NoteState, FormData>(addNote, initialState)' "$APP/app/notes/note-form.tsx" \
  || fail "the useActionState call of app/notes/note-form.tsx did not get its type arguments"
grep -qF 'onClick={() => clearNotes()}' "$APP/app/notes/note-form.tsx" \
  || fail "the onClick action of app/notes/note-form.tsx was not wrapped"
if grep -n 'return {' "$APP/app/notes/note-actions.ts" | grep -q "Deleted note"; then
  fail "deleteNote still returns a value"
fi

# ---------------------------------------------------------------------------
step "a second nsa-migrate run finds nothing to do (nsa-migrate --check .)"
# After the bump the package.json declares Next 15 / React 19, so there is no version finding either.
(cd "$APP" && "$BIN" --check .) || fail "nsa-migrate --check is not clean after the migration and the version bump"
echo "OK: nothing would change"

# ---------------------------------------------------------------------------
step "next build of the migrated app on Next 15 must pass"
next_build next15
[[ $rc -eq 0 ]] || fail "next build of the migrated app failed (exit $rc)"
if grep -F 'Invalid next.config' "$WORK/build-next15.clean.log"; then
  fail "next build warns about an invalid next.config after migration"
fi

# ---------------------------------------------------------------------------
step "start next (next start)"
PORT="$(free_port)"
cd "$APP"
# A simple command (no subshell), so $! is the next-server process itself.
./node_modules/.bin/next start -H 127.0.0.1 -p "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
cd "$ROOT"
echo "next start pid $SERVER_PID on http://127.0.0.1:$PORT"
ready=0
for _ in $(seq 1 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; fail "next start exited early"; }
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' "http://127.0.0.1:$PORT/"; then
    ready=1
    break
  fi
  sleep 0.5
done
[[ $ready -eq 1 ]] || { cat "$WORK/server.log"; fail "next start did not answer on port $PORT within 60s"; }
echo "server is up"

# ---------------------------------------------------------------------------
step "set up browser (Debian chromium + playwright-core)"
if [[ ! -x "$CHROMIUM_PATH" ]]; then
  echo "$CHROMIUM_PATH is missing; installing Debian's chromium"
  SUDO=()
  [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y chromium
fi
[[ -x "$CHROMIUM_PATH" ]] || fail "no chromium at $CHROMIUM_PATH"
"$CHROMIUM_PATH" --version 2>/dev/null || true
cp "$RUNNER_SRC/package.json" "$RUNNER_SRC/package-lock.json" "$RUNNER_SRC/browser-check.mjs" "$RUNNER_DIR/"
if [[ ! -d "$RUNNER_DIR/node_modules/playwright-core" ]] \
  || ! cmp -s "$RUNNER_DIR/package-lock.json" "$RUNNER_DIR/.installed-lock.json"; then
  (cd "$RUNNER_DIR" && "${NPM_CI[@]}")
  cp "$RUNNER_DIR/package-lock.json" "$RUNNER_DIR/.installed-lock.json"
else
  echo "playwright-core already installed in $RUNNER_DIR"
fi

# ---------------------------------------------------------------------------
step "browser checks (scripts/e2e/browser-check.mjs)"
if ! node "$RUNNER_DIR/browser-check.mjs" "http://127.0.0.1:$PORT"; then
  echo "--- next start log ---"
  cat "$WORK/server.log"
  fail "browser checks failed"
fi

finish_step
STEP="done"
echo
echo "==> [e2e] all steps passed in $((SECONDS - START_TS))s"
printf '  %s\n' "${SUMMARY[@]}"
