using System.Net;
using RiskStream.Testing;

namespace RiskStream.Influx.Tests.Support;

/// <summary>
/// An HTTP stand-in in front of the real influxd: it forwards every request (rewritten by <see cref="Rewrite"/>), unless <see cref="Refuse"/> answers it
/// with a status of its own first (an outage of credentials, a body limit, a user who may not create databases).
/// </summary>
internal sealed class InfluxGate : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _influx;
    private readonly Task _serving;
    private int _requests;

    public InfluxGate(Uri influx)
    {
        _influx = new HttpClient { BaseAddress = influx };
        var port = FreePorts.BelowEphemeralRange();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Given the path with its query and the body, a status to answer instead of InfluxDB's, or null to forward.</summary>
    public Func<string, byte[], int?> Refuse { get; set; } = (_, _) => null;

    /// <summary>Maps the path with its query onto the one influxd is asked (e.g. a v2 write onto a v1 one).</summary>
    public Func<string, string> Rewrite { get; set; } = path => path;

    /// <summary>The <c>Authorization</c> header of every request.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Authorizations { get; } = [];

    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var path = request.RawUrl ?? "/";
        Authorizations.Add(request.Headers["Authorization"] ?? "");
        try
        {
            if (Refuse(path, body) is { } status)
            {
                context.Response.StatusCode = status;
                var error = System.Text.Encoding.UTF8.GetBytes($"{{\"error\":\"refused by the gate with {status}\"}}");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(error);
                context.Response.Close();
                return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), Rewrite(path).TrimStart('/')) { Content = new ByteArrayContent(body) };
            if (request.ContentType is { } type)
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            if (request.Headers["Content-Encoding"] is { } encoding)
            {
                forward.Content.Headers.ContentEncoding.Add(encoding);
            }

            using var answer = await _influx.SendAsync(forward);
            context.Response.StatusCode = (int)answer.StatusCode;
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or HttpRequestException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        _influx.Dispose();
    }
}
