namespace RiskStream.Scenarios.Engine.State;

/// <summary>
/// Makes one input's effect on a site all or nothing: what the input may change is saved before it changes it, and
/// put back if the input fails part way (its message is then dead-lettered and the site is as it was). Saving is
/// lazy: a calm reading saves one sensor's slot and the site's clocks; the scenario states are copied only before
/// the first of them is evaluated.
/// </summary>
/// <remarks>Not thread-safe: one per engine, one transaction at a time.</remarks>
internal sealed class SiteTransaction(int scenarioCount)
{
    private readonly ScenarioState?[] _copies = new ScenarioState?[scenarioCount];
    private readonly bool[] _existed = new bool[scenarioCount];
    private readonly List<IdentificationObservation> _identifications = [];
    private SiteState? _site;
    private bool _siteExisted;
    private SensorSlot? _slot;
    private SlotReading _slotReading;
    private bool _scenariosSaved;
    private bool _identificationsSaved;
    private long _latestMs;
    private long _readingsOffset;
    private long _restoredUpTo;
    private long _oldestSlotMs;
    private long _oldestComputedMs;
    private bool _marked;
    private long _heldSinceMs;
    private long _inputEventMs;
    private long _silentSinceMs;
    private int _dirty;
    private long _suppressed;
    private int _events;

    public SiteState Site => _site!;

    /// <summary>Starts the transaction of one input at <paramref name="site"/>.</summary>
    /// <param name="siteExisted">False when the site's state was created for this input (a rollback drops it).</param>
    public void Begin(SiteState site, bool siteExisted, int dirty, long suppressed, int events)
    {
        _site = site;
        _siteExisted = siteExisted;
        _slot = null;
        _scenariosSaved = false;
        _identificationsSaved = false;
        _latestMs = site.LatestMs;
        _readingsOffset = site.ReadingsOffset;
        _restoredUpTo = site.RestoredUpTo;
        _oldestSlotMs = site.OldestSlotMs;
        _oldestComputedMs = site.OldestComputedMs;
        _marked = site.Marked;
        _heldSinceMs = site.HeldSinceMs;
        _inputEventMs = site.InputEventMs;
        _silentSinceMs = site.SilentSinceMs;
        _dirty = dirty;
        _suppressed = suppressed;
        _events = events;
    }

    /// <summary>Saves the one sensor slot the input changes.</summary>
    public void SaveSlot(SensorSlot slot)
    {
        _slot = slot;
        _slotReading = slot.Last;
    }

    /// <summary>Saves every scenario state of the site, once per transaction, before the first is changed.</summary>
    public void SaveScenarios()
    {
        if (_scenariosSaved)
        {
            return;
        }

        _scenariosSaved = true;
        var states = _site!.Scenarios;
        for (var i = 0; i < states.Length; i++)
        {
            _existed[i] = states[i] is not null;
            if (states[i] is { } state)
            {
                var copy = _copies[i] ??= new ScenarioState(state.Site, state.Definition, i);
                copy.CopyFrom(state);
            }
        }
    }

    /// <summary>Saves the site's identifications before the input adds one.</summary>
    public void SaveIdentifications()
    {
        if (!_identificationsSaved)
        {
            _identificationsSaved = true;
            _identifications.Clear();
            _identifications.AddRange(_site!.Identifications);
        }
    }

    /// <summary>
    /// Puts the site back as it was at <see cref="Begin"/>. Returns whether the site's state itself must be dropped
    /// (it was created for the failed input), and the engine counters to restore.
    /// </summary>
    public (bool DropSite, int Dirty, long Suppressed, int Events) Rollback()
    {
        var site = _site!;
        if (!_siteExisted)
        {
            return (true, _dirty, _suppressed, _events);
        }

        site.LatestMs = _latestMs;
        site.ReadingsOffset = _readingsOffset;
        site.RestoredUpTo = _restoredUpTo;
        site.OldestSlotMs = _oldestSlotMs;
        site.OldestComputedMs = _oldestComputedMs;
        site.Marked = _marked;
        site.HeldSinceMs = _heldSinceMs;
        site.InputEventMs = _inputEventMs;
        site.SilentSinceMs = _silentSinceMs;
        if (_slot is not null)
        {
            _slot.Last = _slotReading;
        }

        if (_identificationsSaved)
        {
            site.Identifications.Clear();
            site.Identifications.AddRange(_identifications);
        }

        if (_scenariosSaved)
        {
            var states = site.Scenarios;
            for (var i = 0; i < states.Length; i++)
            {
                if (!_existed[i])
                {
                    states[i] = null;
                }
                else
                {
                    states[i]!.CopyFrom(_copies[i]!);
                }
            }
        }

        return (false, _dirty, _suppressed, _events);
    }
}
