using System.Globalization;
using BitMiracle.LibTiff.Classic;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Writes a tiled, compressed GeoTIFF from blocks that arrive in any order. Pixels go to
/// "&lt;final&gt;.partial-&lt;random&gt;" in the same folder; <see cref="Commit"/> checks that every tile was
/// written, adds overviews, lays the file out as a Cloud-Optimized GeoTIFF (<see cref="CloudOptimizedLayout"/>) and
/// renames it to its final name in one step. Disposing without committing
/// deletes the temporary file, so nothing ever appears under the final name unless it is complete.
/// Only the block being written is held in memory. Safe to call from several threads (writes are serialised).
/// </summary>
public sealed class GeoTiffWriter : IRasterSink
{
    readonly object sync = new();
    readonly FileStream stream;
    readonly Tiff tiff;
    readonly TileGrid grid;
    readonly TileEncoder encoder;
    readonly bool[] written;
    readonly GeoTiffWriteOptions options;
    int remaining;
    bool tiffOpen = true;
    bool committed;
    bool disposed;
    Exception? failure;

    GeoTiffWriter(string finalPath, string temporaryPath, FileStream stream, Tiff tiff, RasterInfo info, GeoTiffWriteOptions options)
    {
        FinalPath = finalPath;
        TemporaryPath = temporaryPath;
        this.stream = stream;
        this.tiff = tiff;
        this.options = options;
        Info = info;
        grid = new TileGrid(info.Width, info.Height, options.TileSize);
        encoder = new TileEncoder(info.SampleType, info.Bands, options.TileSize, options.Compression);
        written = new bool[grid.Count * BandLayout.Planes(info.Bands)];
        remaining = written.Length;
    }

    /// <summary>Where the file appears on <see cref="Commit"/>.</summary>
    public string FinalPath { get; private set; }

    /// <summary>Where the file is written until then.</summary>
    public string TemporaryPath { get; }

    /// <summary>What is being written.</summary>
    public RasterInfo Info { get; private set; }

    /// <summary>Tile width and height: block origins must be multiples of this.</summary>
    public int TileSize => grid.TileSize;

