using System.IO.Compression;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>
/// Encoding where the blocks are: a block's owner encodes its full-resolution tiles and the overview tiles it covers
/// whole, and hands the rest on reduced; pieces from many owners, placed in any order, make the file one writer
/// makes; the libdeflate binding writes streams zlib reads back.
/// </summary>
public sealed class PieceEncoderTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    static RasterBlock Ramp(PixelWindow window, int bands)
    {
        var block = new RasterBlock(window, bands);
        for (var band = 0; band < bands; band++)
            for (var y = 0; y < window.Height; y++)
                for (var x = 0; x < window.Width; x++)
                    block[band, x, y] = band * 1000 + (window.X + x) * 0.75f + (window.Y + y) % 97;
        return block;
    }

    [Fact]
    public void A_512_block_encodes_its_four_tiles_and_the_overview_tile_under_it_and_hands_on_a_quarter_of_that()
    {
        var layout = new TileLayout(2048, 2048, 4, RasterSampleType.UInt16, OutputCompression.Deflate, 256, Overviews: true, NoData: null);

        var piece = PieceEncoder.Encode(Ramp(new PixelWindow(512, 512, 512, 512), 4), 0, layout);

        // 8 × 8 tiles at full resolution, 4 × 4 at level 1.
        Assert.Equal([18, 19, 26, 27], piece.Tiles.Where(t => t.Level == 0).Select(t => t.Index).Order());
        Assert.Equal([5], piece.Tiles.Where(t => t.Level == 1).Select(t => t.Index));
        Assert.Equal(2, piece.Reduced.Level);
        Assert.Equal(new PixelWindow(128, 128, 128, 128), piece.Reduced.Window);
        Assert.Equal(128 * 128 * 4, piece.Reduced.Pixels.Length);
        // Reduced values are stored values: whole numbers for an integer output.
        Assert.All(piece.Reduced.Pixels, value => Assert.Equal(Math.Round(value), value));
    }

    [Fact]
    public void A_piece_given_up_is_rounded_in_place_and_encodes_to_the_same_bytes()
    {
        var layout = new TileLayout(2048, 2048, 4, RasterSampleType.UInt16, OutputCompression.Deflate, 256, Overviews: true, NoData: null);
        var window = new PixelWindow(512, 0, 512, 512);
        var kept = Ramp(window, 4);
        var givenUp = Ramp(window, 4);

        var copied = PieceEncoder.Encode(kept, 0, layout);
        var inPlace = PieceEncoder.Encode(givenUp, 0, layout, givenUp: true);

        Assert.Equal(copied.Tiles.Select(t => (t.Level, t.Index)), inPlace.Tiles.Select(t => (t.Level, t.Index)));
        Assert.Equal(copied.Tiles.SelectMany(t => t.Bytes), inPlace.Tiles.SelectMany(t => t.Bytes));
        Assert.Equal(copied.Reduced.Pixels, inPlace.Reduced.Pixels);
        Assert.Equal(Ramp(window, 4).Data, kept.Data); // the caller's piece untouched…
        Assert.All(givenUp.Data, value => Assert.Equal(Math.Round(value), value)); // …or rounded as stored
    }

    [Fact]
    public void Without_overviews_only_full_resolution_tiles_are_encoded()
    {
        var layout = new TileLayout(1000, 700, 3, RasterSampleType.Byte, OutputCompression.Deflate, 256, Overviews: false, NoData: null);

        // The bottom-right block of the image: clipped to 488 × 188.
        var piece = PieceEncoder.Encode(Ramp(new PixelWindow(512, 512, 488, 188), 3), 0, layout);

        Assert.All(piece.Tiles, tile => Assert.Equal(0, tile.Level));
        Assert.Equal(2, piece.Tiles.Count);
        Assert.Equal((1, new PixelWindow(256, 256, 244, 94)), (piece.Reduced.Level, piece.Reduced.Window));
    }

    [Fact]
    public void Pieces_encoded_apart_and_placed_in_any_order_make_the_file_that_writing_blocks_makes()
    {
        var info = new RasterInfo { Width = 1500, Height = 1100, Bands = 2, SampleType = RasterSampleType.UInt16, NoData = 0 };
        var written = scratch.File("written.tif");
        using (var writer = GeoTiffWriter.Create(written, info))
        {
            foreach (var window in Copies.Blocks(info, 512, null)) writer.Write(Ramp(window, 2));
            writer.Commit();
        }
        var placed = scratch.File("placed.tif");
        using (var writer = GeoTiffWriter.Create(placed, info))
        {
            var pieces = Copies.Blocks(info, 512, shuffleSeed: 7).AsParallel().Select(window => PieceEncoder.Encode(Ramp(window, 2), 0, writer.Layout)).ToList();
            foreach (var piece in pieces) writer.Place(piece);
            writer.Commit();
        }
        Assert.Equal(File.ReadAllBytes(written), File.ReadAllBytes(placed));
        Assert.Equal(RasterFiles.ReadAll(written), Gdal.Decode(placed, RasterSampleType.UInt16));
    }

    [Fact]
    public void A_piece_placed_twice_is_refused_and_the_file_stays_writable()
    {
        var info = new RasterInfo { Width = 512, Height = 512, Bands = 1, SampleType = RasterSampleType.Byte };
        using var writer = GeoTiffWriter.Create(scratch.File("twice.tif"), info);
        var piece = PieceEncoder.Encode(Ramp(new PixelWindow(0, 0, 256, 256), 1), 0, writer.Layout);
        writer.Place(piece);

        var error = Assert.Throws<InvalidOperationException>(() => writer.Place(piece));
        Assert.Contains("tile (0, 0)", error.Message);
        foreach (var window in Copies.Blocks(info, 256, null).Skip(1)) writer.Write(Ramp(window, 1));
        writer.Commit();
    }

    [Fact]
    public void Libdeflate_is_used_here_and_its_streams_inflate_to_the_input()
    {
        using var compressor = LibDeflate.TryCreate();
        Assert.NotNull(compressor); // Debian's libdeflate0 comes with GDAL
        var input = new byte[256 * 256 * 8];
        new Random(3).NextBytes(input.AsSpan(0, input.Length / 2)); // half noise, half zeros
        var scratchBuffer = Array.Empty<byte>();

        var stream = compressor.Compress(input, ref scratchBuffer);

        using var zlib = new ZLibStream(new MemoryStream(stream), CompressionMode.Decompress);
        var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        Assert.Equal(input, inflated.ToArray());
    }
}
