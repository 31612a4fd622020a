#!/usr/bin/env bash
# Runs the bundled sr against the libtorch in <libtorch lib folder> (libtorch_cpu.so, libc10.so and, on a GPU
# machine, libtorch_cuda.so; for a PyTorch install: python -c 'import torch, os; print(os.path.dirname(torch.__file__) + "/lib")').
#   run.sh <libtorch lib folder> <sr arguments...>
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1/libtorch_cpu.so" ]; then
  echo "error: ${1:-<libtorch lib folder>}: no libtorch_cpu.so there (usage: run.sh <libtorch lib folder> <sr arguments...>)" >&2
  exit 2
fi
lib=$(realpath "$1"); shift
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$(dirname "$(realpath "$0")")/sr/sr" "$@"
