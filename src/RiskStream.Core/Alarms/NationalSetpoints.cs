using RiskStream.Core.Contracts;

namespace RiskStream.Core.Alarms;

/// <summary>
/// National defaults: GB/T 50493-2019 clause 5.5.2 (combustible gas ≤ 25 / ≤ 50 %LEL; toxic gas ≤ 100 / ≤ 200 %OEL;
/// oxygen deficiency 19.5 and enrichment 23.5 %vol) with OELs from GBZ 2.1-2019 converted to ppm at 20 °C.
/// Read from secondary sources: a site's configuration overrides them (README, "Alarm setpoints").
/// </summary>
internal static class NationalSetpoints
{
    /// <summary>OEL in ppm at 20 °C (MAC where one exists, else PC-TWA).</summary>
    public static double OccupationalExposureLimitPpm(SensorKind kind) => kind switch
    {
        SensorKind.H2S => 10 * SensorKinds.MolarVolume20C / 34.08, // MAC 10 mg/m³ ≈ 7.05 ppm
        SensorKind.CO => 20 * SensorKinds.MolarVolume20C / 28.01, // PC-TWA 20 mg/m³ ≈ 17.2 ppm
        SensorKind.NH3 => 20 * SensorKinds.MolarVolume20C / 17.03, // PC-TWA 20 mg/m³ ≈ 28.2 ppm
        SensorKind.Cl2 => 1 * SensorKinds.MolarVolume20C / 70.90, // MAC 1 mg/m³ ≈ 0.339 ppm
        _ => double.NaN,
    };

    /// <summary>The default setpoints of a kind; kinds without a national setpoint get <see cref="Setpoints.None"/>.</summary>
    public static Setpoints For(SensorKind kind) => kind switch
    {
        SensorKind.CombustibleLel => new Setpoints(25, 50),
        SensorKind.H2S or SensorKind.CO or SensorKind.NH3 or SensorKind.Cl2 =>
            new Setpoints(OccupationalExposureLimitPpm(kind), 2 * OccupationalExposureLimitPpm(kind)),
        // The standard gives one setpoint each way; an oxygen alarm is acted on at once, so both are second level.
        SensorKind.O2 => new Setpoints(null, 23.5, null, 19.5),
        _ => Setpoints.None,
    };
}
