"""Speed of the E²DiffSR authors' PyTorch code (MoooJianG/LDCSR) on the project's model configurations.

Builds the official modules (GAPEncoder as CondNet, GAPDecoder with its SADNUpsampler, the LDM UNetModel) with
random weights in the `paper` or `small` configuration of src/Models/Configuration/SrConfig.cs, then times, on one
random LR tile, the three samplers as the official second stage runs them: deterministic (bicubic LR→HR, CondNet,
decode), LCMSR (one UNet call, then decode) and E²DiffSR (4 ancestral UNet steps, then decode). Prints one line per
sampler: `<config> <sampler> <seconds per output megapixel>`. Used by compare.py; not part of CI.

The official code imports einops and its own utils package (PIL, lightning helpers) only for code paths this
bench does not run; both are stubbed. The small configuration differs from the paper one in knobs the official code
hard-codes (GroupNorm groups 32, CCA reduction 16, a 4-level 256-wide CSUM), which are patched to the small values.
"""
import argparse
import math
import statistics
import sys
import time
import types


def stub_modules():
    einops = types.ModuleType("einops")

    def unused(*_, **__):
        raise NotImplementedError("einops is stubbed: this code path is not part of the bench")

    einops.rearrange = einops.repeat = unused
    sys.modules["einops"] = einops
    utils = types.ModuleType("utils")
    utils.instantiate_from_config = unused
    sys.modules["utils"] = utils


CONFIGS = {
    "paper": dict(ch=64, enc_mult=[1, 2, 2, 4], enc_res=2, dec_res=2, fru=[12, 12, 12, 12], cca=16, csum_levels=4,
                  csum_hidden=256, groups=32, unet_ch=64, unet_mult=[1, 2, 2, 4], unet_res=2, unet_attn=[8]),
    "small": dict(ch=32, enc_mult=[1, 2, 2, 2], enc_res=1, dec_res=1, fru=[3, 3, 3, 3], cca=8, csum_levels=3,
                  csum_hidden=64, groups=8, unet_ch=32, unet_mult=[1, 2, 2], unet_res=1, unet_attn=[4]),
}


def build(config, torch):
    import modules.e2sr.common as common
    import modules.diffusionmodules.util as dutil
    import modules.diffusionmodules.openaimodel as openai
    import modules.upsampler as upsampler
    import modules.e2sr.s1_v6 as s1
    nn = torch.nn
    c = CONFIGS[config]
    common.Normalize = lambda channels, num_groups=32: nn.GroupNorm(c["groups"], channels, eps=1e-6, affine=True)
    s1.Normalize = common.Normalize
    dutil.normalization = lambda channels: nn.GroupNorm(c["groups"], channels)
    openai.normalization = dutil.normalization
    cca_init = common.CCALayer.__init__
    common.CCALayer.__init__ = lambda self, channel, reduction=16: cca_init(self, channel, c["cca"])

    cond = s1.GAPEncoder(ch=c["ch"], ch_mult=c["enc_mult"], num_res_blocks=c["enc_res"], in_channels=3, z_channels=4,
                         double_z=False)
    decoder = s1.GAPDecoder(ch=c["ch"], out_ch=3, ch_mult=[1, 1, 1, 1], num_res_blocks=c["dec_res"], in_channels=3,
                            z_channels=4, num_sr_modules=c["fru"])
    if c["csum_levels"] != 4 or c["csum_hidden"] != 256:
        up = upsampler.SADNUpsampler(c["ch"], 3, 3, levels=c["csum_levels"])
        width, layers = c["ch"] * c["csum_levels"], []
        for _ in range(4):
            layers += [nn.Conv2d(width, c["csum_hidden"], 1), nn.ReLU()]
            width = c["csum_hidden"]
        up.fuse = nn.Sequential(*layers, nn.Conv2d(width, 3, 1))
        decoder.upsampler = up
    unet = openai.UNetModel(image_size=64, in_channels=8, model_channels=c["unet_ch"], out_channels=4,
                            num_res_blocks=c["unet_res"], attention_resolutions=c["unet_attn"],
                            channel_mult=c["unet_mult"], num_head_channels=32, use_scale_embedding=True,
                            use_osize_embedding=True)
    post_quant = nn.Conv2d(4, 4, 1)
    return [m.eval() for m in (cond, decoder, unet, post_quant)]


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
    sys.path.insert(0, args.repo)
    stub_modules()
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    modules = build(args.config, torch)
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
