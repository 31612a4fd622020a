namespace Pipeline.Imaging.Rasters;

/// <summary>
/// Where a mosaic is written: blocks of whole writer tiles, in any order, to a temporary file that <see cref="Commit"/>
/// completes and renames to <see cref="FinalPath"/> in one step; disposed uncommitted, it leaves nothing behind. The
/// in-process job and the cluster's writer grain both write through it (opened by <see cref="GeoTiff.RasterSinks"/> today), so
/// another output format is one more implementation.
/// </summary>
public interface IRasterSink : IDisposable
{
    /// <summary>Where the file appears on <see cref="Commit"/>.</summary>
    string FinalPath { get; }

    /// <summary>Where the file is written until then.</summary>
    string TemporaryPath { get; }

    /// <summary>What is being written.</summary>
    RasterInfo Info { get; }

    /// <summary>Tile width and height: block origins must be multiples of this.</summary>
    int TileSize { get; }

    /// <summary>Bands are stored as separate planes, so a block may carry any group of them (many-band scenes).</summary>
    bool BandInterleaved { get; }

    /// <summary>Writes <paramref name="block"/>'s bands from <paramref name="firstBand"/> on.</summary>
    void Write(RasterBlock block, int firstBand = 0);

    /// <summary>How a piece is encoded for this file where it is made (<see cref="GeoTiff.PieceEncoder"/>), so that
    /// compression runs on the silos that hold the blocks and the writer only places bytes.</summary>
    GeoTiff.TileLayout Layout { get; }

    /// <summary>Writes a piece encoded for <see cref="Layout"/>.</summary>
    void Place(GeoTiff.EncodedPiece piece);

    /// <summary>Sets dataset metadata items (replacing items of the same name): figures known only at the end.</summary>
    void SetMetadataItems(IReadOnlyList<(string Name, string Value)> items);

    /// <summary>Checks that every tile was written, finishes the file and moves it to <see cref="FinalPath"/>, or to
    /// <paramref name="finalPath"/> when given (an output kept aside instead of put in place).</summary>
    void Commit(string? finalPath = null);
}
