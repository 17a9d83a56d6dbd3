using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Raman;
using RiskStream.Raman.Processing;

namespace RiskStream.Simulation;

/// <summary>
/// Inspectors with handheld Raman spectrometers (785 nm, 2,000 points, 150–3350 cm⁻¹) taking spectra at random sites:
/// mostly hidden-danger inspections, some monitoring; four in five samples are library substances, one in five
/// something the library does not hold. Deterministic for a seed.
/// </summary>
public sealed class InspectionSimulator(ParkRegistry registry, IReadOnlyList<Reference> library, int seed)
{
    private readonly Random _random = new(seed);
    private readonly double[] _axis = Synthesis.Axis();
    private int _sequence;

    public Inspection Next(DateTimeOffset ts)
    {
        var site = registry.SiteList[_random.Next(registry.SiteList.Count)];
        var known = _random.NextDouble() < 0.8;
        var reference = known ? library[_random.Next(library.Count)] : Evaluation.Stranger(_random);
        var y = Synthesis.Measure(reference, _axis, new Conditions(10 + (_random.NextDouble() * 30)), _random);
        var purpose = _random.NextDouble() < 0.75 ? SpectrumPurpose.HiddenDanger : SpectrumPurpose.Monitoring;
        var sample = $"INSP-{ts:yyyyMMdd}-{++_sequence:0000}";
        var spectrum = new Spectrum(site.Id, $"RM-{1 + _random.Next(9)}", sample, purpose, ts, 785, null, new SpectrumAxis(_axis[0], _axis[1] - _axis[0], _axis.Length), y.Select(v => Math.Round(v, 5)).ToArray());
        return new Inspection(spectrum, known ? reference.Name : null);
    }
}
