using System.Text.Json.Serialization;

namespace RiskStream.Core.Contracts;

/// <summary>What a sensor measures. The wire name (snake case) is part of the reading contract.</summary>
public enum SensorKind
{
    [JsonStringEnumMemberName("combustible_lel")] CombustibleLel,
    [JsonStringEnumMemberName("h2s")] H2S,
    [JsonStringEnumMemberName("co")] CO,
    [JsonStringEnumMemberName("nh3")] NH3,
    [JsonStringEnumMemberName("cl2")] Cl2,
    [JsonStringEnumMemberName("o2")] O2,
    [JsonStringEnumMemberName("temperature")] Temperature,
    [JsonStringEnumMemberName("pressure")] Pressure,
    [JsonStringEnumMemberName("tank_level")] TankLevel,
}
