using System.Diagnostics;
using Akka.Streams;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Pipeline;
using RiskStream.Sensors.Scoring;
using RiskStream.Simulation;

namespace RiskStream.Cli.Bench;

/// <summary>
/// End-to-end measurements on the embedded broker, each phase on fresh topics: (a) the peer, a plain Confluent
/// consumer that reads and discards; (b) the full pipeline; both fed as fast as possible but never more than
/// <see cref="BenchFeeder.MaxAhead"/> readings ahead of the consumer measured (the broker keeps only ~5 MB per partition);
/// (c) latency at a fixed offered rate; (d) managed bytes per active sensor.
/// </summary>
internal sealed class EndToEndBench(TimeSpan duration, int sensors, double latencyRate, Hosting.RiskStreamOptions options, string only, Action<string> progress)
{
    private readonly int lanes = options.Pipeline.Lanes;
    private readonly Scenarios.Definitions.ScenarioSet scenarios = Scenarios.Definitions.ScenarioLoader.LoadFolder(options.ScenariosPath);

    /// <summary>The served risk model (ML.NET from the registry, else the setpoint baseline): scoring every reading.</summary>
    private readonly Sensors.Models.MlRiskModel model = new(new Sensors.Models.ModelRegistry(options.ModelsPath), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    private const int SensorsPerSite = 10;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);

    /// <summary>Log the latency phase every 100 ms of its measured window (bench --timeline).</summary>
    public bool Timeline { get; init; }

    /// <summary>The Streamiz peer's assembly (<see cref="StreamizPeer.Locate"/>); null: the peer is not built and its phase reports nothing.</summary>
    public string? StreamizPeerPath { get; init; }

    /// <summary>Stream threads of the Streamiz peer.</summary>
    public int StreamizThreads { get; init; } = 1;

    public async Task<BenchResult> RunAsync()
    {
        var (broker, brokerThreads) = ThreadCpu.ClientThreads(() => EmbeddedBroker.Start());
        using var owned = broker;
        var registry = SyntheticPark.Create(Math.Max(1, sensors / SensorsPerSite), SensorsPerSite);
        (double Rate, double PerCpuSecond) raw = (double.NaN, double.NaN), streamiz = (double.NaN, double.NaN), pipeline = (double.NaN, double.NaN), exception = (double.NaN, double.NaN);
        var published = double.NaN;
        double p50 = double.NaN, p99 = double.NaN, p999 = double.NaN, gcPause = double.NaN, achieved = double.NaN, state = double.NaN, registryBytes = double.NaN;
        if (only is "all" or "throughput")
        {
            raw = RawConsume(broker, brokerThreads, registry, "bench.raw");
            progress($"raw consume: {raw.Rate:F0}/s, {raw.PerCpuSecond:F0} per CPU-second of its own threads");
            Settle();
            streamiz = await StreamizAsync(broker, registry).ConfigureAwait(false);
            (pipeline, _) = await PipelineThroughputAsync(broker, brokerThreads, registry, "bench.pipeline", options.Pipeline).ConfigureAwait(false);
            progress($"pipeline: {pipeline.Rate:F0}/s, {pipeline.PerCpuSecond:F0} per CPU-second of its own threads");
            Settle();
            var byException = options.Pipeline with { Scores = options.Pipeline.Scores with { Mode = ScorePublishing.Exception } };
            (exception, published) = await PipelineThroughputAsync(broker, brokerThreads, registry, "bench.exception", byException).ConfigureAwait(false);
            progress($"pipeline, scores by exception: {exception.Rate:F0}/s, {exception.PerCpuSecond:F0} per CPU-second; {published:P1} of the scores published");
        }

        if (only == "streamiz")
        {
            streamiz = await StreamizAsync(broker, registry).ConfigureAwait(false);
        }

        if (only is "all" or "latency")
        {
            // As when run alone: its own embedded broker (not one holding the millions of messages of the phases
            // before), and their garbage (a pipeline, its actor system, feeders) collected now, not while measured.
            using var own = only == "latency" ? null : EmbeddedBroker.Start();
            Settle();
            (p50, p99, p999, gcPause, achieved) = await LatencyAsync(own ?? broker, registry, "bench.latency").ConfigureAwait(false);
            progress($"latency at {latencyRate:F0}/s: p50 {p50} ms, p99 {p99} ms");
        }

        if (only is "all" or "memory")
        {
            (state, registryBytes) = Memory(sensors);
            progress($"memory: {state:F0} B/sensor state, {registryBytes:F0} B/sensor registry");
        }

        double spectra = 0, spectra1000 = 0;
        var substances = 0;
        if (only is "all" or "spectra")
        {
            (spectra, spectra1000, substances) = Spectra();
            progress($"spectra: {spectra:F0}/s against {substances} references, {spectra1000:F0}/s against 1,000");
        }

        return new BenchResult(
            Math.Round(pipeline.Rate), Math.Round(raw.Rate), Math.Round(pipeline.Rate / raw.Rate, 3), p50, p99, latencyRate, Math.Round(achieved),
            registry.SensorCount, Math.Round(state), Math.Round(registryBytes), duration.TotalSeconds, lanes, Environment.ProcessorCount)
        {
            Model = model.Version,
            ReadingsPerCpuSec = Math.Round(pipeline.PerCpuSecond),
            RawConsumePerCpuSec = Math.Round(raw.PerCpuSecond),
            CpuRatio = Math.Round(pipeline.PerCpuSecond / raw.PerCpuSecond, 3),
            ReadingsPerSecByException = Math.Round(exception.Rate),
            RatioByException = Math.Round(exception.Rate / raw.Rate, 3),
            ReadingsPerCpuSecByException = Math.Round(exception.PerCpuSecond),
            ScoresPublishedShareByException = Math.Round(published, 4),
            StreamizPerSec = Math.Round(streamiz.Rate),
            StreamizPerCpuSec = Math.Round(streamiz.PerCpuSecond),
            StreamizThreads = StreamizThreads,
            VsStreamiz = Math.Round(pipeline.Rate / streamiz.Rate, 3),
            VsStreamizPerCpuSec = Math.Round(pipeline.PerCpuSecond / streamiz.PerCpuSecond, 3),
            Gen0BudgetBytes = Hosting.GcBudget.Gen0Bytes(),
            LatencyP999Ms = p999,
            LatencyGcPauseMs = Math.Round(gcPause),
            SpectraPerSec = Math.Round(spectra),
            SpectraPerSec1000 = Math.Round(spectra1000),
            LibrarySubstances = substances,
        };
    }

