using System.Runtime.CompilerServices;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Consistency;

/// <summary>
/// Σ over bands of |4-neighbour Laplacian| of <see cref="BicubicUpscaler"/>'s output over one LR tile, at chosen HR
/// pixels of a window, without computing the whole image: the detail reference of <see cref="TileConsistency"/>, which
/// samples one pixel in 16. Taps are computed once per HR column and row; at each pixel the five points share the
/// horizontal sums of their column over the rows they read, so 13 of them are computed instead of 20 at ×2.
/// </summary>
internal sealed class BicubicLaplacian
{
    readonly RasterBlock lr;
    readonly PixelWindow hr;
    readonly BicubicUpscaler.Tap[] columns;
    readonly BicubicUpscaler.Tap[] rows;

    /// <param name="lrTile">The input the bicubic image is made from.</param>
    /// <param name="scale">The job's scale.</param>
    /// <param name="hrWindow">The HR pixels (scene coordinates) at which <see cref="At"/> will be asked.</param>
    public BicubicLaplacian(RasterBlock lrTile, double scale, PixelWindow hrWindow)
    {
        (lr, hr) = (lrTile, hrWindow);
        columns = BicubicUpscaler.Taps(hrWindow.X - 1, hrWindow.Width + 2, lrTile.Window.X, lrTile.Width, scale);
        rows = BicubicUpscaler.Taps(hrWindow.Y - 1, hrWindow.Height + 2, lrTile.Window.Y, lrTile.Height, scale);
    }

    /// <summary>Σ over bands of |Laplacian| of the bicubic image at HR pixel (<paramref name="hrX"/>, <paramref name="hrY"/>)
    /// (scene coordinates, inside the window).</summary>
    public double At(int hrX, int hrY)
    {
        var (x, y) = (hrX - hr.X, hrY - hr.Y);
        ref readonly var left = ref columns[x];
        ref readonly var centre = ref columns[x + 1];
        ref readonly var right = ref columns[x + 2];
        ref readonly var up = ref rows[y];
        ref readonly var middle = ref rows[y + 1];
        ref readonly var down = ref rows[y + 2];
        // The LR rows the centre column is read at: from up's first tap to down's last (clamped taps only repeat rows).
        var first = Math.Min(up.I0, Math.Min(middle.I0, down.I0));
        var count = Math.Max(up.I3, Math.Max(middle.I3, down.I3)) - first + 1;
        var centreRows = count <= 8 ? stackalloc double[8] : new double[count];
        var (width, height, data) = (lr.Width, lr.Height, lr.Data);
        double sum = 0;
        for (var band = 0; band < lr.Bands; band++)
        {
            var plane = band * width * height;
            for (var row = 0; row < count; row++) centreRows[row] = Horizontal(data, plane + (first + row) * width, centre);
            sum += Math.Abs(4 * Vertical(centreRows, first, middle) - Point(data, plane, width, left, middle) - Point(data, plane, width, right, middle)
                - Vertical(centreRows, first, up) - Vertical(centreRows, first, down));
        }
        return sum;
    }

    /// <summary>The bicubic value at one column and row, from the column's horizontal sums at LR rows from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Vertical(ReadOnlySpan<double> columnRows, int first, in BicubicUpscaler.Tap row) =>
        row.W0 * columnRows[row.I0 - first] + row.W1 * columnRows[row.I1 - first] + row.W2 * columnRows[row.I2 - first] + row.W3 * columnRows[row.I3 - first];

    /// <summary>The bicubic value at one column and row of one band's plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Point(float[] data, int plane, int width, in BicubicUpscaler.Tap column, in BicubicUpscaler.Tap row) =>
        row.W0 * Horizontal(data, plane + row.I0 * width, column) + row.W1 * Horizontal(data, plane + row.I1 * width, column) +
        row.W2 * Horizontal(data, plane + row.I2 * width, column) + row.W3 * Horizontal(data, plane + row.I3 * width, column);

    /// <summary>One row's horizontal cubic sum for one column's taps (double, as <see cref="BicubicUpscaler"/>'s passes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Horizontal(float[] data, int row, in BicubicUpscaler.Tap column) =>
        column.W0 * data[row + column.I0] + column.W1 * data[row + column.I1] + column.W2 * data[row + column.I2] + column.W3 * data[row + column.I3];
}
