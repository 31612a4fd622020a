using Pipeline.Training;

namespace Pipeline.Training.Evaluation;

/// <summary>Side-by-side crops (e.g. bicubic | deterministic | E²DiffSR | LCMSR | HR) as one PNG, each panel enlarged by
/// pixel replication so that single output pixels stay visible, separated by white gaps.</summary>
public static class ComparisonFigure
{
    const int Gap = 4;

    public static void Save(string path, IReadOnlyList<RgbImage> panels, int zoom)
    {
        if (panels.Count == 0 || panels.Any(p => p.Width != panels[0].Width || p.Height != panels[0].Height))
            throw new ArgumentException("a comparison figure needs panels of one size", nameof(panels));
        var (pw, ph) = (panels[0].Width * zoom, panels[0].Height * zoom);
        var width = panels.Count * pw + (panels.Count - 1) * Gap;
        var data = new byte[3 * width * ph];
        Array.Fill(data, (byte)255);
        for (var k = 0; k < panels.Count; k++)
        {
            var panel = panels[k];
            var x0 = k * (pw + Gap);
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < ph; y++)
                    for (var x = 0; x < pw; x++)
                        data[(c * ph + y) * width + x0 + x] = panel.Data[(c * panel.Height + y / zoom) * panel.Width + x / zoom];
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            new RgbImage(width, ph, data, Path.GetFileName(path)).SavePng(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
