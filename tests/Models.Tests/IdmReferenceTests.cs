using Pipeline.Models.Geometry;
using Pipeline.Models.Idm;
using Pipeline.Models.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>
/// The IDM port against the reference code (Ree1s/IDM), measured by src/Bench/Reference/idm_reference.py with Debian's
/// python3-torch: parameter counts of both configurations, and the outputs of a tiny configuration given the same
/// weights and inputs (Data/idm-reference-tiny.safetensors, written by that script with <c>--fixture</c>).
/// </summary>
public class IdmReferenceTests(ITestOutputHelper output)
{
    /// <summary>The reference builds modules its forward never reaches (final_down1/2, final_linear and
    /// final_styleconv, each idm's modulated conv, level 0's scale/shift layers, the last conv_body_down, EDSR's mean
    /// shifts, ~16.6 M in the paper config); the port builds exactly the ones that get a gradient.</summary>
    [Theory]
    [InlineData("paper", 1_222_147, 98_579_523, 116_375_586)]
    [InlineData("small", 84_995, 2_937_539, 11_457_025)]
    public void Parameter_counts_equal_the_reference_parameters_a_forward_pass_uses(string name, long edsr, long unet, long referenceAll)
    {
        using var model = new IdmModel(IdmConfig.ByName(name));
        var measuredEdsr = model.Encoder.parameters().Sum(p => p.numel());
        var measuredUNet = model.UNet.parameters().Sum(p => p.numel());
        output.WriteLine($"{name}: EDSR {measuredEdsr:N0}, UNet {measuredUNet:N0}, total {measuredEdsr + measuredUNet:N0} (the reference builds {referenceAll:N0})");
        Assert.Equal(edsr, measuredEdsr);
        Assert.Equal(unet, measuredUNet);
    }

    static readonly IdmConfig Tiny = TinyConfigs.Idm;

    [Fact]
    public void Tiny_config_reproduces_the_reference_outputs_with_its_weights()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "idm-reference-tiny.safetensors");
        var (_, entries) = SafeTensors.Read(path);
        var byName = entries.ToDictionary(e => e.Name);
        using var model = new IdmModel(Tiny);
        ModelWeights.LoadInto(model, entries.Where(e => !e.Name.StartsWith("input.") && !e.Name.StartsWith("output.")).ToList(), path);
        model.eval();
        using var mode = inference_mode();
        Tensor Read(string name) => byName[name].ToTensor();

        var condition = model.Encoder.forward(Read("input.lr"), TileGeometry.Whole(8, 8, 16, 16, Tiny.HrAlignment));
        var conditionError = (condition - Read("output.condition")).abs().max().item<float>();
        var epsilon = model.UNet.forward(Read("input.noisy"), Read("output.condition"), Read("input.scaler"), Read("input.gamma"));
        var expected = Read("output.eps");
        var epsilonError = (epsilon - expected).abs().max().item<float>();
        output.WriteLine($"max |Δ| condition {conditionError:G3}, ε {epsilonError:G3} (ε spans {expected.abs().max().item<float>():G3})");
        Assert.True(conditionError < 1e-5, $"condition image differs by {conditionError}");
        Assert.True(epsilonError < 1e-4, $"predicted noise differs by {epsilonError}");
    }
}
