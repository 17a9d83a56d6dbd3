using RiskStream.Core.Registry;

namespace RiskStream.Testing;

/// <summary>Random registries for the properties that must hold for any park (audience routing, the console's isolation).</summary>
public static class RandomParks
{
    public static readonly string[] Capabilities = ["raman_detection", "hazmat_rescue", "gas_leak_repair"];

    /// <summary>1–7 jurisdictions in a tree, 1–7 enterprises with random capabilities, 1–11 sites a few kilometres apart, random agreements.</summary>
    public static ParkRegistry Registry(Random rng)
    {
        var jurisdictions = new List<JurisdictionDocument>();
        var count = rng.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            jurisdictions.Add(new JurisdictionDocument($"J{i}", $"J{i}", "x", i == 0 ? null : $"J{rng.Next(0, i)}", null));
        }

        var enterprises = Enumerable.Range(0, rng.Next(1, 8))
            .Select(i => new EnterpriseDocument($"E{i}", $"E{i}", null, Capabilities.Where(_ => rng.Next(3) == 0).ToArray(), null))
            .ToArray();
        var sites = Enumerable.Range(0, rng.Next(1, 12))
            .Select(i => new SiteDocument($"S{i}", $"S{i}", enterprises[rng.Next(enterprises.Length)].Id, jurisdictions[rng.Next(jurisdictions.Count)].Id, 30 + (rng.NextDouble() * 0.05), 121 + (rng.NextDouble() * 0.05), null, []))
            .ToArray();
        var agreements = new List<AgreementDocument>();
        foreach (var e in enterprises)
        {
            foreach (var c in e.Capabilities!)
            {
                if (rng.Next(2) == 0)
                {
                    agreements.Add(new AgreementDocument(jurisdictions[rng.Next(jurisdictions.Count)].Id, e.Id, c, rng.Next(2) == 0 ? "project" : "government_purchase", null));
                }
            }
        }

        return ParkRegistry.FromDocument(new RegistryDocument("random", jurisdictions, enterprises, sites) { Assistance = agreements });
    }
}
