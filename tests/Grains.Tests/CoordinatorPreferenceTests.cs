using System.Net;
using Pipeline.Grains.Placement;

namespace Pipeline.Grains.Tests;

/// <summary>Where jobs, stitchers and writers go when the placing silo does not know every silo's role yet.</summary>
public sealed class CoordinatorPreferenceTests
{
    static readonly SiloAddress[] Silos = [.. Enumerable.Range(0, 3).Select(i => SiloAddress.New(IPAddress.Loopback, 11111 + i, 1))];

    static (SiloAddress, IEnumerable<KeyValuePair<string, string>>) Silo(int index, string? roles) =>
        (Silos[index], roles is null ? [] : new Dictionary<string, string> { ["role"] = roles });

    [Fact]
    public void Known_coordinators_are_preferred() =>
        Assert.Equal([Silos[1]], CoordinatorSiloPlacementFilterDirector.Prefer([Silo(0, "worker"), Silo(1, "coordinator"), Silo(2, null)]));

    // At a cluster's start a worker silo may not have the coordinator's metadata yet: it used to fall back to any silo,
    // and placed a writer on itself or another worker.
    [Fact]
    public void With_no_coordinator_known_a_silo_of_unknown_role_is_preferred_to_the_known_workers() =>
        Assert.Equal([Silos[2]], CoordinatorSiloPlacementFilterDirector.Prefer([Silo(0, "worker"), Silo(1, "worker"), Silo(2, null)]));

    [Fact]
    public void A_cluster_of_workers_only_places_on_any_worker() =>
        Assert.Equal(Silos, CoordinatorSiloPlacementFilterDirector.Prefer([Silo(0, "worker"), Silo(1, "worker"), Silo(2, "Worker")]));
}
