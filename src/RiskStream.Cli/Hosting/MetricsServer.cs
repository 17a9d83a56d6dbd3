using System.Net;
using Microsoft.Extensions.Logging;
using Prometheus;

using RiskStream.Core.Options;

namespace RiskStream.Cli.Hosting;

/// <summary>Serves <c>/metrics</c> (Prometheus text format) and <c>/healthz</c> on one port.</summary>
internal sealed class MetricsServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CollectorRegistry _registry;
    private readonly Func<bool> _healthy;
    private readonly ILogger _log;
    private readonly Task _loop;

    public MetricsServer(int port, CollectorRegistry registry, Func<bool> healthy, ILogger log)
    {
        _registry = registry;
        _healthy = healthy;
        _log = log;
        _listener.Prefixes.Add($"http://+:{port}/");
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            _listener.Close();
            throw new OptionsException($"RiskStream:Metrics:Port {port}: cannot serve /metrics there ({e.Message}); choose another port or 0 to disable");
        }

        _loop = Task.Run(ServeAsync);
        log.LogInformation("Serving /metrics and /healthz on port {Port}", port);
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
                case "/healthz":
                    var ok = _healthy();
                    response.StatusCode = ok ? 200 : 503;
                    await response.OutputStream.WriteAsync(ok ? "ok\n"u8.ToArray() : "unhealthy\n"u8.ToArray()).ConfigureAwait(false);
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
