#!/usr/bin/env bash
# Installs what the tiny-clip scripts need, from Debian's packages only (no PyPI here).
exec "$(dirname "$0")/../apt-ensure.sh" python3-torch python3-onnx python3-numpy python3-pil python3-regex
