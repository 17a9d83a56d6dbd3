using System.Text.Json;
using RiskStream.Core.Contracts;

namespace RiskStream.Pipeline;

/// <summary>Decodes an acknowledgement and checks it against the party its topic proves.</summary>
internal static class AckDecoder
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The acknowledgement, or the reason and detail of its refusal.</summary>
    public static (Acknowledgement? Ack, DeadLetterReason Reason, string Detail) Decode(byte[]? key, byte[] value, Party sender)
    {
        if (value.Length > MaxBytes)
        {
            return (null, DeadLetterReason.Oversized, $"acknowledgement of {value.Length} bytes exceeds {MaxBytes}");
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

        if (ack is null || string.IsNullOrWhiteSpace(ack.WarningId) || ack.Party is null || string.IsNullOrWhiteSpace(ack.Party.Id) || string.IsNullOrWhiteSpace(ack.By) || ack.Time == default)
        {
            return (null, DeadLetterReason.MissingField, "an acknowledgement needs warningId, party {type, id}, by and time");
        }

        if (ack.Party != sender)
        {
            return (null, DeadLetterReason.UnauthorisedParty, $"sent on the topic of {Name(sender)} but claims to be {Name(ack.Party)}");
        }

        // Warning ids are "<scenario>:<site>:<ms>"; acknowledgements are keyed by site like readings.
        var first = ack.WarningId.IndexOf(':', StringComparison.Ordinal);
        var last = ack.WarningId.LastIndexOf(':');
        var site = first > 0 && last > first ? ack.WarningId[(first + 1)..last] : null;
        if (site is null || key is null || !System.Text.Encoding.UTF8.GetString(key).Equals(site, StringComparison.Ordinal))
        {
            return (null, DeadLetterReason.KeyMismatch, $"key must be the site of the warning ('{site ?? "?"}')");
        }

        return (ack, default, "");
    }

    public static string Name(Party p) => $"{(p.Type == PartyType.Government ? "gov" : "ent")}:{p.Id}";
}
