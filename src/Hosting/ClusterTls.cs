using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Pipeline.Hosting;

/// <summary>
/// Optional TLS on every connection of a cluster (silo to silo, client to gateway), off unless
/// <c>Pipeline:Tls:CertificatePath</c> names a PKCS#12 file (<c>Pipeline:Tls:CertificatePassword</c> if it has one).
/// Every silo and client of the cluster presents that same certificate and accepts only peers presenting it (pinned by
/// thumbprint, both ways), so no certificate authority is involved and a host without the file cannot join or call in.
/// </summary>
public static class ClusterTls
{
    public const string SectionName = "Pipeline:Tls";

    public static ISiloBuilder UsePipelineTls(this ISiloBuilder silo) =>
        Load(silo.Configuration) is { } certificate ? silo.UseTls(certificate, options => Pin(options, certificate)) : silo;

    public static IClientBuilder UsePipelineTls(this IClientBuilder client) =>
        Load(client.Configuration) is { } certificate ? client.UseTls(certificate, options => Pin(options, certificate)) : client;

    /// <exception cref="InvalidOperationException">The file is missing or not a PKCS#12 certificate with its key.</exception>
    static X509Certificate2? Load(IConfiguration configuration)
    {
        var path = configuration[$"{SectionName}:CertificatePath"];
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[$"{SectionName}:CertificatePassword"]);
            return certificate.HasPrivateKey ? certificate : throw new InvalidOperationException($"{path}: the certificate has no private key");
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new InvalidOperationException($"{path}: cannot load the cluster's TLS certificate ({SectionName}:CertificatePath): {e.Message}", e);
        }
    }

    static void Pin(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Self-signed, so the platform's chain check fails by design; the pin is the check.
        options.RemoteCertificateValidation = (remote, _, _) => remote.Thumbprint == certificate.Thumbprint;
    }
}
