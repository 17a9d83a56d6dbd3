using RiskStream.Core.Contracts;

namespace RiskStream.Core;

/// <summary>Names of the Kafka topics that make up RiskStream's contract.</summary>
public static class Topics
{
    public const string Readings = "riskstream.readings";
    public const string Spectra = "riskstream.spectra";
    public const string Scores = "riskstream.scores";
    public const string Identifications = "riskstream.identifications";
    public const string Warnings = "riskstream.warnings";
    public const string WarningState = "riskstream.warning-state";
    public const string DeadLetter = "riskstream.deadletter";
    public const string Cap = "riskstream.cap";

    /// <summary>Alarm-performance and data-quality figures per scope and window (riskstream kpis).</summary>
    public const string Kpis = "riskstream.kpis";

    /// <summary>Data quality (access, online, intact rates, HJ 212 flags) per scope and window (riskstream kpis).</summary>
    public const string DataQuality = "riskstream.dataquality";

    /// <summary>Disposed warnings as training labels, keyed by warning id (riskstream kpis).</summary>
    public const string Labels = "riskstream.labels";

    /// <summary>A party's own warning topic (JSON events): <c>riskstream.warnings.{gov,ent}.&lt;id&gt;</c>.</summary>
    public static string WarningsOf(Contracts.PartyType type, string id) => $"riskstream.warnings.{type.Wire()}.{id}";

    /// <summary>A party's own CAP topic: <c>riskstream.cap.{gov,ent}.&lt;id&gt;</c>.</summary>
    public static string CapOf(Contracts.PartyType type, string id) => $"riskstream.cap.{type.Wire()}.{id}";

    /// <summary>A party's own acknowledgement topic, whose ACL proves the sender: <c>riskstream.acks.{gov,ent}.&lt;id&gt;</c>.</summary>
    public static string AcksOf(Contracts.PartyType type, string id) => $"riskstream.acks.{type.Wire()}.{id}";

    public static string GovernmentWarnings(string jurisdiction) => WarningsOf(Contracts.PartyType.Government, jurisdiction);

    public static string EnterpriseWarnings(string enterprise) => WarningsOf(Contracts.PartyType.Enterprise, enterprise);

    public static string GovernmentCap(string jurisdiction) => CapOf(Contracts.PartyType.Government, jurisdiction);

    public static string EnterpriseCap(string enterprise) => CapOf(Contracts.PartyType.Enterprise, enterprise);

    public static string GovernmentAcks(string jurisdiction) => AcksOf(Contracts.PartyType.Government, jurisdiction);

    public static string EnterpriseAcks(string enterprise) => AcksOf(Contracts.PartyType.Enterprise, enterprise);

    /// <summary>Every topic RiskStream reads or writes for a registry: what a cluster must have (same partition count).</summary>
    public static IEnumerable<string> All(Registry.ParkRegistry registry)
    {
        string[] fixedTopics = [Readings, Spectra, Scores, Identifications, Warnings, WarningState, DeadLetter, Cap, Kpis, DataQuality, Labels];
        return fixedTopics
            .Concat(registry.Jurisdictions.Keys.Order(StringComparer.Ordinal).SelectMany(j => new[] { GovernmentWarnings(j), GovernmentCap(j), GovernmentAcks(j) }))
            .Concat(registry.Enterprises.Keys.Order(StringComparer.Ordinal).SelectMany(e => new[] { EnterpriseWarnings(e), EnterpriseCap(e), EnterpriseAcks(e) }));
    }

    /// <summary>The acknowledgement topics of a registry and the party each one proves.</summary>
    public static IReadOnlyDictionary<string, Contracts.Party> AckTopics(Registry.ParkRegistry registry) =>
        registry.Jurisdictions.Keys.Select(j => (GovernmentAcks(j), new Contracts.Party(Contracts.PartyType.Government, j)))
            .Concat(registry.Enterprises.Keys.Select(e => (EnterpriseAcks(e), new Contracts.Party(Contracts.PartyType.Enterprise, e))))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
}
