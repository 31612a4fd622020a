namespace Pipeline.Models.Inference;

/// <summary>
/// How a raster's bands are fed to a 3-channel RGB model.
/// <list type="bullet">
/// <item><see cref="Auto"/>: a band count that is a multiple of 3 is processed as consecutive triplets (bands 0-2 are
/// taken as R, G, B); any other count band by band.</item>
/// <item><see cref="Triplets"/>: consecutive triplets; an incomplete last triplet is padded by repeating its last band
/// and only its real bands are written.</item>
/// <item><see cref="PerBand"/>: every band alone, replicated to 3 channels; the output is the mean of the 3 output
/// channels (so a 1-band image goes gray → RGB → gray).</item>
/// </list>
/// The model was trained on natural RGB images; non-RGB triplets (e.g. NIR/SWIR) are upscaled as if they were RGB.
/// </summary>
public enum BandGrouping
{
    Auto,
    Triplets,
    PerBand,
}

/// <summary>One model call: three source bands; <see cref="Targets"/> says which output band each of the 3 channels
/// writes (−1: not written), or, for a replicated single band, the band that receives the channel mean.</summary>
public sealed record BandGroup(int[] Sources, int[] Targets, bool Replicated)
{
    public static IReadOnlyList<BandGroup> Plan(int bands, BandGrouping grouping)
    {
        var triplets = grouping == BandGrouping.Triplets || (grouping == BandGrouping.Auto && bands % 3 == 0);
        var groups = new List<BandGroup>();
        if (!triplets)
        {
            for (var b = 0; b < bands; b++) groups.Add(new BandGroup([b, b, b], [b], Replicated: true));
            return groups;
        }
        for (var start = 0; start < bands; start += 3)
        {
            var sources = new int[3];
            var targets = new int[3];
            for (var k = 0; k < 3; k++)
            {
                var band = start + k;
                sources[k] = Math.Min(band, bands - 1);
                targets[k] = band < bands ? band : -1;
            }
            groups.Add(new BandGroup(sources, targets, Replicated: false));
        }
        return groups;
    }
}
