"""Ours ÷ the authors' PyTorch code, per configuration and sampler, interleaved in one run (A B A B), medians.

    /usr/bin/python3 src/Bench/Reference/compare.py --repo <LDCSR checkout> [--lr-tile 64] [--scale 4] [--rounds 3]

Runs `sr bench-models` (this repository's build, src/Client/bin/Release) and reference_speed.py on the same LR tile
size, scale and thread count, alternating per configuration, and prints seconds per output megapixel and the ratio
(below 1: ours is faster). Needs Debian's python3-torch (1.13, CPU). Not part of CI.
"""
import argparse
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SAMPLERS = {"deterministic": "deterministic", "lcmsr (1 step)": "lcmsr", "e2diffsr (4 steps)": "e2diffsr"}


def ours(config, args):
    app = os.path.join(ROOT, "src", "Client", "bin", "Release", "net10.0", "sr.dll")
    out = subprocess.run(["dotnet", app, "bench-models", "--configs", config, "--lr-tile", str(args.lr_tile),
                          "--scale", str(args.scale), "--repeats", str(args.repeats)],
                         check=True, capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        for label, sampler in SAMPLERS.items():
            if line.startswith(f"{config:<7} {label:<18}"):
                result[sampler] = float(line[7 + 1 + 18:].split()[0])
    return result


def reference(config, args):
    out = subprocess.run([sys.executable, os.path.join(HERE, "reference_speed.py"), "--repo", args.repo, "--config", config,
                          "--lr-tile", str(args.lr_tile), "--scale", str(args.scale), "--threads", str(args.threads),
                          "--repeats", str(args.repeats)], check=True, capture_output=True, text=True).stdout
    return {line.split()[1]: float(line.split()[2]) for line in out.splitlines() if line.startswith(config)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--configs", default="small,paper")
    parser.add_argument("--lr-tile", type=int, default=64)
    parser.add_argument("--scale", type=float, default=4)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    samples = {}
    for round in range(args.rounds):
        for config in args.configs.split(","):
            for side, measure in (("pytorch", reference), ("ours", ours)) if round % 2 == 0 else (("ours", ours), ("pytorch", reference)):
                for sampler, seconds in measure(config, args).items():
                    samples.setdefault((config, sampler, side), []).append(seconds)
            print(f"round {round + 1}/{args.rounds} {config} done", file=sys.stderr, flush=True)
    side = int(args.lr_tile * args.scale)
    print(f"×{args.scale:g} on a {args.lr_tile}² LR tile ({side}² output), {args.threads} threads, medians of {args.rounds} interleaved rounds "
          f"(each the median of {args.repeats} runs after a warm-up)")
    print("| config | sampler | PyTorch s/MP | ours s/MP | ours ÷ PyTorch |")
    print("|---|---|---:|---:|---:|")
    for config in args.configs.split(","):
        for sampler in SAMPLERS.values():
            py = statistics.median(samples[(config, sampler, "pytorch")])
            us = statistics.median(samples[(config, sampler, "ours")])
            print(f"| {config} | {sampler} | {py:.3f} | {us:.3f} | {us / py:.2f} |")


if __name__ == "__main__":
    main()
