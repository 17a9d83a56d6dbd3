using BenchmarkDotNet.Attributes;
using RiskStream.Sensors.Features;
using RiskStream.Sensors.Models;

namespace RiskStream.Benchmarks;

/// <summary>
/// One prediction of each shipped model (the trees compiled from the ML.NET model, as a lane serves them) on feature
/// vectors of normal operation, one core.
/// </summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private LoadedModel.Engine _risk = null!;
    private LoadedModel.Engine _anomaly = null!;
    private float[][] _features = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new ModelRegistry(LaneBenchmarks.RepoFolder("models"));
        _risk = LoadedModel.Load(registry.Folder("risk", registry.Current("risk")!), "risk").RiskEngine();
        _anomaly = LoadedModel.Load(registry.Folder("anomaly", registry.Current("anomaly")!), "anomaly").AnomalyEngine();
        var random = new Random(3);
        _features = Enumerable.Range(0, 256).Select(_ =>
        {
            var f = new float[FeatureSchema.Count];
            f[1] = (float)(random.NextDouble() * 0.1 - 0.05);  // excess near normal
            f[2] = f[1];
            f[3] = (float)(random.NextDouble() * 0.03);
            f[4] = f[1] - f[3];
            f[5] = f[1] + f[3];
            f[6] = (float)(random.NextDouble() * 0.02 - 0.01);
            f[9] = 2;
            f[10] = 30;
            return f;
        }).ToArray();
    }

    [Benchmark]
    public double Risk() => _risk.Predict(_features[_next++ & 255]);

    [Benchmark]
    public double Anomaly() => _anomaly.Predict(_features[_next++ & 255]);
}
