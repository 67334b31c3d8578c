#!/usr/bin/env bash
# Installs what the tiny-clip scripts need, from Debian's packages only (no PyPI here). OpenBLAS, because Debian's
# python3-torch on the reference BLAS trains several times slower; run the scripts with OMP_WAIT_POLICY=PASSIVE.
exec "$(dirname "$0")/../apt-ensure.sh" python3-torch python3-onnx python3-numpy python3-pil python3-regex python3-sentencepiece libopenblas0-pthread
