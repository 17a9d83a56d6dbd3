using System.Net;
using Microsoft.Extensions.Logging;
using Prometheus;

using RiskStream.Core.Options;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format), <c>/healthz/live</c> and <c>/healthz/ready</c> (200 or 503, with a
/// JSON body naming every check and the problem each sees; <c>/healthz</c> is readiness) on one port.
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CollectorRegistry _registry;
    private readonly Health _health;
    private readonly ILogger _log;
    private readonly Task _loop;

    public MetricsServer(int port, CollectorRegistry registry, Health health, ILogger log)
    {
        _registry = registry;
        _health = health;
        _log = log;
        _listener = Listen(port);

        _loop = Task.Run(ServeAsync);
        log.LogInformation("Serving /metrics, /healthz/live and /healthz/ready on port {Port}", port);
    }

    /// <summary>
    /// A started listener on the port. .NET's managed HttpListener can throw ArgumentNullException from Start when a
    /// client connects while it starts (dotnet/corefx#35191: the accept completes inside its constructor before its
    /// lock exists, and its socket, bound and listening, is left to the finalizer); the failed one is closed, the
    /// finalizer run so its socket lets the port go, and a new one tried, a few times. Without this a probe or a scrape
    /// arriving at the wrong moment crashes the process at start.
    /// </summary>
    private static HttpListener Listen(int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://+:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException e)
            {
                listener.Close();
                throw new OptionsException($"RiskStream:Metrics:Port {port}: cannot serve /metrics there ({e.Message}); choose another port or 0 to disable");
            }
            catch (ArgumentNullException) when (attempt < 5)
            {
                listener.Close();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(50 * attempt);
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException e)
            {
                _log.LogWarning("metrics listener: {Message}", e.Message);
                continue;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await _registry.CollectAndExportAsTextAsync(response.OutputStream).ConfigureAwait(false);
                    break;
                case "/healthz/live":
                case "/healthz/ready":
                case "/healthz":
                    var (ok, body) = _health.Report(readiness: context.Request.Url?.AbsolutePath != "/healthz/live");
                    response.StatusCode = ok ? 200 : 503;
                    response.ContentType = "application/json; charset=utf-8";
                    await response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);
                    break;
                default:
                    response.StatusCode = 404;
                    break;
            }
        }
        catch (Exception e)
        {
            _log.LogWarning("metrics request failed: {Message}", e.Message);
        }
        finally
        {
            response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(2));
    }
}
