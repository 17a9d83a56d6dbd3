namespace RiskStream.Raman.Processing;

/// <summary>One component of a reported mixture: its share of the spectrum and the standard uncertainty of that share.</summary>
public sealed record MixturePart(string Name, double Fraction, double Uncertainty);

/// <summary>What a spectrum was identified as.</summary>
/// <param name="Best">The best species (also when the answer is its family); null when the spectrum is unknown.</param>
/// <param name="Margin">Best score minus the second best: how clearly the best stands out.</param>
/// <param name="Mixture">Components, fractions and their uncertainties when a mixture explains the spectrum and each added component shows bands of its own.</param>
public sealed record Identification(Candidate? Best, IReadOnlyList<Candidate> Candidates, bool Unknown, double Margin, IReadOnlyList<MixturePart> Mixture, string LibraryVersion)
{
    /// <summary>Noise-corrected share of the spectrum the mixture explains (0 when no mixture is reported).</summary>
    public double MixtureScore { get; init; }

    /// <summary>
    /// The family the answer is given as, when the best match rests on the family's bands and the species shows no
    /// bands of its own: the spectrum is "a nitrate", most like <see cref="Best"/>, not confidently <see cref="Best"/>.
    /// </summary>
    public Family? Family { get; init; }

    /// <summary>What the inspector should know about the measurement itself (saturation, too little range, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
