namespace Pipeline.Imaging.Tests;

/// <summary>The stage timers count the timed thread's CPU, not the time it waits.</summary>
public sealed class PipelineStagesTests
{
    [Fact]
    public void A_stage_counts_cpu_spent_in_it_and_not_time_asleep()
    {
        var before = PipelineStages.Seconds()[PipelineStage.Layout];
        using (PipelineStages.Time(PipelineStage.Layout))
        {
            var spin = 0.0;
            for (var i = 0; i < 30_000_000; i++) spin += Math.Sqrt(i); // about 0.1 s of CPU
            Assert.True(spin > 0);
            Thread.Sleep(600);
        }
        var spent = PipelineStages.Seconds()[PipelineStage.Layout] - before;

        // The work counts; the 0.6 s asleep does not.
        Assert.InRange(spent, 0.01, 0.45);
    }
}
