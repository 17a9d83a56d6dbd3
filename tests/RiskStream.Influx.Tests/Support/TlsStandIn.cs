using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RiskStream.Influx.Tests.Support;

/// <summary>
/// An https endpoint with a certificate for 127.0.0.1 issued by a CA made for the test: it answers every request
/// 204, as InfluxDB answers a write, and counts them.
/// </summary>
internal sealed class TlsStandIn : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _server;
    private readonly Task _serving;
    private int _answered;

    public TlsStandIn(string folder)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RiskStream test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Path.Combine(folder, "ca.pem");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=influxdb", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, 4]);
        _server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        _listener.Start();
        Url = new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public string CaFile { get; }

    public int Answered => Volatile.Read(ref _answered);

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await using var tls = new SslStream(client.GetStream());
                        await tls.AuthenticateAsServerAsync(_server);
                        var buffer = new byte[64 * 1024];
                        var seen = new StringBuilder();
                        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            var n = await tls.ReadAsync(buffer);
                            if (n == 0)
                            {
                                return;
                            }

                            seen.Append(Encoding.Latin1.GetString(buffer, 0, n));
                        }

                        Interlocked.Increment(ref _answered);
                        await tls.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray());
                    }
                    catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                    {
                        // A client that refused the certificate hangs up during the handshake.
                    }
                }
            });
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _serving.Wait(TimeSpan.FromSeconds(5));
        _server.Dispose();
    }
}
