using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace RiskStream.Cli.Hosting;

/// <summary>What every command shares: configuration, logging to stderr, the stop signal, the actor system.</summary>
internal sealed class ProcessHost : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _signals = [];

    public ProcessHost(CommandLine cli)
    {
        Cli = cli;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "riskstream.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(cli.Config.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)))
            .Build();
        Settings = new Settings(configuration);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.ColorBehavior = Console.IsErrorRedirected ? Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled : Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Default;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        Log = LoggerFactory.CreateLogger("riskstream");
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            RequestStop("interrupt");
        };
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            RequestStop("SIGTERM");
        }));
        if (cli.For is { } duration)
        {
            _stop.CancelAfter(duration);
        }
    }

    public CommandLine Cli { get; }

    public Settings Settings { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Log { get; }

    /// <summary>Cancelled on Ctrl-C, SIGTERM or when <c>--for</c> has elapsed.</summary>
    public CancellationToken Stopping => _stop.Token;

    public void RequestStop(string why)
    {
        if (!_stop.IsCancellationRequested)
        {
            Log.LogInformation("Stopping ({Why})", why);
            _stop.Cancel();
        }
    }

    public static ActorSystem CreateActorSystem(string name) => ActorSystem.Create(name, ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          actor.default-dispatcher.fork-join-executor.parallelism-max = 4
        }
        """));

    public void Dispose()
    {
        foreach (var s in _signals)
        {
            s.Dispose();
        }

        _stop.Dispose();
        LoggerFactory.Dispose();
    }
}
