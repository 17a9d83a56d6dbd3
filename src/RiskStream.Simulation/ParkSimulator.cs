using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Simulation;

/// <summary>
/// A chemical park in numbers, deterministic for a seed: each sensor has a baseline, noise, a daily cycle and slow
/// drift; hazards (leak ramp, overpressure, fire, toxic release) and sensor faults (stuck-at, dropout, spike, drift)
/// are injected on a schedule and kept as ground truth in <see cref="Events"/>.
/// </summary>
/// <remarks>
/// Values are a pure function of (seed, sensor, time, events): asking twice for the same sensor and time gives the
/// same value, whatever else was asked in between. Not thread-safe (the event schedule grows lazily).
/// </remarks>
public sealed class ParkSimulator
{
    private readonly SimulationOptions _options;
    private readonly DateTimeOffset _start;
    private readonly IReadOnlyList<SiteDef> _sites;
    private readonly List<InjectedEvent> _events = [];

    /// <summary>The longest event so far: one that started longer ago than this before a time is over by then.</summary>
    private TimeSpan _longest;
    private int _scheduled;
    private readonly Random _schedule;
    private DateTimeOffset _scheduledUntil;

    public ParkSimulator(ParkRegistry registry, SimulationOptions options, DateTimeOffset start)
    {
        options.Validate();
        _options = options;
        _start = start;
        _sites = options.Sites > 0 ? registry.SiteList.Take(options.Sites).ToArray() : registry.SiteList;
        if (_sites.Count == 0)
        {
            throw new ArgumentException("the registry has no sites to simulate");
        }

        Sensors = _sites.SelectMany(s => s.Sensors).OrderBy(s => s.Index).ToArray();
        _schedule = new Random(options.Seed);
        _scheduledUntil = start;
        if (options.DemoHazard)
        {
            ScheduleFirstHazard();
        }
    }

    /// <summary>
    /// The first event that may cover <paramref name="ts"/> (events are kept in start order): a search, so a long
    /// simulation does not scan every event since its start for each reading.
    /// </summary>
    private int FirstPossiblyActive(DateTimeOffset ts)
    {
        var from = ts - _longest;
        int lo = 0, hi = _events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_events[mid].Start < from)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Add(InjectedEvent e)
    {
        // Kept in start order: the schedule only moves forward, but the demonstration hazard, scheduled first, may
        // start after the first scheduled events (FirstHazardAfter).
        e = e with { Number = _scheduled++ };
        var at = _events.Count;
        while (at > 0 && _events[at - 1].Start > e.Start)
        {
            at--;
        }

        _events.Insert(at, e);
        _longest = e.End - e.Start > _longest ? e.End - e.Start : _longest;
    }

    /// <summary>Every simulated sensor, in registry order.</summary>
    public IReadOnlyList<SensorDef> Sensors { get; }

    /// <summary>Injected events scheduled so far (ground truth), in start order.</summary>
    public IReadOnlyList<InjectedEvent> Events => _events;

    public DateTimeOffset Start => _start;

    /// <summary>Interval between two readings of one sensor at the configured rate.</summary>
    public TimeSpan SensorPeriod => TimeSpan.FromSeconds(Sensors.Count / _options.RatePerSecond);

    /// <summary>The reading of a sensor at a time, or null when the sensor is silent (dropout).</summary>
    public Reading? ReadingAt(SensorDef sensor, DateTimeOffset ts)
    {
        EnsureScheduled(ts);
        var value = Normal(sensor, ts);
        for (var i = FirstPossiblyActive(ts); i < _events.Count; i++)
        {
            var e = _events[i];
            if (e.Start > ts)
            {
                break;
            }

            if (ts > e.End || !e.Sensors.Contains(sensor))
            {
                continue;
            }

            var t = (ts - e.Start).TotalSeconds;
            var duration = (e.End - e.Start).TotalSeconds;
            var lag = e.Sensors.Count > 1 && e.Sensors[0] != sensor ? 10.0 : 0.0;
            var share = e.Sensors[0] == sensor ? 1.0 : 0.6;
            switch (e.Kind)
            {
                case InjectedKind.LeakRamp or InjectedKind.ToxicRelease or InjectedKind.Overpressure or InjectedKind.Fire:
                    value += share * e.Peak * Envelope(t - lag, duration);
                    break;
                case InjectedKind.StuckAt:
                    value = Normal(sensor, e.Start);
                    break;
                case InjectedKind.Dropout:
                    return null;
                case InjectedKind.Spike:
                    value += e.Peak;
                    break;
                case InjectedKind.Drift:
                    value += e.Peak * (t / duration);
                    break;
            }
        }

        value = Math.Max(sensor.Kind == SensorKind.Temperature ? -40 : 0, value);
        if (sensor.Kind is SensorKind.TankLevel or SensorKind.O2)
        {
            value = Math.Min(100, value);
        }

        return new Reading(sensor.Site.Id, sensor.Id, sensor.Kind, Math.Round(value, 3), sensor.Kind.CanonicalUnit(), ts);
    }

