namespace RiskStream.Core.Contracts;

/// <summary>
/// HJ 212-2017's data flags, one per sensor and expected reporting period: what the period's data was.
/// </summary>
public enum DataFlag
{
    /// <summary>N: a valid reading the fault detector did not flag.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("normal")] Normal,

    /// <summary>D: readings came, but the anomaly model took them for a sensor fault.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("fault")] Fault,

    /// <summary>T: readings came outside the sensor's physical range (dead-lettered out_of_range).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("over_range")] OverRange,

    /// <summary>B: messages came that could not be read (dead-lettered for any other reason), or the whole site was silent.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("communication_fault")] CommunicationFault,

    /// <summary>M: nothing came while the sensor or site was declared out of service.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("maintenance")] Maintenance,

    /// <summary>C: nothing came during an out-of-service window declared for calibration.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("calibration")] Calibration,

    /// <summary>F: nothing came from this sensor while others of its site reported.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("stopped")] Stopped,
}

/// <summary>
/// Data quality of one scope over one window (topic <c>riskstream.dataquality</c>, schema data-quality.v1.json), as
/// China's hazardous-chemical monitoring manages sensor networks: access rate (接入率, the registry's sensors that
/// reported at all), online rate (在线率, expected reporting periods with a message), intact rate (完好率, periods
/// with a valid reading the fault detector did not flag), and the periods by HJ 212-2017 flag.
/// </summary>
public sealed record DataQuality(string Scope, string Id, string Window, DateTimeOffset From, DateTimeOffset Until, int Sensors, int Reporting, long Expected, double Access, double Online, double Intact)
{
    /// <summary>Expected periods by flag (its wire name: normal, fault, over_range, …); flags no period had are left out.</summary>
    public IReadOnlyDictionary<string, long> Flags { get; init; } = new Dictionary<string, long>();

    /// <summary>Each sensor of a site (site records only), or the ten worst by intact rate (other scopes).</summary>
    public IReadOnlyList<SensorQuality> SensorFigures { get; init; } = [];
}

/// <summary>One sensor's figures over the window and the flag most of its periods had.</summary>
public sealed record SensorQuality(string Site, string Sensor, long Expected, double Online, double Intact, DataFlag Mostly);
