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

    /// <summary>Every party: the jurisdictions, then the enterprises, each in ordinal order of id.</summary>
    public IEnumerable<Contracts.Party> Parties =>
        Jurisdictions.Keys.Order(StringComparer.Ordinal).Select(j => new Contracts.Party(Contracts.PartyType.Government, j))
            .Concat(Enterprises.Keys.Order(StringComparer.Ordinal).Select(e => new Contracts.Party(Contracts.PartyType.Enterprise, e)));

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

        var length = new FileInfo(path).Length;
        if (length > RegistryReader.MaxBytes)
        {
            throw new RegistryException($"{path}: {length} bytes; a registry file is at most {RegistryReader.MaxBytes}");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>A registry from its JSON text; <see cref="RegistryException"/> names every bad entry, or the line that is not JSON.</summary>
    public static ParkRegistry Parse(string json, string source = "registry")
    {
        var path = source;
        RegistryDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, RegistryJson.Default.RegistryDocument);
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new RegistryException($"{path}: {e.Message}", e);
        }

        return FromDocument(doc ?? throw new RegistryException($"{path}: empty registry"), path);
    }

    /// <summary>Validates a registry document; every bad entry is named in one <see cref="RegistryException"/>.</summary>
    public static ParkRegistry FromDocument(RegistryDocument doc, string source = "registry") => new RegistryReader(source).Read(doc);

    /// <summary>Builds the registry from entries <see cref="RegistryReader"/> has validated.</summary>
    internal static ParkRegistry Create(
        string name,
        Dictionary<string, Jurisdiction> jurisdictions,
        Dictionary<string, Enterprise> enterprises,
        Dictionary<string, SiteDef> sites,
        List<SiteDef> siteList,
        int sensorCount,
        List<AssistanceAgreement> agreements) =>
        new(
            name,
            jurisdictions.ToFrozenDictionary(StringComparer.Ordinal),
            enterprises.ToFrozenDictionary(StringComparer.Ordinal),
            sites.ToFrozenDictionary(StringComparer.Ordinal),
            siteList,
            sensorCount,
            agreements);
}
