using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace RiskStream.Influx;

/// <summary>
/// TLS to InfluxDB with a private CA: the server's certificate must chain to a certificate of the CA file (PEM) and
/// name the host; the machine's own trust store is not consulted then. Without a CA file, the system's trust applies.
/// </summary>
public static class InfluxTls
{
    /// <summary>The check of the server's certificate against the CA file's certificates.</summary>
    public static RemoteCertificateValidationCallback TrustOnly(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InfluxSetupException($"the InfluxDB CA file '{caFile}' is not readable as PEM certificates: {e.Message}", e);
        }

        if (roots.Count == 0)
        {
            throw new InfluxSetupException($"the InfluxDB CA file '{caFile}' holds no certificate");
        }

        return (_, certificate, presented, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

            // Intermediates the server sent along: a CA file holding only the root still vouches through them.
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }

    /// <summary>The error of a request that failed, as the sink should see it: an untrusted certificate is an operator's problem, not an outage.</summary>
    internal static InfluxWriteException Failure(Exception e) =>
        Causes(e).OfType<AuthenticationException>().Any()
            ? new InfluxWriteException($"InfluxDB's TLS certificate is not trusted (check RiskStream:Influx:CaFile and the URL's host name): {e.GetBaseException().Message}", 0, e, InfluxRefusal.Unauthorised)
            : new InfluxWriteException($"InfluxDB unreachable: {e.Message}", 0, e);

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }
}