    /// <summary>
    /// Starts writing <paramref name="info"/> (size, type, bands, georeferencing, nodata, GDAL metadata kept verbatim)
    /// to a temporary file next to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="IOException">The output folder is missing or not writable.</exception>
    public static GeoTiffWriter Create(string path, RasterInfo info, GeoTiffWriteOptions? options = null)
    {
        options ??= new GeoTiffWriteOptions();
        if (info.Width <= 0 || info.Height <= 0 || info.Bands <= 0)
            throw new ArgumentException($"cannot write a {info.Width}x{info.Height} image of {info.Bands} bands", nameof(info));
        if (options.TileSize <= 0 || options.TileSize % 16 != 0)
            throw new ArgumentException($"tile size {options.TileSize} is not a positive multiple of 16", nameof(options));
        LibTiffRuntime.EnsureInitialized();

        var finalPath = System.IO.Path.GetFullPath(path);
        var temporaryPath = TemporaryNames.For(finalPath);
        FileStream stream;
        try
        {
            stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{finalPath}: cannot create the output file: {e.Message}", e);
        }

        Tiff? tiff = null;
        try
        {
            var bigTiff = options.ForceBigTiff || BigTiffRule.IsNeeded(info, options.TileSize, options.BuildOverviews);
            LibTiffRuntime.ClearError();
            tiff = Tiff.ClientOpen(temporaryPath, bigTiff ? "w8" : "w4", stream, new StreamLeftOpen())
                ?? throw new IOException($"{finalPath}: cannot start the TIFF: {LibTiffRuntime.LastError("unknown error")}");
            TiffDirectoryLayout.Apply(tiff, info, new TileGrid(info.Width, info.Height, options.TileSize), options.Compression, isOverview: false);
            WriteDescriptiveTags(tiff, info);
            return new GeoTiffWriter(finalPath, temporaryPath, stream, tiff, info, options);
        }
        catch
        {
            Discard(tiff, stream, temporaryPath);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="block"/>, which must start on a tile corner and cover whole tiles (clipped at the
    /// image's right and bottom edges), none of them written before. Samples are rounded (half away from zero
    /// for positive values, floor(v + 0.5) in general) and clamped to the integer type's range.
    /// A band-interleaved output (<see cref="BandLayout"/>) takes a block of any consecutive bands, the first being
    /// band <paramref name="firstBand"/>; otherwise the block holds every band.
    /// </summary>
    public void Write(RasterBlock block, int firstBand = 0)
    {
        CheckAligned(block, firstBand);
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(committed || disposed, this);
            // After a failed write (a full disk, an I/O error) the file is unusable; every later write reports that cause.
            if (failure is not null) throw new IOException(failure.Message, failure);
            var tiles = TilesOf(block.Window).ToList();
            var planes = BandInterleaved ? Enumerable.Range(firstBand, block.Bands) : [0];
            foreach (var plane in planes)
                foreach (var (column, row) in tiles)
                    if (written[plane * grid.Count + grid.IndexOf(column, row)])
                        throw new InvalidOperationException($"{FinalPath}: tile ({column}, {row}) of sample plane {plane} was already written");
            foreach (var plane in planes)
            {
                foreach (var (column, row) in tiles)
                {
                    var index = plane * grid.Count + grid.IndexOf(column, row);
                    try
                    {
                        encoder.Encode(tiff, FinalPath, index, grid.Window(column, row), block, plane - firstBand);
                    }
                    catch (Exception e)
                    {
                        failure = DiskFull() ? new IOException($"{FinalPath}: no space left on the device ({e.Message})", e) : e;
                        if (failure == e) throw;
                        throw failure;
                    }
                    written[index] = true;
                    remaining--;
                }
            }
        }
    }

    /// <summary>Whether tiles hold one band each (see <see cref="BandLayout"/>).</summary>
    public bool BandInterleaved => BandLayout.IsBandInterleaved(Info.Bands);

    IEnumerable<(int Column, int Row)> TilesOf(PixelWindow window)
    {
        for (var row = window.Y / TileSize; row < (window.Bottom + TileSize - 1) / TileSize; row++)
            for (var column = window.X / TileSize; column < (window.Right + TileSize - 1) / TileSize; column++)
                yield return (column, row);
    }

    /// <summary>Sets dataset metadata items (replacing items of the same name) before the directory is written.</summary>
    public void SetMetadataItems(IReadOnlyList<(string Name, string Value)> items)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(committed || disposed, this);
            Info = Info.WithMetadataItems(items);
            tiff.SetField(GeoTiffTags.GdalMetadata, Info.GdalMetadataXml);
        }
    }

    /// <summary>
    /// Finishes the file (directory, overviews if asked) and renames it to <see cref="FinalPath"/>, or to
    /// <paramref name="finalPath"/> when given, replacing any file there.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some tiles were never written.</exception>
    public void Commit(string? finalPath = null)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(committed || disposed, this);
            if (finalPath is not null) FinalPath = System.IO.Path.GetFullPath(finalPath);
            if (remaining > 0)
            {
                var (plane, missing) = Math.DivRem(Array.IndexOf(written, false), grid.Count);
                var where = BandInterleaved ? $", band {plane + 1}" : "";
                throw new InvalidOperationException(
                    $"{FinalPath}: {remaining} of {written.Length} tiles were not written (first missing: column {missing % grid.Across}, row {missing / grid.Across}{where})");
            }
            var cloudOptimized = $"{TemporaryPath}-cog";
            try
            {
                LibTiffRuntime.ClearError();
                if (!tiff.WriteDirectory()) throw new IOException($"{FinalPath}: cannot write the TIFF directory: {LibTiffRuntime.LastError("write failed")}");
                if (options.BuildOverviews) OverviewBuilder.Build(tiff, stream, TemporaryPath, Info, grid, options.Compression);
                CloseTiff();
                var finished = TemporaryPath;
                if (options.BuildOverviews)
                {
                    // Directories first, smallest overview's tiles next, full resolution last: a second pass that
                    // copies the encoded tiles (the writer receives blocks in any order, so it cannot stream a COG).
                    using (var target = new FileStream(cloudOptimized, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
                    {
                        CloudOptimizedLayout.Rewrite(stream, target);
                        target.Flush(flushToDisk: true);
                    }
                    finished = cloudOptimized;
                }
                else stream.Flush(flushToDisk: true);
                stream.Dispose();
                File.Move(finished, FinalPath, overwrite: true);
                if (finished != TemporaryPath) File.Delete(TemporaryPath);
                committed = true;
            }
            catch (Exception e)
            {
                File.Delete(cloudOptimized);
                var diskFull = e is IOException && DiskFull();
                Abandon();
                if (diskFull) throw new IOException($"{FinalPath}: no space left on the device ({e.Message})", e);
                throw;
            }
        }
    }

