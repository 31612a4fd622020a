using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Latent;
using Pipeline.Models.Weights;
using Pipeline.Models.Weights.Interchange;
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

    /// <summary>PARITY_FIXTURES=&lt;folder&gt;:&lt;config&gt; (paper or small) instead of the committed tiny fixtures.</summary>
    static readonly string[] Override = (Environment.GetEnvironmentVariable("PARITY_FIXTURES") ?? "").Split(':');

    static readonly SrConfig Config = Override.Length == 2 ? SrConfig.ByName(Override[1]) : TinyConfigs.Sr;

    /// <summary>The fixed-×4 variant of <see cref="Config"/> (LCMSR as published).</summary>
    static readonly SrConfig ConfigX4 = Override.Length == 2 ? SrConfig.PaperX4 : TinyConfigs.SrX4;

    static string Fixture(string name) =>
        Path.Combine(Override.Length == 2 ? Override[0] : Path.Combine(AppContext.BaseDirectory, "Data"), name.Replace("-tiny-", $"-{Config.Name}-"));

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
    [InlineData("lcmsr-x4")]
    public void Second_stage_checkpoint_reproduces_the_reference_outputs(string kind)
    {
        var weights = Path.Combine(folder, kind + ".safetensors");
        var result = CheckpointImport.Import(Fixture($"ldcsr-tiny-{kind}.ckpt"), weights, [Config, ConfigX4]);
        foreach (var note in result.Notes) output.WriteLine(note);
        var expected = kind == "lcmsr-x4" ? ("lcmsr", ConfigX4) : (kind, Config);
        Assert.Equal((expected.Item1, expected.Item2.Name), (result.Kind, result.Config));
        Assert.Contains(result.Notes, n => n.StartsWith("UNet: the EMA weights", StringComparison.Ordinal));
        Assert.Equal("ema", ModelWeights.ReadMetadata(weights)["unet_weights"]);

        var reference = Reference();
        using var sr = SuperResolver.Load(weights, expected: expected.Item2);
        using var mode = inference_mode();
        var lr = reference["input.lr"];
        var side = (int)lr.shape[2];
        var geometry = TileGeometry.Whole(side, side, 4 * side, 4 * side);
        var condition = sr.Model.CondNet.call(Resampler.Resize(lr, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Bicubic));
        Assert.True(MaxError("CondNet features", condition, reference[$"{kind}.condition"]) < 1e-5);

        var c = reference[$"{kind}.condition"];
        var t = reference[$"{kind}.unet_t"];
        var eps = sr.Model.UNet.forward(cat([reference[$"{kind}.unet_input"], c], 1), t, full([1], 4f), full([1], 4f * side));
        Assert.True(MaxError("one UNet call", eps, reference[$"{kind}.unet_output"]) < 1e-5);

        var deterministic = sr.Upscale(lr, geometry, new LatentSampling(SamplerKind.Deterministic));
        Assert.True(MaxError("deterministic upscale", deterministic, reference[$"{kind}.deterministic"].clamp(-1, 1)) < 1e-5);

        var sampler = kind == "e2diffsr" ? SamplerKind.E2DiffSR : SamplerKind.Lcmsr;
        if (expected.Item2.Decoder.FixedScale > 0)
            Assert.Contains("fixed at ×4", Assert.Throws<ArgumentException>(() => sr.Upscale(lr, TileGeometry.Whole(side, side, 3 * side, 3 * side), new LatentSampling(sampler))).Message);
        Tensor Noise(int step) => step == sr.InitialNoiseStep(sampler) ? reference[$"{kind}.noise_start"] : reference[$"{kind}.noise_step{step}"];
        var sampled = sr.Upscale(lr, geometry, new LatentSampling(sampler), Noise);
        // four chained UNet calls: float32 rounding grows to ~2e-5 in the small configuration (1 DN of 8 bits is 8e-3)
        Assert.True(MaxError($"{kind} upscale", sampled, reference[$"{kind}.sampled"].clamp(-1, 1)) < 1e-4);
    }

    [Theory]
    [InlineData("e2diffsr")]
    [InlineData("lcmsr")]
    public void Export_writes_the_reference_layout_and_round_trips_bit_exactly(string kind)
    {
        var source = Fixture($"ldcsr-tiny-{kind}.ckpt");
        var (imported, exported, again) = (Path.Combine(folder, "a.safetensors"), Path.Combine(folder, "b.ckpt"), Path.Combine(folder, "c.safetensors"));
        CheckpointImport.Import(source, imported, [Config]);
        var stage1 = Path.Combine(folder, "stage1.safetensors");
        CheckpointImport.Import(Fixture("ldcsr-tiny-first-stage.ckpt"), stage1, [Config]);
        foreach (var note in LdcsrExport.Export(imported, exported, stage1, Config)) output.WriteLine(note);

        Assert.Equal(StateShapes(source), StateShapes(exported));
        CheckpointImport.Import(exported, again, [Config]);
        var first = SafeTensors.Read(imported).Entries;
        var second = SafeTensors.Read(again).Entries.ToDictionary(e => e.Name);
        Assert.Equal(first.Count, second.Count);
        foreach (var entry in first) Assert.True(entry.Data.AsSpan().SequenceEqual(second[entry.Name].Data), $"{entry.Name} changed in the round trip");
        Assert.Equal(ModelWeights.ReadMetadata(imported)["scale_factor"], ModelWeights.ReadMetadata(again)["scale_factor"]);

        // No clock in an import: silos that each import the checkpoint hold the same bytes (and SHA-256).
        var twice = Path.Combine(folder, "twice.safetensors");
        CheckpointImport.Import(source, twice, [Config]);
        Assert.Equal(File.ReadAllBytes(imported), File.ReadAllBytes(twice));
    }

    /// <summary>Every state-dict key of a checkpoint with its shape, sorted.</summary>
    static List<string> StateShapes(string path)
    {
        using var checkpoint = Pipeline.Models.Weights.PyTorch.TorchCheckpoint.Open(path);
        var state = (Dictionary<object, object?>)((Dictionary<object, object?>)checkpoint.Root!)["state_dict"]!;
        return [.. Pipeline.Models.Weights.PyTorch.TorchCheckpoint.Tensors(state).Select(t => $"{t.Name} [{string.Join(",", t.Tensor.Shape)}]").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void A_fixed_scale_model_refuses_other_scales_before_any_tile()
    {
        var weights = Path.Combine(folder, "x4.safetensors");
        CheckpointImport.Import(Fixture("ldcsr-tiny-lcmsr-x4.ckpt"), weights, [ConfigX4]);
        using var upscaler = new LatentTileUpscaler(new SuperResolver(ModelWeights.LoadSrModel(weights, ConfigX4)), ownsResolver: true);
        Assert.Equal(4.0, upscaler.FixedScale);
        Assert.Equal(Pipeline.Imaging.Tiling.TilingOptions.For(upscaler, 4.0).TileSize, upscaler.PreferredTileSize(4.0));
        var error = Assert.Throws<ArgumentException>(() => Pipeline.Imaging.Tiling.TilingOptions.For(upscaler, 3.0));
        Assert.Equal($"the deterministic-{ConfigX4.Name} model upscales ×4 only (a fixed-scale decoder), not ×3", error.Message);
    }

    [Fact]
    public void First_stage_checkpoint_imports_as_a_stage1_file_with_the_same_decoder()
    {
        var stage1 = Path.Combine(folder, "stage1.safetensors");
        var second = Path.Combine(folder, "e2diffsr.safetensors");
        var result = CheckpointImport.Import(Fixture("ldcsr-tiny-first-stage.ckpt"), stage1, [Config]);
        CheckpointImport.Import(Fixture("ldcsr-tiny-e2diffsr.ckpt"), second, [Config]);
        Assert.Equal((ModelWeights.Stage1Kind, Config.Name), (result.Kind, result.Config));
        Assert.Contains(result.Notes, n => n.Contains("loss (LPIPS and discriminator", StringComparison.Ordinal));
        using var autoencoder = ModelWeights.LoadStage1(stage1, Config);
        using var sr = ModelWeights.LoadSrModel(second, Config);
        var decoder = sr.Decoder.state_dict();
        foreach (var (name, tensor) in autoencoder.Decoder.state_dict())
            Assert.True((tensor - decoder[name]).abs().max().item<float>() == 0, $"decoder tensor {name} differs");
    }

    [Fact]
    public void A_checkpoint_of_another_configuration_is_refused_in_one_line_naming_the_closest()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Data", "ldcsr-tiny-e2diffsr.ckpt");
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
            CheckpointImport.Import(Path.Combine(AppContext.BaseDirectory, "Data", "ldcsr-tiny-e2diffsr.ckpt"), Path.Combine(folder, "w.safetensors"), [config]));
        output.WriteLine(error.Message);
        Assert.Contains("β schedule differs from config 'tiny-t8'", error.Message);
    }
}
