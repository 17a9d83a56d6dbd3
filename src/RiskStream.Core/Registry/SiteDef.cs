using System.Collections.Frozen;
using System.Text.Json;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>A site (plant, tank farm, warehouse) with its owner, jurisdiction, location and sensors.</summary>
public sealed class SiteDef
{
    private FrozenDictionary<string, SensorDef> _sensors = FrozenDictionary<string, SensorDef>.Empty;
    private FrozenDictionary<string, SensorDef>.AlternateLookup<ReadOnlySpan<char>> _sensorLookup;

    internal SiteDef(string id, string name, Enterprise enterprise, Jurisdiction jurisdiction, double lat, double lon, string? majorHazard, int index)
    {
        Id = id;
        Name = name;
        Enterprise = enterprise;
        Jurisdiction = jurisdiction;
        Lat = lat;
        Lon = lon;
        MajorHazard = majorHazard;
        Index = index;
        _sensorLookup = _sensors.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Id { get; }

    public string Name { get; }

    public Enterprise Enterprise { get; }

    public Jurisdiction Jurisdiction { get; }

    public double Lat { get; }

    public double Lon { get; }

    public string? MajorHazard { get; }

    public int Index { get; }

    public IReadOnlyCollection<SensorDef> Sensors => _sensors.Values;

    public bool TryGetSensor(ReadOnlySpan<char> id, out SensorDef sensor) => _sensorLookup.TryGetValue(id, out sensor!);

    internal void SetSensors(Dictionary<string, SensorDef> sensors)
    {
        _sensors = sensors.ToFrozenDictionary(StringComparer.Ordinal);
        _sensorLookup = _sensors.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