    /// <summary>The Streamiz peer's phase on fresh topics; NaN (and said) when the peer is not built or fails.</summary>
    private async Task<(double Rate, double PerCpuSecond)> StreamizAsync(EmbeddedBroker broker, ParkRegistry registry)
    {
        if (StreamizPeerPath is null)
        {
            progress("streamiz peer: not built, its phase is left out (dotnet build bench/RiskStream.StreamizPeer -c Release, or --streamiz-peer PATH)");
            return (double.NaN, double.NaN);
        }

        try
        {
            var result = await StreamizPeer.RunAsync(StreamizPeerPath, broker, registry, "bench.streamiz", StreamizThreads, Warmup, duration, progress).ConfigureAwait(false);
            progress($"streamiz peer: {result.Rate:F0}/s, {result.PerCpuSecond:F0} per CPU-second of its process");
            return result;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or TimeoutException)
        {
            // The peer's failure is its phase's alone: the pipeline's figures are still measured.
            progress($"streamiz peer: failed, its phase reports nothing: {e.Message}");
            return (double.NaN, double.NaN);
        }
        finally
        {
            Settle();
        }
    }

    /// <summary>2,000-point simulated spectra identified on all cores, against the configured library and against 1,000 references.</summary>
    private (double Shipped, double Large, int Substances) Spectra()
    {
        var search = Raman.Library.Open(options.RamanLibrary, options.Raman);
        var (shipped, large) = Raman.Evaluation.Speeds(search, options.Raman, 12_000, Environment.ProcessorCount);
        return (shipped, large, search.Count);
    }

    private (double Rate, double PerCpuSecond) RawConsume(EmbeddedBroker broker, IReadOnlyCollection<int> brokerThreads, ParkRegistry registry, string topic)
    {
        broker.EnsureTopics(topic, Topics.WarningState);
        long consumed = 0;
        using var stop = new CancellationTokenSource();
        var feeder = BenchFeeder.Start(broker, registry, topic, () => Interlocked.Read(ref consumed), null, stop.Token);
        var cpu = new PhaseCpu([.. feeder.Threads, .. brokerThreads]);
        var config = options.Consumer(broker.BootstrapServers, "bench-raw").ToConfig();
        config.ConsumeResultFields = "timestamp"; // what the pipeline's own consumer asks for: a like-for-like peer
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Subscribe(topic);
        while (consumer.Consume(100) is null)
        {
        }

        Interlocked.Increment(ref consumed);
        var clock = Stopwatch.StartNew();
        long counted = 0;
        var warm = false;
        while (clock.Elapsed < Warmup + duration)
        {
            if (consumer.Consume(100) is not null)
            {
                Interlocked.Increment(ref consumed);
                if (warm)
                {
                    counted++;
                }
            }

            if (!warm && clock.Elapsed >= Warmup)
            {
                warm = true;
                cpu.Start();
            }
        }

        var rate = counted / duration.TotalSeconds;
        var own = cpu.Stop();
        var perCpuSecond = counted / own;
        progress($"raw consume: {own:F1} CPU-seconds on its own threads, {cpu.Excluded:F1} on the feeder's and the broker's, in {duration.TotalSeconds:F0} s");
        stop.Cancel();
        feeder.Join();
        consumer.Close();
        return (rate, perCpuSecond);
    }

