using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios;

/// <summary>Names of the built-in scenarios a sensor kind feeds.</summary>
public static class ScenarioNames
{
    public const string CombustibleGasLeak = "combustible_gas_leak";
    public const string ToxicGasRelease = "toxic_gas_release";
    public const string OxygenAbnormal = "oxygen_abnormal";
    public const string Fire = "fire";
    public const string Overpressure = "overpressure";
    public const string TankOverfill = "tank_overfill";

    public static string For(SensorKind kind) => kind switch
    {
        SensorKind.CombustibleLel => CombustibleGasLeak,
        SensorKind.H2S or SensorKind.CO or SensorKind.NH3 or SensorKind.Cl2 => ToxicGasRelease,
        SensorKind.O2 => OxygenAbnormal,
        SensorKind.Temperature => Fire,
        SensorKind.Pressure => Overpressure,
        SensorKind.TankLevel => TankOverfill,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Dense index of a kind's scenario, for array-backed state.</summary>
    public static int IndexOf(SensorKind kind) => kind switch
    {
        SensorKind.CombustibleLel => 0,
        SensorKind.H2S or SensorKind.CO or SensorKind.NH3 or SensorKind.Cl2 => 1,
        SensorKind.O2 => 2,
        SensorKind.Temperature => 3,
        SensorKind.Pressure => 4,
        _ => 5,
    };

    public const int Count = 6;
}
