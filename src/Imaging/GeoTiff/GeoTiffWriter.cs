using Microsoft.Win32.SafeHandles;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Writes a tiled, compressed GeoTIFF from pieces that arrive in any order, encoded already where they were made
/// (<see cref="Place"/>, <see cref="PieceEncoder"/>) or here (<see cref="Write"/>). Encoded tiles are appended to
/// "&lt;final&gt;.partial-&lt;random&gt;" in the same folder as they come; overview tiles the pieces did not cover whole
/// are assembled here (<see cref="OverviewAssembler"/>). <see cref="Commit"/> checks that every tile is in, lays
/// the file out as a Cloud-Optimized GeoTIFF (<see cref="CloudOptimizedLayout"/>: one pass copying encoded bytes)
/// and renames it to its final name in one step. Disposing without committing deletes the temporary files, so
/// nothing ever appears under the final name unless it is complete. Safe to call from several threads: encoding
/// runs on the caller's thread, only placing bytes is serialised.
/// </summary>
public sealed class GeoTiffWriter : IRasterSink
{
    readonly object sync = new();
    readonly FileStream data;
    readonly GeoTiffWriteOptions options;
    readonly long[][] offsets;
    readonly ulong[][] byteCounts;
    readonly OverviewAssembler overviews;
    long end;
    int remaining;
    bool committed;
    bool disposed;
    Exception? failure;

    GeoTiffWriter(string finalPath, string temporaryPath, FileStream data, RasterInfo info, GeoTiffWriteOptions options)
    {
        FinalPath = finalPath;
        TemporaryPath = temporaryPath;
        this.data = data;
        this.options = options;
        Info = info;
        Layout = TileLayout.Of(info, options);
        offsets = [.. Layout.StoredLevels.Select(grid => Enumerable.Repeat(-1L, grid.Count * Layout.Planes).ToArray())];
        byteCounts = [.. Layout.StoredLevels.Select(grid => new ulong[grid.Count * Layout.Planes])];
        remaining = offsets.Sum(level => level.Length);
        overviews = new OverviewAssembler(Layout, PlaceTile);
    }

    /// <summary>Where the file appears on <see cref="Commit"/>.</summary>
    public string FinalPath { get; private set; }

    /// <summary>Where the encoded tiles are kept until then.</summary>
    public string TemporaryPath { get; }

    /// <summary>What is being written.</summary>
    public RasterInfo Info { get; private set; }

    /// <summary>How pieces must be encoded for this file (<see cref="PieceEncoder"/>).</summary>
    public TileLayout Layout { get; }

    /// <summary>Tile width and height: block origins must be multiples of this.</summary>
    public int TileSize => Layout.TileSize;

    /// <summary>Whether tiles hold one band each (see <see cref="BandLayout"/>).</summary>
    public bool BandInterleaved => Layout.BandInterleaved;

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
        var finalPath = System.IO.Path.GetFullPath(path);
        var temporaryPath = TemporaryNames.For(finalPath);
        try
        {
            var data = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.RandomAccess);
            return new GeoTiffWriter(finalPath, temporaryPath, data, info, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{finalPath}: cannot create the output file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Encodes and writes <paramref name="block"/>, which must start on a tile corner and cover whole tiles (clipped at
    /// the image's right and bottom edges), none of them written before. Samples are rounded (half away from zero
    /// for positive values, floor(v + 0.5) in general) and clamped to the integer type's range.
    /// A band-interleaved output (<see cref="BandLayout"/>) takes a block of any consecutive bands, the first being
    /// band <paramref name="firstBand"/>; otherwise the block holds every band.
    /// </summary>
    public void Write(RasterBlock block, int firstBand = 0) => Place(PieceEncoder.Encode(block, firstBand, Layout));

    /// <summary>Writes a piece encoded for <see cref="Layout"/>; none of its full-resolution tiles may have been written before.</summary>
    public void Place(EncodedPiece piece)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(committed || disposed, this);
            // After a failed write (a full disk, an I/O error) the file is unusable; every later write reports that cause.
            if (failure is not null) throw new IOException(failure.Message, failure);
            var full = Layout.StoredLevels[0];
            foreach (var tile in piece.Tiles)
            {
                if (tile.Level < 0 || tile.Level >= offsets.Length || tile.Index < 0 || tile.Index >= offsets[tile.Level].Length)
                    throw new ArgumentException($"{FinalPath}: no tile {tile.Index} at level {tile.Level}", nameof(piece));
                if (offsets[tile.Level][tile.Index] >= 0)
                {
                    var (plane, index) = Math.DivRem(tile.Index, Layout.StoredLevels[tile.Level].Count);
                    var grid = Layout.StoredLevels[tile.Level];
                    var where = tile.Level == 0 ? "" : $" of overview {tile.Level}";
                    throw new InvalidOperationException($"{FinalPath}: tile ({index % grid.Across}, {index / grid.Across}){where} of sample plane {plane} was already written");
                }
            }
            try
            {
                foreach (var tile in piece.Tiles) PlaceTile(tile);
                overviews.Add(piece.Reduced, piece.FirstBand, piece.Bands);
            }
            catch (Exception e) when (e is IOException)
            {
                failure = DiskFull() ? new IOException($"{FinalPath}: no space left on the device ({e.Message})", e) : e;
                if (failure == e) throw;
                throw failure;
            }
        }
    }

