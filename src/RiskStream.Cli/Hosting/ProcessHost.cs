using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// What every command shares: configuration (<c>riskstream.json</c>, then the environment, then the command line),
/// the options read from it, logging to stderr, the stop signal (Ctrl-C, SIGTERM, <c>--for</c>), the actor system.
/// </summary>
internal sealed class ProcessHost : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _signals = [];
    private readonly Lazy<RiskStreamOptions> _options;

    /// <param name="flags">Configuration keys set on the command line.</param>
    /// <param name="stopAfter">Stop by itself after this long (<c>--for</c>).</param>
    public ProcessHost(IReadOnlyDictionary<string, string> flags, TimeSpan? stopAfter = null)
    {
        Configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "riskstream.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(flags.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)))
            .Build();
        _options = new Lazy<RiskStreamOptions>(() => RiskStreamOptions.Read(Configuration));
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
        if (stopAfter is { } duration)
        {
            _stop.CancelAfter(duration);
        }
    }

    /// <summary>A host for a parsed command: its configuration flags, and its <c>--for</c> if it has one.</summary>
    public static ProcessHost For(System.CommandLine.ParseResult parse) =>
        new(ConfigFlag.Values(parse), parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--for") is System.CommandLine.Option<TimeSpan?> f ? parse.GetValue(f) : null);

    public IConfiguration Configuration { get; }

    /// <summary>Every option, read and checked on first use; <see cref="Core.Options.OptionsException"/> names a bad key.</summary>
    public RiskStreamOptions Options => _options.Value;

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
