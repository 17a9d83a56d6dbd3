using Microsoft.Extensions.Logging;

namespace RiskStream.Sensors.Models;

/// <summary>
/// Feature drift of the served risk model: each lane bins a sample of the features it scores (one reading in
/// <see cref="SampleEvery"/>) into the deciles its card keeps from training (<see cref="FeatureDistribution"/>); at
/// the end of each window the population stability index of every feature goes to /metrics
/// (<c>riskstream_model_feature_psi</c>), and a feature above the bound is logged as a warning naming it and the model
/// (once until it falls back). A model whose card has no distributions is not watched (said once).
/// </summary>
/// <remarks>Lanes count without locks into arrays of their own; the window's evaluation reads them (approximate while they count, as a gauge is).</remarks>
public sealed class DriftMonitor(ModelMetrics metrics, ILogger log, TimeSpan window, double warnAbove, TimeProvider time)
{
    public const int SampleEvery = 4;

    /// <summary>A window with fewer sampled readings than this gives no index (too few to judge).</summary>
    public const long MinSamples = 500;

    private readonly object _gate = new();
    private readonly List<LaneCounts> _lanes = [];
    private readonly HashSet<string> _drifting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unwatched = new(StringComparer.Ordinal);
    private string? _model;
    private long[]? _baseline;
    private DateTimeOffset _windowStart = time.GetUtcNow();

    /// <summary>The last complete window's index per feature of the served model (empty before one).</summary>
    public IReadOnlyDictionary<string, double> Last { get; private set; } = new Dictionary<string, double>();

    /// <summary>A lane's counts for <paramref name="risk"/>, or null when its card has no distributions.</summary>
    public LaneCounts? Attach(LoadedModel risk)
    {
        var why = risk.Card.Distributions is not { Count: > 0 } distributions ? "its card keeps no training distribution (riskstream models profile adds one)" : Invalid(distributions);
        if (why is not null)
        {
            lock (_gate)
            {
                _lanes.Clear(); // what served before is no longer watched either
                if (_unwatched.Add(risk.Card.Tag))
                {
                    log.LogWarning("{Model}: its features' drift is not watched: {Why}", risk.Card.Tag, why);
                }
            }

            return null;
        }

        var counts = new LaneCounts(risk.Card.Tag, [.. risk.Card.Distributions]);
        lock (_gate)
        {
            _lanes.Add(counts);
        }

        return counts;
    }

    /// <summary>Why a card's distributions cannot be a reference (edges not finite and increasing, shares not one more than edges), or null.</summary>
    private static string? Invalid(IReadOnlyList<FeatureDistribution> distributions)
    {
        foreach (var d in distributions)
        {
            if (d is null || d.Edges is null || d.Shares is null || d.Feature is null)
            {
                return "a distribution lacks its feature, edges or shares";
            }

            if (d.Shares.Count != d.Edges.Count + 1 || d.Shares.Any(s => !double.IsFinite(s) || s < 0))
            {
                return $"{d.Feature}: {d.Shares.Count} shares for {d.Edges.Count} edges (one more than the edges, each finite and not negative)";
            }

            for (var i = 0; i < d.Edges.Count; i++)
            {
                if (!double.IsFinite(d.Edges[i]) || (i > 0 && d.Edges[i] <= d.Edges[i - 1]))
                {
                    return $"{d.Feature}: its edges are not finite and increasing";
                }
            }
        }

        return null;
    }

    /// <summary>Closes the window if it has ended: the index of each feature to /metrics, warnings for those above the bound.</summary>
    public void Evaluate()
    {
        var now = time.GetUtcNow();
        LaneCounts[] lanes;
        lock (_gate)
        {
            // The newest lanes' model is the one serving; lanes of an older one are let go.
            var model = _lanes.Count == 0 ? null : _lanes[^1].Model;
            _lanes.RemoveAll(l => l.Model != model);
            lanes = [.. _lanes];
            if (model != _model)
            {
                foreach (var feature in Last.Keys)
                {
                    metrics.FeaturePsi.WithLabels(_model ?? "", feature).Remove();
                }

                _model = model;
                _baseline = null;
                _windowStart = now;
                _drifting.Clear();
                Last = new Dictionary<string, double>();
            }
        }

        if (lanes.Length == 0)
        {
            return; // nothing watched (no model, or one without a reference): its gauges were removed above
        }

        var distributions = lanes[0].Distributions;
        var totals = new long[lanes[0].Counts.Length];
        foreach (var lane in lanes)
        {
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += Volatile.Read(ref lane.Counts[i]);
            }
        }

        if (_baseline is null)
        {
            _baseline = totals;
            return;
        }

        if (now - _windowStart < window)
        {
            return;
        }

        var windowed = totals.Select((t, i) => t - _baseline[i]).ToArray();
        _baseline = totals;
        _windowStart = now;
        var psi = new Dictionary<string, double>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var d in distributions)
        {
            var counts = windowed.AsSpan(offset, d.Shares.Count);
            offset += d.Shares.Count;
            long samples = 0;
            foreach (var c in counts)
            {
                samples += c;
            }

            var index = samples < MinSamples ? double.NaN : Math.Round(d.Psi(counts), 4);
            psi[d.Feature] = index;
            metrics.FeaturePsi.WithLabels(_model!, d.Feature).Set(index);
            if (index > warnAbove && _drifting.Add(d.Feature))
            {
                log.LogWarning("Feature drift: {Feature} of {Model} has a population stability index of {Psi} over the last {Window} (above {Bound}): what it serves no longer looks like what it learned; retrain or check the sensors", d.Feature, _model, index, window, warnAbove);
            }
            else if (index <= warnAbove && _drifting.Remove(d.Feature))
            {
                log.LogInformation("Feature drift: {Feature} of {Model} is back to a stability index of {Psi}", d.Feature, _model, index);
            }
        }

        Last = psi;
    }

    /// <summary>One lane's counts: features × bins, flattened; only its lane writes them.</summary>
    public sealed class LaneCounts(string model, FeatureDistribution[] distributions)
    {
        private readonly int[] _index = [.. Features.FeatureSchema.Names.Select(n => Array.FindIndex(distributions, d => d.Feature == n))];
        private readonly int[] _offsets = Offsets(distributions);
        private int _tick;

        public string Model { get; } = model;

        public FeatureDistribution[] Distributions { get; } = distributions;

        public long[] Counts { get; } = new long[distributions.Sum(d => d.Shares.Count)];

        /// <summary>Counts one reading's features, one reading in <see cref="SampleEvery"/>.</summary>
        public void Observe(ReadOnlySpan<float> features)
        {
            if (++_tick < SampleEvery)
            {
                return;
            }

            _tick = 0;
            for (var f = 0; f < features.Length && f < _index.Length; f++)
            {
                var d = _index[f];
                if (d >= 0 && float.IsFinite(features[f]))
                {
                    Counts[_offsets[d] + FeatureDistribution.Bin(Distributions[d].Edges, features[f])]++;
                }
            }
        }

        private static int[] Offsets(FeatureDistribution[] distributions)
        {
            var offsets = new int[distributions.Length];
            for (var i = 1; i < distributions.Length; i++)
            {
                offsets[i] = offsets[i - 1] + distributions[i - 1].Shares.Count;
            }

            return offsets;
        }
    }
}
