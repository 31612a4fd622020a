namespace Pipeline.Client.Batch;

/// <summary>One scene of an archive run: the GeoTIFF it reads, the GeoTIFF it writes (absolute paths), the scale.</summary>
sealed record BatchScene(string Input, string Output, double Scale)
{
    /// <summary>The input's file name, for progress lines.</summary>
    public string Name => Path.GetFileName(Input);
}