    /// <summary>The pipeline's rate (wall clock and per CPU-second of its own threads), and the share of its scores it published.</summary>
    private async Task<((double Rate, double PerCpuSecond) Rates, double Published)> PipelineThroughputAsync(
        EmbeddedBroker broker, IReadOnlyCollection<int> brokerThreads, ParkRegistry registry, string topic, PipelineOptions pipelineOptions)
    {
        broker.EnsureTopics(topic, Topics.WarningState);
        var metrics = PipelineMetrics.Unregistered();
        using var stop = new CancellationTokenSource();
        // The feeder first: its threads are told apart by the librdkafka threads that appear while its producer is
        // built, and the pipeline's consumer must not be starting then.
        var feeder = BenchFeeder.Start(broker, registry, topic, () => (long)metrics.Scored.Value, null, stop.Token);
        var (running, producer, system) = StartPipeline(broker, registry, topic, "bench-" + topic.Replace('.', '-'), metrics, null, pipelineOptions);
        await WaitUntilAsync(() => metrics.Scored.Value > 0, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        await Task.Delay(Warmup).ConfigureAwait(false);
        var cpu = new PhaseCpu([.. feeder.Threads, .. brokerThreads]);
        cpu.Start();
        var start = metrics.Scored.Value;
        var withheld = metrics.Withheld.Value;
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration).ConfigureAwait(false);
        var scored = metrics.Scored.Value - start;
        var published = 1 - ((metrics.Withheld.Value - withheld) / scored);
        var rate = scored / clock.Elapsed.TotalSeconds;
        var own = cpu.Stop();
        var perCpuSecond = scored / own;
        progress($"pipeline: {own:F1} CPU-seconds on its own threads, {cpu.Excluded:F1} on the feeder's and the broker's, in {clock.Elapsed.TotalSeconds:F0} s");
        stop.Cancel();
        feeder.Join();
        await running.DrainAndShutdownAsync().ConfigureAwait(false);
        producer.Dispose();
        await system.Terminate().ConfigureAwait(false);
        return ((rate, perCpuSecond), published);
    }

