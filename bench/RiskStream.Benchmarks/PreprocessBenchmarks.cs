using BenchmarkDotNet.Attributes;
using RiskStream.Raman.Processing;

namespace RiskStream.Benchmarks;

/// <summary>The ALS baseline's banded solver: time per call should grow linearly with the points (ten times N, ten times the time).</summary>
[MemoryDiagnoser]
public class PreprocessBenchmarks
{
    private double[] _y = [];

    [Params(2_000, 20_000, 200_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _y = Enumerable.Range(0, N).Select(i => Math.Sin(i / 500.0) * 10).ToArray();

    [Benchmark]
    public double[] AlsBaseline() => Preprocess.AlsBaseline(_y, lambda: 1e4, p: 0.01, iterations: 10);
}
