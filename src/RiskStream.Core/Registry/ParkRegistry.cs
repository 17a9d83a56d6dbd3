using System.Collections.Frozen;
using System.Text.Json;
using RiskStream.Core.Alarms;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

/// <summary>
/// The registry of jurisdictions, enterprises, sites and sensors, validated at load. Immutable and safe to share
/// between threads; look-ups by <see cref="ReadOnlySpan{T}"/> do not allocate.
/// </summary>
public sealed class ParkRegistry
{
    private readonly FrozenDictionary<string, SiteDef> _sites;
    private readonly FrozenDictionary<string, SiteDef>.AlternateLookup<ReadOnlySpan<char>> _siteLookup;

    private ParkRegistry(
        string name,
        FrozenDictionary<string, Jurisdiction> jurisdictions,
        FrozenDictionary<string, Enterprise> enterprises,
        FrozenDictionary<string, SiteDef> sites,
        IReadOnlyList<SiteDef> siteList,
        int sensorCount,
        IReadOnlyList<AssistanceAgreement> agreements)
    {
        Agreements = agreements;
        Name = name;
        Jurisdictions = jurisdictions;
        Enterprises = enterprises;
        _sites = sites;
        _siteLookup = sites.GetAlternateLookup<ReadOnlySpan<char>>();
        SiteList = siteList;
        SensorCount = sensorCount;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, Jurisdiction> Jurisdictions { get; }

    public IReadOnlyDictionary<string, Enterprise> Enterprises { get; }

    public IReadOnlyDictionary<string, SiteDef> Sites => _sites;

    /// <summary>Sites in file order (index order).</summary>
    public IReadOnlyList<SiteDef> SiteList { get; }

    public int SensorCount { get; }

    public IReadOnlyList<AssistanceAgreement> Agreements { get; }

    /// <summary>
    /// The agreements that oblige enterprises to lend <paramref name="capability"/> in <paramref name="jurisdiction"/>:
    /// those of the nearest jurisdiction up its ancestry that has any.
    /// </summary>
    public IReadOnlyList<AssistanceAgreement> EngagedFor(Jurisdiction jurisdiction, string capability)
    {
        foreach (var j in Ancestry(jurisdiction))
        {
            var found = Agreements.Where(a => a.Jurisdiction == j.Id && a.Capability == capability).ToArray();
            if (found.Length > 0)
            {
                return found;
            }
        }

        return [];
    }

    /// <summary>Sites of other enterprises within <paramref name="radiusM"/> metres of <paramref name="site"/>.</summary>
    public IEnumerable<SiteDef> Neighbours(SiteDef site, double radiusM) =>
        SiteList.Where(o => o.Enterprise.Id != site.Enterprise.Id && DistanceM(site.Lat, site.Lon, o.Lat, o.Lon) <= radiusM);

    /// <summary>Great-circle distance in metres (haversine, mean Earth radius).</summary>
    public static double DistanceM(double lat1, double lon1, double lat2, double lon2)
    {
        const double r = 6_371_008.8;
        var dLat = double.DegreesToRadians(lat2 - lat1);
        var dLon = double.DegreesToRadians(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(double.DegreesToRadians(lat1)) * Math.Cos(double.DegreesToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * r * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public bool TryGetSite(ReadOnlySpan<char> id, out SiteDef site) => _siteLookup.TryGetValue(id, out site!);

    /// <summary>The jurisdiction and its ancestors, nearest first.</summary>
    public IEnumerable<Jurisdiction> Ancestry(Jurisdiction jurisdiction)
    {
        for (Jurisdiction? j = jurisdiction; j is not null; j = j.Parent is null ? null : Jurisdictions[j.Parent])
        {
            yield return j;
        }
    }

    public static ParkRegistry Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RegistryException($"registry file '{path}' does not exist");
        }

        RegistryDocument? doc;
        try
        {
            using var stream = File.OpenRead(path);
            doc = JsonSerializer.Deserialize(stream, RegistryJson.Default.RegistryDocument);
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }

        return FromDocument(doc ?? throw new RegistryException($"{path}: empty registry"), path);
    }

    public static ParkRegistry FromDocument(RegistryDocument doc, string source = "registry")
    {
        var errors = new List<string>();
        var jurisdictions = new Dictionary<string, Jurisdiction>(StringComparer.Ordinal);
        foreach (var j in doc.Jurisdictions ?? [])
        {
            if (string.IsNullOrWhiteSpace(j.Id))
            {
                errors.Add("jurisdiction with an empty id");
            }
            else if (!jurisdictions.TryAdd(j.Id, new Jurisdiction(j.Id, j.Name, j.Level, j.Parent, j.RegionCode) { OrgCode = j.OrgCode }))
            {
                errors.Add($"jurisdiction '{j.Id}' is declared twice");
            }
        }

        foreach (var j in jurisdictions.Values)
        {
            if (j.Parent is not null && !jurisdictions.ContainsKey(j.Parent))
            {
                errors.Add($"jurisdiction '{j.Id}': parent '{j.Parent}' is not declared");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var cur = j; cur?.Parent is not null; cur = jurisdictions.GetValueOrDefault(cur.Parent))
            {
                if (!seen.Add(cur.Id))
                {
                    errors.Add($"jurisdiction '{j.Id}': its parents form a cycle");
                    break;
                }
            }
        }

        var enterprises = new Dictionary<string, Enterprise>(StringComparer.Ordinal);
        foreach (var e in doc.Enterprises ?? [])
        {
            if (string.IsNullOrWhiteSpace(e.Id))
            {
                errors.Add("enterprise with an empty id");
            }
            else if (!enterprises.TryAdd(e.Id, new Enterprise(e.Id, e.Name, e.OrgCode, e.Capabilities ?? [])))
            {
                errors.Add($"enterprise '{e.Id}' is declared twice");
            }
        }

        var sites = new Dictionary<string, SiteDef>(StringComparer.Ordinal);
        var siteList = new List<SiteDef>();
        var sensorIndex = 0;
        foreach (var s in doc.Sites ?? [])
        {
            var where = $"site '{s.Id}'";
            if (string.IsNullOrWhiteSpace(s.Id))
            {
                errors.Add("site with an empty id");
                continue;
            }

            if (!enterprises.TryGetValue(s.Enterprise ?? "", out var owner))
            {
                errors.Add($"{where}: enterprise '{s.Enterprise}' is not declared");
                continue;
            }

            if (!jurisdictions.TryGetValue(s.Jurisdiction ?? "", out var jurisdiction))
            {
                errors.Add($"{where}: jurisdiction '{s.Jurisdiction}' is not declared");
                continue;
            }

            if (s.Lat is < -90 or > 90 || s.Lon is < -180 or > 180 || !double.IsFinite(s.Lat) || !double.IsFinite(s.Lon))
            {
                errors.Add($"{where}: coordinates ({s.Lat}, {s.Lon}) are not a place on Earth");
            }

            var site = new SiteDef(s.Id, s.Name, owner, jurisdiction, s.Lat, s.Lon, s.MajorHazard, siteList.Count);
            if (!sites.TryAdd(s.Id, site))
            {
                errors.Add($"{where} is declared twice");
                continue;
            }

            siteList.Add(site);
            var sensors = new Dictionary<string, SensorDef>(StringComparer.Ordinal);
            foreach (var d in s.Sensors ?? [])
            {
                if (string.IsNullOrWhiteSpace(d.Id))
                {
                    errors.Add($"{where}: sensor with an empty id");
                    continue;
                }

                if (!Enum.IsDefined(d.Kind))
                {
                    errors.Add($"{where}: sensor '{d.Id}' has an unknown kind");
                    continue;
                }

                var setpoints = NationalSetpoints.For(d.Kind);
                if (d.Setpoints is { } o)
                {
                    setpoints = new Setpoints(o.FirstHigh ?? setpoints.FirstHigh, o.SecondHigh ?? setpoints.SecondHigh, o.FirstLow ?? setpoints.FirstLow, o.SecondLow ?? setpoints.SecondLow);
                    if (setpoints.FirstHigh > setpoints.SecondHigh || setpoints.FirstLow < setpoints.SecondLow)
                    {
                        errors.Add($"{where}: sensor '{d.Id}': first-level setpoint lies beyond the second-level one");
                    }
                }

                if (!sensors.TryAdd(d.Id, new SensorDef(d.Id, site, d.Kind, setpoints, d.Baseline, sensorIndex)))
                {
                    errors.Add($"{where}: sensor '{d.Id}' is declared twice");
                    continue;
                }

                sensorIndex++;
            }

            site.SetSensors(sensors);
        }

        var agreements = new List<AssistanceAgreement>();
        foreach (var a in doc.Assistance ?? [])
        {
            var where = $"assistance '{a.Jurisdiction}' → '{a.Enterprise}' ({a.Capability})";
            if (!jurisdictions.ContainsKey(a.Jurisdiction ?? ""))
            {
                errors.Add($"{where}: jurisdiction '{a.Jurisdiction}' is not declared");
            }
            else if (!enterprises.TryGetValue(a.Enterprise ?? "", out var lender))
            {
                errors.Add($"{where}: enterprise '{a.Enterprise}' is not declared");
            }
            else if (!lender.Capabilities.Contains(a.Capability, StringComparer.Ordinal))
            {
                errors.Add($"{where}: enterprise '{a.Enterprise}' does not list capability '{a.Capability}'");
            }
            else if (a.Basis is not (AssistanceAgreement.GovernmentPurchase or AssistanceAgreement.Project))
            {
                errors.Add($"{where}: basis '{a.Basis}' is neither '{AssistanceAgreement.GovernmentPurchase}' nor '{AssistanceAgreement.Project}'");
            }
            else
            {
                agreements.Add(new AssistanceAgreement(a.Jurisdiction!, a.Enterprise!, a.Capability, a.Basis, a.Reference));
            }
        }

        if (errors.Count > 0)
        {
            throw new RegistryException($"{source}: {errors.Count} error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return new ParkRegistry(
            doc.Name,
            jurisdictions.ToFrozenDictionary(StringComparer.Ordinal),
            enterprises.ToFrozenDictionary(StringComparer.Ordinal),
            sites.ToFrozenDictionary(StringComparer.Ordinal),
            siteList,
            sensorIndex,
            agreements);
    }
}