    /// <summary>
    /// How much of a hazard's peak the sensor shows at a time (0 outside hazards, before the hazard reaches this sensor
    /// or once it has decayed; 1 at the peak of the sensor where it starts): the ground truth a label is cut from.
    /// </summary>
    public double HazardShareAt(SensorDef sensor, DateTimeOffset ts)
    {
        EnsureScheduled(ts);
        var most = 0.0;
        for (var i = FirstPossiblyActive(ts); i < _events.Count; i++)
        {
            var e = _events[i];
            if (e.Start > ts)
            {
                break;
            }

            if (!e.IsHazard || ts > e.End || !e.Sensors.Contains(sensor))
            {
                continue;
            }

            var lag = e.Sensors.Count > 1 && e.Sensors[0] != sensor ? 10.0 : 0.0;
            var share = e.Sensors[0] == sensor ? 1.0 : 0.6;
            most = Math.Max(most, share * Envelope((ts - e.Start).TotalSeconds - lag, (e.End - e.Start).TotalSeconds));
        }

        return most;
    }

    /// <summary>The hazard or fault covering a sensor at a time, if any (the label of a reading).</summary>
    public InjectedEvent? TruthAt(SensorDef sensor, DateTimeOffset ts)
    {
        EnsureScheduled(ts);
        InjectedEvent? last = null;
        for (var i = FirstPossiblyActive(ts); i < _events.Count && _events[i].Start <= ts; i++)
        {
            last = _events[i].Covers(sensor, ts) ? _events[i] : last;
        }

        return last;
    }

    /// <summary>Typical value of a kind in normal operation.</summary>
    public static double DefaultBaseline(SensorKind kind) => RiskStream.Sensors.Features.SensorFeatures.TypicalValue(kind);

    /// <summary>Standard deviation of a kind's reading noise in normal operation (its baseline may set the scale).</summary>
    public static double NoiseOf(SensorKind kind, double baseline) => kind switch
    {
        SensorKind.CombustibleLel => 0.4,
        SensorKind.H2S or SensorKind.CO or SensorKind.NH3 => baseline * 0.1,
        SensorKind.Cl2 => 0.005,
        SensorKind.O2 => 0.05,
        SensorKind.Temperature => 0.3,
        SensorKind.Pressure => 5.0,
        SensorKind.TankLevel => 0.2,
        _ => 0.0,
    };

    private double Normal(SensorDef sensor, DateTimeOffset ts)
    {
        var baseline = sensor.Baseline ?? DefaultBaseline(sensor.Kind);
        var seconds = (ts - _start).TotalSeconds;
        var hourOfDay = ts.UtcDateTime.TimeOfDay.TotalHours + 8; // Beijing time drives the daily cycle
        var cycle = Math.Sin(2 * Math.PI * (hourOfDay - 9) / 24);
        var noise = NoiseOf(sensor.Kind, baseline);
        var (daily, drift) = sensor.Kind switch
        {
            SensorKind.CombustibleLel => (0.3, 0.2),
            SensorKind.H2S or SensorKind.CO or SensorKind.NH3 => (baseline * 0.15, baseline * 0.05),
            SensorKind.Cl2 => (0.005, 0.002),
            SensorKind.O2 => (0.05, 0.02),
            SensorKind.Temperature => (5.0, 0.5),
            SensorKind.Pressure => (10.0, 5.0),
            SensorKind.TankLevel => (8.0, 1.0),
            _ => (0.0, 0.0),
        };
        var h = Hash((ulong)_options.Seed, (ulong)sensor.Index, (ulong)ts.ToUnixTimeMilliseconds());
        var gaussian = Gaussian(h);
        var phase = (Hash((ulong)_options.Seed, (ulong)sensor.Index, 0) % 1000) / 1000.0 * 2 * Math.PI;
        var slow = Math.Sin((seconds / 3600.0 * 2 * Math.PI / 6) + phase); // a six-hour wander
        return baseline + (noise * gaussian) + (daily * cycle) + (drift * slow);
    }

    private static double Envelope(double t, double duration)
    {
        // Ramp over the first half, hold for a quarter, decay over the last quarter.
        if (t <= 0 || t >= duration)
        {
            return 0;
        }

        var ramp = duration * 0.5;
        var hold = duration * 0.75;
        return t < ramp ? t / ramp : t < hold ? 1 : (duration - t) / (duration - hold);
    }

