using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using RiskStream.Core.Contracts;

namespace RiskStream.Cli.Soak;

/// <summary>
/// What a soak sent and what came out: every reading delivered to the broker must be scored or dead-lettered, every
/// bad message dead-lettered, every injected hazard that reached a second-level alarm warned; the pipeline's managed
/// memory and open handles must stay flat.
/// </summary>
internal sealed class SoakLedger
{
    public ConcurrentDictionary<string, byte> Sent { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Scored { get; } = new(StringComparer.Ordinal);

    public long BadSent;

    /// <summary>Malformed messages of the readings topic dead-lettered, by their partition and offset.</summary>
    public ConcurrentDictionary<(int Partition, long Offset), byte> LetteredBad { get; } = new();

    /// <summary>Readings sent as valid that the pipeline dead-lettered, with the reason and detail.</summary>
    public ConcurrentDictionary<string, string> LetteredValid { get; } = new(StringComparer.Ordinal);

    /// <summary>Output messages the ledger could not read.</summary>
    public long Unreadable;

    public long Undelivered;

    public ConcurrentDictionary<string, int> Faults { get; } = new(StringComparer.Ordinal);

    public List<(string Site, DateTimeOffset Start, DateTimeOffset End, string Kind, string[] Sensors)> Hazards { get; } = [];

    public ConcurrentBag<(string Site, DateTimeOffset Time)> Warnings { get; } = [];

    /// <summary>Every warning seen: its site, the sensors in its evidence, when it was raised and when (if) it resolved.</summary>
    public ConcurrentDictionary<string, (string Site, string Scenario, HashSet<string> Sensors, DateTimeOffset Raised, DateTimeOffset? Resolved, DateTimeOffset Last)> Lives { get; } = new(StringComparer.Ordinal);

    /// <summary>Keeps a warning event's life (the reader's thread only).</summary>
    public void Saw(WarningEvent e)
    {
        var life = Lives.GetValueOrDefault(e.Id, (e.Site, e.Scenario, new HashSet<string>(StringComparer.Ordinal), e.RaisedAt, null, e.Time));
        life.Sensors.UnionWith(e.Evidence.Select(x => x.Sensor));
        Lives[e.Id] = life with { Resolved = life.Resolved ?? e.ResolvedAt, Last = e.Time > life.Last ? e.Time : life.Last };
        if (e.Status != WarningStatus.Resolved && e.ResolvedAt is null)
        {
            Warnings.Add((e.Site, e.Time));
        }
    }

    /// <summary>(seconds since start, managed bytes, open handles) of the pipeline process, with its process number.</summary>
    public ConcurrentQueue<(int Life, double Seconds, double Managed, double Handles)> Samples { get; } = new();

    public int Restarts;

    /// <summary>Readings InfluxDB holds at the end (with <c>--influx</c>), or null without a sink.</summary>
    public long? InfluxReadings;

    /// <summary>The soak ran the InfluxDB sink: its count is part of the verdict.</summary>
    public bool InfluxExpected;

    /// <summary>Readings delivered that were neither scored nor dead-lettered.</summary>
    public long Missing => Sent.Keys.Count(id => !Scored.ContainsKey(id) && !LetteredValid.ContainsKey(id));

    public long Duplicates => Scored.Values.Sum(n => (long)Math.Max(0, n - 1));

    /// <summary>
    /// Hazards warned for their site between 30 s before their start and 2 min after their end, or covered by a
    /// warning of the site already active on one of the hazard's sensors when it started (nothing new to say: its
    /// people are already warned). A missed one is named with the site's warnings around it.
    /// </summary>
    public (int Warned, int Covered, IReadOnlyList<string> Missed) HazardsWarned()
    {
        var warnings = Warnings.ToList();
        var lives = Lives.Values.ToList();
        var covered = 0;
        var missed = new List<string>();
        foreach (var h in Hazards)
        {
            if (warnings.Any(w => w.Site == h.Site && w.Time >= h.Start.AddSeconds(-30) && w.Time <= h.End.AddMinutes(2)))
            {
                continue;
            }

            if (lives.Any(l => l.Site == h.Site && l.Sensors.Overlaps(h.Sensors) && l.Raised <= h.Start && (l.Resolved is null || l.Resolved >= h.Start)))
            {
                covered++;
                continue;
            }

            var around = lives.Where(l => l.Site == h.Site && l.Last >= h.Start.AddMinutes(-10) && l.Raised <= h.End.AddMinutes(10))
                .Select(l => $"{l.Scenario} [{string.Join(' ', l.Sensors)}] raised {l.Raised:HH:mm:ss}{(l.Resolved is { } r ? $" resolved {r:HH:mm:ss}" : "")} last {l.Last:HH:mm:ss}");
            missed.Add($"{h.Kind} at {h.Site} [{string.Join(' ', h.Sensors)}] {h.Start:HH:mm:ss}–{h.End:HH:mm:ss} (the site's warnings around it: {string.Join("; ", around.DefaultIfEmpty("none"))})");
        }

        return (Hazards.Count - missed.Count, covered, missed);
    }

    /// <summary>Least-squares slope per hour of a quantity over the longest life of the pipeline process (after its first minute).</summary>
    public double? SlopePerHour(Func<(int Life, double Seconds, double Managed, double Handles), double> of)
    {
        var life = Samples.GroupBy(s => s.Life).Select(g => g.OrderBy(s => s.Seconds).ToList()).Where(g => g.Count > 0)
            .Select(g => g.Where(s => s.Seconds >= g[0].Seconds + 60).ToList()).OrderByDescending(g => g.Count).FirstOrDefault();
        if (life is not { Count: >= 6 })
        {
            return null;
        }

        var xs = life.Select(s => s.Seconds / 3600).ToArray();
        var ys = life.Select(of).ToArray();
        var (mx, my) = (xs.Average(), ys.Average());
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        return sxx == 0 ? null : xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
    }

    public bool Clean(out string verdict)
    {
        var (_, _, missed) = HazardsWarned();
        var problems = new List<string>();
        if (Missing > 0)
        {
            problems.Add($"{Missing} readings neither scored nor dead-lettered");
        }

        if (LetteredBad.Count < BadSent)
        {
            problems.Add($"{BadSent - LetteredBad.Count} bad messages not dead-lettered");
        }

        if (Unreadable > 0)
        {
            problems.Add($"{Unreadable} output messages unreadable");
        }

        if (Undelivered > 0)
        {
            problems.Add($"{Undelivered} messages never delivered to the broker");
        }

        if (missed.Count > 0)
        {
            problems.Add($"{missed.Count} hazards without a warning");
        }

        var storable = Sent.Count - LetteredValid.Count;
        if (InfluxExpected && InfluxReadings != storable)
        {
            problems.Add(InfluxReadings is { } stored ? $"InfluxDB holds {stored} readings of {storable}" : "InfluxDB could not be asked how many readings it holds");
        }

        verdict = problems.Count == 0 ? "nothing lost" : string.Join("; ", problems);
        return problems.Count == 0;
    }

    public string Render(TimeSpan ran)
    {
        var (warned, covered, missed) = HazardsWarned();
        var managed = SlopePerHour(s => s.Managed / (1024 * 1024));
        var handles = SlopePerHour(s => s.Handles);
        var last = Samples.LastOrDefault();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"soak ledger after {ran.TotalMinutes:F1} min");
        text.AppendLine(CultureInfo.InvariantCulture, $"  readings delivered        {Sent.Count,10:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  scored (distinct)         {Scored.Keys.Count(Sent.ContainsKey),10:N0}   missing {Missing:N0}, scored more than once {Duplicates:N0} (redelivery, and the ledger's own re-reads)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  valid, dead-lettered      {LetteredValid.Count,10:N0}   {string.Join("; ", LetteredValid.Values.GroupBy(r => r.Split(' ')[0]).Select(g => $"{g.Key} {g.Count()}: {g.First()}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  bad messages sent         {BadSent,10:N0}   dead-lettered {LetteredBad.Count:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  never delivered           {Undelivered,10:N0}");
        if (InfluxExpected)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  readings in InfluxDB      {InfluxReadings?.ToString("N0", CultureInfo.InvariantCulture) ?? "unknown",10}   of {Sent.Count - LetteredValid.Count:N0} delivered and not dead-lettered");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  hazards at alarm level    {Hazards.Count,10:N0}   warned {warned:N0}{(covered > 0 ? $" ({covered:N0} by a warning already active on its sensors)" : "")}{(missed.Count > 0 ? ": missed " + string.Join(", ", missed) : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  faults injected           {Faults.Values.Sum(),10:N0}   {string.Join(", ", Faults.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  pipeline restarts         {Restarts,10:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  managed memory            {last.Managed / (1024 * 1024),10:F1} MB last; slope {(managed is { } m ? Signed(m, "0.0") + " MB/h" : "n/a (no life of 2 min)")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  open handles              {last.Handles,10:F0} last; slope {(handles is { } h ? Signed(h, "0") + " /h" : "n/a")}");
        Clean(out var verdict);
        text.Append(CultureInfo.InvariantCulture, $"  verdict: {verdict}");
        return text.ToString();
    }

    /// <summary>A signed figure; one that rounds to zero is "0" (a negative that rounds to zero once printed "-+0").</summary>
    private static string Signed(double v, string format)
    {
        var text = Math.Abs(v).ToString(format, CultureInfo.InvariantCulture);
        return text.Trim('0', '.').Length == 0 ? text : (v < 0 ? "-" : "+") + text;
    }
}
