using Pipeline.Models.Geometry;
using Pipeline.Models.Idm;
using Pipeline.Models.Weights;
using Pipeline.Models.Weights.Interchange;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>
/// An IDM generator checkpoint as the reference saves it (Data/idm-tiny_gen.pth: GaussianDiffusion's state dict,
/// written by src/Bench/Reference/idm_reference.py --gen-pth with the weights of Data/idm-reference-tiny.safetensors)
/// imports and reproduces the reference's condition image, predicted noise and an 8-step DDIM upscale; the keys the reference builds but
/// never uses are left out by name.
/// </summary>
public class IdmImportTests(ITestOutputHelper output) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("idm-import-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Generator_checkpoint_reproduces_the_reference_outputs()
    {
        var weights = Path.Combine(folder, "idm.safetensors");
        var result = CheckpointImport.Import(Path.Combine(AppContext.BaseDirectory, "Data", "idm-tiny_gen.pth"), weights, idmConfigs: [TinyConfigs.Idm]);
        foreach (var note in result.Notes) output.WriteLine(note);
        Assert.Equal((IdmWeights.Kind, "tiny"), (result.Kind, result.Config));
        foreach (var unused in new[] { "mean shifts", "final_down1", "modulated conv", "level 0's", "last conv_body_down", "imnet MLP", "schedule" })
            Assert.Contains(result.Notes, n => n.Contains(unused, StringComparison.Ordinal));

        var (_, entries) = SafeTensors.Read(Path.Combine(AppContext.BaseDirectory, "Data", "idm-reference-tiny.safetensors"));
        var reference = entries.ToDictionary(e => e.Name, e => e.ToTensor());
        var (_, imported) = SafeTensors.Read(weights);
        using var model = new IdmModel(TinyConfigs.Idm);
        ModelWeights.LoadInto(model, imported, weights);
        model.eval();
        using var mode = inference_mode();
        var condition = model.Encoder.forward(reference["input.lr"], TileGeometry.Whole(8, 8, 16, 16, TinyConfigs.Idm.HrAlignment));
        var eps = model.UNet.forward(reference["input.noisy"], reference["output.condition"], reference["input.scaler"], reference["input.gamma"]);
        var conditionError = (condition - reference["output.condition"]).abs().max().item<float>();
        var epsError = (eps - reference["output.eps"]).abs().max().item<float>();
        // the whole 8-step DDIM upscale (the reference's own loop: sampler ddim-reference) from the reference's x_T
        var sampled = model.Sample(reference["input.lr"], TileGeometry.Whole(8, 8, 16, 16, TinyConfigs.Idm.HrAlignment), 8, seed: 0,
            timesteps: DdimTimesteps.Reference, initialNoise: reference["input.noise_hr"]);
        var sampledError = (sampled - reference["output.ddim_reference_8"].clamp(-1, 1)).abs().max().item<float>();
        output.WriteLine($"max |Δ| condition {conditionError:G3}, ε {epsError:G3}, 8-step DDIM upscale {sampledError:G3}");
        Assert.True(conditionError < 1e-5 && epsError < 1e-4 && sampledError < 1e-4);
    }

    [Fact]
    public void An_IDM_checkpoint_of_another_configuration_is_refused_in_one_line()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Data", "idm-tiny_gen.pth");
        var error = Assert.Throws<ModelWeightsException>(() => CheckpointImport.Import(source, Path.Combine(folder, "w.safetensors")));
        output.WriteLine(error.Message);
        Assert.StartsWith(source + ": an IDM checkpoint of another architecture; it looks most like config '", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
