using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>One accuracy figure: how many of how many.</summary>
public sealed record Figure(string Name, int Correct, int Trials, double Bar)
{
    public double Rate => Trials == 0 ? 0 : (double)Correct / Trials;

    public bool Met => Rate >= Bar;
}
