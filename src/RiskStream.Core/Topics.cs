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

    public static string GovernmentWarnings(string jurisdiction) => $"riskstream.warnings.gov.{jurisdiction}";

    public static string EnterpriseWarnings(string enterprise) => $"riskstream.warnings.ent.{enterprise}";

    public static string GovernmentAcks(string jurisdiction) => $"riskstream.acks.gov.{jurisdiction}";

    public static string EnterpriseAcks(string enterprise) => $"riskstream.acks.ent.{enterprise}";
}
