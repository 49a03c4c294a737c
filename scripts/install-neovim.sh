#!/usr/bin/env bash
# Installs Debian's neovim, the real LSP client of tests/editor_neovim.rs (which runs this when
# `nvim` is missing). Needs root or sudo; CI runs as root on a fresh machine.
set -euo pipefail
if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends neovim >/dev/null
nvim --version | head -1
