namespace RiskStream.Core.Contracts;

/// <summary>What each role may answer (the engine enforces it; the duty console offers only these).</summary>
public static class ResponseRules
{
    public static bool Permitted(ResponseKind kind, ResponseRole role) => kind switch
    {
        ResponseKind.Acknowledge or ResponseKind.Dispose => role is ResponseRole.Owner or ResponseRole.Regulator,
        ResponseKind.Receipt => true,
        ResponseKind.Shelve => role == ResponseRole.Owner,
        ResponseKind.Unshelve => role is ResponseRole.Owner or ResponseRole.Regulator,
        ResponseKind.Assistance => role == ResponseRole.Assisting,
        _ => false,
    };

    /// <summary>The party's role in a warning as its event shows it (its response entry; else from the event's fields).</summary>
    public static ResponseRole RoleOf(WarningEvent e, Party party) =>
        e.Responses?.FirstOrDefault(r => r.Party == party)?.Role
        ?? (party.Type == PartyType.Government ? ResponseRole.Regulator
            : party.Id == e.Enterprise ? ResponseRole.Owner
            : e.Assistance?.Any(a => a.Enterprise == party.Id) == true ? ResponseRole.Assisting
            : ResponseRole.Neighbour);
}
