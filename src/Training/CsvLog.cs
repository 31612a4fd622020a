using System.Globalization;

namespace Pipeline.Training;

/// <summary>Appends training progress rows to a CSV file (header written once; columns fixed by the first row).</summary>
public sealed class CsvLog(string path)
{
    string[]? termNames;

    public void Append(TrainingProgress p)
    {
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        if (termNames is null)
        {
            termNames = exists
                ? File.ReadLines(path).First().Split(',').Skip(2).TakeWhile(c => c != "lr").ToArray()
                : p.Terms.Keys.ToArray();
        }
        using var writer = new StreamWriter(path, append: true);
        if (!exists) writer.WriteLine(string.Join(",", new[] { "step", "loss" }.Concat(termNames).Concat(["lr", "scale", "sec_per_step", "samples_per_sec", "elapsed_s"])));
        var values = new List<string> { p.Step.ToString(CultureInfo.InvariantCulture), F(p.Loss) };
        values.AddRange(termNames.Select(n => p.Terms.TryGetValue(n, out var v) ? F(v) : ""));
        values.AddRange([F(p.LearningRate), F(p.Scale), F(p.SecondsPerStep), F(p.SamplesPerSecond), F(p.Elapsed.TotalSeconds)]);
        writer.WriteLine(string.Join(",", values));
    }

    static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
