using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// The people's side of a warning: each party's answers under its role (acknowledge, receipt, dispose, shelve,
/// unshelve, assistance), and what time owes them (reminders, the disposition deadline, assistance requests that go
/// unanswered, shelves that expire, the close once a disposition is complete). Every accepted answer joins the
/// warning's audit trail; every step marks an event. What time owes a warning is in ResponseWorkflow.Timers.cs.
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed partial class ResponseWorkflow(AudienceResolver audiences, WarningMarks marks)
{
    /// <summary>Trail entries a warning keeps (the newest); older ones are counted.</summary>
    public const int MaxTrail = 64;

    /// <summary>Characters of a trail entry's detail (the rest of a long text is cut).</summary>
    public const int MaxTrailDetail = 200;

    /// <summary>Sensors one (scenario, site) may have shelved at once.</summary>
    public const int MaxShelves = 32;

    /// <summary>What each role may do (<see cref="ResponseRules"/>).</summary>
    public static bool Permitted(ResponseKind kind, ResponseRole role) => ResponseRules.Permitted(kind, role);

    /// <summary>The party's role in the warning, or null when it is not an audience.</summary>
    public static ResponseRole? RoleOf(ScenarioState s, Party party)
    {
        foreach (var a in s.Audiences)
        {
            if (a.Audience.Type == party.Type && a.Audience.Id == party.Id)
            {
                return RoleOf(a.Role);
            }
        }

        return null;
    }

    public static ResponseRole RoleOf(AudienceRole role) => role switch
    {
        AudienceRole.Jurisdiction or AudienceRole.Higher => ResponseRole.Regulator,
        AudienceRole.Owner => ResponseRole.Owner,
        AudienceRole.Neighbour => ResponseRole.Neighbour,
        _ => ResponseRole.Assisting,
    };

    /// <summary>A disposition is complete when it needs no confirmation (the warning never reached the policy's level) or has one.</summary>
    public static bool DispositionComplete(ScenarioState s) =>
        s.Disposition is { } d && (d.ConfirmedBy is not null || s.PeakLevel < s.Definition.Response.ConfirmFrom);

    /// <summary>Applies one answer of a party to a warning that is active or awaits its disposition.</summary>
    public AckRefusal Respond(ScenarioState s, Acknowledgement a, long now, out string detail)
    {
        detail = "";
        if (RoleOf(s, a.Party) is not { } role)
        {
            return AckRefusal.NotAnAudience;
        }

        if (Repeated(s, a))
        {
            return AckRefusal.Duplicate;
        }

        // An enterprise asked for assistance answers it whatever else it is to the warning (a neighbour, say).
        var asked = a.Kind == ResponseKind.Assistance && s.Assistance.Exists(r => r.Enterprise == a.Party.Id && a.Party.Type == PartyType.Enterprise && r.Status is AssistanceStatus.Requested or AssistanceStatus.Accepted);
        if (asked)
        {
            role = ResponseRole.Assisting;
        }

        if (!Permitted(a.Kind, role))
        {
            detail = $"{a.Party.Address()} is {role.Wire()} of warning {s.Id}: a {role.Wire()} may {Allowed(role)}, not {a.Kind.Wire()}";
            return AckRefusal.NotPermitted;
        }

        var refusal = a.Kind switch
        {
            ResponseKind.Acknowledge => Acknowledge(s, a, role),
            ResponseKind.Receipt => Receipt(s, a, role),
            ResponseKind.Dispose => Dispose(s, a, role, out detail),
            ResponseKind.Shelve => Shelve(s, a, role, now, out detail),
            ResponseKind.Unshelve => Unshelve(s, a, role, out detail),
            _ => AnswerAssistance(s, a, role, now, out detail),
        };
        return refusal;
    }

    /// <summary>Whether the sensor's contribution to the scenario is shelved at <paramref name="now"/>.</summary>
    public static bool IsShelved(ScenarioState s, string sensor, long now)
    {
        foreach (var shelf in s.Shelves)
        {
            if (shelf.Sensor == sensor && shelf.Until.ToUnixTimeMilliseconds() > now)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The owner and regulators who owe an acknowledgement and have not given one.</summary>
    public static IEnumerable<ResponseEntry> Unacknowledged(ScenarioState s) =>
        s.Responses.Where(r => r.Role is ResponseRole.Owner or ResponseRole.Regulator && r.AcknowledgedMs is null);

    /// <summary>Each audience's response as the event shows it; new audiences are notified now.</summary>
    public static IReadOnlyList<PartyResponse> Responses(ScenarioState s, IReadOnlyList<RoutedAudience> current, long now)
    {
        foreach (var a in current)
        {
            var party = new Party(a.Audience.Type, a.Audience.Id);
            if (!s.Responses.Exists(r => r.Party == party))
            {
                s.Responses.Add(new ResponseEntry(party, RoleOf(a.Role), now));
            }
        }

        var within = s.Definition.AckWithin(s.Level);
        return s.Responses.Select(r =>
        {
            long? due = r.Role is ResponseRole.Owner or ResponseRole.Regulator && within > TimeSpan.Zero && s.Active ? Math.Max(r.NotifiedMs, s.RaisedAtMs) + (long)within.TotalMilliseconds : null;
            var status = r.AcknowledgedMs is not null ? ResponseStatus.Acknowledged
                : due <= now ? ResponseStatus.Overdue
                : r.ReceivedMs is not null ? ResponseStatus.Received
                : ResponseStatus.Notified;
            return new PartyResponse(r.Party, r.Role, status, At(r.NotifiedMs))
            {
                ReceivedAt = r.ReceivedMs is { } rec ? At(rec) : null,
                AcknowledgedAt = r.AcknowledgedMs is { } ack ? At(ack) : null,
                DueAt = r.AcknowledgedMs is null && due is { } d ? At(d) : null,
            };
        }).ToArray();
    }

    private static string Allowed(ResponseRole role) => role switch
    {
        ResponseRole.Owner => "acknowledge, confirm receipt, dispose, shelve and unshelve",
        ResponseRole.Regulator => "acknowledge, confirm receipt, dispose (close or confirm) and unshelve",
        ResponseRole.Neighbour => "confirm receipt",
        _ => "confirm receipt and answer its assistance request",
    };

    /// <summary>An answer no newer than the same party's latest of the same kind is a repeat (a redelivery after a failover).</summary>
    private static bool Repeated(ScenarioState s, Acknowledgement a) => a.Kind switch
    {
        ResponseKind.Acknowledge => s.AckCounts.Exists(c => c.Party == a.Party && a.Time <= c.Last),
        ResponseKind.Receipt => s.Responses.Exists(r => r.Party == a.Party && r.ReceivedMs is not null), // one receipt per party
        _ => s.Trail.Exists(t => t.Party == a.Party && t.Action == a.Kind && a.Time <= t.Time && t.Subject == Subject(a)),
    };

    /// <summary>What an answer is about beyond its warning: the sensor shelved, the capability answered.</summary>
    private static string? Subject(Acknowledgement a) => a.Kind switch
    {
        ResponseKind.Shelve or ResponseKind.Unshelve => a.Sensor,
        ResponseKind.Assistance => a.Capability,
        _ => null,
    };

    private AckRefusal Acknowledge(ScenarioState s, Acknowledgement a, ResponseRole role)
    {
        var record = new AckRecord(a.Party, a.By, a.Time, a.Text) { Actions = a.Actions };
        var latest = s.Acks.FindIndex(x => x.Party == a.Party);
        if (latest >= 0)
        {
            s.Acks[latest] = record;
        }
        else
        {
            s.Acks.Add(record);
        }

        var count = s.AckCounts.FindIndex(c => c.Party == a.Party);
        s.AckCounts.Add(count < 0 ? new AckSummary(a.Party, 1, a.Time, a.Time) : s.AckCounts[count] with { Count = s.AckCounts[count].Count + 1, Last = a.Time });
        if (count >= 0)
        {
            s.AckCounts.RemoveAt(count);
        }

        Update(s, a.Party, r => r with { AcknowledgedMs = r.AcknowledgedMs ?? a.Time.ToUnixTimeMilliseconds(), ReceivedMs = r.ReceivedMs ?? a.Time.ToUnixTimeMilliseconds() });
        AddTrail(s, a, role, a.Text ?? "acknowledged");

        // The owner's or a regulator's acknowledgement stops escalation and clears the escalated floor.
        s.Floor = 0;
        marks.Mark(s, WarningStatus.Acknowledged, $"acknowledged by the {role.Wire()} {a.Party.Address()} ({a.By})");
        return AckRefusal.None;
    }

    private AckRefusal Receipt(ScenarioState s, Acknowledgement a, ResponseRole role)
    {
        Update(s, a.Party, r => r with { ReceivedMs = r.ReceivedMs ?? a.Time.ToUnixTimeMilliseconds() });
        AddTrail(s, a, role, a.Text ?? "received");
        marks.Mark(s, WarningStatus.Updated, $"receipt confirmed by the {role.Wire()} {a.Party.Address()} ({a.By})");
        return AckRefusal.None;
    }

    private AckRefusal Dispose(ScenarioState s, Acknowledgement a, ResponseRole role, out string detail)
    {
        detail = "";
        if (a.Disposition is not { } reason)
        {
            detail = "a dispose needs a disposition reason";
            return AckRefusal.Invalid;
        }

        if (role == ResponseRole.Owner && s.Disposition is { ConfirmedBy: not null })
        {
            detail = $"the regulator {s.Disposition.ConfirmedBy.Address()} has decided the disposition already";
            return AckRefusal.NotPermitted;
        }

        if (role == ResponseRole.Owner)
        {
            s.Disposition = new Disposition(reason, a.Party, role, a.By, a.Time, Bounded(a.Text)) { Actions = a.Actions?.Take(8).Select(Cut).ToArray() };
        }
        else if (s.Disposition is { Role: ResponseRole.Owner, ConfirmedBy: null } owners)
        {
            // The regulator confirms the owner's disposition; its reason is the final word.
            s.Disposition = owners with { Reason = reason, ConfirmedBy = a.Party, ConfirmedByName = a.By, ConfirmedAt = a.Time };
        }
        else
        {
            s.Disposition = new Disposition(reason, a.Party, role, a.By, a.Time, Bounded(a.Text)) { Actions = a.Actions?.Take(8).Select(Cut).ToArray(), ConfirmedBy = a.Party, ConfirmedByName = a.By, ConfirmedAt = a.Time };
        }

        AddTrail(s, a, role, $"{reason.Wire()}{(a.Text is { Length: > 0 } t ? ": " + t : "")}");
        var what = $"disposed as {reason.Wire()} by the {role.Wire()} {a.Party.Address()} ({a.By})";
        if (!s.Active && DispositionComplete(s))
        {
            s.Closing = false;
            marks.Mark(s, WarningStatus.Closed, what);
        }
        else
        {
            var waiting = DispositionComplete(s) ? "" : $"; awaiting the regulator's confirmation (the warning reached {s.PeakLevel.Wire()})";
            marks.Mark(s, WarningStatus.Updated, what + waiting + (s.Active ? "; it closes once the condition has cleared" : ""));
        }

        return AckRefusal.None;
    }

    private AckRefusal Shelve(ScenarioState s, Acknowledgement a, ResponseRole role, long now, out string detail)
    {
        detail = "";
        var policy = s.Definition.Response;
        var max = policy.ShelveMax[(int)s.Level];
        if (max <= TimeSpan.Zero)
        {
            detail = $"no shelving at {s.Level.Wire()} ({s.Definition.Id})";
            return AckRefusal.NotPermitted;
        }

        if (a.Sensor is not { } sensor || a.Until is not { } until || a.Text is not { Length: > 0 } reason)
        {
            detail = "a shelve needs sensor, until and text (the reason)";
            return AckRefusal.Invalid;
        }

        if (!s.Site.Slots.Any(x => x.Sensor.Id == sensor && s.Definition.Kinds.Contains(x.Sensor.Kind)))
        {
            detail = $"scenario {s.Definition.Id} watches no sensor '{sensor}' at site {s.Site.Def.Id}";
            return AckRefusal.Invalid;
        }

        var untilMs = until.ToUnixTimeMilliseconds();
        if (untilMs <= now || untilMs - now > (long)max.TotalMilliseconds)
        {
            detail = $"until {Time(until)} must lie after now ({Time(At(now))}) and at most {max} ahead at {s.Level.Wire()}";
            return AckRefusal.Invalid;
        }

        s.Shelves.RemoveAll(x => x.Sensor == sensor);
        if (s.Shelves.Count >= MaxShelves)
        {
            detail = $"{MaxShelves} sensors are shelved already";
            return AckRefusal.Invalid;
        }

        s.Shelves.Add(new Shelf(sensor, a.Party, a.By, At(now), until, Cut(reason)));
        AddTrail(s, a, role, $"{sensor} until {Time(until)}: {reason}");
        marks.Mark(s, WarningStatus.Updated, $"{sensor} shelved until {Time(until)} by the {role.Wire()} {a.Party.Address()} ({a.By}): {reason}; a second-level alarm still counts");
        return AckRefusal.None;
    }

    private AckRefusal Unshelve(ScenarioState s, Acknowledgement a, ResponseRole role, out string detail)
    {
        detail = "";
        if (a.Sensor is not { } sensor || s.Shelves.RemoveAll(x => x.Sensor == sensor) == 0)
        {
            detail = $"sensor '{a.Sensor}' is not shelved in {s.Id}";
            return AckRefusal.Invalid;
        }

        AddTrail(s, a, role, $"{sensor}{(a.Text is { Length: > 0 } t ? ": " + t : "")}");
        marks.Mark(s, WarningStatus.Updated, $"{sensor} unshelved by the {role.Wire()} {a.Party.Address()} ({a.By}): it counts again");
        return AckRefusal.None;
    }

    private AckRefusal AnswerAssistance(ScenarioState s, Acknowledgement a, ResponseRole role, long now, out string detail)
    {
        detail = "";
        var index = s.Assistance.FindIndex(r => r.Capability == a.Capability && r.Enterprise == a.Party.Id && r.Status is AssistanceStatus.Requested or AssistanceStatus.Accepted);
        if (index < 0 || a.Answer is not { } answer)
        {
            detail = $"{a.Party.Address()} has no open request for '{a.Capability}' in {s.Id} (an answer needs capability and answer)";
            return AckRefusal.Invalid;
        }

        var request = s.Assistance[index] with { AnsweredAt = a.Time, By = a.By, Text = a.Text };
        if (answer == AssistanceAnswer.Accept)
        {
            s.Assistance[index] = request with { Status = AssistanceStatus.Accepted, Eta = a.Eta };
            AddTrail(s, a, role, $"accepts {request.Capability}{(a.Eta is { } eta ? ", ETA " + Time(eta) : "")}");
            marks.Mark(s, WarningStatus.Updated, $"assistance: {a.Party.Id} ({a.By}) accepts {request.Capability}{(a.Eta is { } e ? ", ETA " + Time(e) : "")}");
            return AckRefusal.None;
        }

        s.Assistance[index] = request with { Status = AssistanceStatus.Declined };
        AddTrail(s, a, role, $"declines {request.Capability}{(a.Text is { Length: > 0 } t ? ": " + t : "")}");
        MoveOn(s, request.Capability, now, $"assistance: {a.Party.Id} ({a.By}) declines {request.Capability}{(a.Text is { Length: > 0 } why ? " (" + why + ")" : "")}");
        return AckRefusal.None;
    }

    /// <summary>The parties who owe an acknowledgement, in words.</summary>
    public static string Owing(ScenarioState s)
    {
        var owing = Unacknowledged(s).Select(r => $"{r.Role.Wire()} {r.Party.Address()}").ToList();
        return owing.Count > 0 ? string.Join(", ", owing) : "the owner and the regulator";
    }

    private static void Update(ScenarioState s, Party party, Func<ResponseEntry, ResponseEntry> change)
    {
        var i = s.Responses.FindIndex(r => r.Party == party);
        if (i >= 0)
        {
            s.Responses[i] = change(s.Responses[i]);
        }
    }

    private static void AddTrail(ScenarioState s, Acknowledgement a, ResponseRole role, string detail)
    {
        if (s.Trail.Count >= MaxTrail)
        {
            // Full: the oldest entry goes, but never an acknowledgement or a disposition while others can.
            var drop = s.Trail.FindIndex(t => t.Action is not (ResponseKind.Acknowledge or ResponseKind.Dispose));
            s.Trail.RemoveAt(drop >= 0 ? drop : 0);
            s.TrailOmitted++;
        }

        // The trail keeps what was done; a long text stays whole in the party's latest acknowledgement only.
        s.Trail.Add(new TrailEntry(a.Time, a.Party, role, a.By, a.Kind, Cut(detail)) { Subject = Subject(a) });
    }

    /// <summary>A free text kept in a warning's record: at most 500 characters (the state record stays bounded).</summary>
    private static string? Bounded(string? text) => text is { Length: > 500 } ? text[..500] + "…" : text;

    private static string Cut(string text) => text.Length > MaxTrailDetail ? text[..MaxTrailDetail] + "…" : text;

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
