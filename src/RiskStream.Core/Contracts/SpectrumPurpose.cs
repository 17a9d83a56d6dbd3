namespace RiskStream.Core.Contracts;

/// <summary>Why a spectrum was taken.</summary>
public enum SpectrumPurpose
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("hidden_danger")] HiddenDanger,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("accident")] Accident,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("monitoring")] Monitoring,
}
