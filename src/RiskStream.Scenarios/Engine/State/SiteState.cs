using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Engine.State;

/// <summary>Everything the engine holds of one site: its sensors' newest readings, identifications and warnings.</summary>
internal sealed class SiteState(SiteDef def, int scenarios)
{
    public SiteDef Def { get; } = def;

    /// <summary>
    /// One slot per sensor of the site, allocated together in index order (a site's sensors have consecutive
    /// indexes), so the slots a reading touches sit close together in memory.
    /// </summary>
    public SensorSlot[] Slots { get; } = def.Sensors.OrderBy(x => x.Index).Select(x => new SensorSlot(x) { Last = SlotReading.None }).ToArray();

    private int FirstIndex { get; } = def.Sensors.Count == 0 ? 0 : def.Sensors.Min(x => x.Index);

    public SensorSlot SlotOf(SensorDef sensor)
    {
        var i = sensor.Index - FirstIndex;
        return (uint)i < (uint)Slots.Length && ReferenceEquals(Slots[i].Sensor, sensor) ? Slots[i] : Slots.First(x => ReferenceEquals(x.Sensor, sensor));
    }

    public List<IdentificationObservation> Identifications { get; } = [];

    public ScenarioState?[] Scenarios { get; } = new ScenarioState?[scenarios];

    public long LatestMs { get; set; } = long.MinValue;

    public long ReadingsOffset { get; set; } = -1;

    public long RestoredUpTo { get; set; } = -1;

    /// <summary>Timestamp of the site's stalest sensor (as of <see cref="OldestComputedMs"/>).</summary>
    public long OldestSlotMs { get; set; } = long.MaxValue;

    public long OldestComputedMs { get; set; } = long.MinValue;

    /// <summary>Some warning of the site has an event pending since the last settle.</summary>
    public bool Marked { get; set; }

    /// <summary>Event time of the first input this instance applied at the site: sensors that never reported count as silent from it.</summary>
    public long HeldSinceMs { get; set; } = long.MinValue;

    /// <summary>Newest event time an input (not the clock's tick) brought to the site.</summary>
    public long InputEventMs { get; set; } = long.MinValue;

    /// <summary>The <see cref="InputEventMs"/> the last tick saw: when it moves, inputs arrived since.</summary>
    public long TickedInputMs { get; set; } = long.MinValue;

    /// <summary>Processing time at which the tick last saw inputs arrive, and the event time they had reached.</summary>
    public long ArrivalMs { get; set; }

    public long EventAtArrivalMs { get; set; } = long.MinValue;

    /// <summary>Time of the site's longest-silent sensor, a sensor that never reported counting from <see cref="HeldSinceMs"/> (as of <see cref="OldestComputedMs"/>).</summary>
    public long SilentSinceMs { get; set; } = long.MaxValue;

    /// <summary>The shortest reporting period of the site's sensors, in ms.</summary>
    public double MinPeriodMs { get; } = def.Sensors.Count == 0 ? 60_000 : def.Sensors.Min(s => s.ReportingPeriod.TotalMilliseconds);

    /// <summary>Reporting periods the site's longest-silent sensor has missed, at most (counted in the shortest period).</summary>
    public double SilentPeriods => LatestMs == long.MinValue || SilentSinceMs == long.MaxValue ? 0 : (LatestMs - SilentSinceMs) / MinPeriodMs;

    /// <summary>
    /// Moves the site's clock at processing time <paramref name="nowMs"/>: when inputs arrived since the last tick the
    /// clock is theirs and runs on from here; when nothing arrived it moves with the processing time that passed, so
    /// silence and deadlines count with no reading.
    /// </summary>
    public void AdvanceClock(long nowMs)
    {
        if (InputEventMs != TickedInputMs || EventAtArrivalMs == long.MinValue)
        {
            TickedInputMs = InputEventMs;
            ArrivalMs = nowMs;
            EventAtArrivalMs = LatestMs;
        }
        else if (EventAtArrivalMs + (nowMs - ArrivalMs) > LatestMs)
        {
            LatestMs = EventAtArrivalMs + (nowMs - ArrivalMs);
        }
    }

    /// <summary>Recomputes <see cref="OldestSlotMs"/> and <see cref="SilentSinceMs"/> from the slots, as of <paramref name="asOfMs"/>.</summary>
    public void ComputeOldest(long asOfMs)
    {
        var oldest = long.MaxValue;
        var silent = long.MaxValue;
        foreach (var slot in Slots)
        {
            if (slot.Seen)
            {
                oldest = Math.Min(oldest, slot.TsMs);
            }

            if (slot.Seen || HeldSinceMs != long.MinValue)
            {
                silent = Math.Min(silent, slot.Seen ? slot.TsMs : HeldSinceMs);
            }
        }

        OldestSlotMs = oldest;
        SilentSinceMs = silent;
        OldestComputedMs = asOfMs;
    }
}
