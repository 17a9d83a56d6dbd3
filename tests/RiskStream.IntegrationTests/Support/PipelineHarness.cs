using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline;

namespace RiskStream.IntegrationTests.Support;

/// <summary>A reading as sent: its id, bytes, and whether the pipeline must accept it.</summary>
internal sealed record Sent(string Id, byte[] Key, byte[] Value, bool Valid);

/// <summary>Readings for a registry: valid ones with unique ids, and a share of malformed ones of every kind.</summary>
internal static class Readings
{
    private static readonly DateTimeOffset Base = DateTimeOffset.UtcNow.AddMinutes(-30);

    public static IReadOnlyList<Sent> Make(ParkRegistry registry, int count, double malformedShare, int seed, int startIndex = 0)
    {
        var random = new Random(seed);
        var sensors = registry.SiteList.SelectMany(s => s.Sensors).ToArray();
        var result = new List<Sent>(count);
        for (var i = startIndex; i < startIndex + count; i++)
        {
            var sensor = sensors[i % sensors.Length];
            var ts = Base.AddMilliseconds(i);
            var reading = new Reading(sensor.Site.Id, sensor.Id, sensor.Kind, Math.Round(random.NextDouble() * 3, 3), sensor.Kind.CanonicalUnit(), ts);
            var key = Encoding.UTF8.GetBytes(sensor.Site.Id);
            if (random.NextDouble() < malformedShare)
            {
                var bad = (i % 5) switch
                {
                    0 => "{\"site\":\"" + sensor.Site.Id + "\",\"n\":" + i + ",\"sensor\":",
                    1 => JsonSerializer.Serialize(reading with { Unit = "furlongs" }, ContractJson.Default.Reading),
                    2 => JsonSerializer.Serialize(reading with { Site = "NO-SUCH-SITE" }, ContractJson.Default.Reading),
                    3 => JsonSerializer.Serialize(reading with { Ts = DateTimeOffset.UtcNow.AddHours(3) }, ContractJson.Default.Reading),
                    _ => JsonSerializer.Serialize(reading, ContractJson.Default.Reading).Replace("\"value\":", "\"value\":NaN,\"x\":", StringComparison.Ordinal),
                };
                result.Add(new Sent($"bad-{i}", key, Encoding.UTF8.GetBytes(bad), false));
            }
            else
            {
                result.Add(new Sent(reading.Id, key, JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading), true));
            }
        }

        return result;
    }

    /// <summary>
    /// Every sensor of <paramref name="site"/> once a second from <paramref name="fromSecond"/> to <paramref name="toSecond"/>
    /// after <paramref name="start"/>, near its normal value, except the site's first two combustible-gas detectors at
    /// 60 %LEL from 10 s to 40 s: a leak the common-scenario engine raises, escalates and, once it has passed, resolves.
    /// </summary>
    public static IReadOnlyList<Sent> Leak(SiteDef site, DateTimeOffset start, int fromSecond, int toSecond, Random noise)
    {
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).OrderBy(s => s.Id, StringComparer.Ordinal).Take(2).ToHashSet();
        var result = new List<Sent>();
        for (var t = fromSecond; t <= toSecond; t++)
        {
            foreach (var sensor in site.Sensors)
            {
                var normal = (sensor.Baseline ?? Simulation.ParkSimulator.DefaultBaseline(sensor.Kind)) * (1 + ((noise.NextDouble() - 0.5) * 0.02));
                var value = lel.Contains(sensor) && t is >= 10 and <= 40 ? 60 + noise.NextDouble() : normal;
                var reading = new Reading(site.Id, sensor.Id, sensor.Kind, Math.Round(value, 4), sensor.Kind.CanonicalUnit(), start.AddSeconds(t));
                result.Add(new Sent(reading.Id, Encoding.UTF8.GetBytes(site.Id), JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading), true));
            }
        }

        return result;
    }

    /// <summary>Produces the readings in order and returns each one's partition and offset.</summary>
    public static Dictionary<string, TopicPartitionOffset> Produce(string bootstrap, string topic, IEnumerable<Sent> readings)
    {
        var where = new ConcurrentDictionary<string, TopicPartitionOffset>();
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 2, EnableIdempotence = true }).Build();
        foreach (var r in readings)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[]?, byte[]> { Key = r.Key, Value = r.Value }, d =>
                    {
                        if (d.Error.IsError)
                        {
                            throw new InvalidOperationException("test input not delivered: " + d.Error);
                        }

                        where[r.Id] = d.TopicPartitionOffset;
                    });
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return new Dictionary<string, TopicPartitionOffset>(where);
    }
}

