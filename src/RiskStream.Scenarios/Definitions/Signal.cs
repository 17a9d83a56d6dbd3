using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>What a condition looks at.</summary>
public enum Signal
{
    /// <summary>National alarm level of a sensor: 0 none, 1 first, 2 second.</summary>
    Alarm,

    /// <summary>Risk in [0, 1] from the served model.</summary>
    Risk,

    /// <summary>Value over the sensor's second-level setpoint (2 = twice the setpoint).</summary>
    Ratio,

    /// <summary>Seconds since the sensor's last reading, against the site's newest reading.</summary>
    Stale,

    /// <summary>1 when the sensor's window holds at least five readings that are all the same value (stuck), else 0.</summary>
    Flat,

    /// <summary>A Raman identification at the site (hazard class, purpose, score).</summary>
    Identification,

    /// <summary>1 when the risk model's anomaly detector takes the sensor's latest reading for a sensor fault, else 0.</summary>
    Anomaly,
}
