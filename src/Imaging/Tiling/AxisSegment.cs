namespace Pipeline.Imaging.Tiling;

/// <summary>
/// One tile column (or row) of a plan along one axis: its LR extent, its HR extent and the HR range where its
/// blend weight is positive (<see cref="WeightedStart"/> to <see cref="WeightedEnd"/>, exclusive), all in scene
/// coordinates, plus its 1-D blend weights over the HR extent.
/// </summary>
internal sealed record AxisSegment(
    int LrStart, int LrLength, int HrStart, int HrLength, int WeightedStart, int WeightedEnd, float[] Weights)
{
    public int HrEnd => HrStart + HrLength;
}
