#!/usr/bin/python3
"""Checkpoints in the exact layout the E²DiffSR authors' code writes (MoooJianG/LDCSR), and the reference's outputs
for them, for tests/Models.Tests/LdcsrImportTests.cs. Needs Debian's python3-torch (and python3-omegaconf) and a
checkout of LDCSR:

    /usr/bin/python3 src/Bench/Reference/ldcsr_fixture.py --repo <LDCSR checkout> [--config tiny] [--out tests/Models.Tests/Data]
    /usr/bin/python3 src/Bench/Reference/ldcsr_fixture.py --repo <LDCSR checkout> --check-export <exported.ckpt> --config tiny

Writes, for a configuration of ldcsr_modules.py (random weights, the reference's own modules):
- ldcsr-<config>-e2diffsr.ckpt: a second-stage Lightning checkpoint as second_stage_van_v4 (T = 4, ε) writes it:
  state_dict with the DDPM schedule buffers, scale_factor, model.diffusion_model.* (the UNet), model_ema.* (LitEma:
  the EMA UNet, dots removed, decay, num_updates), first_stage_model.* (encoder, quant convs, decoder) and
  cond_stage_model.*; beside it Lightning's epoch, global_step, loops, callbacks (ModelCheckpoint state), AdamW
  optimizer state, lr_schedulers and OmegaConf hyper-parameters. The EMA differs from the online UNet, so a test
  sees which one an import took.
- ldcsr-<config>-lcmsr.ckpt: the same for second_stage_consistency_v1 (T = 1000, x0) with the continuous-scale decoder.
- ldcsr-<config>-lcmsr-x4.ckpt: LCMSR as published (@03118c4): second_stage_consistency_v1 over the fixed-×4
  first stage (s1_v6_fixed_scale: additive fusion, pixel-shuffle tail).
- ldcsr-<config>-first-stage.ckpt: a first-stage checkpoint (encoder, decoder, quant convs, loss.* of the
  LPIPS/discriminator loss).
- ldcsr-<config>-reference.safetensors: a fixed LR (osize/4 square, 16² for tiny, ×4 to osize²) and, per checkpoint, what the reference computes
  with the EMA weights: CondNet features, one UNet call, the decoder output of the CondNet latent (the deterministic
  upscale), a 4-step E²DiffSR and a 1-step LCMSR upscale with the noise stored beside them (LCMSR without the
  reference's final re-noising to t = 0, which the port leaves out: docs/models.md §3).
--check-export loads a checkpoint written by `sr weights export --format ldcsr` into the reference modules with
strict=True, prints the largest difference of the deterministic upscale from the fixture's, and saves the modules'
state back with torch.save as <exported>.resaved.ckpt (what the reference's trainer would write), for
`sr weights import` to close the round trip."""
import argparse
import collections
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

from ldcsr_modules import CONFIGS, build

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEDULE_BUFFERS = ["betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod",
                    "log_one_minus_alphas_cumprod", "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod",
                    "posterior_variance", "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2"]
KINDS = {"e2diffsr": dict(T=4, start=0.1, end=0.99), "lcmsr": dict(T=1000, start=0.0015, end=0.0155)}


def schedule(repo, kind):
    from modules.diffusionmodules.util import make_beta_schedule
    k = KINDS[kind]
    betas = make_beta_schedule("linear", k["T"], linear_start=k["start"], linear_end=k["end"])
    import numpy as np
    alphas = 1.0 - betas
    ac = np.cumprod(alphas, axis=0)
    ac_prev = np.append(1.0, ac[:-1])
    variance = betas * (1.0 - ac_prev) / (1.0 - ac)  # v_posterior = 0, as ddpm.register_schedule
    values = [betas, ac, ac_prev, np.sqrt(ac), np.sqrt(1.0 - ac), np.log(1.0 - ac), np.sqrt(1.0 / ac), np.sqrt(1.0 / ac - 1),
              variance, np.log(np.maximum(variance, 1e-20)), betas * np.sqrt(ac_prev) / (1.0 - ac),
              (1.0 - ac_prev) * np.sqrt(alphas) / (1.0 - ac)]
    return {name: torch.tensor(v, dtype=torch.float32) for name, v in zip(SCHEDULE_BUFFERS, values)}


