using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Simulation;

/// <summary>Registries of any size, for benchmarks and load tests: one jurisdiction tree, N sites of M sensors.</summary>
public static class SyntheticPark
{
    private static readonly SensorKind[] Mix =
    [
        SensorKind.CombustibleLel, SensorKind.CombustibleLel, SensorKind.CombustibleLel, SensorKind.H2S, SensorKind.CO,
        SensorKind.O2, SensorKind.Temperature, SensorKind.Pressure, SensorKind.NH3, SensorKind.TankLevel,
    ];

    public static ParkRegistry Create(int sites, int sensorsPerSite)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sites, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sensorsPerSite, 1);
        var enterprises = Enumerable.Range(0, Math.Max(1, sites / 10))
            .Select(i => new EnterpriseDocument($"E{i:D4}", $"Synthetic enterprise {i}", null, [], []))
            .ToArray();
        var siteDocs = Enumerable.Range(0, sites).Select(i => new SiteDocument(
            SiteId(i),
            $"Synthetic site {i}",
            enterprises[i % enterprises.Length].Id,
            "SYN-PARK",
            30 + ((i % 100) * 0.001),
            121 + ((i / 100) * 0.001),
            null,
            Enumerable.Range(0, sensorsPerSite).Select(k => new SensorDocument(SensorId(k), Mix[k % Mix.Length], Setpoints(Mix[k % Mix.Length]), null)).ToArray()))
            .ToArray();
        var doc = new RegistryDocument(
            $"synthetic {sites}x{sensorsPerSite}",
            [new JurisdictionDocument("SYN", "Synthetic city", "city", null, "999999"), new JurisdictionDocument("SYN-PARK", "Synthetic park", "park", "SYN", "999999")],
            enterprises,
            siteDocs);
        return ParkRegistry.FromDocument(doc, "synthetic");
    }

    public static string SiteId(int i) => $"SYN-S{i:D5}";

    public static string SensorId(int k) => $"X{k:D3}";

    private static SetpointsDocument? Setpoints(SensorKind kind) => kind switch
    {
        SensorKind.Temperature => new SetpointsDocument(60, 80, null, null),
        SensorKind.Pressure => new SetpointsDocument(800, 900, null, null),
        SensorKind.TankLevel => new SetpointsDocument(85, 95, null, null),
        _ => null,
    };
}
