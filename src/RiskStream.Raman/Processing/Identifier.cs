namespace RiskStream.Raman.Processing;

/// <summary>
/// Identifies a Raman spectrum against a reference library: <see cref="SpectrumPreparation"/> prepares it,
/// <see cref="LibrarySearch"/> ranks the references by hit-quality index, <see cref="MixtureSolver"/> looks for a
/// mixture when no reference explains it alone. The score is corrected for the noise the spectrum carries (HQI
/// divided by the share of its energy that is signal), so a noisy spectrum of a library substance still scores near
/// 1 and "unknown" means unlike every reference, not merely noisy.
/// </summary>
/// <remarks>Immutable: safe to share between threads.</remarks>
public sealed class Identifier
{
    private readonly IdentifyOptions _options;
    private readonly double[] _axis;
    private readonly SpectrumPreparation _preparation;
    private readonly LibrarySearch _search;
    private readonly MixtureSolver _mixtures;
    private readonly Dictionary<string, Family> _familyOf = new(StringComparer.Ordinal);

    public Identifier(IEnumerable<Reference> library, string version, IdentifyOptions? options = null, IReadOnlyList<Family>? families = null)
    {
        _options = options ?? new IdentifyOptions();
        _axis = _options.Axis();
        _preparation = new SpectrumPreparation(_axis);
        _search = new LibrarySearch(library, _preparation, _options.MaxShiftPoints);
        _mixtures = new MixtureSolver(_search, _options, _axis);
        Families = families ?? [];
        foreach (var family in Families)
        {
            foreach (var member in family.Members)
            {
                _familyOf[member] = family;
            }
        }

        Version = version;
    }

    /// <summary>The families an answer may be given as (<see cref="Family"/>).</summary>
    public IReadOnlyList<Family> Families { get; }

    public string Version { get; }

    public int Count => _search.Entries.Count;

    public IReadOnlyList<double> Axis => _axis;

    public IEnumerable<Reference> References => _search.Entries.Select(e => e.Reference);

    /// <summary>A reference as the search compares it (preprocessed, on the common axis), shifted as a candidate was.</summary>
    public double[] Compared(Candidate candidate) => _search.Shifted(candidate);

    /// <summary>Despike, put on the common axis, remove the baseline, smooth, centre and normalise over the covered range.</summary>
    public Prepared Prepare(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => _preparation.Prepare(x, y);

    public Identification Identify(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Identify(Prepare(x, y));

    public Identification Identify(Prepared query)
    {
        var signalShare = Math.Max(0.05, 1 - query.NoiseShare);
        var bands = BandEvidence.Of(query);
        var ranked = Rescore(query, bands, _search.Rank(query.Spectrum, query.From, query.To, signalShare));
        var best = ranked.Count > 0 ? ranked[0] : null;
        var (mixture, mixtureScore) = best is null || ranked.Count < 2 || best.Correlation >= _options.PureAbove ? ([], 0) : _mixtures.Solve(query, bands, ranked, signalShare);
        if (mixture.Count > 0 && mixtureScore < _options.UnknownBelow)
        {
            // A mixture that explains less than an answer must is no answer either.
            (mixture, mixtureScore) = ([], 0);
        }

        // The candidates in the order of the score they show; a mixture is its own answer, beside them.
        var top = ranked.Take(_options.TopK).ToList();
        var margin = ranked.Count > 1 ? ranked[0].Score - ranked[1].Score : ranked.Count == 1 ? ranked[0].Score : 0;
        var unknown = best is null || (best.Score < _options.UnknownBelow && mixture.Count == 0);
        var family = unknown || mixture.Count > 0 ? null : FamilyAnswer(best!);
        return new Identification(unknown ? null : best, top, unknown, margin, mixture, Version)
        {
            MixtureScore = mixtureScore,
            Family = family,
            Warnings = query.Warnings,
        };
    }

    /// <summary>
    /// The family to answer with instead of the species: when <paramref name="best"/> is a member and the bands it
    /// was tested on outside the family's windows (its own) are not there, or it has none the spectrum could show,
    /// the spectrum shows the family and not which member.
    /// </summary>
    private Family? FamilyAnswer(Candidate best)
    {
        if (!_familyOf.TryGetValue(best.Name, out var family))
        {
            return null;
        }

        var own = best.Bands.Tested.Where(b => !family.Covers(b.At)).ToList();
        var confirmed = own.Any(b => b.Found) && BandMatch.Share(own) >= 0.5;
        return confirmed ? null : family;
    }

    /// <summary>Candidates whose bands are matched: the best by correlation.</summary>
    private const int Checked = 10;

    /// <summary>The best by correlation, each scored by its correlation times its bands' agreement, best first.</summary>
    private List<Candidate> Rescore(Prepared query, QueryBands bands, List<Candidate> ranked)
    {
        var rescored = new List<Candidate>(Math.Min(ranked.Count, Checked));
        foreach (var c in ranked.Take(Checked))
        {
            var entry = _search.Entry(c.Name);
            var scale = BandEvidence.Scale(query.Spectrum, entry.Spectrum, query.From, query.To, c.ShiftPoints);
            var match = BandEvidence.Match(query, bands, entry.Bands, c.ShiftPoints, scale, _axis);
            rescored.Add(c with { Score = c.Score * match.Agreement, Correlation = c.Score, Bands = match });
        }

        return rescored.OrderByDescending(c => c.Score).ToList();
    }
}
