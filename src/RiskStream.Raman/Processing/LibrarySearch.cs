using System.Numerics;

namespace RiskStream.Raman.Processing;

/// <summary>
/// Library search by hit-quality index (the squared correlation of preprocessed, normalised spectra), tolerant of a
/// calibration shift of a few points and compared only over the range the spectrum covers; a large library is
/// shortlisted on a coarse axis first. Single-precision SIMD dot products.
/// </summary>
/// <remarks>Immutable: safe to share between threads.</remarks>
internal sealed class LibrarySearch
{
    /// <summary>Points of the common axis summed into one point of the coarse axis used to shortlist a large library.</summary>
    private const int CoarseFactor = 4;

    /// <summary>Libraries up to this size are searched in full; larger ones are shortlisted on the coarse axis first.</summary>
    private const int ShortlistAbove = 24;

    /// <summary>The shortlist keeps at least this many (more than the candidates whose bands are matched), or a twentieth.</summary>
    private const int ShortlistKeep = 24;

    private readonly LibraryEntry[] _library;
    private readonly int _maxShift;
    private readonly Dictionary<string, LibraryEntry> _byName;

    public LibrarySearch(IEnumerable<Reference> references, SpectrumPreparation preparation, int maxShiftPoints)
    {
        _maxShift = maxShiftPoints;
        _library = references.Select(r =>
        {
            var p = preparation.Prepare(r.X, r.Y);
            return new LibraryEntry(r, p.Spectrum, PrefixEnergy(p.Spectrum), Coarse(p.Spectrum), PrefixEnergy(Coarse(p.Spectrum)), ReferenceBands(p));
        }).ToArray();
        _byName = _library.ToDictionary(l => l.Reference.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<LibraryEntry> Entries => _library;

    /// <summary>A reference's bands: every band at least 3 % of its strongest (the matching decides which it tests).</summary>
    private static Band[] ReferenceBands(Prepared p)
    {
        var all = BandEvidence.Peaks(p.Spectrum, p.From, p.To, 0);
        var strongest = all.Length == 0 ? 0 : all.Max(b => b.Height);
        return all.Where(b => b.Height >= 0.03 * strongest).ToArray();
    }

    public LibraryEntry Entry(string name) => _byName[name];

    /// <summary>Every shortlisted reference scored against the query (raw hit-quality index), best first.</summary>
    public List<Candidate> Rank(float[] query, int from, int to, double signalShare)
    {
        var shortlist = Shortlist(query, from, to);
        var scored = new Candidate[shortlist.Length];
        for (var n = 0; n < shortlist.Length; n++)
        {
            var entry = _library[shortlist[n]];
            var (hqi, shift) = BestScore(query, from, to, entry);
            scored[n] = new Candidate(entry.Reference.Name, entry.Reference.Cas, Math.Min(1, hqi / signalShare), shift);
        }

        return scored.OrderByDescending(c => c.Score).ToList();
    }

    /// <summary>The best reference for <paramref name="query"/> other than those named in <paramref name="excluded"/>, by raw hit-quality index.</summary>
    public Candidate? BestExcept(float[] query, int from, int to, IReadOnlyCollection<string> excluded)
    {
        Candidate? next = null;
        foreach (var k in Shortlist(query, from, to))
        {
            if (excluded.Contains(_library[k].Reference.Name))
            {
                continue;
            }

            var (hqi, shift) = BestScore(query, from, to, _library[k]);
            if (next is null || hqi > next.Score)
            {
                next = new Candidate(_library[k].Reference.Name, _library[k].Reference.Cas, hqi, shift);
            }
        }

        return next;
    }

    private static double[] PrefixEnergy(float[] spectrum)
    {
        // Prefix sums of the squared spectrum: the energy over any window, for comparing over a spectrum's range.
        var energy = new double[spectrum.Length + 1];
        for (var i = 0; i < spectrum.Length; i++)
        {
            energy[i + 1] = energy[i] + ((double)spectrum[i] * spectrum[i]);
        }

        return energy;
    }

    /// <summary>Sums of <see cref="CoarseFactor"/> points: a spectrum on the coarse axis.</summary>
    private static float[] Coarse(float[] spectrum)
    {
        var coarse = new float[(spectrum.Length + CoarseFactor - 1) / CoarseFactor];
        for (var i = 0; i < spectrum.Length; i++)
        {
            coarse[i / CoarseFactor] += spectrum[i];
        }

        return coarse;
    }

    /// <summary>
    /// The entries worth a full search: all of a small library; of a large one, the best by hit-quality index on the
    /// coarse axis (8 cm⁻¹ bins, shifted by up to one bin), at least <see cref="ShortlistKeep"/> or a twentieth.
    /// </summary>
    private int[] Shortlist(float[] query, int from, int to)
    {
        if (_library.Length <= ShortlistAbove)
        {
            return Enumerable.Range(0, _library.Length).ToArray();
        }

        var q = Coarse(query);
        int lo = from / CoarseFactor, hi = (to + CoarseFactor - 1) / CoarseFactor;
        var scores = new double[_library.Length];
        for (var k = 0; k < _library.Length; k++)
        {
            var entry = _library[k];
            for (var shift = -1; shift <= 1; shift++)
            {
                var start = Math.Max(lo, -shift);
                var end = Math.Min(hi, entry.Coarse.Length - shift);
                if (end - start < 4)
                {
                    continue;
                }

                var dot = (double)Dot(q.AsSpan(start, end - start), entry.Coarse.AsSpan(start + shift, end - start));
                var energy = entry.CoarseEnergy[end + shift] - entry.CoarseEnergy[start + shift];
                scores[k] = Math.Max(scores[k], dot > 0 && energy > 0 ? dot * dot / energy : 0);
            }
        }

        var keep = Math.Max(ShortlistKeep, _library.Length / 20);
        return Enumerable.Range(0, _library.Length).OrderByDescending(k => scores[k]).Take(keep).ToArray();
    }

    /// <summary>Hit-quality index at the best shift, over the query's range: (q·r)² / (|q|²·|r|²) with |q| = 1.</summary>
    private (double Score, int Shift) BestScore(float[] query, int from, int to, LibraryEntry entry)
    {
        var reference = entry.Spectrum;
        var best = 0.0;
        var bestShift = 0;
        for (var shift = -_maxShift; shift <= _maxShift; shift++)
        {
            var start = Math.Max(from, -shift);
            var end = Math.Min(to, reference.Length - shift);
            if (end - start < 16)
            {
                continue;
            }

            var dot = (double)Dot(query.AsSpan(start, end - start), reference.AsSpan(start + shift, end - start));
            var energy = entry.Energy[end + shift] - entry.Energy[start + shift];
            var hqi = dot > 0 && energy > 0 ? dot * dot / energy : 0;
            if (hqi > best)
            {
                (best, bestShift) = (hqi, shift);
            }
        }

        return (best, bestShift);
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>A reference as the search compares it (preprocessed, on the common axis), shifted as a candidate was.</summary>
    public double[] Shifted(Candidate c)
    {
        var spectrum = _byName[c.Name].Spectrum;
        var shifted = new double[spectrum.Length];
        for (var i = 0; i < shifted.Length; i++)
        {
            var j = i + c.ShiftPoints;
            shifted[i] = j >= 0 && j < spectrum.Length ? spectrum[j] : 0;
        }

        return shifted;
    }
}
