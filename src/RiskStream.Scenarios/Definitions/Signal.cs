using System.Text.Json.Serialization;

namespace RiskStream.Scenarios.Definitions;

/// <summary>What a condition looks at; the wire name is what scenario files write after <c>signal:</c>.</summary>
public enum Signal
{
    /// <summary>National alarm level of a sensor: 0 none, 1 first, 2 second.</summary>
    [JsonStringEnumMemberName("alarm")]
    Alarm,

    /// <summary>Risk in [0, 1] from the served model.</summary>
    [JsonStringEnumMemberName("risk")]
    Risk,

    /// <summary>Value over the sensor's second-level setpoint (2 = twice the setpoint).</summary>
    [JsonStringEnumMemberName("ratio")]
    Ratio,

    /// <summary>Seconds since the sensor's last reading, against the site's newest reading.</summary>
    [JsonStringEnumMemberName("stale")]
    Stale,

    /// <summary>1 when the sensor's window holds at least five readings that are all the same value (stuck), else 0.</summary>
    [JsonStringEnumMemberName("flat")]
    Flat,

    /// <summary>A Raman identification at the site (hazard class, purpose, score).</summary>
    [JsonStringEnumMemberName("identification")]
    Identification,

    /// <summary>1 when the risk model's anomaly detector takes the sensor's latest reading for a sensor fault, else 0.</summary>
    [JsonStringEnumMemberName("anomaly")]
    Anomaly,

    /// <summary>
    /// Reporting periods (from the registry) since the sensor's last reading, against the site's clock, which keeps
    /// running on processing time when no reading comes: a sensor that never reported counts from when this instance
    /// took the site. A site that falls silent is a signal, not calm.
    /// </summary>
    [JsonStringEnumMemberName("silent")]
    Silent,

    /// <summary>
    /// The sensor's intact rate (HJ 212-2017's 完好率): the share of its reporting periods over the last hour (in
    /// five-minute buckets) that brought a valid reading the anomaly model did not flag; 1 until the sensor has been
    /// heard for an hour by this instance. A sensor whose faults come and go too briefly to hold any other condition shows here.
    /// </summary>
    [JsonStringEnumMemberName("intact")]
    Intact,

    /// <summary>The highest level (1 blue to 4 red, 0 none) of the site's other active warnings: a site-wide condition.</summary>
    [JsonStringEnumMemberName("site_warning")]
    SiteWarning,
}