def randomize(module, generator):
    """Weights drawn so that every layer matters (the reference zero-initialises output convs)."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.GroupNorm):
                m.weight.copy_(1 + 0.1 * torch.randn(m.weight.shape, generator=generator))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=generator))
                continue
            for name, p in m.named_parameters(recurse=False):
                fan_in = p[0].numel() if p.dim() > 1 else 1
                p.copy_(torch.randn(p.shape, generator=generator) * (1 / math.sqrt(fan_in) if p.dim() > 1 else 0.1))


class Wrapper(torch.nn.Module):
    """DDPM's DiffusionWrapper: the UNet as `diffusion_model`, which names the keys of model.* and model_ema.*."""

    def __init__(self, unet):
        super().__init__()
        self.diffusion_model = unet


def lightning_extras(state_dict, config):
    from omegaconf import OmegaConf
    params = [v for k, v in state_dict.items() if k.startswith("model.diffusion_model.") or k.startswith("cond_stage_model.")]
    # AdamW's moments for the first parameters only: the layout of the real thing at a fraction of its size
    optimizer = {"state": {i: {"step": torch.tensor(1200.0), "exp_avg": torch.randn_like(p) * 1e-3, "exp_avg_sq": torch.rand_like(p) * 1e-6}
                           for i, p in enumerate(params[:4])},
                 "param_groups": [{"lr": 8e-05, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0.01, "amsgrad": False,
                                   "maximize": False, "foreach": None, "capturable": False, "params": list(range(len(params)))}]}
    monitor = "ModelCheckpoint{'monitor': 'val/psnr', 'mode': 'max', 'every_n_train_steps': 0, 'every_n_epochs': 1, 'train_time_interval': None}"
    return {
        "epoch": 11, "global_step": 1200, "pytorch-lightning_version": "1.9.5",
        "loops": {"fit_loop": {"state_dict": {}, "epoch_loop.state_dict": {"_batches_that_stepped": 1200},
                               "epoch_progress": {"total": {"ready": 12, "started": 12, "processed": 12, "completed": 11}}}},
        "callbacks": {monitor: {"monitor": "val/psnr", "best_model_score": torch.tensor(27.19), "best_model_path": "logs/ckpt/epoch=11-best.ckpt",
                                "current_score": torch.tensor(27.01), "dirpath": "logs/ckpt", "best_k_models": {"logs/ckpt/epoch=11-best.ckpt": torch.tensor(27.19)},
                                "kth_best_model_path": "", "kth_value": torch.tensor(float("-inf")), "last_model_path": "logs/ckpt/last.ckpt"}},
        "optimizer_states": [optimizer], "lr_schedulers": [],
        "hparams_name": "kwargs",
        "hyper_parameters": OmegaConf.create({"linear_start": 0.1, "timesteps": 4, "parameterization": "eps", "config": config,
                                              "unet_config": {"target": "modules.diffusionmodules.openaimodel.UNetModel", "params": {"channel_mult": [1, 2]}}}),
    }


def second_stage(parts, kind, generator, repo, config):
    encoder, quant, decoder, post_quant, cond, unet = parts
    state = collections.OrderedDict()
    state.update(schedule(repo, kind))
    state["scale_factor"] = torch.tensor(0.8123)
    for name, v in Wrapper(unet).state_dict().items():
        state["model." + name] = v
    import modules.ema as ema
    lit = ema.LitEma(Wrapper(unet))
    with torch.no_grad():  # an EMA that differs from the online weights
        for name, b in lit.named_buffers():
            if b.dtype == torch.float32 and b.dim() > 0:
                b.add_(0.05 * torch.randn(b.shape, generator=generator) * (b.std() if b.numel() > 1 else 1))
        lit.num_updates.fill_(1200)
    for name, v in lit.state_dict().items():
        state["model_ema." + name] = v
    for prefix, m in (("encoder", encoder), ("decoder", decoder), ("quant_conv", quant), ("post_quant_conv", post_quant)):
        for name, v in m.state_dict().items():
            state[f"first_stage_model.{prefix}.{name}"] = v
    for name, v in cond.state_dict().items():
        state["cond_stage_model." + name] = v
    checkpoint = {"state_dict": state}
    checkpoint.update(lightning_extras(state, config))
    return checkpoint, lit


def ema_unet(unet, lit):
    """The UNet with the EMA weights, as the reference's ema_scope() swaps them in for sampling."""
    import copy
    shadow = copy.deepcopy(unet)
    named = dict(lit.named_buffers())
    with torch.no_grad():
        for name, p in Wrapper(shadow).named_parameters():
            p.copy_(named[name.replace(".", "")])
    return shadow.eval()


