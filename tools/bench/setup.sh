#!/usr/bin/env bash
# Installs the benchmark's Python peers from Debian's packages.
exec "$(dirname "$0")/../apt-ensure.sh" python3-numpy python3-faiss python3-hnswlib
