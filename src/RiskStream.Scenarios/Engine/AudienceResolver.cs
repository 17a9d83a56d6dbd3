using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// Who must see a warning ("common scenario"): the site's jurisdiction and, from orange up, every jurisdiction
/// above it; the owner enterprise; enterprises with a site within the scenario's radius; and, from the scenario's
/// assistance level up, the enterprises asked for assistance (one at a time per capability, engaged in the site's
/// jurisdiction or the nearest one above that has an agreement, nearest first). Nobody else.
/// </summary>
internal sealed class AudienceResolver(ParkRegistry registry)
{
    private readonly Dictionary<(int Site, double Radius), SiteDef[]> _neighbours = [];

    public IReadOnlyList<RoutedAudience> For(SiteDef site, ScenarioDefinition scenario, WarningLevel level, IReadOnlyList<string> addedJurisdictions, IReadOnlyList<AssistanceRequest> asked)
    {
        var list = new List<RoutedAudience>();
        var seen = new HashSet<(PartyType, string)>();
        void Add(PartyType type, string id, string reason, AudienceRole role)
        {
            if (seen.Add((type, id)))
            {
                list.Add(new RoutedAudience(new Audience(type, id, reason), role));
            }
        }

        Add(PartyType.Government, site.Jurisdiction.Id, "site jurisdiction", AudienceRole.Jurisdiction);
        if (level >= WarningLevel.Orange)
        {
            foreach (var above in registry.Ancestry(site.Jurisdiction).Skip(1))
            {
                Add(PartyType.Government, above.Id, "orange or red: higher jurisdiction", AudienceRole.Higher);
            }
        }

        foreach (var id in addedJurisdictions)
        {
            Add(PartyType.Government, id, "not acknowledged in time: escalated", AudienceRole.Higher);
        }

        Add(PartyType.Enterprise, site.Enterprise.Id, "site owner", AudienceRole.Owner);
        if (scenario.RadiusM > 0)
        {
            foreach (var n in NeighboursOf(site, scenario.RadiusM))
            {
                Add(PartyType.Enterprise, n.Enterprise.Id, $"site {n.Id} within {scenario.RadiusM:0} m", AudienceRole.Neighbour);
            }
        }

        foreach (var a in asked)
        {
            Add(PartyType.Enterprise, a.Enterprise, $"engaged by {a.EngagedBy} for {a.Capability} ({a.Basis})", AudienceRole.Assisting);
        }

        return list;
    }

    /// <summary>
    /// The enterprises engaged for <paramref name="capability"/> in the site's jurisdiction (or the nearest above with
    /// an agreement), as requests not yet made, the one with a site nearest to the warning's site first.
    /// </summary>
    public IEnumerable<AssistanceRequest> AssistanceCandidates(SiteDef site, ScenarioDefinition scenario, string capability) =>
        registry.EngagedFor(site.Jurisdiction, capability)
            .Where(a => a.Enterprise != site.Enterprise.Id) // the owner is already at work: help comes from elsewhere
            .OrderBy(a => NearestSiteM(a.Enterprise, site))
            .ThenBy(a => a.Enterprise, StringComparer.Ordinal)
            .Select(a => new AssistanceRequest(a.Capability, a.Enterprise, a.Jurisdiction, a.Basis, $"{scenario.AssistanceRequest} (site {site.Id}, {site.Name}; {a.Reference})"));

    private double NearestSiteM(string enterprise, SiteDef site)
    {
        var nearest = double.PositiveInfinity;
        foreach (var other in registry.SiteList)
        {
            if (other.Enterprise.Id == enterprise)
            {
                nearest = Math.Min(nearest, ParkRegistry.DistanceM(site.Lat, site.Lon, other.Lat, other.Lon));
            }
        }

        return nearest;
    }

    /// <summary>The nearest jurisdiction above the site's that is not yet an audience, if any.</summary>
    public Jurisdiction? NextJurisdictionUp(SiteDef site, IReadOnlyList<RoutedAudience> current) =>
        registry.Ancestry(site.Jurisdiction).Skip(1)
            .FirstOrDefault(j => !current.Any(a => a.Audience.Type == PartyType.Government && a.Audience.Id == j.Id));

    private SiteDef[] NeighboursOf(SiteDef site, double radiusM)
    {
        if (!_neighbours.TryGetValue((site.Index, radiusM), out var found))
        {
            found = registry.Neighbours(site, radiusM).ToArray();
            _neighbours[(site.Index, radiusM)] = found;
        }

        return found;
    }
}