def reference_outputs(parts, unet, state, kind, lr, scale, generator, prefix):
    _, _, decoder, post_quant, cond, _ = parts
    out = [lr.shape[2] * scale, lr.shape[3] * scale]
    scale_factor = state["scale_factor"].item()
    with torch.no_grad():
        lr_up = F.interpolate(lr, out, mode="bicubic", align_corners=False)
        c = cond(None, lr_up)
        n = lr.shape[0]
        s = torch.full((n,), scale, dtype=torch.long)  # the reference's int(H_hr / H_lr)
        osize = torch.full((n,), out[0], dtype=torch.long)

        def decode(latent):
            return decoder(post_quant(latent / scale_factor), lr, out)

        def model(x, t):
            return unet(torch.cat([x, c], 1), torch.full((n,), t, dtype=torch.long), scale=s, osize=osize)

        result = {f"{prefix}.condition": c, f"{prefix}.deterministic": decode(c)}
        probe = torch.randn(c.shape, generator=generator)
        result[f"{prefix}.unet_input"] = probe
        result[f"{prefix}.unet_output"] = model(probe, 2 if kind == "e2diffsr" else 600)
        result[f"{prefix}.unet_t"] = torch.tensor([2.0 if kind == "e2diffsr" else 600.0])
        x = torch.randn(c.shape, generator=generator)
        result[f"{prefix}.noise_start"] = x.clone()
        if kind == "e2diffsr":
            T = KINDS[kind]["T"]
            for t in reversed(range(T)):
                eps = model(x, t)
                x0 = state["sqrt_recip_alphas_cumprod"][t] * x - state["sqrt_recipm1_alphas_cumprod"][t] * eps
                mean = state["posterior_mean_coef1"][t] * x0 + state["posterior_mean_coef2"][t] * x
                if t > 0:
                    noise = torch.randn(c.shape, generator=generator)
                    result[f"{prefix}.noise_step{t}"] = noise
                    x = mean + (0.5 * state["posterior_log_variance_clipped"][t]).exp() * noise
                else:
                    x = mean
        else:
            t = KINDS[kind]["T"] - 1
            u = (t / KINDS[kind]["T"]) / 0.1  # scalings_for_boundary_conditions(t / T)
            c_skip, c_out = 0.25 / (u ** 2 + 0.25), u / (u ** 2 + 0.25) ** 0.5
            x = c_skip * x + c_out * model(x, t)
        result[f"{prefix}.sampled"] = decode(x)
    return result


def write_safetensors(path, tensors, source):
    header, offset, blobs = {"__metadata__": {"source": source}}, 0, []
    for name in sorted(tensors):
        data = tensors[name].float().contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(raw).to_bytes(8, "little") + raw + b"".join(blobs))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--config", default="tiny")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "..", "tests", "Models.Tests", "Data"))
    parser.add_argument("--check-export")
    args = parser.parse_args()
    repo = os.path.abspath(args.repo)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(5)
    side = CONFIGS[args.config]["osize"] // 4
    lr = torch.rand(1, 3, side, side, generator=generator) * 2 - 1
    if args.check_export:
        return check_export(args, repo, lr)
    reference, names = {"input.lr": lr}, []
    first = None
    for kind in KINDS:
        parts = build(args.config, torch, repo)
        for part in parts:
            randomize(part, generator)
        first = first or parts
        checkpoint, lit = second_stage(parts, kind, generator, repo, args.config)
        path = os.path.join(args.out, f"ldcsr-{args.config}-{kind}.ckpt")
        torch.save(checkpoint, path)
        names.append(path)
        reference.update(reference_outputs(parts, ema_unet(parts[5], lit), checkpoint["state_dict"], kind, lr, 4, generator, kind))
    encoder, quant, decoder, post_quant, _, _ = first
    state = collections.OrderedDict()
    for prefix, m in (("encoder", encoder), ("decoder", decoder), ("loss.discriminator.main.0", torch.nn.Conv2d(3, 8, 4)),
                      ("quant_conv", quant), ("post_quant_conv", post_quant)):
        for name, v in m.state_dict().items():
            state[f"{prefix}.{name}"] = v
    state["loss.logvar"] = torch.zeros(())
    path = os.path.join(args.out, f"ldcsr-{args.config}-first-stage.ckpt")
    torch.save({"epoch": 779, "global_step": 780000, "pytorch-lightning_version": "1.9.5", "state_dict": state,
                "optimizer_states": [], "lr_schedulers": []}, path)
    names.append(path)
    parts = build(args.config, torch, repo, fixed_scale=4)
    for part in parts:
        randomize(part, generator)
    with torch.no_grad():  # additive fusion has no normalisation: keep the output near [-1, 1] as a trained model's is
        parts[2].upsampler[-1].weight.mul_(0.05)
        parts[2].upsampler[-1].bias.mul_(0.05)
    checkpoint, lit = second_stage(parts, "lcmsr", generator, repo, args.config)
    path = os.path.join(args.out, f"ldcsr-{args.config}-lcmsr-x4.ckpt")
    torch.save(checkpoint, path)
    names.append(path)
    reference.update(reference_outputs(parts, ema_unet(parts[5], lit), checkpoint["state_dict"], "lcmsr", lr, 4, generator, "lcmsr-x4"))
    path = os.path.join(args.out, f"ldcsr-{args.config}-reference.safetensors")
    write_safetensors(path, reference, f"MoooJianG/LDCSR via src/Bench/Reference/ldcsr_fixture.py ({args.config} config)")
    for name in names + [path]:
        print(f"wrote {name} ({os.path.getsize(name):,} bytes)")


