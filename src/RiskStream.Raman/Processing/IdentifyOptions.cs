using RiskStream.Core.Options;

namespace RiskStream.Raman.Processing;

/// <summary>Options of the search.</summary>
public sealed record IdentifyOptions
{
    /// <summary>The common wavenumber axis: from, step and count (cm⁻¹).</summary>
    public double AxisStart { get; init; } = 200;

    public double AxisStep { get; init; } = 2;

    public int AxisCount { get; init; } = 1501;

    /// <summary>Largest calibration shift tried, in axis points either way.</summary>
    public int MaxShiftPoints { get; init; } = 3;

    /// <summary>Below this hit-quality index the spectrum is reported unknown.</summary>
    public double UnknownBelow { get; init; } = 0.55;

    public int TopK { get; init; } = 5;

    /// <summary>A mixture is reported when it explains this much more of the signal than the best reference alone.</summary>
    public double MixtureGain { get; init; } = 0.05;

    /// <summary>At or above this score the best reference explains the spectrum and no mixture is sought.</summary>
    public double PureAbove { get; init; } = 0.95;

    public double[] Axis() => Enumerable.Range(0, AxisCount).Select(i => AxisStart + (i * AxisStep)).ToArray();

    /// <summary>The options a deployment sets (section <c>RiskStream:Raman</c>, beside the library's folder).</summary>
    public static IReadOnlyList<OptionSpec<IdentifyOptions>> Declared { get; } =
    [
        Declare.Double<IdentifyOptions>("UnknownBelow", o => o.UnknownBelow, (o, v) => o with { UnknownBelow = v }, 0.05, 0.99, "noise-corrected hit-quality index below which a spectrum is reported unknown"),
        Declare.Int<IdentifyOptions>("MaxShiftPoints", o => o.MaxShiftPoints, (o, v) => o with { MaxShiftPoints = v }, 0, 20, "largest wavenumber calibration shift tried, in 2 cm⁻¹ axis points either way"),
        Declare.Int<IdentifyOptions>("TopK", o => o.TopK, (o, v) => o with { TopK = v }, 1, 50, "candidates reported per identification"),
    ];
}
