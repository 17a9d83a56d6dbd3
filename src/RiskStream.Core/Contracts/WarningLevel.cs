namespace RiskStream.Core.Contracts;

/// <summary>China's four warning levels; red (I) is the highest.</summary>
public enum WarningLevel
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("blue")] Blue = 1,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("yellow")] Yellow = 2,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("orange")] Orange = 3,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("red")] Red = 4,
}