def check_export(args, repo, lr):
    """Loads an exported checkpoint into the reference's modules with strict=True, then compares the deterministic
    upscale with the fixture's (the export must hold exactly the weights it was imported from)."""
    checkpoint = torch.load(args.check_export, map_location="cpu")
    state = checkpoint["state_dict"]
    kind = "e2diffsr" if state["betas"].numel() == 4 else "lcmsr"
    parts = build(args.config, torch, repo)
    encoder, quant, decoder, post_quant, cond, unet = parts
    for prefix, m in (("first_stage_model.encoder.", encoder), ("first_stage_model.quant_conv.", quant), ("first_stage_model.decoder.", decoder),
                      ("first_stage_model.post_quant_conv.", post_quant), ("cond_stage_model.", cond), ("model.", Wrapper(unet))):
        m.load_state_dict({k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}, strict=True)
    import modules.ema as ema
    lit = ema.LitEma(Wrapper(unet))
    lit.load_state_dict({k[len("model_ema."):]: v for k, v in state.items() if k.startswith("model_ema.")}, strict=True)
    expected_keys = set(torch.load(os.path.join(args.out, f"ldcsr-{args.config}-{kind}.ckpt"), map_location="cpu")["state_dict"])
    missing, unexpected = expected_keys - set(state), set(state) - expected_keys
    generator = torch.Generator().manual_seed(5)
    torch.rand(1, 3, lr.shape[2], lr.shape[3], generator=generator)
    outputs = reference_outputs(parts, ema_unet(unet, lit), state, kind, lr, 4, generator, kind)
    fixture = os.path.join(args.out, f"ldcsr-{args.config}-reference.safetensors")
    raw = open(fixture, "rb").read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    entry = header[f"{kind}.deterministic"]
    begin, end = entry["data_offsets"]
    expected = torch.frombuffer(bytearray(raw[8 + n + begin:8 + n + end]), dtype=torch.float32).view(entry["shape"])
    print(f"{args.check_export}: strict load OK into the reference modules ({kind}); keys missing {len(missing)}, unexpected {len(unexpected)}; "
          f"deterministic upscale max |Δ| vs the fixture {(outputs[f'{kind}.deterministic'] - expected).abs().max().item():.3g}")
    resaved = collections.OrderedDict((k, v) for k, v in state.items() if not k.startswith(("first_stage_model.", "cond_stage_model.", "model.", "model_ema.")))
    for prefix, m in (("first_stage_model.encoder.", encoder), ("first_stage_model.quant_conv.", quant), ("first_stage_model.decoder.", decoder),
                      ("first_stage_model.post_quant_conv.", post_quant), ("cond_stage_model.", cond), ("model.", Wrapper(unet))):
        resaved.update((prefix + k, v) for k, v in m.state_dict().items())
    resaved.update(("model_ema." + k, v) for k, v in lit.state_dict().items())
    torch.save({"state_dict": resaved, "epoch": 0, "global_step": 0}, args.check_export + ".resaved.ckpt")
    print(f"wrote {args.check_export}.resaved.ckpt from the reference modules' state")
    return 0 if not missing and not unexpected else 1


if __name__ == "__main__":
    sys.exit(main())
