using System.Net;
using System.Net.Sockets;

namespace Pipeline.Imaging.Access;

/// <summary>Whether an IP address is on the public internet: not loopback, link-local (169.254/16 holds the cloud
/// metadata services), private (RFC 1918, fc00::/7), shared (100.64/10), unspecified, multicast or reserved.</summary>
public static class PublicAddresses
{
    public static bool IsPublic(IPAddress address) => Describe(address) == "public";

    /// <summary>"public", or the kind of non-public address it is.</summary>
    public static string Describe(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv6LinkLocal) return "link-local";
            if (address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal) return "private";
            if (address.IsIPv6Multicast) return "multicast";
            return address.Equals(IPAddress.IPv6None) ? "unspecified" : "public";
        }
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 => "unspecified",
            10 => "private",
            100 when b[1] >= 64 && b[1] < 128 => "shared (carrier-grade NAT)",
            169 when b[1] == 254 => "link-local",
            172 when b[1] >= 16 && b[1] < 32 => "private",
            192 when b[1] == 168 => "private",
            192 when b[1] == 0 && b[2] == 0 => "reserved",
            >= 224 => "multicast or reserved",
            _ => "public",
        };
    }
}
