using System.Text;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Codecs;
using RiskStream.Pipeline;
using RiskStream.Pipeline.Lanes;
using RiskStream.Sensors.Scoring;
using RiskStream.Simulation;

namespace RiskStream.Benchmarks;

/// <summary>The per-reading work of a lane: decode and validate, window, score, write the score, run the scenario engine.</summary>
[MemoryDiagnoser]
public class LaneBenchmarks
{
    private const int Batch = 1024;
    private ParkRegistry _registry = null!;
    private ReadingDecoder _decoder = null!;
    private SensorLane _lane = null!;
    private byte[][] _keys = null!;
    private byte[][] _values = null!;
    private ConsumeResult<byte[]?, byte[]?>[][] _batches = null!;
    private int _round;
    private PartitionProgress _progress = null!;
    private readonly ScoreWriter _writer = new();

    [GlobalSetup]
    public void Setup()
    {
        _registry = SyntheticPark.Create(1_000, 10);
        var options = new PipelineOptions { Lanes = 1 };
        _decoder = new ReadingDecoder(_registry, options.Input, TimeProvider.System);
        _lane = new SensorLane(new PipelineContext { Registry = _registry, Options = options, Scenarios = Scenarios.Definitions.ScenarioLoader.LoadFolder(ScenarioFolder()), InputTopic = "bench" });
        var sensors = _registry.SiteList.SelectMany(s => s.Sensors).Take(Batch).ToArray();
        var ts = DateTimeOffset.UtcNow;
        var random = new Random(1);

        // Eight rounds of normal readings (baseline ± 1 %), so that no sensor looks stuck and no alarm is raised:
        // the steady state of a park, where the scenario engine mostly rests.
        byte[][] Round() => sensors.Select(s => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(
            new Reading(s.Site.Id, s.Id, s.Kind, Math.Round(ParkSimulator.DefaultBaseline(s.Kind) * (1 + ((random.NextDouble() - 0.5) * 0.02)), 4), s.Kind.CanonicalUnit(), ts), ContractJson.Default.Reading))).ToArray();
        var rounds = Enumerable.Range(0, 8).Select(_ => Round()).ToArray();
        _values = rounds[0];
        _keys = sensors.Select(s => Encoding.UTF8.GetBytes(s.Site.Id)).ToArray();
        _batches = rounds.Select(values => Enumerable.Range(0, Batch).Select(i => new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset("bench", 0, i),
            Message = new Message<byte[]?, byte[]?> { Key = _keys[i], Value = values[i], Timestamp = new Timestamp(ts) },
        }).ToArray()).ToArray();
        _progress = new PartitionProgress(new TopicPartition("bench", 0));
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Decode()
    {
        var valid = 0;
        for (var i = 0; i < Batch; i++)
        {
            if (_decoder.Decode(_keys[i], _values[i]).IsValid)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int WriteScore()
    {
        var n = 0;
        var sensors = _registry.SiteList[0].Sensors.ToArray();
        var stats = new Sensors.Windows.WindowStats(12, 3.2, 0.4, 2.1, 4.4, 0.3, 0);
        for (var i = 0; i < Batch; i++)
        {
            n += _writer.Write(sensors[i % sensors.Length], 3.5 + i, 1_795_000_000_000 + i, AlarmLevel.None, 0.12, "setpoint-baseline/1", false, stats, false).Length;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int LaneProcess()
    {
        var range = _progress.Register(0, Batch - 1);
        var messages = _batches[_round++ & 7];
        var batch = new ConsumedBatch("bench", 0, messages, range);
        return _lane.Process(new LaneWork(batch, 0, messages)).Messages.Count;
    }

    /// <summary>config/scenarios of the repository this benchmark was built from.</summary>
    private static string ScenarioFolder() => RepoFolder("config/scenarios");

    /// <summary>A folder of the repository (found by walking up to RiskStream.sln).</summary>
    public static string RepoFolder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, relative)) && File.Exists(Path.Combine(dir.FullName, "RiskStream.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException(relative + " not found above " + AppContext.BaseDirectory);
    }
}
