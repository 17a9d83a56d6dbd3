using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;

namespace RiskStream.Core.Tests;

public sealed class RegistryTests
{
    private static RegistryDocument Valid() => new(
        "test",
        [new("C", "City", "city", null, "310000"), new("D", "District", "district", "C", "310116")],
        [new("E1", "Enterprise one", null, ["raman_detection"], null)],
        [new("S1", "Site one", "E1", "D", 30.7, 121.3, "II", [new("LEL-1", SensorKind.CombustibleLel, null, null), new("TE-1", SensorKind.Temperature, new(60, 80, null, null), 25)])]);

    [Fact]
    public void Demo_park_loads_and_every_site_has_sensors()
    {
        var registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        Assert.True(registry.Sites.Count >= 10);
        Assert.All(registry.SiteList, s => Assert.NotEmpty(s.Sensors));
        Assert.Equal(registry.SiteList.Sum(s => s.Sensors.Count), registry.SensorCount);
        Assert.Equal(Enumerable.Range(0, registry.SensorCount), registry.SiteList.SelectMany(s => s.Sensors).Select(s => s.Index).Order());
    }

    [Theory]
    [InlineData("S 1")]
    [InlineData("S1,x")]
    [InlineData("S1\u0001")]
    [InlineData("\ud800X")]
    [InlineData("-S1")]
    [InlineData("S1;rm -rf")]
    [InlineData("S1\\")]
    [InlineData("工厂")]
    public void An_id_that_would_break_a_topic_name_tag_or_shell_line_is_refused_naming_the_entry(string id)
    {
        var doc = Valid();
        var bad = doc with { Sites = [doc.Sites![0] with { Id = id }] };
        var e = Assert.Throws<RegistryException>(() => ParkRegistry.FromDocument(bad));
        Assert.Contains("site '", e.Message, StringComparison.Ordinal);
        Assert.Contains("an id is a letter or digit", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0001", e.Message, StringComparison.Ordinal);

        var sensor = doc with { Sites = [doc.Sites![0] with { Sensors = [new(id, SensorKind.CombustibleLel, null, null)] }] };
        Assert.Contains("site 'S1': sensor '", Assert.Throws<RegistryException>(() => ParkRegistry.FromDocument(sensor)).Message, StringComparison.Ordinal);
        var enterprise = doc with { Enterprises = [doc.Enterprises![0] with { Id = id }] };
        Assert.Contains("enterprise '", Assert.Throws<RegistryException>(() => ParkRegistry.FromDocument(enterprise)).Message, StringComparison.Ordinal);
        var jurisdiction = doc with { Jurisdictions = [doc.Jurisdictions![0] with { Id = id }, doc.Jurisdictions[1]] };
        Assert.Contains("jurisdiction '", Assert.Throws<RegistryException>(() => ParkRegistry.FromDocument(jurisdiction)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S1")]
    [InlineData("SH-HGQ-E01-S1")]
    [InlineData("310116-SCIP")]
    [InlineData("a.b_c-d")]
    public void Ids_by_the_rule_are_accepted(string id)
    {
        var doc = Valid();
        Assert.True(ParkRegistry.FromDocument(doc with { Sites = [doc.Sites![0] with { Id = id }] }).Sites.ContainsKey(id));
    }

    [Fact]
    public void A_registry_file_beyond_its_size_is_refused_without_reading_it()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var f = File.OpenWrite(path))
            {
                f.SetLength(RegistryReader.MaxBytes + 1);
            }

            Assert.Contains("at most", Assert.Throws<RegistryException>(() => ParkRegistry.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Lookups_by_span_find_sites_and_sensors()
    {
        var registry = ParkRegistry.FromDocument(Valid());
        Assert.True(registry.TryGetSite("S1".AsSpan(), out var site));
        Assert.True(site.TryGetSensor("TE-1".AsSpan(), out var sensor));
        Assert.Equal(SensorKind.Temperature, sensor.Kind);
        Assert.Equal(80, sensor.Setpoints.SecondHigh);
        Assert.False(registry.TryGetSite("S2".AsSpan(), out _));
    }

    [Fact]
    public void Ancestry_walks_up_to_the_city()
    {
        var registry = ParkRegistry.FromDocument(Valid());
        Assert.Equal(["D", "C"], registry.Ancestry(registry.Jurisdictions["D"]).Select(j => j.Id));
    }

    [Fact]
    public void Errors_name_every_bad_entry()
    {
        var doc = Valid() with
        {
            Jurisdictions = [new("C", "City", "city", "X", null), new("C", "dup", "city", null, null)],
            Sites =
            [
                new("S1", "a", "E9", "C", 30, 121, null, []),
                new("S2", "b", "E1", "C", 95, 121, null, [new("T", SensorKind.Temperature, new(90, 80, null, null), null)]),
            ],
        };
        var e = Assert.Throws<RegistryException>(() => ParkRegistry.FromDocument(doc, "park.json"));
        Assert.Contains("park.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("jurisdiction 'C' is declared twice", e.Message, StringComparison.Ordinal);
        Assert.Contains("parent 'X' is not declared", e.Message, StringComparison.Ordinal);
        Assert.Contains("site 'S1': enterprise 'E9' is not declared", e.Message, StringComparison.Ordinal);
        Assert.Contains("site 'S2': coordinates", e.Message, StringComparison.Ordinal);
        Assert.Contains("sensor 'T': first-level setpoint lies beyond", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_of_jurisdictions_is_refused()
    {
        var doc = Valid() with { Jurisdictions = [new("A", "a", "city", "B", null), new("B", "b", "district", "A", null)], Sites = [] };
        var e = Assert.Throws<RegistryException>(() => ParkRegistry.FromDocument(doc));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_file_reports_the_line()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "{\n  \"name\": \"x\",\n  \"sites\": [ { \"id\": 5 ]\n}");
        try
        {
            var e = Assert.Throws<RegistryException>(() => ParkRegistry.Load(path));
            Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
