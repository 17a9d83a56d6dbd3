using CsCheck;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;
using RiskStream.Testing;

namespace RiskStream.Scenarios.Tests;

/// <summary>Audience routing as a property over random registries: exactly the parties concerned, nobody else.</summary>
public sealed class AudienceRoutingTests
{
    /// <summary>The audience written down from the rules, independently of the resolver.</summary>
    private static HashSet<string> Expected(ParkRegistry registry, SiteDef site, ScenarioDefinition scenario, WarningLevel level)
    {
        var expected = new HashSet<string> { $"gov:{site.Jurisdiction.Id}", $"ent:{site.Enterprise.Id}" };
        if (level >= WarningLevel.Orange)
        {
            for (var j = site.Jurisdiction.Parent; j is not null; j = registry.Jurisdictions[j].Parent)
            {
                expected.Add($"gov:{j}");
            }
        }

        foreach (var other in registry.SiteList)
        {
            if (other.Enterprise != site.Enterprise && scenario.RadiusM > 0 && ParkRegistry.DistanceM(site.Lat, site.Lon, other.Lat, other.Lon) <= scenario.RadiusM)
            {
                expected.Add($"ent:{other.Enterprise.Id}");
            }
        }

        if (level >= scenario.AssistanceFrom)
        {
            foreach (var capability in scenario.AssistanceCapabilities)
            {
                // The nearest jurisdiction, going up, that engaged anybody for the capability.
                for (string? j = site.Jurisdiction.Id; j is not null; j = registry.Jurisdictions[j].Parent)
                {
                    var engaged = registry.Agreements.Where(a => a.Jurisdiction == j && a.Capability == capability).ToArray();
                    if (engaged.Length > 0)
                    {
                        // One request at a time: the engaged enterprise with a site nearest to the warning's, never the owner.
                        var nearest = engaged.Where(a => a.Enterprise != site.Enterprise.Id).MinBy(a => (registry.SiteList.Where(o => o.Enterprise.Id == a.Enterprise).Select(o => ParkRegistry.DistanceM(site.Lat, site.Lon, o.Lat, o.Lon)).DefaultIfEmpty(double.PositiveInfinity).Min(), a.Enterprise));
                        if (nearest is not null)
                        {
                            expected.Add($"ent:{nearest.Enterprise}");
                        }

                        break;
                    }
                }
            }
        }

        return expected;
    }

    [Fact]
    public void Every_party_concerned_is_an_audience_and_nobody_else_is()
    {
        Gen.Int.Sample(
            seed =>
            {
                var rng = new Random(seed);
                var registry = RandomParks.Registry(rng);
                var site = registry.SiteList[rng.Next(registry.SiteList.Count)];
                var scenario = new ScenarioDefinition
                {
                    Id = "x",
                    Title = "x",
                    Source = "x",
                    CapEvent = "x",
                    CapCategory = "Safety",
                    Kinds = new HashSet<SensorKind>(),
                    Levels = [],
                    RadiusM = rng.Next(3) == 0 ? 0 : rng.Next(0, 5000),
                    AssistanceCapabilities = RandomParks.Capabilities.Where(_ => rng.Next(2) == 0).ToArray(),
                    AssistanceFrom = (WarningLevel)rng.Next(1, 5),
                };
                var level = (WarningLevel)rng.Next(1, 5);
                var resolver = new AudienceResolver(registry);
                var asked = level >= scenario.AssistanceFrom ? scenario.AssistanceCapabilities.SelectMany(c => resolver.AssistanceCandidates(site, scenario, c).Take(1)).ToArray() : [];
                var routed = resolver.For(site, scenario, level, [], asked);
                var actual = routed.Select(a => $"{(a.Audience.Type == PartyType.Government ? "gov" : "ent")}:{a.Audience.Id}").ToList();
                Assert.Equal(actual.Count, actual.Distinct().Count());
                Assert.True(Expected(registry, site, scenario, level).SetEquals(actual), $"seed {seed}: got {string.Join(" ", actual.Order())}, expected {string.Join(" ", Expected(registry, site, scenario, level).Order())}");
            },
            iter: 500);
    }
}
