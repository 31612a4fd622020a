using Pipeline.Grains.Messages;
using Pipeline.Grains.Writing;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Tests;

public sealed class BlockPiecesTests
{
    static RasterBlock Numbered(PixelWindow window, int bands)
    {
        var block = new RasterBlock(window, bands);
        for (var i = 0; i < block.Data.Length; i++) block.Data[i] = i % 9973;
        return block;
    }

    /// <summary>Every sample of the block lands exactly once, in place, and every piece fits a message.</summary>
    static void AssertRebuilds(RasterBlock block, IReadOnlyList<BlockPiece> pieces)
    {
        var rebuilt = new RasterBlock(block.Window, block.Bands);
        var filled = new bool[rebuilt.Data.Length];
        foreach (var piece in pieces)
        {
            Assert.True(TilePixels.ByteCount(piece.Pixels.Window, piece.Pixels.Bands, SampleFormat.Float32) <= TilePixels.MaxBytes);
            var window = piece.Pixels.Window;
            Assert.True(block.Window.Contains(window));
            Assert.Equal(0, (window.X - block.Window.X) % 256);
            Assert.Equal(0, (window.Y - block.Window.Y) % 256);
            for (var band = 0; band < piece.Pixels.Bands; band++)
                for (var y = 0; y < window.Height; y++)
                    for (var x = 0; x < window.Width; x++)
                    {
                        var target = ((piece.FirstBand + band) * block.Window.Height + window.Y - block.Window.Y + y) * block.Window.Width + window.X - block.Window.X + x;
                        Assert.False(filled[target]);
                        filled[target] = true;
                        rebuilt.Data[target] = piece.Pixels.Band(band)[y * window.Width + x];
                    }
        }
        Assert.DoesNotContain(false, filled);
        Assert.Equal(block.Data, rebuilt.Data);
    }

    [Fact]
    public void A_block_that_fits_one_message_goes_whole()
    {
        var block = new RasterBlock(new PixelWindow(512, 0, 512, 300), 4);

        var piece = Assert.Single(BlockPieces.Split(block, 256, bandInterleaved: false));
        Assert.Same(block, piece.Pixels);
        Assert.Equal(0, piece.FirstBand);
    }

    [Fact]
    public void A_pixel_interleaved_block_over_the_cap_goes_in_rows_of_whole_writer_tiles_with_every_band()
    {
        var block = Numbered(new PixelWindow(0, 512, 512, 500), 16 + 24); // 40 bands: 20 MiB per 256-row strip
        var pieces = BlockPieces.Split(block, 256, bandInterleaved: false).ToList();

        Assert.Equal([new PixelWindow(0, 512, 512, 256), new PixelWindow(0, 768, 512, 244)], pieces.Select(p => p.Pixels.Window));
        Assert.All(pieces, p => Assert.Equal(40, p.Pixels.Bands));
        AssertRebuilds(block, pieces);
    }

    [Fact]
    public void A_block_too_wide_for_one_row_of_tiles_goes_tile_by_tile_in_columns()
    {
        var block = Numbered(new PixelWindow(4096, 0, 4096, 300), 16); // one 256-row strip: 64 MiB
        var pieces = BlockPieces.Split(block, 256, bandInterleaved: false).ToList();

        Assert.Equal(new PixelWindow(4096, 0, 2048, 256), pieces[0].Pixels.Window);
        AssertRebuilds(block, pieces);
    }

    [Fact]
    public void A_band_interleaved_block_of_200_bands_goes_in_band_groups()
    {
        var block = Numbered(new PixelWindow(0, 0, 512, 512), 200); // 210 MB
        var pieces = BlockPieces.Split(block, 256, bandInterleaved: true).ToList();

        Assert.Equal(7, pieces.Count); // 32 bands of 1 MiB each per piece
        Assert.Equal([0, 32, 64, 96, 128, 160, 192], pieces.Select(p => p.FirstBand));
        Assert.All(pieces, p => Assert.Equal(block.Window, p.Pixels.Window));
        AssertRebuilds(block, pieces);
    }
}
