using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Simulation;

namespace RiskStream.Cli.Soak;

/// <summary>
/// <c>riskstream soak</c>: the simulated park through a <c>riskstream run</c> child process on an embedded broker for
/// a while, with faults injected at random (broker down, slow broker, produce and commit errors, SIGTERM and SIGKILL of
/// the pipeline with restart; with <c>--influx</c>, an influxd for the pipeline's sink, restarted as a fault too),
/// keeping a <see cref="SoakLedger"/> of what went in and what came out.
/// </summary>
internal sealed partial class SoakRun(Hosting.RiskStreamOptions options, TimeSpan length, bool faults, TimeSpan faultEvery, IReadOnlyCollection<string>? faultKinds, int seed, bool influx, ILogger log) : IDisposable
{
    private const string Database = "soak";
    private SoakInflux? _influx;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(3);
    private readonly SoakLedger _ledger = new();
    private readonly object _childGate = new();
    private Process? _child;
    private int _life;

    public async Task<(SoakLedger Ledger, TimeSpan Ran)> RunAsync(CancellationToken cancel)
    {
        var registry = ParkRegistry.Load(options.RegistryPath);
        using var broker = EmbeddedBroker.Start();
        broker.EnsureTopics(Topics.All(registry));
        var port = FreePort();
        var clock = Stopwatch.StartNew();
        using var readers = new CancellationTokenSource();
        var threads = new[]
        {
            Reader(broker.BootstrapServers, Topics.Scores, v => _ledger.Scored.AddOrUpdate(JsonDocument.Parse(v).RootElement.GetProperty("id").GetString()!, 1, (_, n) => n + 1), readers.Token),
            Reader(broker.BootstrapServers, Topics.DeadLetter, v =>
            {
                // Distinct source messages of the readings topic: a redelivered letter or one of the sink's is not a second one.
                var letter = JsonSerializer.Deserialize(v, ContractJson.Default.DeadLetter)!;
                if (letter.Topic != Topics.Readings)
                {
                    return;
                }

                if (letter.Reason == DeadLetterReason.MalformedJson)
                {
                    _ledger.LetteredBad.TryAdd((letter.Partition, letter.Offset), 0);
                }
                else if (!letter.Truncated && JsonSerializer.Deserialize(letter.Value, ContractJson.Default.Reading) is { } refused)
                {
                    // A reading the soak sent as valid, refused with a reason: accounted for, and named in the ledger.
                    _ledger.LetteredValid.TryAdd(refused.Id, $"{letter.Reason.Wire()} ({letter.Detail})");
                }
            }, readers.Token),
            Reader(broker.BootstrapServers, Topics.Warnings, v =>
            {
                _ledger.Saw(JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!);
            }, readers.Token),
        };

        if (influx)
        {
            _influx = new SoakInflux(FreePort(), FreePort());
            await _influx.StartAsync().ConfigureAwait(false);
            _ledger.InfluxExpected = true;
        }

        try
        {
            return await SoakAsync(broker, registry, port, clock, cancel).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, no child is left behind.
            lock (_childGate)
            {
                if (_child is { } child)
                {
                    Hosting.ChildRiskStream.Terminate(child, TimeSpan.FromSeconds(45));
                    child.Dispose();
                    _child = null;
                }
            }

            readers.Cancel();
            foreach (var t in threads)
            {
                t.Join(TimeSpan.FromSeconds(10));
            }

            _influx?.Stop();
        }
    }

