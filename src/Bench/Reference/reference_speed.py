"""Speed of the E²DiffSR authors' PyTorch code (MoooJianG/LDCSR) on the project's model configurations.

Builds the official modules (GAPEncoder as CondNet, GAPDecoder with its SADNUpsampler, the LDM UNetModel) with
random weights in the `paper` or `small` configuration of src/Models/Configuration/SrConfig.cs, then times, on one
random LR tile, the three samplers as the official second stage runs them: deterministic (bicubic LR→HR, CondNet,
decode), LCMSR (one UNet call, then decode) and E²DiffSR (4 ancestral UNet steps, then decode). Prints one line per
sampler: `<config> <sampler> <seconds per output megapixel>`. Used by compare.py; not part of CI.

The modules are built by ldcsr_modules.py.
"""
import argparse
import math
import statistics
import sys
import time

from ldcsr_modules import CONFIGS, build as build_modules


def run(modules, torch, lr, scale, sampler):
    cond, decoder, unet, post_quant = modules
    F = torch.nn.functional
    n = lr.shape[0]
    out = [math.floor(lr.shape[2] * scale), math.floor(lr.shape[3] * scale)]
    lr_up = F.interpolate(lr, out, mode="bicubic", align_corners=False)
    c = cond(None, lr_up)
    if sampler != "deterministic":
        x = torch.randn_like(c)
        s = torch.full((n,), scale)
        osize = torch.full((n,), float(out[0]))
        steps = 4 if sampler == "e2diffsr" else 1
        for t in reversed(range(steps)):
            eps = unet(torch.cat([x, c], 1), torch.full((n,), t, dtype=torch.long), scale=s, osize=osize)
            x = x - 0.1 * eps + (0.1 * torch.randn_like(x) if t > 0 else 0)
        c = x
    return decoder(post_quant(c), lr, out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True, help="checkout of MoooJianG/LDCSR")
    parser.add_argument("--config", choices=CONFIGS, required=True)
    parser.add_argument("--lr-tile", type=int, default=64)
    parser.add_argument("--scale", type=float, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--samplers", default="deterministic,lcmsr,e2diffsr")
    args = parser.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    _, _, decoder, post_quant, cond, unet = build_modules(args.config, torch, args.repo)
    modules = [cond, decoder, unet, post_quant]
    lr = torch.rand(1, 3, args.lr_tile, args.lr_tile) * 2 - 1
    megapixels = math.floor(args.lr_tile * args.scale) ** 2 / 1e6
    with torch.inference_mode():
        for sampler in args.samplers.split(","):
            run(modules, torch, lr, args.scale, sampler)  # untimed warm-up, as the C# bench does
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                run(modules, torch, lr, args.scale, sampler)
                times.append(time.perf_counter() - start)
            print(f"{args.config} {sampler} {statistics.median(times) / megapixels:.4f}", flush=True)


if __name__ == "__main__":
    main()
