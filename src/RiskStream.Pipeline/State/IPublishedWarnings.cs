using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.State;

/// <summary>
/// What the parties were told: the warnings <c>riskstream.warnings</c> shows open (their last event not
/// <c>resolved</c>) and those it shows resolved, over a recent window. The state audit holds the restored warning state
/// against it.
/// </summary>
public interface IPublishedWarnings
{
    /// <summary>
    /// Reads the log now, or returns the read already made for this <paramref name="generation"/> of the consumer's
    /// assignment (the lanes of one rebalance share one read; a read made before the assignment is never served).
    /// Throws when it cannot be read in time.
    /// </summary>
    PublishedState Read(long generation);
}

/// <summary>A warning whose last published event is not <c>resolved</c>, with the stamps a CAP Cancel references.</summary>
public sealed record OpenWarning(WarningEvent Last, EventStamp First);

/// <summary>The published warnings: open ones by site, and the ids of resolved ones.</summary>
public sealed record PublishedState(IReadOnlyDictionary<string, IReadOnlyList<OpenWarning>> OpenBySite, IReadOnlySet<string> Resolved)
{
    public static PublishedState Empty { get; } = new(new Dictionary<string, IReadOnlyList<OpenWarning>>(), new HashSet<string>());

    /// <summary>Folds events (any order, duplicates allowed) into the state the latest event of each warning gives.</summary>
    public static PublishedState Of(IEnumerable<WarningEvent> events)
    {
        var last = new Dictionary<string, WarningEvent>(StringComparer.Ordinal);
        var first = new Dictionary<string, EventStamp>(StringComparer.Ordinal);
        var ended = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Status is WarningStatus.Resolved or WarningStatus.Closed || e.ResolvedAt is not null)
            {
                ended.Add(e.Id);
            }

            if (!last.TryGetValue(e.Id, out var seen) || e.Seq > seen.Seq)
            {
                last[e.Id] = e;
            }

            if (!first.TryGetValue(e.Id, out var earliest) || e.Seq < earliest.Seq)
            {
                first[e.Id] = new EventStamp(e.Seq, e.Time);
            }
        }

        // Resolved or closed: the events after a resolve (the disposition, the close) leave it resolved.
        var resolved = ended;
        var open = last.Values.Where(e => !resolved.Contains(e.Id))
            .GroupBy(e => e.Site, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<OpenWarning>)g.Select(e => new OpenWarning(e, first[e.Id])).ToList(), StringComparer.Ordinal);
        return new PublishedState(open, resolved);
    }
}
