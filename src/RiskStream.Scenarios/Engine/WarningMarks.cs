using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// What changed since it was last drained: each warning with an event pending (its status and the reasons, folded
/// into one event per evaluation) and each warning whose state record must be written again.
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed class WarningMarks
{
    private readonly List<ScenarioState> _dirty = [];

    /// <summary>Events built at once, ahead of the pending ones (a warning closed undisposed as its scenario is raised again).</summary>
    public List<PublishedWarning> Immediate { get; } = [];

    /// <summary>States marked since the last drain, in the order first marked.</summary>
    public IReadOnlyList<ScenarioState> Dirty => _dirty;

    /// <summary>Records a lifecycle step of a warning: an event to publish and a state record to write.</summary>
    public void Mark(ScenarioState state, WarningStatus status, string reason)
    {
        state.Site.Marked = true;

        // Several steps in one evaluation publish as one event: the most telling status wins.
        state.Pending = state.Pending is not { } pending ? (status, reason)
            : Rank(status) > Rank(pending.Status) ? (status, $"{pending.Reason}; {reason}")
            : (pending.Status, $"{pending.Reason}; {reason}");
        Touch(state);
    }

    /// <summary>The state changed in a way its record must show, without an event.</summary>
    public void Touch(ScenarioState state)
    {
        if (!state.Dirty)
        {
            state.Dirty = true;
            _dirty.Add(state);
        }
    }

    /// <summary>Hands every dirty state to <paramref name="each"/> and forgets them.</summary>
    public void Drain(Action<ScenarioState> each)
    {
        foreach (var state in _dirty)
        {
            each(state);
            state.Dirty = false;
        }

        _dirty.Clear();
    }

    /// <summary>Forgets the states marked after the first <paramref name="count"/> (a rolled-back input's).</summary>
    public void TruncateTo(int count)
    {
        Immediate.Clear();
        if (count < _dirty.Count)
        {
            _dirty.RemoveRange(count, _dirty.Count - count);
        }
    }

    private static int Rank(WarningStatus status) => status switch
    {
        WarningStatus.Closed => 7,
        WarningStatus.Raised => 6,
        WarningStatus.Resolved => 5,
        WarningStatus.Escalated => 4,
        WarningStatus.Deescalated => 3,
        WarningStatus.Acknowledged => 2,
        _ => 1,
    };
}
