#!/usr/bin/python3
"""IDM's reference model (github Ree1s/IDM) measured for issue 19, with Debian's python3-torch (1.13, /usr/bin/python3)
and a checkout of the repository:

    /usr/bin/python3 src/Bench/Reference/idm_reference.py <Ree1s/IDM checkout> [--fixture <out.safetensors>]

(from a bare mirror: git clone --no-checkout <mirror> idm && git -C idm checkout HEAD -- model/sr3_modules model/ops config)

1. Parameter counts, per part, of the paper configuration (config/df2k_liifsr3_x4.json: EDSR-baseline 16x64 and the
   UNet) and of the port's `small` configuration built with the reference's own classes: all parameters, and the ones
   a forward pass reaches (those that get a gradient from one training loss). The port builds only the latter.
2. --fixture: a tiny configuration's weights (renamed to the port's state-dict names), inputs and reference outputs
   (condition image and predicted noise) for tests/Models.Tests/IdmReferenceTests.cs.
3. --gen-pth: the same weights as the reference saves them (model.save_network: GaussianDiffusion's state_dict with
   encoder.*, denoise_fn.*, imnet.* and the schedule buffers, torch.save), for tests/Models.Tests/IdmImportTests.cs.
   The parameters no forward pass reaches keep their keys and shapes but are stored as broadcast views of a single
   zero (stride 0): the tiny configuration's unused 512-channel style layers would otherwise take 35 MB.

The reference imports einops, its own data.util, torch.distributed ranks and CUDA extensions; the script supplies
CPU equivalents (rearrange 'b (h w) c -> b c h w' as the reference calls it, LIIF's make_coord, rank 'cpu', the
fused leaky ReLU as leaky_relu(x + b, 0.2)·√2), so nothing is installed beyond python3-torch."""
import json, math, os, re, sys, tempfile, types
import numpy as np
import torch
import torch.nn.functional as F

repo = os.path.abspath(sys.argv[1])
stubs = tempfile.mkdtemp()
os.makedirs(os.path.join(stubs, 'data'))
open(os.path.join(stubs, 'data', '__init__.py'), 'w').close()
open(os.path.join(stubs, 'data', 'util.py'), 'w').write('''import torch
def make_coord(shape, ranges=None, flatten=True):
    seqs = []
    for n in shape:
        r = 1.0 / n
        seqs.append(-1 + r + 2 * r * torch.arange(n).float())
    ret = torch.stack(torch.meshgrid(*seqs, indexing='ij'), dim=-1)
    return ret.view(-1, ret.shape[-1]) if flatten else ret
''')
open(os.path.join(stubs, 'einops.py'), 'w').write('''def rearrange(x, pattern, h):
    assert pattern == 'b (h w) c -> b c h w'
    b, n, c = x.shape
    return x.view(b, h, n // h, c).permute(0, 3, 1, 2)
''')
sys.path[:0] = [stubs, repo]
sys.modules['model'] = types.ModuleType('model')  # skip model/__init__.py, which imports the training code
sys.modules['model'].__path__ = [os.path.join(repo, 'model')]
torch.distributed.get_rank = lambda: 'cpu'

from model.ops.fused_act import fused_act  # noqa: E402
fused_act.fused_leaky_relu = lambda x, bias, negative_slope=0.2, scale=2 ** 0.5: \
    F.leaky_relu(x + bias.view(1, -1, *([1] * (x.dim() - 2))), negative_slope) * scale
from model.sr3_modules import edsr, unet  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ldcsr_fixture import write_safetensors  # noqa: E402

