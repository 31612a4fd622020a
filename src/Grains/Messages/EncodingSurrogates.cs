using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Messages;

/// <summary>Wire form of <see cref="TileLayout"/> (how a block's owner encodes its tiles), from the Orleans-free imaging library.</summary>
[GenerateSerializer, Immutable]
public readonly struct TileLayoutSurrogate
{
    [Id(0)] public int Width { get; init; }
    [Id(1)] public int Height { get; init; }
    [Id(2)] public int Bands { get; init; }
    [Id(3)] public RasterSampleType SampleType { get; init; }
    [Id(4)] public OutputCompression Compression { get; init; }
    [Id(5)] public int TileSize { get; init; }
    [Id(6)] public bool Overviews { get; init; }
    [Id(7)] public double? NoData { get; init; }
}

[RegisterConverter]
public sealed class TileLayoutSurrogateConverter : IConverter<TileLayout, TileLayoutSurrogate>
{
    public TileLayout ConvertFromSurrogate(in TileLayoutSurrogate s) =>
        new(s.Width, s.Height, s.Bands, s.SampleType, s.Compression, s.TileSize, s.Overviews, s.NoData);

    public TileLayoutSurrogate ConvertToSurrogate(in TileLayout v) => new()
    {
        Width = v.Width, Height = v.Height, Bands = v.Bands, SampleType = v.SampleType, Compression = v.Compression,
        TileSize = v.TileSize, Overviews = v.Overviews, NoData = v.NoData,
    };
}

/// <summary>Wire form of <see cref="EncodedPiece"/>: encoded tiles and the reduced rest of a finished block, a few times
/// smaller than its float32 pixels. Nothing writes to the arrays after encoding, so calls within a silo pass them as they are.</summary>
[GenerateSerializer, Immutable]
public readonly struct EncodedPieceSurrogate
{
    [Id(0)] public PixelWindow Window { get; init; }
    [Id(1)] public int FirstBand { get; init; }
    [Id(2)] public int Bands { get; init; }
    [Id(3)] public int[] TileLevels { get; init; }
    [Id(4)] public int[] TileIndices { get; init; }
    [Id(5)] public byte[][] TileBytes { get; init; }
    [Id(6)] public int ReducedLevel { get; init; }
    [Id(7)] public PixelWindow ReducedWindow { get; init; }
    [Id(8)] public float[] ReducedPixels { get; init; }
}

[RegisterConverter]
public sealed class EncodedPieceSurrogateConverter : IConverter<EncodedPiece, EncodedPieceSurrogate>
{
    public EncodedPiece ConvertFromSurrogate(in EncodedPieceSurrogate s)
    {
        if (s.TileLevels.Length != s.TileIndices.Length || s.TileBytes.Length != s.TileIndices.Length)
            throw new ArgumentException("an encoded piece's tile lists differ in length");
        var tiles = new EncodedTile[s.TileIndices.Length];
        for (var i = 0; i < tiles.Length; i++) tiles[i] = new EncodedTile(s.TileLevels[i], s.TileIndices[i], s.TileBytes[i]);
        return new EncodedPiece(s.Window, s.FirstBand, s.Bands, tiles, new ReducedPiece(s.ReducedLevel, s.ReducedWindow, s.ReducedPixels));
    }

    public EncodedPieceSurrogate ConvertToSurrogate(in EncodedPiece v) => new()
    {
        Window = v.Window, FirstBand = v.FirstBand, Bands = v.Bands,
        TileLevels = [.. v.Tiles.Select(t => t.Level)], TileIndices = [.. v.Tiles.Select(t => t.Index)], TileBytes = [.. v.Tiles.Select(t => t.Bytes)],
        ReducedLevel = v.Reduced.Level, ReducedWindow = v.Reduced.Window, ReducedPixels = v.Reduced.Pixels,
    };
}
