namespace RiskStream.Core.Contracts;

/// <summary>National alarm level of a reading (GB/T 50493-2019 first/second-level alarm).</summary>
public enum AlarmLevel
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("none")] None = 0,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("first")] First = 1,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("second")] Second = 2,
}
