#!/usr/bin/env bash
# Installs what the tiny-clip scripts need, from Debian's packages only (no PyPI here).
set -euo pipefail
pkgs=(python3-torch python3-onnx python3-numpy python3-pil python3-regex)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
