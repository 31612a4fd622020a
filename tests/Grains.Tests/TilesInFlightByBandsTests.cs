using Pipeline.Grains.Jobs;

namespace Pipeline.Grains.Tests;

public sealed class TilesInFlightByBandsTests
{
    [Theory]
    [InlineData(4, 1296, 32, 32)]   // multispectral model tiles: the slots decide
    [InlineData(16, 1296, 32, 32)]
    [InlineData(200, 290, 32, 2)]   // 3 × 290² × 201 × 4 B = 203 MB a tile: two fit 512 MiB
    [InlineData(100, 290, 32, 5)]
    [InlineData(200, 290, 1, 1)]    // never more than the slots allow
    [InlineData(1000, 1296, 32, 2)] // and never fewer than two
    public void Tiles_in_flight_shrink_with_the_band_count_only_for_band_interleaved_scenes(int bands, int tileSizeHr, int slotsLimit, int expected) =>
        Assert.Equal(expected, WorkerCapacity.ForBands(slotsLimit, bands, tileSizeHr));
}