/// <summary>Reads an output topic from the start, live, into a bag of (key or id, value) pairs.</summary>
internal sealed class TopicRecorder : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public TopicRecorder(string bootstrap, string topic, Func<byte[], string> idOf)
    {
        _thread = new Thread(() =>
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "recorder-" + Guid.NewGuid().ToString("N"),
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                FetchWaitMaxMs = 5,
            }).Build();
            consumer.Subscribe(topic);
            while (!_stop.IsCancellationRequested)
            {
                var r = consumer.Consume(50);
                if (r?.Message.Value is { } v)
                {
                    Records.Enqueue((idOf(v), v));
                }
            }

            consumer.Close();
        })
        { IsBackground = true };
        _thread.Start();
    }

    public ConcurrentQueue<(string Id, byte[] Value)> Records { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}

/// <summary>
/// One in-process pipeline instance on its own actor system. Supervised, it runs as <c>riskstream run</c> runs it:
/// a failed stream is started again (with a new producer) by the same <see cref="Cli.Hosting.Supervisor"/>.
/// </summary>
internal sealed class PipelineInstance : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly Func<IProducer<byte[]?, byte[]>, RunningPipeline> _start;
    private readonly ProducerSettings _producerSettings;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _supervision = Task.CompletedTask;
    private readonly Cli.Hosting.Supervisor? _supervisor;
    private IProducer<byte[]?, byte[]> _producer;
    private volatile RunningPipeline _running;

    public PipelineInstance(string bootstrap, ParkRegistry registry, string group, string name, IReadOnlyDictionary<string, Party>? ackTopics = null, Raman.Processing.Identifier? identifier = null, TimeSpan? commitInterval = null, Scenarios.Definitions.ScenarioSet? scenarios = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null, bool supervised = false)
    {
        _system = ActorSystem.Create(name, "akka.loglevel = WARNING\nakka.log-dead-letters = off");
        _producerSettings = new ProducerSettings { BootstrapServers = bootstrap };
        Metrics = PipelineMetrics.Unregistered();
        var materializer = _system.Materializer();
        var context = new PipelineContext
        {
            Registry = registry,
            Scenarios = scenarios ?? Scenarios.Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios")),
            Options = new PipelineOptions { GroupId = group, Lanes = 2 },
            AckTopics = ackTopics ?? new Dictionary<string, Party>(),
            Metrics = Metrics,
            Identifier = identifier,
            LoggerFactory = loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        };
        _start = producer => RiskPipeline.Start(
            context,
            new PipelineKafka
            {
                Consumer = new ConsumerSettings { BootstrapServers = bootstrap, GroupId = group, CommitInterval = commitInterval ?? TimeSpan.FromMilliseconds(100) },
                Producer = producer,
                ProducerSettings = _producerSettings,
                Metrics = KafkaMetrics,
                Latency = Latency,
            },
            materializer);
        _producer = new ProducerBuilder<byte[]?, byte[]>(_producerSettings.ToConfig()).Build();
        _running = _start(_producer);
        if (supervised)
        {
            var log = context.LoggerFactory.CreateLogger("riskstream.pipeline");
            _supervisor = new Cli.Hosting.Supervisor("Pipeline", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeProvider.System, log);
            _supervision = _supervisor.RunAsync(RunOnceAsync, _stop.Token);
        }
    }

    /// <summary>The stream running now (a new one after each restart when supervised).</summary>
    public RunningPipeline Running => _running;

    /// <summary>The producer of the stream running now.</summary>
    public IProducer<byte[]?, byte[]> Producer => _producer;

    /// <summary>Times the supervisor started a failed stream again.</summary>
    public int Restarts => _supervisor?.Restarts ?? 0;

    public PipelineMetrics Metrics { get; }

    public KafkaMetrics KafkaMetrics { get; } = KafkaMetrics.Unregistered();

    /// <summary>Input append to output acknowledged, of every output.</summary>
    public LatencyRecorder Latency { get; } = new();

    public double Scored => Metrics.Scored.Value;

    public async Task DrainAsync()
    {
        await _stop.CancelAsync();
        await _supervision;
        await Running.DrainAndShutdownAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _supervision;
        await _system.Terminate();
        _producer.Dispose();
        _stop.Dispose();
    }

    /// <summary>One run under the supervisor, as <c>riskstream run</c>'s: returns when stopped, throws when the stream failed.</summary>
    private async Task RunOnceAsync(CancellationToken stop)
    {
        if (_running.Completion.IsCompleted)
        {
            // Started again after a failure: a new producer (a fatal producer error leaves the old one unusable).
            _producer.Dispose();
            _producer = new ProducerBuilder<byte[]?, byte[]>(_producerSettings.ToConfig()).Build();
            _running = _start(_producer);
        }

        await _running.UntilStoppedAsync(stop);
    }
}