    /// <summary>The first hazard: a leak ramp short enough that a two-minute demo run sees it raised, escalated and resolved.</summary>
    private void ScheduleFirstHazard()
    {
        var start = _start + _options.FirstHazardAfter;
        if (CreateHazard(InjectedKind.LeakRamp, start, TimeSpan.FromSeconds(70)) is { } first)
        {
            Add(first);
        }
    }

    private void EnsureScheduled(DateTimeOffset until)
    {
        while (_scheduledUntil <= until)
        {
            var gap = -Math.Log(1 - _schedule.NextDouble()) * _options.EventEvery.TotalSeconds;
            _scheduledUntil += TimeSpan.FromSeconds(Math.Max(5, gap));
            var hazard = _schedule.NextDouble() < _options.HazardShare;
            var duration = TimeSpan.FromSeconds(60 + _schedule.Next(0, 180));
            var kind = hazard
                ? (InjectedKind)_schedule.Next(0, 4)
                : (InjectedKind)(4 + _schedule.Next(0, 4));
            var e = hazard ? CreateHazard(kind, _scheduledUntil, duration) : CreateFault(kind, _scheduledUntil, duration);
            if (e is not null)
            {
                Add(e);
            }
        }
    }

    private InjectedEvent? CreateHazard(InjectedKind kind, DateTimeOffset start, TimeSpan duration)
    {
        var site = _sites[_schedule.Next(_sites.Count)];
        var candidates = kind switch
        {
            InjectedKind.LeakRamp => site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel),
            InjectedKind.ToxicRelease => site.Sensors.Where(s => s.Kind.IsToxic()),
            InjectedKind.Overpressure => site.Sensors.Where(s => s.Kind == SensorKind.Pressure),
            _ => site.Sensors.Where(s => s.Kind is SensorKind.Temperature or SensorKind.CO),
        };
        var sensors = candidates.OrderBy(s => s.Index).ToList();
        if (sensors.Count == 0)
        {
            return null;
        }

        // The first sensor is where it starts; up to two neighbours follow.
        var primary = sensors[_schedule.Next(sensors.Count)];
        var chosen = new List<SensorDef> { primary };
        chosen.AddRange(sensors.Where(s => s != primary).Take(kind == InjectedKind.Fire ? 3 : _schedule.Next(0, 3)));
        var peak = kind switch
        {
            InjectedKind.LeakRamp => 60 + (_schedule.NextDouble() * 30),
            InjectedKind.ToxicRelease => 3 * (primary.Setpoints.SecondHigh ?? 10),
            InjectedKind.Overpressure => 1.25 * (primary.Setpoints.SecondHigh ?? 900) - (primary.Baseline ?? 600),
            _ => 90,
        };
        if (kind == InjectedKind.Fire && primary.Kind != SensorKind.Temperature)
        {
            chosen = [.. sensors.OrderBy(s => s.Kind == SensorKind.Temperature ? 0 : 1)];
        }

        return new InjectedEvent(kind, site, chosen, start, start + duration, peak);
    }

    private InjectedEvent? CreateFault(InjectedKind kind, DateTimeOffset start, TimeSpan duration)
    {
        var site = _sites[_schedule.Next(_sites.Count)];
        var sensors = site.Sensors.OrderBy(s => s.Index).ToArray();
        var sensor = sensors[_schedule.Next(sensors.Length)];
        var scale = sensor.Setpoints.SecondHigh ?? (sensor.Baseline ?? DefaultBaseline(sensor.Kind));
        // A calibration drift creeps a third of the way towards the first-level setpoint (down for oxygen deficiency).
        var span = RiskStream.Sensors.Features.SensorFeatures.Scale(sensor).Span;
        var (end, peak) = kind switch
        {
            InjectedKind.Spike => (start + SensorPeriod, 1.2 * scale),
            InjectedKind.Drift => (start + (duration * 3), span / 3),
            _ => (start + duration, 0.0),
        };
        return new InjectedEvent(kind, site, [sensor], start, end, peak);
    }

    private static ulong Hash(ulong a, ulong b, ulong c)
    {
        var h = (a * 0x9E3779B97F4A7C15UL) ^ (b + 0x632BE59BD9B4E019UL) ^ (c * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    private static double Gaussian(ulong h)
    {
        var u1 = ((h >> 11) + 1) * (1.0 / 9007199254740993.0);
        var u2 = (Hash(h, 1, 2) >> 11) * (1.0 / 9007199254740992.0);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