paper = json.loads(re.sub(r'//.*', '', open(os.path.join(repo, 'config', 'df2k_liifsr3_x4.json')).read()))['model']['unet']
CONFIGS = {
    # image_size 128 puts attention at 16x16: UNet level 3 (the port's AttentionLevels [3]).
    'paper': dict(unet=dict(inner_channel=paper['inner_channel'], norm_groups=32, channel_mults=paper['channel_multiplier'],
                            attn_res=paper['attn_res'], res_blocks=paper['res_blocks'], dropout=paper['dropout'], image_size=128),
                  edsr=dict(n_resblocks=16, n_feats=64)),
    'small': dict(unet=dict(inner_channel=32, norm_groups=8, channel_mults=[1, 2, 2, 4], attn_res=[], res_blocks=1,
                            dropout=0, image_size=64), edsr=dict(n_resblocks=4, n_feats=32)),
    'tiny': dict(unet=dict(inner_channel=16, norm_groups=4, channel_mults=[1, 2, 2], attn_res=[16], res_blocks=1,
                           dropout=0, image_size=32), edsr=dict(n_resblocks=2, n_feats=16)),
}


def build(name, seed=0):
    torch.manual_seed(seed)
    c = CONFIGS[name]
    denoiser = unet.UNet(in_channel=6, out_channel=3, **c['unet'])
    encoder = edsr.EDSR(scale=8, no_upsampling=False, rgb_range=1, **c['edsr'])
    return encoder, denoiser


def forward(encoder, denoiser, lr, hr_size, noisy, scaler, gamma):
    condition = encoder(lr, (hr_size, hr_size))
    return condition, denoiser(torch.cat([condition, noisy], 1), condition, scaler, gamma)


