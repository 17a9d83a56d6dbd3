namespace RiskStream.Scenarios.Engine.State;

/// <summary>How long a condition has held, and when it last became true (for repeat rules).</summary>
internal sealed class ConditionTracker
{
    public long? TrueSinceMs { get; set; }

    public Queue<long> Edges { get; } = new();

    public void CopyFrom(ConditionTracker other)
    {
        TrueSinceMs = other.TrueSinceMs;
        Edges.Clear();
        foreach (var e in other.Edges)
        {
            Edges.Enqueue(e);
        }
    }
}
