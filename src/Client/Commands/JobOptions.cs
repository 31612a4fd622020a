using Pipeline.Imaging.GdalIO;
using Pipeline.Imaging.Stac;
using System.CommandLine;
using Pipeline.Grains.Jobs;
using Pipeline.Imaging;
using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tiling;
using Pipeline.Models.Inference;

namespace Pipeline.Client.Commands;

/// <summary>The options that describe a scene job, shared by <c>upscale</c> and <c>submit</c>; <c>batch</c> shares
/// those that apply to every scene of an archive (<see cref="AddSceneOptionsTo"/>).</summary>
sealed class JobOptions
{
    public Argument<string> Input { get; } = new("input")
    {
        Description = "Input scene: a GeoTIFF (uint8, uint16, int16 or float32; any band count), or with GDAL installed a JPEG 2000, VRT or " +
                      "NetCDF file, a ZSTD/LERC/WEBP TIFF, a subdataset (NETCDF:\"f.nc\":var) or a remote COG (https://…, s3://…)",
    };
    public Option<FileInfo> Output { get; } = new("--out") { Description = "Output GeoTIFF (written under a temporary name, renamed when complete)", Required = true };
    public Option<double> Scale { get; } = new Option<double>("--scale") { Description = "Scale factor: any real number in [1, 32], e.g. 2, 3.5, 4, 2.37", Required = true }.Invariant();
    public Option<string> Model { get; } = new("--model") { Description = "small (the shipped E²DiffSR/LCMSR weights), idm-small (the shipped IDM), bicubic, a shipped weights name or a weights file (in cluster mode: the model the cluster runs)", DefaultValueFactory = _ => ModelCatalog.DefaultModel };
    public Option<int?> Tile { get; } = Positive(new Option<int?>("--tile") { Description = $"LR tile size in pixels (default: the model's, {new TilingOptions().TileSize} for bicubic, at most 1296 output pixels for the torch models)" });
    public Option<int?> Overlap { get; } = Positive(new Option<int?>("--overlap") { Description = $"Minimum LR overlap between tiles in pixels (default {new TilingOptions().Overlap}, or the model's edge margins plus a 4-px ramp)" });
    public Option<OutputCompression> Compression { get; } = new("--compression") { Description = "Output compression", DefaultValueFactory = _ => OutputCompression.Deflate };
    public Option<string?> Assets { get; } = new("--assets") { Description = "For a STAC item input: the assets to stack, in order, by key or band name (e.g. red,green,blue,nir or B04,B03,B02); default: its one \"data\" asset" };
    public Option<string?> Bands { get; } = BandsOption();
    public Option<bool> NoOverviews { get; } = new("--no-overviews") { Description = "Skip the internal overviews" };
    public Option<long> MaxOutputPixels { get; } = Positive(new Option<long>("--max-output-pixels") { Description = "Refuse scenes whose output would have more pixels (width × height) than this", DefaultValueFactory = _ => SceneJobSpec.DefaultMaxOutputPixels });
    public Option<double?> MaxInconsistency { get; } = MaxInconsistencyOption();
    public Option<int> Uncertainty { get; } = UncertaintyOption();
    public Option<ConsistencyMode> Consistency { get; } = new("--consistency")
    {
        Description = "report: measure every output against its input (default); enforce: also pull each tile's output onto its input " +
                      "before blending (back-projection), which removes colour and low-frequency drift; off: neither (bicubic is consistent by construction)",
        DefaultValueFactory = _ => ConsistencyMode.Report,
    };
    public Option<string> Sampler { get; } = SamplerOption();
    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N: where the model runs (embedded mode; a cluster uses its silos' Pipeline:Model:Device)", DefaultValueFactory = _ => "cpu" };
    public Option<string> Precision { get; } = PrecisionOption();
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the scene-wide noise field (e2diffsr, lcmsr, idm-small); embedded mode (a cluster uses its silos' Pipeline:Model:Seed)", DefaultValueFactory = _ => 0 };
    public Option<int> Steps { get; } = StepsOption();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Input);
        command.Options.Add(Output);
        command.Options.Add(Scale);
        AddSceneOptionsTo(command);
    }