def used_parameters(name):
    encoder, denoiser = build(name)
    encoder.train(); denoiser.train()
    size = 2 ** (len(CONFIGS[name]['unet']['channel_mults']) - 1) * 4
    _, eps = forward(encoder, denoiser, torch.randn(2, 3, size // 2, size // 2), size, torch.randn(2, 3, size, size),
                     torch.rand(2, 1), torch.rand(2, 1))
    eps.abs().mean().backward()
    def count(module, used):
        return sum(p.numel() for p in module.parameters() if not used or (p.grad is not None))
    return {'edsr': (count(encoder, False), count(encoder, True)), 'unet': (count(denoiser, False), count(denoiser, True))}


def port_name(reference):
    """The port's state-dict name of a reference parameter, or None for those forward never reaches."""
    n = reference
    rules = [
        (r'^encoder\.head\.0\.', 'encoder.head.'), (r'^encoder\.body\.(\d+)\.body\.(\d)\.', r'encoder.body.\1.\2.'),
        (r'^encoder\.body\.(\d+)\.(weight|bias)$', r'encoder.body_out.\2'), (r'^encoder\.tail\.0\.', 'encoder.tail.'),
        (r'^unet\.noise_level_mlp\.1\.', 'unet.noise_mlp_in.'), (r'^unet\.noise_level_mlp\.3\.', 'unet.noise_mlp_out.'),
        (r'^unet\.conv_body_first\.0\.weight', 'unet.conditioning.conv_body_first.weight'),
        (r'^unet\.conv_body_first\.1\.bias', 'unet.conditioning.conv_body_first.activate.bias'),
        (r'^unet\.conv_body_down\.(\d+)\.1\.weight', r'unet.conditioning.conv_body_down.\1.weight'),
        (r'^unet\.conv_body_down\.(\d+)\.2\.bias', r'unet.conditioning.conv_body_down.\1.activate.bias'),
        (r'^unet\.condition_(scale1|scale2)\.(\d+)\.', lambda m: f'unet.conditioning.condition_{m[1]}.{int(m[2]) - 1}.'),
        (r'^unet\.condition_shift\.(\d+)\.0\.', lambda m: f'unet.conditioning.condition_shift.{int(m[1]) - 1}.'),
        (r'^unet\.final_conv\.block\.0\.', 'unet.final_norm.'), (r'^unet\.final_conv\.block\.3\.', 'unet.final_conv.'),
    ]
    for pattern, replacement in rules:
        if re.match(pattern, n):
            return re.sub(pattern, replacement, n)
    return None


def block_name(prefix, index, rest):
    table = {'res_block.noise_func.noise_func.0': 'noise_func', 'res_block.block1.block.0': 'norm1',
             'res_block.block1.block.3': 'conv1', 'res_block.block2.block.0': 'norm2', 'res_block.block2.block.3': 'conv2',
             'res_block.res_conv': 'res_conv', 'attn.norm': 'attn_norm', 'attn.qkv': 'attn_qkv', 'attn.out': 'attn_out'}
    module, leaf = rest.rsplit('.', 1)
    return f'unet.{prefix}.{index}.{table[module]}.{leaf}'


def gen_pth(path, encoder, denoiser):
    """GaussianDiffusion's state_dict as model.save_network writes it."""
    import collections
    import numpy as np
    state = collections.OrderedDict()
    for prefix, module in (('encoder', encoder), ('denoise_fn', denoiser)):
        for name, p in module.named_parameters():
            state[f'{prefix}.{name}'] = p.detach().clone() if p.grad is not None else torch.zeros(1).expand(p.shape)
    for name in ('layers.0', 'layers.2', 'layers.4', 'layers.6', 'layers.8'):  # mlp.MLP(64 + 2, 3, [256] * 4): built, never called
        state[f'imnet.{name}.weight'] = torch.zeros(1).expand(256 if name != 'layers.8' else 3, 18 if name == 'layers.0' else 256)
        state[f'imnet.{name}.bias'] = torch.zeros(1).expand(256 if name != 'layers.8' else 3)
    betas = np.linspace(1e-6, 1e-2, 2000, dtype=np.float64)
    alphas_cumprod = np.cumprod(1 - betas)
    for name, value in (('betas', betas), ('alphas_cumprod', alphas_cumprod), ('alphas_cumprod_prev', np.append(1., alphas_cumprod[:-1]))):
        state[name] = torch.tensor(value, dtype=torch.float32)
    torch.save(state, path)
    print(f'wrote {path}: {len(state)} entries')


def reference_sampling(encoder, denoiser, lr, steps=8, total=2000):
    """GaussianDiffusion.generalized_steps (DDIM, c1 = 0) with its 200 steps generalised to `steps`, from a stored
    x_T, at ×2 (8² → 16²), the scaler being the port's normalised scale (2 − 1) / (8 − 1)."""
    generator = torch.Generator().manual_seed(17)
    x_t = torch.randn(1, 3, 16, 16, generator=generator)
    betas = torch.tensor(np.linspace(1e-6, 1e-2, total), dtype=torch.float32)
    def alpha(t):  # compute_alpha: (1 - [0, betas]).cumprod()[t + 1], in float32
        return (1 - torch.cat([torch.zeros(1), betas])).cumprod(0)[t + 1]
    sqrt_prev = np.sqrt(np.append(1., np.cumprod(1 - np.linspace(1e-6, 1e-2, total))))
    scaler = torch.tensor([[1 / 7]])
    with torch.no_grad():
        condition = encoder(lr, (16, 16))
        skip = total // steps
        seq = list(range(0, total, skip))
        seq_next = [-1] + seq[:-1]
        img = x_t
        for i, j in zip(reversed(seq), reversed(seq_next)):
            if i == 0:
                break
            noise_level = torch.FloatTensor([sqrt_prev[i + 1]]).repeat(1, 1)
            at, at_next = alpha(i), alpha(j)
            et = denoiser(torch.cat([condition, img], 1), condition, scaler, noise_level)
            x0 = (img - et * (1 - at).sqrt()) / at.sqrt()
            img = at_next.sqrt() * x0 + (1 - at_next).sqrt() * et
    return {'input.noise_hr': x_t, f'output.ddim_reference_{steps}': img}


def fixture(path, pth=None):
    encoder, denoiser = build('tiny', seed=3)
    encoder.eval(); denoiser.eval()
    _, eps = forward(encoder, denoiser, torch.randn(1, 3, 8, 8), 16, torch.randn(1, 3, 16, 16), torch.rand(1, 1), torch.rand(1, 1))
    eps.abs().mean().backward()  # the parameters forward reaches get a gradient; only those are exported
    with torch.no_grad():  # nonzero biases so that every term is exercised
        for p in list(encoder.parameters()) + list(denoiser.parameters()):
            if p.dim() == 1:
                p.add_(0.1 * torch.randn_like(p))
    if pth:
        gen_pth(pth, encoder, denoiser)
    tensors = {}
    for module_prefix, module in (('encoder', encoder), ('unet', denoiser)):
        for name, p in module.named_parameters():
            if p.grad is None:
                continue
            full = f'{module_prefix}.{name}'
            mapped = port_name(full)
            m = re.match(r'^unet\.(downs|ups|mid)\.(\d+)\.(.*)$', full)
            if mapped is None and m:
                group, index, rest = m[1], int(m[2]), m[3]
                layer = getattr(denoiser, group)[index]
                if group == 'downs' and index == 0:
                    mapped = f'unet.conv_in.{rest}'
                elif type(layer).__name__ == 'Downsample':
                    mapped = f'unet.downsamplers.{sum(type(l).__name__ == "Downsample" for l in denoiser.downs[:index])}.{rest.split(".", 1)[1]}'
                elif type(layer).__name__ == 'idm':
                    k = sum(type(l).__name__ == 'idm' for l in denoiser.ups[:index])
                    mapped = {'style.activate.bias': f'unet.upsamplers.{k}.activate.bias', 'imnet.0.weight': f'unet.upsamplers.{k}.imnet_in.weight',
                              'imnet.0.bias': f'unet.upsamplers.{k}.imnet_in.bias', 'imnet.1.weight': f'unet.upsamplers.{k}.imnet_out.weight',
                              'imnet.1.bias': f'unet.upsamplers.{k}.imnet_out.bias'}.get(rest)
                else:
                    same = [l for l in getattr(denoiser, group)[:index] if type(l).__name__ == 'ResnetBlocWithAttn']
                    mapped = block_name(group, len(same), rest)
            if mapped is not None:
                tensors[mapped] = p.detach().clone().contiguous()
    torch.manual_seed(11)
    lr = torch.rand(1, 3, 8, 8) * 2 - 1
    noisy, scaler, gamma = torch.randn(1, 3, 16, 16), torch.tensor([[0.3]]), torch.tensor([[0.6]])
    with torch.no_grad():
        condition, eps = forward(encoder, denoiser, lr, 16, noisy, scaler, gamma)
    inputs = {'input.lr': lr, 'input.noisy': noisy, 'input.scaler': scaler.view(1), 'input.gamma': gamma.view(1),
              'output.condition': condition, 'output.eps': eps}
    inputs.update(reference_sampling(encoder, denoiser, lr))
    tensors.update({k: v.contiguous() for k, v in inputs.items()})
    write_safetensors(path, tensors, 'Ree1s/IDM via src/Bench/Reference/idm_reference.py (tiny config)')
    print(f'wrote {path}: {len(tensors) - len(inputs)} weight tensors')


for name in ('paper', 'small'):
    counts = used_parameters(name)
    (edsr_all, edsr_used), (unet_all, unet_used) = counts['edsr'], counts['unet']
    print(f'{name:6} EDSR {edsr_all:>11,} (used {edsr_used:>11,})  UNet {unet_all:>11,} (used {unet_used:>11,})  '
          f'total {edsr_all + unet_all:>12,} (used {edsr_used + unet_used:>12,})')
if '--fixture' in sys.argv:
    fixture(sys.argv[sys.argv.index('--fixture') + 1], sys.argv[sys.argv.index('--gen-pth') + 1] if '--gen-pth' in sys.argv else None)
