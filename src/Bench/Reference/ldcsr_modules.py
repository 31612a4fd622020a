"""The E²DiffSR authors' modules (MoooJianG/LDCSR), built with Debian's python3-torch in one of the project's model
configurations (src/Models/Configuration/SrConfig.cs): shared by reference_speed.py and ldcsr_fixture.py.

The official code imports einops and its own utils package (PIL, lightning helpers) only for code paths these scripts
do not run; both are stubbed. The small and tiny configurations differ from the paper one in knobs the official code
hard-codes (GroupNorm groups 32, CCA reduction 16, a 4-level 256-wide CSUM), which are patched to their values."""
import sys
import types

# osize: the output-size embedding's constant (SrConfig.OsizeConstant); the fixtures upscale an LR of osize / 4 at ×4,
# so that the reference, which feeds the HR height, feeds the same value.
CONFIGS = {
    "paper": dict(ch=64, enc_mult=[1, 2, 2, 4], enc_res=2, dec_res=2, fru=[12, 12, 12, 12], cca=16, csum_levels=4,
                  csum_hidden=256, groups=32, unet_ch=64, unet_mult=[1, 2, 2, 4], unet_res=2, unet_attn=[8], head=32, osize=256),
    "small": dict(ch=32, enc_mult=[1, 2, 2, 2], enc_res=1, dec_res=1, fru=[3, 3, 3, 3], cca=8, csum_levels=3,
                  csum_hidden=64, groups=8, unet_ch=32, unet_mult=[1, 2, 2], unet_res=1, unet_attn=[4], head=32, osize=128),
    # the CI fixtures' configuration (tests/TestSupport/TinyConfigs.cs)
    "tiny": dict(ch=8, enc_mult=[1, 2, 2, 2], enc_res=1, dec_res=1, fru=[1, 1, 1, 1], cca=4, csum_levels=3,
                 csum_hidden=16, groups=4, unet_ch=8, unet_mult=[1, 2], unet_res=1, unet_attn=[2], head=8, osize=64),
}


def stub_modules():
    einops = types.ModuleType("einops")

    def unused(*_, **__):
        raise NotImplementedError("einops is stubbed: this code path is not part of the bench")

    einops.rearrange = einops.repeat = unused
    sys.modules["einops"] = einops
    utils = types.ModuleType("utils")
    utils.instantiate_from_config = unused
    sys.modules["utils"] = utils


def build(config, torch, repo, fixed_scale=0):
    """(first-stage encoder, quant_conv, decoder, post_quant_conv, CondNet, UNet) of `config`, random weights; with
    fixed_scale, the fixed-scale first stage (s1_v6_fixed_scale: LCMSR's published one) instead of s1_v6."""
    if repo not in sys.path:
        sys.path.insert(0, repo)
        stub_modules()
    import modules.e2sr.common as common
    import modules.diffusionmodules.util as dutil
    import modules.diffusionmodules.openaimodel as openai
    import modules.upsampler as upsampler
    import modules.e2sr.s1_v6 as s1
    import modules.e2sr.s1_v6_fixed_scale as fixed
    nn = torch.nn
    c = CONFIGS[config]
    common.Normalize = lambda channels, num_groups=32: nn.GroupNorm(c["groups"], channels, eps=1e-6, affine=True)
    s1.Normalize = fixed.Normalize = common.Normalize
    dutil.normalization = lambda channels: nn.GroupNorm(c["groups"], channels)
    openai.normalization = dutil.normalization
    if not hasattr(common.CCALayer, "_official_init"):
        common.CCALayer._official_init = common.CCALayer.__init__
    common.CCALayer.__init__ = lambda self, channel, reduction=16: common.CCALayer._official_init(self, channel, c["cca"])

    stage1 = fixed if fixed_scale else s1
    encoder = stage1.GAPEncoder(ch=c["ch"], ch_mult=c["enc_mult"], num_res_blocks=c["enc_res"], in_channels=6, z_channels=4,
                            double_z=True)
    cond = stage1.GAPEncoder(ch=c["ch"], ch_mult=c["enc_mult"], num_res_blocks=c["enc_res"], in_channels=3, z_channels=4,
                         double_z=False)
    decoder = s1.GAPDecoder(ch=c["ch"], out_ch=3, ch_mult=[1, 1, 1, 1], num_res_blocks=c["dec_res"], in_channels=3,
                            z_channels=4, num_sr_modules=c["fru"])
    if fixed_scale:
        decoder = fixed.GAPDecoder(ch=c["ch"], out_ch=3, ch_mult=[1, 1, 1, 1], num_res_blocks=c["dec_res"], in_channels=3,
                                   z_channels=4, scale=fixed_scale, num_sr_modules=c["fru"])
    elif c["csum_levels"] != 4 or c["csum_hidden"] != 256:
        up = upsampler.SADNUpsampler(c["ch"], 3, 3, levels=c["csum_levels"])
        width, layers = c["ch"] * c["csum_levels"], []
        for _ in range(4):
            layers += [nn.Conv2d(width, c["csum_hidden"], 1), nn.ReLU()]
            width = c["csum_hidden"]
        up.fuse = nn.Sequential(*layers, nn.Conv2d(width, 3, 1))
        decoder.upsampler = up
    unet = openai.UNetModel(image_size=64, in_channels=8, model_channels=c["unet_ch"], out_channels=4,
                            num_res_blocks=c["unet_res"], attention_resolutions=c["unet_attn"],
                            channel_mult=c["unet_mult"], num_head_channels=c["head"], use_scale_embedding=True,
                            use_osize_embedding=True)
    return [m.eval() for m in (encoder, nn.Conv2d(8, 8, 1), decoder, nn.Conv2d(4, 4, 1), cond, unet)]
