using RiskStream.Raman.Formats;
using RiskStream.Raman.Processing;

namespace RiskStream.Raman;

/// <summary>What a method said of one spectrum, reduced to what the accuracy figures need.</summary>
/// <param name="Best">The name it gave, or null for unknown.</param>
/// <param name="Top">Its ranked candidates, best first.</param>
/// <param name="Mixture">The components it reported, if it reports mixtures.</param>
public sealed record Verdict(string? Best, IReadOnlyList<string> Top, IReadOnlyList<string> Mixture);
