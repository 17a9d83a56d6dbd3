using BenchmarkDotNet.Attributes;
using RiskStream.Raman;
using RiskStream.Raman.Processing;

namespace RiskStream.Benchmarks;

/// <summary>
/// One 2,000-point spectrum identified (preprocess, search, mixture when the best match is not clean) against the
/// shipped library and against 1,000 references; one core. Spectra per second per core = 10⁹ / mean ns.
/// </summary>
[MemoryDiagnoser]
public class RamanBenchmarks
{
    private Identifier _identifier = null!;
    private double[] _axis = null!;
    private List<double[]> _spectra = null!;
    private int _next;

    [Params(0, 1000)]
    public int References { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (library, version) = Library.Load(LaneBenchmarks.RepoFolder("models/raman/library"));
        var references = References == 0 ? library.ToList() : Evaluation.Enlarged(library, References, seed: 11);
        _identifier = new Identifier(references, version);
        _axis = Synthesis.Axis();
        _spectra = Evaluation.Sample(library, _axis, 256, seed: 9);
    }

    [Benchmark]
    public Identification Identify() => _identifier.Identify(_axis, _spectra[_next++ & 255]);
}
