using RiskStream.Raman.Numerics;

namespace RiskStream.Raman.Processing;

/// <summary>
/// Mixtures: the residual after the best match is searched again, and two or three components are fitted by
/// non-negative least squares; a mixture is reported when it explains clearly more of the signal than the best
/// reference alone.
/// </summary>
/// <remarks>Immutable: safe to share between threads.</remarks>
internal sealed class MixtureSolver(LibrarySearch search, IdentifyOptions options)
{
    /// <summary>
    /// Builds up to three components: the best match, then the best match of what it leaves unexplained, and so on;
    /// fits them by non-negative least squares and keeps the mixture if it explains clearly more of the signal than
    /// the best reference alone.
    /// </summary>
    public (List<(string Name, double Fraction)> Parts, double Score) Solve(Prepared query, List<Candidate> ranked, double signalShare)
    {
        var q = query.Spectrum.Select(v => (double)v).ToArray();
        var parts = new List<(Candidate Candidate, double[] Spectrum)> { (ranked[0], search.Shifted(ranked[0])) };
        double[] weights = [1];
        var explained = Explained(q, parts, ref weights);
        for (var component = 1; component < 3; component++)
        {
            var residual = (double[])q.Clone();
            for (var k = 0; k < parts.Count; k++)
            {
                for (var i = 0; i < residual.Length; i++)
                {
                    residual[i] -= weights[k] * parts[k].Spectrum[i];
                }
            }

            var norm = Math.Sqrt(residual.Sum(v => v * v));
            if (norm <= 0)
            {
                break;
            }

            var r = residual.Select(v => (float)(v / norm)).ToArray();
            var next = search.BestExcept(r, query.From, query.To, parts.Select(p => p.Candidate.Name).ToArray());
            if (next is null)
            {
                break;
            }

            var trial = parts.Append((next, search.Shifted(next))).ToList();
            var trialWeights = weights;
            var trialExplained = Explained(q, trial, ref trialWeights);
            if ((trialExplained - explained) / signalShare < options.MixtureGain || trialWeights[^1] < 0.1 * trialWeights.Max())
            {
                break;
            }

            (parts, weights, explained) = (trial, trialWeights, trialExplained);
        }

        if (parts.Count < 2 || explained / signalShare < options.UnknownBelow)
        {
            return ([], 0);
        }

        // Fractions by the parts' contributions to the spectrum (weights of unit-norm references).
        var sum = weights.Sum();
        return (parts.Select((p, k) => (p.Candidate.Name, weights[k] / sum)).OrderByDescending(p => p.Item2).ToList(), Math.Min(1, explained / signalShare));
    }

    /// <summary>R² of the non-negative least-squares fit of the query by the parts; the weights come back in <paramref name="weights"/>.</summary>
    private static double Explained(double[] q, List<(Candidate Candidate, double[] Spectrum)> parts, ref double[] weights)
    {
        weights = NonNegativeLeastSquares.Solve(parts.Select(p => p.Spectrum).ToArray(), q);
        double residual = 0, total = 0;
        for (var i = 0; i < q.Length; i++)
        {
            var fitted = 0.0;
            for (var k = 0; k < parts.Count; k++)
            {
                fitted += weights[k] * parts[k].Spectrum[i];
            }

            residual += (q[i] - fitted) * (q[i] - fitted);
            total += q[i] * q[i];
        }

        return total > 0 ? 1 - (residual / total) : 0;
    }
}
