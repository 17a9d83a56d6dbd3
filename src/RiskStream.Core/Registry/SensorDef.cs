using System.Collections.Frozen;
using System.Text.Json;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>One sensor of a site, with the setpoints that apply to it.</summary>
public sealed class SensorDef
{
    internal SensorDef(string id, SiteDef site, SensorKind kind, Setpoints setpoints, double? baseline, int index, TimeSpan? reportingPeriod = null)
    {
        ReportingPeriod = reportingPeriod ?? DefaultReportingPeriod;
        Id = id;
        Site = site;
        Kind = kind;
        Setpoints = setpoints;
        Baseline = baseline;
        Index = index;
    }

    public string Id { get; }

    public SiteDef Site { get; }

    public SensorKind Kind { get; }

    public Setpoints Setpoints { get; }

    /// <summary>Typical value in normal operation (used by the simulator); null for the kind's default.</summary>
    public double? Baseline { get; }

    /// <summary>A sensor reports at least this often when nothing is wrong with it or its link; silence beyond it is a signal.</summary>
    public TimeSpan ReportingPeriod { get; }

    /// <summary>The reporting period where the registry names none.</summary>
    public static readonly TimeSpan DefaultReportingPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Dense index over all sensors of the registry, for array-backed state.</summary>
    public int Index { get; }

    public override string ToString() => $"{Site.Id}/{Id}";
}