    /// <summary>The options that are not about which file: model, tiling, compression, overviews.</summary>
    public void AddSceneOptionsTo(Command command)
    {
        foreach (var option in new Option[] { Model, Tile, Overlap, Compression, NoOverviews, MaxOutputPixels, MaxInconsistency, Consistency, Uncertainty, Assets, Bands }) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetValue(MaxInconsistency) is not null && result.GetValue(Consistency) == ConsistencyMode.Off)
                result.AddError("--max-inconsistency needs the consistency measured: it cannot go with --consistency off");
        });
    }

    /// <summary>--sampler and --seed, for the commands that can run the model here (upscale, batch).</summary>
    public void AddSamplingTo(Command command)
    {
        command.Options.Add(Sampler);
        command.Options.Add(Seed);
        command.Options.Add(Steps);
        command.Options.Add(Device);
        command.Options.Add(Precision);
    }

    public TorchPrecision ModelPrecision(ParseResult parse) => TorchPrecisions.Parse(parse.GetValue(Precision)!);

    static Option<string?> BandsOption()
    {
        var option = new Option<string?>("--bands")
        {
            Description = "For Sentinel-2 products (.SAFE, .SAFE.zip): the band group, each a scene on its own grid: 10m (B02 B03 B04 B08, default) or 20m (B05 B06 B07 B8A B11 B12)",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Sentinel2Product.Resolutions.Contains(value))
                result.AddError($"--bands: '{value}' is not {string.Join(" or ", Sentinel2Product.Resolutions)}");
        });
        return option;
    }

    static Option<string> PrecisionOption()
    {
        var option = new Option<string>("--precision")
        {
            Description = "fp32 (default) or bf16: the number format of a torch model's convolutions (embedded mode; a cluster uses its silos' Pipeline:Model:Precision)",
            DefaultValueFactory = _ => "fp32",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!TorchPrecisions.Names.Contains(value)) result.AddError($"--precision: '{value}' is not fp32 or bf16");
        });
        return option;
    }

    public SamplingOptions Sampling(ParseResult parse) => new(parse.GetValue(Sampler)!, parse.GetValue(Seed), Steps: parse.GetValue(Steps));

    /// <summary>A value given must be at least 1: 0 or a negative number is a usage error naming the option (exit 2).</summary>
    static Option<T> Positive<T>(Option<T> option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && Convert.ToInt64(result.GetValueOrDefault<T>(), System.Globalization.CultureInfo.InvariantCulture) < 1)
                result.AddError($"{option.Name} must be at least 1, got {result.Tokens[0].Value}");
        });
        return option;
    }

    static Option<int> UncertaintyOption()
    {
        var draws = new Option<int>("--uncertainty")
        {
            Description = $"Run a sampling model K times per tile (K = 2..{SceneJobSpec.MaxUncertaintyDraws}, other noise each time) and add the per-pixel " +
                          "spread of the K outputs as the output's last band; the model time is K times",
        };
        draws.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<int>() is < 2 or > SceneJobSpec.MaxUncertaintyDraws)
                result.AddError($"--uncertainty takes 2 to {SceneJobSpec.MaxUncertaintyDraws} draws, got {result.Tokens[0].Value}");
        });
        return draws;
    }

    static Option<double?> MaxInconsistencyOption()
    {
        var bound = new Option<double?>("--max-inconsistency")
        {
            Description = "Fail the job when its output, degraded back to the input's grid, differs from the input by more than this " +
                          "(mean absolute difference, percent of the scene's black–white range); the output is then kept as NAME.rejected.tif, " +
                          "not written to --out. Default: report only",
        }.Invariant();
        bound.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<double?>() is not (>= 0 and < double.PositiveInfinity))
                result.AddError($"--max-inconsistency must be a percentage of 0 or more, got {result.Tokens[0].Value}");
        });
        return bound;
    }

    static Option<int> StepsOption()
    {
        var steps = new Option<int>("--steps") { Description = "Sampling steps of a model whose step count is free (idm-small: DDIM, default 50; the reference uses 200); embedded mode (a cluster uses its silos' Pipeline:Model:Steps)", DefaultValueFactory = _ => 0 };
        steps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 2000) result.AddError("--steps must be 1..2000 (0: the default)");
        });
        return steps;
    }

    static Option<string> SamplerOption()
    {
        var sampler = new Option<string>("--sampler")
        {
            Description = $"The model's sampler, default its own: {string.Join(", ", ModelCatalog.Families.Select(f => $"{string.Join("|", f.Samplers)} ({f.Name})"))}; embedded mode (a cluster uses its silos' Pipeline:Model:Sampler)",
            DefaultValueFactory = _ => "",
        };
        sampler.AcceptOnlyFromAmong([.. ModelCatalog.Samplers]);
        return sampler;
    }

    /// <summary>The model name a job carries: on a cluster the user's explicit --model (the job grain checks it against
    /// what the silos run); otherwise empty, meaning the model the silos run (embedded: the one built here from
    /// --model, whatever name or file it was given as).</summary>
    public string RequestedModel(ParseResult parse, bool cluster) =>
        cluster && parse.GetResult(Model) is { Implicit: false } ? parse.GetValue(Model)! : "";

    /// <summary>--assets as a list (empty when not given).</summary>
    public IReadOnlyList<string> AssetList(ParseResult parse) =>
        parse.GetValue(Assets)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>A STAC item file or URL given to <c>upscale</c> becomes its STAC scene path (<see cref="StacScenePath"/>),
    /// with the assets chosen (a batch's scenes are made so by <see cref="Batch.SceneList"/>).</summary>
    static string StacInput(string input, IReadOnlyList<string> assets)
    {
        if (StacScenePath.Is(input)) return input;
        if (StacDocuments.LooksLikeStac(input)) return StacScenePath.Format(input, null, assets);
        return assets.Count == 0 ? input : throw new ArgumentException($"{input}: --assets chooses the assets of a STAC item, and this is no STAC item");
    }

    /// <summary>A Sentinel-2 product given to <c>upscale</c> with <c>--bands</c> becomes the scene of that band group.</summary>
    static string Sentinel2Input(string input, string? bands)
    {
        if (bands is null) return input;
        return Sentinel2Product.IsProduct(input)
            ? Sentinel2Product.SceneName(input, bands)
            : throw new ArgumentException($"{input}: --bands chooses a Sentinel-2 product's band group, and this is no Sentinel-2 product");
    }

    /// <summary>Paths are made absolute here: silos resolve them, not this shell's working directory.</summary>
    public SceneJobSpec Spec(ParseResult parse, string model) =>
        Spec(parse, Sentinel2Input(StacInput(parse.GetValue(Input)!, AssetList(parse)), parse.GetValue(Bands)), parse.GetValue(Output)!.FullName, parse.GetValue(Scale), model);

    /// <summary>The job for one scene of a batch: its paths and scale, the command line's other options.</summary>
    /// <remarks>Tile size and overlap the user leaves out are 0: the silo picks what its model needs.</remarks>
    public SceneJobSpec Spec(ParseResult parse, string input, string output, double scale, string model)
    {
        return new SceneJobSpec(
            ScenePaths.Resolve(input),
            Path.GetFullPath(output),
            scale,
            model,
            parse.GetValue(Tile) ?? 0,
            parse.GetValue(Overlap) ?? 0,
            new TilingOptions().BlockSize,
            parse.GetValue(Compression),
            parse.GetValue(NoOverviews) ? OutputKind.GeoTiff : OutputKind.Cog,
            MaxOutputPixels: parse.GetValue(MaxOutputPixels),
            MaxInconsistency: parse.GetValue(MaxInconsistency),
            Consistency: parse.GetValue(Consistency),
            UncertaintyDraws: parse.GetValue(Uncertainty));
    }
}
