using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Tests.Support;
using RiskStream.Testing;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Scenarios.Tests;

public sealed class ScenarioFileTests
{
    [Fact]
    public void The_shipped_scenarios_load_and_cover_what_the_mission_needs()
    {
        var set = ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
        var ids = set.Scenarios.Select(s => s.Id).ToHashSet();
        foreach (var needed in new[] { "combustible_gas_leak", "toxic_gas_release", "overpressure", "fire", "hazardous_substance_found", "accident_investigation", "sensor_health" })
        {
            Assert.Contains(needed, ids);
        }

        // Every sensor kind feeds at least one scenario, and identifications feed some.
        Assert.All(SensorKinds.All, k => Assert.NotEmpty(set.ByKind[(int)k]));
        Assert.NotEmpty(set.ForIdentifications);

        // Every scenario speaks Chinese: title, CAP event, assistance request and every action (the loader refuses a
        // translation that misses one; here: none is missing altogether).
        Assert.All(set.Scenarios, s =>
        {
            var zh = s.Translations["zh-CN"];
            Assert.All(new[] { zh.Title, zh.CapEvent }, t => Assert.Contains(t, c => c >= '\u4e00' && c <= '\u9fff'));
            Assert.All(s.Actions, a => Assert.NotEqual(a.Text, s.ActionIn(a.Text, "zh-CN")));
        });
    }

    [Theory]
    [InlineData("actions: { owner: [ isolate ] }\ntranslations: { zh-CN: { title: 泄漏, capEvent: 泄漏, actions: {} } }", 9, "the action 'isolate' has no translation")]
    [InlineData("actions: { owner: [ isolate ] }\ntranslations: { zh-CN: { title: 泄漏, capEvent: 泄漏, actions: { isolate: 隔离, vent: 通风 } } }", 9, "'vent' is not one of this scenario's actions")]
    [InlineData("translations: { zh-CN: { capEvent: 泄漏 } }", 8, "'title' is required")]
    [InlineData("translations: { fr-FR: { title: Fuite, capEvent: Fuite } }", 8, "unknown key 'fr-FR'")]
    [InlineData("assistance: { capabilities: [hazmat_rescue], request: come }\ntranslations: { zh-CN: { title: 泄漏, capEvent: 泄漏 } }", 9, "'assistanceRequest' is required")]
    [InlineData("translations: { zh-CN: { title: 泄漏, capEvent: 泄漏, assistanceRequest: 来 } }", 8, "asks for no assistance")]
    public void A_translation_that_misses_or_invents_a_text_is_refused(string tail, int line, string reason)
    {
        var yaml = $"""
            id: bad
            title: Bad
            cap: {"{"} event: Bad, category: Safety {"}"}
            watch: {"{"} kinds: [combustible_lel] {"}"}
            levels:
              blue: [ {"{"} signal: alarm, atLeast: first {"}"} ]
            # line 7
            {tail}
            """;
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "config/scenarios/bad.yaml"));
        Assert.StartsWith($"config/scenarios/bad.yaml:{line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_silences_file_loads()
    {
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        Assert.Empty(SilenceLoader.Load(RepoPaths.Of("config", "silences.yaml"), registry));
    }

    [Theory]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first, fro: 30s } ]", 7, "unknown key 'fro'")]
    [InlineData("levels:\n  blue: [ { signal: smell, atLeast: 1 } ]", 7, "unknown signal 'smell'")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first, for: soon } ]", 7, "'soon' is not a duration")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: loud } ]", 7, "alarm atLeast 'loud'")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first, kinds: [h2s] } ]", 7, "only count kinds the scenario watches")]
    [InlineData("levels:\n  blue: [ { signal: alarm } ]", 7, "needs 'atLeast' or 'below'")]
    [InlineData("levels:\n  purple: [ { signal: alarm, atLeast: first } ]", 7, "unknown key 'purple'")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first, repeat: 3 } ]", 7, "'repeat' needs 'within'")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first } ]\nescalation: { ackWithin: 5m, then: panic }", 8, "neither raise_level nor add_parent")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first } ]\nradius: far", 8, "not a distance")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first } ]\nactions: { owner: [ { from: pink, do: x } ] }", 8, "'pink' is not one of blue")]
    [InlineData("levels:\n  blue: [ { signal: alarm, atLeast: first }\n", 8, "not valid YAML")]
    public void A_bad_definition_is_refused_with_file_line_and_reason(string tail, int line, string reason)
    {
        var yaml = $"""
            id: bad
            title: Bad
            cap: {"{"} event: Bad, category: Safety {"}"}
            watch: {"{"} kinds: [combustible_lel] {"}"}
            # line 5
            {tail}
            """;
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "config/scenarios/bad.yaml"));
        Assert.StartsWith($"config/scenarios/bad.yaml:{line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_with_a_bad_file_names_every_bad_file_and_duplicate_ids()
    {
        var dir = Directory.CreateTempSubdirectory("scenarios");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.yaml"), TestPark.Gas);
            File.WriteAllText(Path.Combine(dir.FullName, "b.yaml"), TestPark.Gas);
            File.WriteAllText(Path.Combine(dir.FullName, "c.yaml"), "id: c\ntitle: C\n");
            var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFolder(dir.FullName));
            Assert.Contains("c.yaml:1: 'watch' is required", e.Message, StringComparison.Ordinal);
            Assert.Contains("scenario id 'gas' is declared in", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_bad_silence_names_its_line()
    {
        var park = new TestPark();
        var e = Assert.Throws<ScenarioException>(() => SilenceLoader.Parse(
            "silences:\n  - site: S1\n    sensor: NOPE\n    from: 2026-11-29T08:00:00+08:00\n    until: 2026-11-29T12:00:00+08:00\n    declaredBy: Wang\n    reason: calibration\n",
            "silences.yaml",
            park.Registry));
        Assert.Equal("silences.yaml:3: site 'S1' has no sensor 'NOPE'", e.Message);
        var ok = SilenceLoader.Parse(
            "silences:\n  - site: S1\n    from: 2026-11-29T08:00:00+08:00\n    until: 2026-11-29T12:00:00+08:00\n    declaredBy: Wang\n    reason: calibration\n",
            "silences.yaml",
            park.Registry);
        Assert.Equal(("S1", null, "Wang"), (ok[0].Site, ok[0].Sensor, ok[0].DeclaredBy));
    }
}