    private async Task<(double P50, double P99, double P999, double GcPauseMs, double Achieved)> LatencyAsync(EmbeddedBroker broker, ParkRegistry registry, string topic)
    {
        broker.EnsureTopics(topic, Topics.WarningState);
        var metrics = PipelineMetrics.Unregistered();
        var latency = new LatencyRecorder();
        using var stop = new CancellationTokenSource();
        var (running, producer, system) = StartPipeline(broker, registry, topic, "bench-latency", metrics, latency, options.Pipeline);
        var feeder = BenchFeeder.Start(broker, registry, topic, () => (long)metrics.Scored.Value, latencyRate, stop.Token);
        await WaitUntilAsync(() => metrics.Scored.Value > 0, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var caughtUp = await SteadyAsync(metrics, registry.SensorCount).ConfigureAwait(false);
        progress($"latency phase: steady {caughtUp.TotalSeconds:F1} s after the first score (every sensor seen once, the start-up backlog drained)");
        latency.Reset();
        var pauseBefore = GC.GetTotalPauseDuration();
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var start = metrics.Scored.Value;
        var clock = Stopwatch.StartNew();
        var timeline = new List<string>();
        long[]? mark = null;
        using var sampling = Timeline
            ? new Timer(_ =>
            {
                lock (timeline)
                {
                    timeline.Add($"{clock.ElapsedMilliseconds,6} ms scored {metrics.Scored.Value,9} delivered {latency.Count,9} gen0 {GC.CollectionCount(0),4} pool threads {ThreadPool.ThreadCount,3} queued {ThreadPool.PendingWorkItemCount,5} p99-so-far {latency.Quantile(0.99),6}; last 100 ms p50/p99/max {latency.Since(ref mark)}");
                }
            }, null, 0, 100)
            : null;
        await Task.Delay(duration).ConfigureAwait(false);
        sampling?.Dispose();
        lock (timeline)
        {
            foreach (var line in timeline)
            {
                progress(line);
            }
        }

        var achieved = (metrics.Scored.Value - start) / clock.Elapsed.TotalSeconds;
        var (p50, p99, p999) = (latency.Quantile(0.5), latency.Quantile(0.99), latency.Quantile(0.999));
        var gcPause = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
        progress($"latency phase: GC paused {gcPause:F0} ms in {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3} gen0/1/2 collections; p90 {latency.Quantile(0.9)} ms, p999 {latency.Quantile(0.999)} ms");
        stop.Cancel();
        feeder.Join();
        await running.DrainAndShutdownAsync().ConfigureAwait(false);
        producer.Dispose();
        await system.Terminate().ConfigureAwait(false);
        return (p50, p99, p999, gcPause, achieved);
    }

    /// <summary>
    /// Waits until the latency phase is in its steady state before it is measured: every sensor has sent a reading
    /// (its first reading builds its window and scenario state, dearer than the rest: 100,000 sensors at 20,000/s
    /// take 5 s) and the backlog of the start is drained (five 100 ms samples in a row within ±20 % of the offered
    /// rate); at least <see cref="Warmup"/>, at most 60 s. Measured from a fixed 2 s warm-up, the window opened on the
    /// start-up backlog in most runs and reported it as a one-second p99 (docs/benchmarks.md).
    /// </summary>
    private async Task<TimeSpan> SteadyAsync(PipelineMetrics metrics, int sensorCount)
    {
        var clock = Stopwatch.StartNew();
        var everySensor = TimeSpan.FromSeconds(sensorCount / latencyRate);
        await Task.Delay(Warmup > everySensor ? Warmup : everySensor).ConfigureAwait(false);
        var perSample = latencyRate / 10;
        var steady = 0;
        var last = metrics.Scored.Value;
        while (steady < 5 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100).ConfigureAwait(false);
            var now = metrics.Scored.Value;
            steady = Math.Abs(now - last - perSample) <= 0.2 * perSample ? steady + 1 : 0;
            last = now;
        }

        return clock.Elapsed;
    }

    private (RunningPipeline Running, IProducer<byte[]?, byte[]> Producer, Akka.Actor.ActorSystem System) StartPipeline(
        EmbeddedBroker broker, ParkRegistry registry, string topic, string group, PipelineMetrics metrics, LatencyRecorder? latency, PipelineOptions pipelineOptions)
    {
        var system = Hosting.ProcessHost.CreateActorSystem(group);
        var producerSettings = options.Producer(broker.BootstrapServers);
        var producer = new ProducerBuilder<byte[]?, byte[]>(producerSettings.ToConfig()).Build();
        var context = new PipelineContext
        {
            Registry = registry,
            Options = pipelineOptions with { GroupId = group },
            InputTopic = topic,
            Scenarios = scenarios,
            Metrics = metrics,
            Model = model,
        };
        var kafka = new PipelineKafka
        {
            Consumer = options.Consumer(broker.BootstrapServers, group),
            Producer = producer,
            ProducerSettings = producerSettings,
            Latency = latency,
        };
        return (RiskPipeline.Start(context, kafka, system.Materializer()), producer, system);
    }

    private (double StateBytes, double RegistryBytes) Memory(int count)
    {
        var beforeRegistry = Settle();
        var registry = SyntheticPark.Create(Math.Max(1, count / SensorsPerSite), SensorsPerSite);
        var registryOnly = Settle();

        // The feed's pre-encoded messages are the bench's, not the pipeline's: inside the baseline, kept alive to the end.
        var feed = new ReadingFeed(registry);
        var afterRegistry = Settle();
        var driver = new LaneDriver(new PipelineContext { Registry = registry, Options = options.Pipeline with { Lanes = lanes }, Scenarios = scenarios, InputTopic = "bench.memory" });
        var now = TimeProvider.System.GetUtcNow();
        for (var round = 0; round < 3; round++)
        {
            var at = now.UtcDateTime.AddSeconds(round);
            driver.Feed(Enumerable.Range(0, feed.Sensors).Select(_ => feed.Next(at)), now);
        }

        var active = driver.ActiveSensors;
        var afterState = Settle();
        GC.KeepAlive(driver);
        GC.KeepAlive(registry);
        GC.KeepAlive(feed);
        return ((afterState - afterRegistry) / (double)Math.Max(1, active), (registryOnly - beforeRegistry) / (double)Math.Max(1, registry.SensorCount));
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"bench: nothing was processed within {timeout}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
