// Each test runs a cluster of processes; two at once on a small machine would only slow both and blur timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
