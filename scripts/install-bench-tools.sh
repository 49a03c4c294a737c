#!/usr/bin/env bash
# Install the tools scripts/bench.sh needs: hyperfine, ripgrep, GNU time (/usr/bin/time).
# Uses apt-get (Debian). Runs `apt-get update` first; uses sudo only when not root.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-bench-tools: not root and sudo not available" >&2
    exit 1
  fi
fi

missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || command -v jq >/dev/null 2>&1 || missing+=(jq)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-bench-tools: hyperfine, ripgrep and /usr/bin/time already installed"
  exit 0
fi

echo "install-bench-tools: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"

command -v hyperfine >/dev/null && command -v rg >/dev/null && [ -x /usr/bin/time ]
echo "install-bench-tools: done ($(hyperfine --version), $(rg --version | head -1))"
