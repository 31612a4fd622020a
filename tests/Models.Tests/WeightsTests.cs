using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Models.Stage1;
using Pipeline.Models.Weights;
using static TorchSharp.torch;

namespace Pipeline.Models.Tests;

public sealed class WeightsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sr-weights-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(SecondStageKind.E2DiffSR, SamplerKind.E2DiffSR)]
    [InlineData(SecondStageKind.Lcmsr, SamplerKind.Lcmsr)]
    public void Save_then_load_gives_identical_outputs(SecondStageKind kind, SamplerKind sampler)
    {
        var path = Path.Combine(dir, "model.safetensors");
        var model = TestModels.RandomSrModel(kind, seed: 9);
        ModelWeights.Save(model, path, extra: new Dictionary<string, string> { ["step"] = "12" });
        using var original = new SuperResolver(model);
        using var loaded = SuperResolver.Load(path);
        Assert.Equal(model.ScaleFactor, loaded.Model.ScaleFactor);
        Assert.Equal(kind, loaded.Model.Kind);
        var lr = TestModels.RandomImage(1, 9, 9, 1);
        var g = TileGeometry.Whole(9, 9, 27, 27);
        foreach (var s in new[] { sampler, SamplerKind.Deterministic })
        {
            var opts = new LatentSampling(s, Seed: 4);
            Assert.True(original.Upscale(lr, g, opts).eq(loaded.Upscale(lr, g, opts)).all().item<bool>());
        }
        var metadata = ModelWeights.ReadMetadata(path);
        Assert.Equal("small", metadata["config"]);
        Assert.Equal(SrConfig.Small.ArchitectureHash, metadata["arch_hash"]);
        Assert.Equal("12", metadata["step"]);
    }

    [Fact]
    public void Stage1_round_trips()
    {
        var path = Path.Combine(dir, "stage1.safetensors");
        manual_seed(3);
        var ae = new DifferentialAutoencoder(SrConfig.Small);
        ModelWeights.Save(ae, path);
        var loaded = ModelWeights.LoadStage1(path, SrConfig.Small);
        var a = ae.state_dict();
        foreach (var (name, t) in loaded.state_dict()) Assert.True(t.eq(a[name]).all().item<bool>(), name);
    }

    [Fact]
    public void Loading_into_another_config_fails_with_one_line_naming_the_file()
    {
        var path = Path.Combine(dir, "small.safetensors");
        ModelWeights.Save(TestModels.RandomSrModel(), path);
        var e = Assert.Throws<ModelWeightsException>(() => ModelWeights.LoadSrModel(path, SrConfig.Paper));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("paper", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_changed_architecture_or_kind_or_shape_is_reported()
    {
        var path = Path.Combine(dir, "m.safetensors");
        var model = TestModels.RandomSrModel();
        // Same config name, different architecture hash (e.g. written by an older build).
        var tensors = model.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        var metadata = ModelWeights.Metadata(SrConfig.Small, "e2diffsr");
        metadata["scale_factor"] = "1";
        metadata["arch_hash"] = "0123456789abcdef";
        SafeTensors.Write(path, tensors, metadata);
        var e = Assert.Throws<ModelWeightsException>(() => ModelWeights.LoadSrModel(path));
        Assert.Contains("arch 0123456789abcdef", e.Message);

        // A stage-1 file where an inference model is expected.
        var stage1 = Path.Combine(dir, "s1.safetensors");
        ModelWeights.Save(new DifferentialAutoencoder(SrConfig.Small), stage1);
        e = Assert.Throws<ModelWeightsException>(() => ModelWeights.LoadSrModel(stage1));
        Assert.Contains("stage1", e.Message);

        // A tensor with the wrong shape.
        metadata["arch_hash"] = SrConfig.Small.ArchitectureHash;
        tensors[0] = (tensors[0].Key, zeros(3));
        SafeTensors.Write(path, tensors, metadata);
        e = Assert.Throws<ModelWeightsException>(() => ModelWeights.LoadSrModel(path));
        Assert.Contains(tensors[0].Key, e.Message);

        // Not a safetensors file at all.
        File.WriteAllText(path, "hello");
        e = Assert.Throws<ModelWeightsException>(() => ModelWeights.LoadSrModel(path));
        Assert.StartsWith(path + ":", e.Message);
    }

    [Fact]
    public void The_file_layout_is_standard_safetensors()
    {
        var path = Path.Combine(dir, "t.safetensors");
        SafeTensors.Write(path, [("a", tensor(new float[] { 1, 2, 3 })), ("b", tensor(new long[] { 7 }))],
            new Dictionary<string, string> { ["k"] = "v" });
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        var header = System.Text.Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.Contains("\"__metadata__\":{\"k\":\"v\"}", header);
        Assert.Contains("\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}", header);
        Assert.Equal(8 + headerLength + 12 + 8, bytes.Length);
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 8 + headerLength + 4));
        var (meta, entries) = SafeTensors.Read(path);
        Assert.Equal("v", meta["k"]);
        Assert.Equal(7L, entries[1].ToTensor().item<long>());
    }
}
