namespace RiskStream.Raman.Processing;

/// <summary>What a spectrum was identified as.</summary>
/// <param name="Margin">Best score minus the second best: how clearly the best stands out.</param>
/// <param name="Mixture">Components and their fractions when a mixture of the top candidates explains the spectrum clearly better than the best alone.</param>
public sealed record Identification(Candidate? Best, IReadOnlyList<Candidate> Candidates, bool Unknown, double Margin, IReadOnlyList<(string Name, double Fraction)> Mixture, string LibraryVersion)
{
    /// <summary>Noise-corrected share of the spectrum the mixture explains (0 when no mixture is reported).</summary>
    public double MixtureScore { get; init; }
}
