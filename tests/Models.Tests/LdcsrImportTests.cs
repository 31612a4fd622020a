using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Latent;
using Pipeline.Models.Weights;
using Pipeline.Models.Weights.Import;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

/// <summary>
/// Checkpoints written in the layout of the E²DiffSR authors' code (MoooJianG/LDCSR; Data/ldcsr-tiny-*, written by
/// src/Bench/Reference/ldcsr_fixture.py with the reference's own modules and Debian's python3-torch) import and
/// reproduce the reference's outputs: CondNet features, one UNet call, the deterministic upscale and a 4-step
/// E²DiffSR / 1-step LCMSR upscale with the reference's noise, at ×4 (16² → 64²). PARITY_FIXTURES=&lt;folder&gt; runs the
/// same checks on a folder the script wrote for another configuration (the paper one, ~125 MB, kept out of the repository).
/// </summary>
public class LdcsrImportTests(ITestOutputHelper output) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("ldcsr-import-").FullName;

    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static Dictionary<string, Tensor> Reference() =>
        SafeTensors.Read(Fixture("ldcsr-tiny-reference.safetensors")).Entries.ToDictionary(e => e.Name, e => e.ToTensor());

    float MaxError(string what, Tensor ours, Tensor reference)
    {
        var error = (ours - reference).abs().max().item<float>();
        output.WriteLine($"{what}: max |Δ| {error:G3} (values span ±{reference.abs().max().item<float>():G3})");
        return error;
    }

    [Theory]
    [InlineData("e2diffsr")]
    [InlineData("lcmsr")]
    public void Second_stage_checkpoint_reproduces_the_reference_outputs(string kind)
    {
        var weights = Path.Combine(folder, kind + ".safetensors");
        var result = CheckpointImport.Import(Fixture($"ldcsr-tiny-{kind}.ckpt"), weights, [TinyConfigs.Sr]);
        foreach (var note in result.Notes) output.WriteLine(note);
        Assert.Equal((kind, "tiny"), (result.Kind, result.Config));
        Assert.Contains(result.Notes, n => n.StartsWith("UNet: the EMA weights", StringComparison.Ordinal));
        Assert.Equal("ema", ModelWeights.ReadMetadata(weights)["unet_weights"]);

        var reference = Reference();
        using var sr = SuperResolver.Load(weights, expected: TinyConfigs.Sr);
        using var mode = inference_mode();
        var lr = reference["input.lr"];
        var geometry = TileGeometry.Whole(16, 16, 64, 64);
        var condition = sr.Model.CondNet.call(Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic));
        Assert.True(MaxError("CondNet features", condition, reference[$"{kind}.condition"]) < 1e-5);

        var c = reference[$"{kind}.condition"];
        var t = reference[$"{kind}.unet_t"];
        var eps = sr.Model.UNet.forward(cat([reference[$"{kind}.unet_input"], c], 1), t, full([1], 4f), full([1], 64f));
        Assert.True(MaxError("one UNet call", eps, reference[$"{kind}.unet_output"]) < 1e-5);

        var deterministic = sr.Upscale(lr, geometry, new LatentSampling(SamplerKind.Deterministic));
        Assert.True(MaxError("deterministic upscale", deterministic, reference[$"{kind}.deterministic"].clamp(-1, 1)) < 1e-5);

        var sampler = kind == "e2diffsr" ? SamplerKind.E2DiffSR : SamplerKind.Lcmsr;
        Tensor Noise(int step) => step == sr.InitialNoiseStep(sampler) ? reference[$"{kind}.noise_start"] : reference[$"{kind}.noise_step{step}"];
        var sampled = sr.Upscale(lr, geometry, new LatentSampling(sampler), Noise);
        Assert.True(MaxError($"{kind} upscale", sampled, reference[$"{kind}.sampled"].clamp(-1, 1)) < 1e-5);
    }

    [Fact]
    public void First_stage_checkpoint_imports_as_a_stage1_file_with_the_same_decoder()
    {
        var stage1 = Path.Combine(folder, "stage1.safetensors");
        var second = Path.Combine(folder, "e2diffsr.safetensors");
        var result = CheckpointImport.Import(Fixture("ldcsr-tiny-first-stage.ckpt"), stage1, [TinyConfigs.Sr]);
        CheckpointImport.Import(Fixture("ldcsr-tiny-e2diffsr.ckpt"), second, [TinyConfigs.Sr]);
        Assert.Equal((ModelWeights.Stage1Kind, "tiny"), (result.Kind, result.Config));
        Assert.Contains(result.Notes, n => n.Contains("loss (LPIPS and discriminator", StringComparison.Ordinal));
        using var autoencoder = ModelWeights.LoadStage1(stage1, TinyConfigs.Sr);
        using var sr = ModelWeights.LoadSrModel(second, TinyConfigs.Sr);
        var decoder = sr.Decoder.state_dict();
        foreach (var (name, tensor) in autoencoder.Decoder.state_dict())
            Assert.True((tensor - decoder[name]).abs().max().item<float>() == 0, $"decoder tensor {name} differs");
    }

    [Fact]
    public void A_checkpoint_of_another_configuration_is_refused_in_one_line_naming_the_closest()
    {
        var source = Fixture("ldcsr-tiny-e2diffsr.ckpt");
        var error = Assert.Throws<ModelWeightsException>(() => CheckpointImport.Import(source, Path.Combine(folder, "w.safetensors")));
        output.WriteLine(error.Message);
        Assert.StartsWith(source + ": ", error.Message);
        Assert.Contains("looks most like config 'small'", error.Message);
        Assert.Contains("of another shape (first: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(Path.Combine(folder, "w.safetensors")));
    }

    [Fact]
    public void A_wrong_schedule_is_refused()
    {
        var config = TinyConfigs.Sr with { Name = "tiny-t8", DiffusionSteps = 4, BetaEnd = 0.5 };
        var error = Assert.Throws<ModelWeightsException>(() =>
            CheckpointImport.Import(Fixture("ldcsr-tiny-e2diffsr.ckpt"), Path.Combine(folder, "w.safetensors"), [config]));
        output.WriteLine(error.Message);
        Assert.Contains("β schedule differs from config 'tiny-t8'", error.Message);
    }
}
