using RiskStream.Core.Contracts;

namespace RiskStream.Kpis;

/// <summary>
/// Turns warning events into training labels: it gathers every sensor that was evidence in any event of a warning
/// (a closing event lists only those still notable), and when the warning is closed as disposed gives its
/// <see cref="Label"/>, once. Replays are harmless: the same warning gives the same label (an upsert by id).
/// </summary>
public sealed class LabelBuilder
{
    /// <summary>A warning not spoken of for this long is forgotten (the KPI job reads a week back).</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(8);

    private readonly Dictionary<string, (SortedSet<string> Sensors, string Model, DateTimeOffset Last)> _open = new(StringComparer.Ordinal);
    private DateTimeOffset _pruned = DateTimeOffset.MinValue;

    /// <summary>Warnings it is gathering sensors for.</summary>
    public int Open => _open.Count;

    /// <summary>Takes one event; returns the warning's label when this event closes it as disposed, else null.</summary>
    public Label? Observe(WarningEvent e)
    {
        if (!_open.TryGetValue(e.Id, out var w))
        {
            w = (new SortedSet<string>(StringComparer.Ordinal), e.Models.Count > 0 ? e.Models[0] : "-", e.Time);
        }

        _open[e.Id] = w with { Last = e.Time > w.Last ? e.Time : w.Last };
        if (e.Time - _pruned > TimeSpan.FromHours(1))
        {
            // Warnings never disposed would otherwise be remembered for ever.
            _pruned = e.Time;
            foreach (var stale in _open.Where(x => x.Value.Last < e.Time - ForgetAfter).Select(x => x.Key).ToArray())
            {
                _open.Remove(stale);
            }
        }

        foreach (var s in e.Evidence)
        {
            w.Sensors.Add(s.Sensor);
        }

        if (e.Status != WarningStatus.Closed)
        {
            return null;
        }

        _open.Remove(e.Id);
        if (e.Disposition is not { } d)
        {
            return null; // closed undisposed: nobody said what it was
        }

        var (risk, fault) = Label.Of(e.Scenario, d.Reason);
        return new Label(e.Id, e.Scenario, e.Site, e.Enterprise, [.. w.Sensors], e.RaisedAt, e.ResolvedAt ?? e.Time, risk, d.Reason, w.Model, d.ConfirmedAt ?? d.Time) { Fault = fault };
    }
}
