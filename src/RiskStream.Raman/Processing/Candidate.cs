namespace RiskStream.Raman.Processing;

/// <summary>One candidate of an identification.</summary>
/// <param name="Score">What the candidate is shown with: <see cref="Correlation"/> times its bands' <see cref="BandMatch.Agreement"/>.</param>
public sealed record Candidate(string Name, string? Cas, double Score, int ShiftPoints)
{
    /// <summary>The noise-corrected hit-quality index alone (the whole-spectrum correlation).</summary>
    public double Correlation { get; init; } = Score;

    /// <summary>How its bands meet the spectrum's.</summary>
    public BandMatch Bands { get; init; } = BandMatch.None;
}
