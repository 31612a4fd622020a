#!/usr/bin/python3
"""Parameter counts of IDM's reference model (github Ree1s/IDM, DF2K ×4 config), part by part, for issue 19's
`paper` configuration test. Needs Debian's python3-torch (1.13, /usr/bin/python3) and a checkout of the repository:

    /usr/bin/python3 bench/reference/idm_parameter_counts.py <path to Ree1s/IDM checkout>

(from a bare mirror: git clone --no-checkout <mirror> idm && git -C idm checkout HEAD -- model/sr3_modules model/ops config)
Measured on d224c0e: UNet 115,153,415 (7,998,720 of them in final_down1/2, final_linear and final_styleconv, which
forward never calls), EDSR encoder 1,222,171, LIIF MLP 215,299 (unused); all 116,590,885.

The reference imports einops and its own data.util, and CUDA extensions it tolerates missing; the first two are
stubbed here (construction needs neither), so nothing is installed beyond python3-torch."""
import json, os, re, sys, tempfile, types

repo = os.path.abspath(sys.argv[1])
stubs = tempfile.mkdtemp()
os.makedirs(os.path.join(stubs, 'data'))
open(os.path.join(stubs, 'data', '__init__.py'), 'w').close()
open(os.path.join(stubs, 'data', 'util.py'), 'w').write('make_coord = None\n')
open(os.path.join(stubs, 'einops.py'), 'w').write('rearrange = None\n')
sys.path[:0] = [stubs, repo]
sys.modules['model'] = types.ModuleType('model')  # skip model/__init__.py, which imports the training code
sys.modules['model'].__path__ = [os.path.join(repo, 'model')]

from model.sr3_modules import edsr, mlp, unet  # noqa: E402

config = json.loads(re.sub(r'//.*', '', open(os.path.join(repo, 'config', 'df2k_liifsr3_x4.json')).read()))['model']['unet']
model = unet.UNet(in_channel=config['in_channel'], out_channel=config['out_channel'], norm_groups=32,
                  inner_channel=config['inner_channel'], channel_mults=config['channel_multiplier'],
                  attn_res=config['attn_res'], res_blocks=config['res_blocks'], dropout=config['dropout'], image_size=128)
# As model/networks.py define_G builds them next to the UNet.
encoder = edsr.EDSR(n_resblocks=16, n_feats=64, res_scale=1, scale=8, no_upsampling=False, rgb_range=1)
liif = mlp.MLP(in_dim=64 + 2, out_dim=3, hidden_list=[256, 256, 256, 256])


def count(module):
    return sum(p.numel() for p in module.parameters())


print('UNet', config)
for name, child in model.named_children():
    print(f'  {name:18} {count(child):>11,}')
print(f'UNet total           {count(model):>11,}')
print(f'EDSR encoder         {count(encoder):>11,}')
print(f'LIIF MLP (unused)    {count(liif):>11,}')
print(f'all                  {count(model) + count(encoder) + count(liif):>11,}')
