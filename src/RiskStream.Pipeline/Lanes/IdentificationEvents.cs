using RiskStream.Codecs;
using RiskStream.Core.Contracts;
using RiskStream.Raman;
using RiskStream.Raman.Processing;

namespace RiskStream.Pipeline.Lanes;

/// <summary>Turns a library search's result into the identification event of <c>riskstream.identifications</c>.</summary>
internal static class IdentificationEvents
{
    public static IdentificationEvent Of(ValidSpectrum spectrum, Identification result, IReadOnlyDictionary<string, Reference> references)
    {
        IReadOnlyList<string> Classes(string name) => references.TryGetValue(name, out var r) ? r.HazardClasses : [];
        var s = spectrum.Message;
        var mixture = result.Mixture.Select(p => new MixtureComponent(p.Name, references.GetValueOrDefault(p.Name)?.Cas, Math.Round(p.Fraction, 4), Classes(p.Name)) { Uncertainty = Math.Round(p.Uncertainty, 4) }).ToArray();
        var best = result.Best;
        var family = result.Family;
        var order = Library.HazardClasses.ToList();
        // A family answer weighs the family's classes and those of the species most like it: fail safe ("a nitrate",
        // most like ammonium nitrate, warns as a possible explosive).
        var classes = (family is not null ? family.HazardClasses : []).Concat(best is null ? [] : Classes(best.Name)).Concat(mixture.SelectMany(c => c.HazardClasses))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(order.IndexOf)
            .ToArray();
        var score = result.Mixture.Count > 0 ? result.MixtureScore : best?.Score ?? (result.Candidates.Count > 0 ? result.Candidates[0].Score : 0);
        return new IdentificationEvent(
            $"{spectrum.Site.Id}/{s.Device}/{s.Sample}/{s.Ts.ToUnixTimeMilliseconds()}",
            spectrum.Site.Id,
            spectrum.Site.Enterprise.Id,
            spectrum.Site.Jurisdiction.Id,
            s.Device,
            s.Sample,
            s.Purpose,
            s.Ts,
            family is null ? best?.Name : null,
            family is null ? best?.Cas : null,
            classes,
            Math.Round(Math.Clamp(score, 0, 1), 4),
            Math.Round(result.Margin, 4),
            result.Unknown,
            result.Candidates.Select(c => new IdentifiedCandidate(c.Name, c.Cas, Math.Round(Math.Clamp(c.Score, 0, 1), 4))).ToArray(),
            mixture,
            result.LibraryVersion,
            spectrum.Intensities.Length)
        {
            Family = family is null ? null : new IdentifiedFamily(family.Name, family.HazardClasses),
            Warnings = result.Warnings,
        };
    }

    /// <summary>Every number of the event is finite (Math.Clamp and Math.Round keep a NaN a NaN).</summary>
    public static bool IsFinite(IdentificationEvent e) =>
        double.IsFinite(e.Score) && double.IsFinite(e.Margin)
        && e.Candidates.All(c => double.IsFinite(c.Score))
        && e.Mixture.All(c => double.IsFinite(c.Fraction) && (c.Uncertainty is null || double.IsFinite(c.Uncertainty.Value)));
}
