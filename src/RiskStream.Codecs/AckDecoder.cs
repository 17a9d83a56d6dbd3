using System.Text;
using System.Text.Json;
using RiskStream.Core.Contracts;

namespace RiskStream.Codecs;

/// <summary>Decodes an acknowledgement and checks it against the party its topic proves.</summary>
/// <remarks>Stateless apart from its limits: safe to share between lanes.</remarks>
public sealed class AckDecoder(InputLimits limits)
{
    /// <summary>Most actions one acknowledgement may report.</summary>
    public const int MaxActions = 32;

    /// <summary>The acknowledgement, or the reason and detail of its refusal.</summary>
    public (Acknowledgement? Ack, DeadLetterReason Reason, string Detail) Decode(byte[]? key, byte[] value, Party sender)
    {
        if (value.Length > limits.MaxAckBytes)
        {
            return (null, DeadLetterReason.Oversized, $"acknowledgement of {value.Length} bytes exceeds {limits.MaxAckBytes}");
        }

        Acknowledgement? ack;
        try
        {
            ack = JsonSerializer.Deserialize(value, ContractJson.Default.Acknowledgement);
        }
        catch (JsonException e)
        {
            return (null, DeadLetterReason.MalformedJson, e.Message);
        }
        catch (InvalidOperationException)
        {
            return (null, DeadLetterReason.MalformedJson, "a string holds an escape that is not valid UTF-16 (a lone surrogate)");
        }

        if (ack is null || string.IsNullOrWhiteSpace(ack.WarningId) || ack.Party is null || string.IsNullOrWhiteSpace(ack.Party.Id) || string.IsNullOrWhiteSpace(ack.By) || ack.Time == default)
        {
            return (null, DeadLetterReason.MissingField, "an acknowledgement needs warningId, party {type, id}, by and time");
        }

        if (ack.Party != sender)
        {
            return (null, DeadLetterReason.UnauthorisedParty, $"sent on the topic of {sender.Address()} but claims to be {ExternalText.Quote(ack.Party.Address())}");
        }

        if (TextProblem(ack) is { } problem)
        {
            return (null, DeadLetterReason.InvalidText, problem);
        }

        if (Incomplete(ack) is { } missing)
        {
            return (null, DeadLetterReason.InvalidResponse, missing);
        }

        // Warning ids are "<scenario>:<site>:<ms>"; acknowledgements are keyed by site like readings.
        var first = ack.WarningId.IndexOf(':', StringComparison.Ordinal);
        var last = ack.WarningId.LastIndexOf(':');
        var site = first > 0 && last > first ? ack.WarningId[(first + 1)..last] : null;
        if (site is null || key is null || !Encoding.UTF8.GetString(key).Equals(site, StringComparison.Ordinal))
        {
            return (null, DeadLetterReason.KeyMismatch, $"key must be the site of the warning ('{ExternalText.Quote(site ?? "?")}')");
        }

        return (ack, default, "");
    }

    /// <summary>What a kind of answer needs (acknowledgement.v2): the engine then checks it against the warning.</summary>
    private static string? Incomplete(Acknowledgement ack) => ack switch
    {
        _ when !Enum.IsDefined(ack.Kind) || (ack.Disposition is { } d && !Enum.IsDefined(d)) || (ack.Answer is { } x && !Enum.IsDefined(x)) => "kind, disposition and answer take their names, not numbers",
        _ => ack.Kind switch
        {
        ResponseKind.Dispose when ack.Disposition is null => "a dispose needs disposition (confirmed_hazard, false_alarm, maintenance, instrument_fault, drill or other)",
        ResponseKind.Shelve when ack.Sensor is null || ack.Until is null || string.IsNullOrWhiteSpace(ack.Text) => "a shelve needs sensor, until and text (the reason)",
        ResponseKind.Unshelve when ack.Sensor is null => "an unshelve needs sensor",
        ResponseKind.Assistance when ack.Capability is null || ack.Answer is null => "an assistance answer needs capability and answer (accept or decline)",
            _ => null,
        },
    };

    private string? TextProblem(Acknowledgement ack)
    {
        if (ExternalText.Problem(ack.Sensor, "sensor", limits.MaxNameChars) is { } sensor)
        {
            return sensor;
        }

        if (ExternalText.Problem(ack.Capability, "capability", limits.MaxNameChars) is { } capability)
        {
            return capability;
        }

        if (ExternalText.Problem(ack.WarningId, "warningId", limits.MaxNameChars) is { } id)
        {
            return id;
        }

        if (ExternalText.Problem(ack.By, "by", limits.MaxNameChars) is { } by)
        {
            return by;
        }

        if (ExternalText.Problem(ack.Text, "text", limits.MaxTextChars, multiline: true) is { } text)
        {
            return text;
        }

        if (ack.Actions is { Count: > MaxActions })
        {
            return $"{ack.Actions.Count} actions; at most {MaxActions} are accepted";
        }

        foreach (var action in ack.Actions ?? [])
        {
            if (ExternalText.Problem(action, "an action", limits.MaxNameChars * 2) is { } a)
            {
                return a;
            }
        }

        return null;
    }
}
