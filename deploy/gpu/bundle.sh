#!/usr/bin/env bash
# Packs what a GPU check needs into one tarball for a machine with no .NET and no network: `sr` (upscale on the
# embedded silo, eval, bench-models, train) published self-contained for linux-x64 with the shipped weights, but
# without libtorch (-p:TorchBuild=none), plus run.sh, which runs it against the libtorch of a given folder, e.g. a
# PyTorch install's torch/lib.
#   deploy/gpu/bundle.sh [output folder]        (default: out/gpu-bundle; writes <folder>.tar.xz next to it)
# On the GPU machine:  tar -xJf gpu-bundle.tar.xz && gpu-bundle/run.sh <libtorch lib folder> bench-models --device cuda
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-out/gpu-bundle}")
rm -rf "$out" "$out.tar.xz"
# English messages only and no symbol files: a few MiB less, the limit being 60 MiB compressed.
dotnet publish src/Client -c Release -r linux-x64 --self-contained -p:TorchBuild=none \
  -p:SatelliteResourceLanguages=en -p:DebugType=none -o "$out/sr" --nologo -v quiet
cp deploy/gpu/run.sh "$out/run.sh"
XZ_OPT=-9 tar -C "$(dirname "$out")" -cJf "$out.tar.xz" "$(basename "$out")"
echo "$out.tar.xz: $(du -m "$out.tar.xz" | cut -f1) MiB ($(du -sm "$out" | cut -f1) MiB unpacked)"