    private async Task<(SoakLedger Ledger, TimeSpan Ran)> SoakAsync(EmbeddedBroker broker, ParkRegistry registry, int port, Stopwatch clock, CancellationToken cancel)
    {
        StartPipeline(broker.BootstrapServers, port);
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        feeding.CancelAfter(length);
        var random = new Random(seed);
        var feeder = Task.Run(() => FeedAsync(broker.BootstrapServers, registry, seed, feeding.Token), CancellationToken.None);
        var injector = faults ? Task.Run(() => InjectAsync(broker, port, random, feeding.Token), CancellationToken.None) : Task.CompletedTask;
        var sampler = Task.Run(() => SampleAsync(port, clock, feeding.Token), CancellationToken.None);
        await Task.WhenAll(feeder, injector, sampler).ConfigureAwait(false);
        var ran = clock.Elapsed;

        // Whatever fault was on is lifted; then everything delivered must come out.
        broker.Faults.AllBrokers(up: true);
        broker.Faults.SetRtt(1, TimeSpan.Zero);
        log.LogInformation("Soak: feeding stopped after {Minutes:F1} min; waiting for the pipeline to catch up", ran.TotalMinutes);
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < SettleLimit && (_ledger.Missing > 0 || _ledger.LetteredBad.Count < _ledger.BadSent || (_influx is not null && _ledger.InfluxReadings != _ledger.Sent.Count - _ledger.LetteredValid.Count)))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
            if (_influx is not null)
            {
                _ledger.InfluxReadings = await _influx.ReadingsAsync(Database).ConfigureAwait(false);
            }
        }

        return (_ledger, ran);
    }

    /// <summary>Every kind of fault the soak injects.</summary>
    public static readonly string[] Kinds = ["broker_down", "slow_broker", "produce_errors", "commit_errors", "sigterm", "sigkill", "influx_restart"];

    public void Dispose() => _influx?.Dispose();

    private void StartPipeline(string bootstrap, int port)
    {
        lock (_childGate)
        {
            _life++;
            string[] sink = _influx is null ? [] : ["--influx-url", _influx.ToString(), "--influx-api", "v1", "--influx-db", Database];
            _child = Hosting.ChildRiskStream.Start(
                ["run", "--kafka", bootstrap, "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--registry", options.RegistryPath, "--group", "soak", "--score-publishing", "every", .. sink],
                line =>
                {
                    if (line.Contains(" fail:", StringComparison.Ordinal) || line.Contains(" crit:", StringComparison.Ordinal))
                    {
                        log.LogWarning("pipeline: {Line}", line);
                    }
                });
        }
    }

    /// <summary>The simulated park at its configured rate; one message in a hundred is malformed (must be dead-lettered).</summary>
    private async Task FeedAsync(string bootstrap, ParkRegistry registry, int seed, CancellationToken stop)
    {
        var simulation = options.Simulation with { Seed = seed };
        var start = TimeProvider.System.GetUtcNow();
        var simulator = new ParkSimulator(registry, simulation, start);
        var sensors = simulator.Sensors;
        var period = simulator.SensorPeriod;
        var keys = sensors.Select(s => s.Site.Id).Distinct().ToDictionary(s => s, Encoding.UTF8.GetBytes);
        var alarmed = new HashSet<InjectedEvent>();
        // Not idempotent, one request in flight: librdkafka's mock broker takes any batch whose base sequence lies in a
        // producer's last five requests for a duplicate and acks it unwritten, so after injected produce errors an
        // idempotent producer's re-batched retry can be dropped (24 of 16,158 readings in a produce-errors soak, 0 of
        // 16,167 this way). Retries in order, a duplicate at worst, which the ledger counts.
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, EnableIdempotence = false, Acks = Acks.All, MaxInFlight = 1 }).Build();
        long next = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = (long)((TimeProvider.System.GetUtcNow() - start).TotalSeconds / period.TotalSeconds * sensors.Count);
            for (; next < due && !stop.IsCancellationRequested; next++)
            {
                var sensor = sensors[(int)(next % sensors.Count)];
                var ts = start + (period * ((double)next / sensors.Count));
                if (simulator.ReadingAt(sensor, ts) is not { } reading)
                {
                    continue;
                }

                if (simulator.TruthAt(sensor, ts) is { IsHazard: true } truth && sensor.Setpoints.LevelOf(reading.Value) == AlarmLevel.Second && alarmed.Add(truth))
                {
                    lock (_ledger.Hazards)
                    {
                        _ledger.Hazards.Add((truth.Site.Id, truth.Start, truth.End, truth.Kind.ToString(), [.. truth.Sensors.Select(s => s.Id)]));
                    }
                }

                var id = reading.Id;
                await ProduceAsync(producer, keys[reading.Site], JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading), r =>
                {
                    if (r.Error.IsError)
                    {
                        Interlocked.Increment(ref _ledger.Undelivered);
                    }
                    else
                    {
                        _ledger.Sent.TryAdd(id, 0);
                    }
                }).ConfigureAwait(false);
                if (next % 100 == 99)
                {
                    await ProduceAsync(producer, keys[reading.Site], Encoding.UTF8.GetBytes("{\"site\":\"" + reading.Site + "\",\"sensor\":"), r =>
                    {
                        if (r.Error.IsError)
                        {
                            Interlocked.Increment(ref _ledger.Undelivered);
                        }
                        else
                        {
                            Interlocked.Increment(ref _ledger.BadSent);
                        }
                    }).ConfigureAwait(false);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
        }

        producer.Flush(TimeSpan.FromMinutes(6));
    }

    private static async Task ProduceAsync(IProducer<byte[]?, byte[]> producer, byte[] key, byte[] value, Action<DeliveryReport<byte[]?, byte[]>> delivered)
    {
        while (true)
        {
            try
            {
                producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = key, Value = value }, delivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The pipeline's managed memory and open handles from its /metrics, every few seconds.</summary>
    private async Task SampleAsync(int port, Stopwatch clock, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SampleEvery, stop).ConfigureAwait(false);
                var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), stop).ConfigureAwait(false);
                if (Value(text, "dotnet_total_memory_bytes") is { } managed && Value(text, "process_open_handles") is { } handles)
                {
                    _ledger.Samples.Enqueue((Volatile.Read(ref _life), clock.Elapsed.TotalSeconds, managed, handles));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
            {
                // Restarting, or the time is up.
            }
        }
    }

    private static double? Value(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal) && double.TryParse(line.AsSpan(name.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }
        }

        return null;
    }

    private Thread Reader(string bootstrap, string topic, Action<byte[]> onValue, CancellationToken stop)
    {
        var thread = new Thread(() =>
        {
            using var consumer = new ConsumerBuilder<Ignore, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "soak-ledger-" + topic,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                FetchWaitMaxMs = 20,
            }).Build();
            consumer.Subscribe(topic);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (consumer.Consume(200) is { Message.Value: { } value })
                    {
                        onValue(value);
                    }
                }
                catch (ConsumeException)
                {
                    // A broker fault: the consumer reconnects.
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or NullReferenceException)
                {
                    // Not what the ledger reads (it only ever reads what the pipeline wrote): counted as unreadable.
                    Interlocked.Increment(ref _ledger.Unreadable);
                }
            }

            consumer.Close();
        })
        { IsBackground = true, Name = "soak-" + topic };
        thread.Start();
        return thread;
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