    /// <summary>Abandons an uncommitted file: the temporary file is deleted.</summary>
    public void Dispose()
    {
        lock (sync)
        {
            if (!committed) Abandon();
        }
    }

    void Abandon()
    {
        if (disposed) return;
        disposed = true;
        Discard(tiffOpen ? tiff : null, stream, TemporaryPath);
        tiffOpen = false;
    }

    /// <summary>Closes and deletes a file being thrown away. Closing flushes buffered data, which throws on a full
    /// disk; what it failed to flush does not matter, and the file goes whatever the closes do.</summary>
    static void Discard(Tiff? tiff, Stream stream, string path)
    {
        try
        {
            try
            {
                tiff?.Dispose();
            }
            finally
            {
                stream.Dispose();
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            File.Delete(path);
        }
    }

    void CloseTiff()
    {
        if (!tiffOpen) return;
        tiffOpen = false;
        tiff.Dispose();
    }

    /// <summary>Whether the output's file system has (almost) no room left: LibTiff reports a full disk only as a write error.</summary>
    bool DiskFull()
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(TemporaryPath))!).AvailableFreeSpace < 1 << 20;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    void CheckAligned(RasterBlock block, int firstBand)
    {
        var window = block.Window;
        if (BandInterleaved ? firstBand < 0 || firstBand + block.Bands > Info.Bands : firstBand != 0 || block.Bands != Info.Bands)
            throw new ArgumentException(
                $"block has bands {firstBand + 1}–{firstBand + block.Bands}, the output {Info.Bands} {(BandInterleaved ? "" : "pixel-interleaved ")}bands", nameof(block));
        var aligned = window.X % TileSize == 0 && window.Y % TileSize == 0
            && (window.Right % TileSize == 0 || window.Right == Info.Width)
            && (window.Bottom % TileSize == 0 || window.Bottom == Info.Height);
        if (window.IsEmpty || !aligned || !new PixelWindow(0, 0, Info.Width, Info.Height).Contains(window))
            throw new ArgumentException($"block {window} is not made of whole {TileSize}-pixel tiles of the {Info.Width}x{Info.Height} image", nameof(block));
    }

    static void WriteDescriptiveTags(Tiff tiff, RasterInfo info)
    {
        if (info.Geo is { } geo) GeoTiffTagIO.WriteGeoReference(tiff, geo);
        if (info.NoData is { } noData) tiff.SetField(GeoTiffTags.GdalNoData, noData.ToString("R", CultureInfo.InvariantCulture));
        if (info.GdalMetadataXml is { } metadata) tiff.SetField(GeoTiffTags.GdalMetadata, metadata);
    }

    /// <summary>LibTiff closes its stream on dispose; the writer flushes the file to disk first, so it keeps ownership.</summary>
    sealed class StreamLeftOpen : TiffStream
    {
        public override void Close(object clientData)
        {
        }
    }
}
