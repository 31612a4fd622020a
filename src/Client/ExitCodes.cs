namespace Pipeline.Client;

/// <summary>Exit codes, the same for every command, so batch scripts can branch on them.</summary>
static class ExitCodes
{
    /// <summary>The job succeeded: its output is complete and in place (status: the job has succeeded).</summary>
    public const int Succeeded = 0;

    /// <summary>The job failed, or the input or options were refused; one line on standard error says why.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>No cluster answered (gateway down, wrong clustering settings).</summary>
    public const int ClusterUnreachable = 3;

    /// <summary>The job was cancelled (by <c>cancel</c>, or Ctrl+C during <c>upscale</c>); no output was written.</summary>
    public const int Cancelled = 4;

    /// <summary><c>status</c> without <c>--wait</c>: the job is still running.</summary>
    public const int Running = 5;

    /// <summary>No job with that id exists on the cluster.</summary>
    public const int UnknownJob = 6;

    /// <summary>The list printed under <c>--help</c>.</summary>
    public const string Summary =
        "Exit codes: 0 succeeded (output complete and in place), 1 failed or input refused (one 'error: <file>: <problem>' line), " +
        "2 usage error, 3 no cluster answered, 4 cancelled (nothing written), 5 still running (status), 6 unknown job.";
}
