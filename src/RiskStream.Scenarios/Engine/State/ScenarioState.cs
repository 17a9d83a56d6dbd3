using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Scenarios.Engine.State;

/// <summary>One (scenario, site): its condition trackers and the lifecycle of its warning.</summary>
internal sealed class ScenarioState
{
    public ScenarioState(SiteState site, ScenarioDefinition definition, int index)
    {
        Site = site;
        Definition = definition;
        Index = index;
        Trackers = definition.AllConditions.Select(_ => new ConditionTracker()).ToArray();
        Held = new bool[Trackers.Length];
    }

    public SiteState Site { get; }

    public ScenarioDefinition Definition { get; }

    public int Index { get; }

    public ConditionTracker[] Trackers { get; }

    public bool[] Held { get; }

    public bool Active { get; set; }

    public string? Id { get; set; }

    public long Seq { get; set; }

    public WarningLevel Level { get; set; }

    /// <summary>Level an unacknowledged warning was escalated to; it does not fall below it until acknowledged.</summary>
    public WarningLevel Floor { get; set; }

    public long RaisedAtMs { get; set; }

    public long LastEscalationMs { get; set; }

    public long? LowerSinceMs { get; set; }

    public int LastTarget { get; set; }

    public Queue<(long Ms, int Target)> TargetChanges { get; } = new();

    public bool Flapping { get; set; }

    public bool Published { get; set; }

    public bool Inhibited { get; set; }

    public bool HeldBack { get; set; }

    public (WarningStatus Status, string Reason)? Pending { get; set; }

    public bool Dirty { get; set; }

    /// <summary>No warning and no level condition under way: skipped unless a reading may wake it.</summary>
    public bool Idle { get; set; }

    /// <summary>Each party's latest acknowledgement.</summary>
    public List<AckRecord> Acks { get; } = [];

    /// <summary>Each party's acknowledgements counted, with the first and last time.</summary>
    public List<AckSummary> AckCounts { get; } = [];

    public List<string> AddedJurisdictions { get; } = [];

    public IReadOnlyList<RoutedAudience> Audiences { get; set; } = [];

    /// <summary>The highest level the warning reached (whether a disposition needs a regulator's confirmation).</summary>
    public WarningLevel PeakLevel { get; set; }

    /// <summary>When the condition cleared (null while active).</summary>
    public long? ResolvedAtMs { get; set; }

    /// <summary>Resolved and not yet closed by a disposition.</summary>
    public bool Closing { get; set; }

    /// <summary>Each audience's notification, receipt and acknowledgement times.</summary>
    public List<ResponseEntry> Responses { get; } = [];

    /// <summary>The escalation period (its <see cref="LastEscalationMs"/>) a reminder was sent for.</summary>
    public long RemindedFor { get; set; } = long.MinValue;

    public Disposition? Disposition { get; set; }

    public bool DisposeOverdue { get; set; }

    /// <summary>The audit trail (the newest <see cref="ResponseWorkflow.MaxTrail"/>; <see cref="TrailOmitted"/> counts the older).</summary>
    public List<TrailEntry> Trail { get; } = [];

    public int TrailOmitted { get; set; }

    /// <summary>Sensors whose contribution is shelved; outlive the warning, until each expires.</summary>
    public List<Shelf> Shelves { get; } = [];

    /// <summary>Assistance requests and where each stands.</summary>
    public List<AssistanceRequest> Assistance { get; } = [];

    /// <summary>A warning is raised, or one awaits its disposition, or a shelf is to expire: owed a look in time.</summary>
    public bool Open => Active || Closing || Shelves.Count > 0;

    /// <summary>The first event published for this warning (what CAP updates reference), if any.</summary>
    public EventStamp? FirstEvent { get; set; }

    /// <summary>The latest event published for this warning, if any.</summary>
    public EventStamp? LastEvent { get; set; }

    /// <summary>Makes this state a copy of <paramref name="other"/> (same scenario): the rollback of a failed input.</summary>
    public void CopyFrom(ScenarioState other)
    {
        for (var i = 0; i < Trackers.Length; i++)
        {
            Trackers[i].CopyFrom(other.Trackers[i]);
        }

        other.Held.CopyTo(Held, 0);
        Active = other.Active;
        Id = other.Id;
        Seq = other.Seq;
        Level = other.Level;
        Floor = other.Floor;
        RaisedAtMs = other.RaisedAtMs;
        LastEscalationMs = other.LastEscalationMs;
        LowerSinceMs = other.LowerSinceMs;
        LastTarget = other.LastTarget;
        TargetChanges.Clear();
        foreach (var c in other.TargetChanges)
        {
            TargetChanges.Enqueue(c);
        }

        Flapping = other.Flapping;
        Published = other.Published;
        Inhibited = other.Inhibited;
        HeldBack = other.HeldBack;
        Pending = other.Pending;
        Dirty = other.Dirty;
        Idle = other.Idle;
        Acks.Clear();
        Acks.AddRange(other.Acks);
        AckCounts.Clear();
        AckCounts.AddRange(other.AckCounts);
        AddedJurisdictions.Clear();
        AddedJurisdictions.AddRange(other.AddedJurisdictions);
        Audiences = other.Audiences;
        PeakLevel = other.PeakLevel;
        Closing = other.Closing;
        ResolvedAtMs = other.ResolvedAtMs;
        Responses.Clear();
        Responses.AddRange(other.Responses);
        RemindedFor = other.RemindedFor;
        Disposition = other.Disposition;
        DisposeOverdue = other.DisposeOverdue;
        Trail.Clear();
        Trail.AddRange(other.Trail);
        TrailOmitted = other.TrailOmitted;
        Shelves.Clear();
        Shelves.AddRange(other.Shelves);
        Assistance.Clear();
        Assistance.AddRange(other.Assistance);
        FirstEvent = other.FirstEvent;
        LastEvent = other.LastEvent;
    }
}

