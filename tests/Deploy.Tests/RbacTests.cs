namespace Pipeline.Deploy.Tests;

/// <summary>The RBAC of Orleans' Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes): it reads its own pod,
/// labels it (patch) and lists/watches the cluster's pods; delete only with DeleteDefunctSiloPods.</summary>
public sealed class RbacTests
{
    static readonly string[] HostingVerbs = ["get", "list", "watch", "patch"];

    public static TheoryData<string> OverlayNames => Overlays.All();

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void The_role_grants_what_Orleans_Kubernetes_hosting_uses_and_no_more(string overlay)
    {
        var rules = Overlays.Render(overlay).OfKind("Role").Single()["rules"].Items().ToList();

        Assert.All(rules, rule =>
        {
            Assert.Equal([""], rule["apiGroups"].Strings());
            Assert.Equal(["pods"], rule["resources"].Strings());
        });
        Assert.Equal(HostingVerbs.Order(), rules.SelectMany(rule => rule["verbs"].Strings()).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void The_role_is_bound_to_the_service_account_of_every_silo_pod(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var role = manifest.OfKind("Role").Single();
        var binding = manifest.OfKind("RoleBinding").Single();

        Assert.Equal("Role", (string)binding["roleRef"]!["kind"]!);
        Assert.Equal(role.Name(), (string)binding["roleRef"]!["name"]!);
        var subject = Assert.Single(binding["subjects"].Items());
        Assert.Equal("ServiceAccount", (string)subject["kind"]!);
        Assert.Equal(manifest.Namespace, (string)subject["namespace"]!);
        var account = manifest.Get("ServiceAccount", (string)subject["name"]!);
        Assert.NotEqual("false", (string?)account["automountServiceAccountToken"]);
        Assert.All(manifest.Silos(), silo =>
        {
            Assert.Equal(account.Name(), (string?)silo.Pod["serviceAccountName"]);
            Assert.NotEqual("false", (string?)silo.Pod["automountServiceAccountToken"]);
        });
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public void Pods_that_do_not_use_the_api_get_no_token(string overlay)
    {
        var manifest = Overlays.Render(overlay);
        var silos = manifest.Silos().Select(s => s.Name).ToHashSet();

        Assert.All(manifest.Workloads().Where(w => !silos.Contains(w.Name)), w => Assert.Equal("false", (string?)w.Pod["automountServiceAccountToken"]));
    }
}