    void PlaceTile(EncodedTile tile)
    {
        RandomAccess.Write(data.SafeFileHandle, tile.Bytes, end);
        offsets[tile.Level][tile.Index] = end;
        byteCounts[tile.Level][tile.Index] = (ulong)tile.Bytes.Length;
        end += tile.Bytes.Length;
        remaining--;
    }

    /// <summary>Sets dataset metadata items (replacing items of the same name) before the directory is written.</summary>
    public void SetMetadataItems(IReadOnlyList<(string Name, string Value)> items)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(committed || disposed, this);
            Info = Info.WithMetadataItems(items);
        }
    }

    /// <summary>
    /// Finishes the file (directories first, then the tiles, smallest overview first) and renames it to
    /// <see cref="FinalPath"/>, or to <paramref name="finalPath"/> when given, replacing any file there.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some tiles were never written.</exception>
    public void Commit(string? finalPath = null)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(committed || disposed, this);
            if (finalPath is not null) FinalPath = System.IO.Path.GetFullPath(finalPath);
            var missing = Array.IndexOf(offsets[0], -1L);
            if (missing >= 0)
            {
                var (plane, tile) = Math.DivRem(missing, Layout.StoredLevels[0].Count);
                var where = BandInterleaved ? $", band {plane + 1}" : "";
                var notWritten = offsets[0].Count(offset => offset < 0);
                throw new InvalidOperationException(
                    $"{FinalPath}: {notWritten} of {offsets[0].Length} tiles were not written (first missing: column {tile % Layout.StoredLevels[0].Across}, row {tile / Layout.StoredLevels[0].Across}{where})");
            }
            if (remaining > 0 || overviews.Waiting > 0)
                throw new InvalidOperationException($"{FinalPath}: {remaining} overview tiles were not made ({overviews.Waiting} waiting for pieces)");
            var laidOut = TemporaryNames.LaidOut(TemporaryPath);
            try
            {
                var big = options.ForceBigTiff || BigTiffRule.IsNeeded(Info, TileSize, options.BuildOverviews);
                var (_, directories) = DirectoryTemplate.Create(Info, Layout, big);
                if (!big && CloudOptimizedLayout.Size(big, directories, byteCounts) > BigTiffRule.ClassicTiffLimit)
                    (big, directories) = DirectoryTemplate.Create(Info, Layout, big: true);
                using (var target = new FileStream(laidOut, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                {
                    var buffer = new byte[1 << 16];
                    CloudOptimizedLayout.Write(target, big, directories, byteCounts, (level, tile, output) =>
                    {
                        var count = (int)byteCounts[level][tile];
                        if (buffer.Length < count) buffer = new byte[count];
                        RandomAccess.Read(data.SafeFileHandle, buffer.AsSpan(0, count), offsets[level][tile]);
                        output.Write(buffer, 0, count);
                    });
                    target.Flush(flushToDisk: true);
                }
                data.Dispose();
                File.Move(laidOut, FinalPath, overwrite: true);
                File.Delete(TemporaryPath);
                committed = true;
            }
            catch (Exception e)
            {
                File.Delete(laidOut);
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
        try
        {
            data.Dispose();
        }
        catch (IOException)
        {
            // Closing flushes nothing (writes go straight to the file), but whatever it says, the file goes.
        }
        finally
        {
            File.Delete(TemporaryPath);
        }
    }

    /// <summary>Whether the output's file system has (almost) no room left.</summary>
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
}
