using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;
using RiskStream.Testing;

namespace RiskStream.Scenarios.Tests.Support;

/// <summary>
/// A small park: city C → district D → park P. Site S1 (owner E1) and, 300 m away, S2 (owner E2), both in P; S3
/// (owner E3) 10 km away in D. D engaged E3 for raman_detection (government purchase); P engaged E4 for
/// hazmat_rescue (project).
/// </summary>
public sealed class TestPark(params AgreementDocument[] moreAgreements)
{
    public const long T0 = 1_795_000_000_000;

    public ParkRegistry Registry { get; } = ParkRegistry.FromDocument(new RegistryDocument(
        "test park",
        [
            new("C", "City EMB", "city", null, "310000") { OrgCode = "11310000MB2F07085K" },
            new("D", "District EMB", "district", "C", "310116") { OrgCode = "11310116MB2F11249A" },
            new("P", "Park administration", "park", "D", "310116"),
        ],
        [
            new("E1", "Owner Co.", null, ["hazmat_rescue"], null),
            new("E2", "Neighbour Co.", null, ["hazmat_rescue"], null),
            new("E3", "Raman Services Co.", null, ["raman_detection", "hazmat_rescue"], null),
            new("E4", "Rescue Co.", null, ["hazmat_rescue"], null),
        ],
        [
            new("S1", "Unit 1", "E1", "P", 30.0, 121.0, "II",
            [
                new("LEL-1", SensorKind.CombustibleLel, null, null),
                new("LEL-2", SensorKind.CombustibleLel, null, null),
                new("LEL-3", SensorKind.CombustibleLel, null, null),
                new("T-1", SensorKind.Temperature, new SetpointsDocument(60, 80, null, null), null),
            ]),
            new("S2", "Unit 2", "E2", "P", 30.0027, 121.0, null, [new("LEL-1", SensorKind.CombustibleLel, null, null)]),
            new("S3", "Lab", "E3", "D", 30.09, 121.0, null, [new("LEL-1", SensorKind.CombustibleLel, null, null)]),
        ])
    {
        Assistance =
        [
            new("D", "E3", "raman_detection", "government_purchase", "D-2026-1"),
            new("P", "E4", "hazmat_rescue", "project", "P-2026-7"),
            .. moreAgreements,
        ],
    });

    public SensorDef Sensor(string site, string id) => Registry.Sites[site].Sensors.Single(s => s.Id == id);

    public static ScenarioSet Set(params string[] yaml) =>
        new(yaml.Select((y, i) => ScenarioLoader.Parse(y, $"test{i}.yaml")).ToArray());

    /// <summary>A gas scenario: blue first alarm, yellow one second, orange two, red three; clear 30 s; no minimum.</summary>
    public const string Gas = """
        id: gas
        title: Gas leak
        cap: { event: Gas leak, category: Safety }
        watch: { kinds: [combustible_lel] }
        radius: 500m
        levels:
          blue: [ { signal: alarm, atLeast: first } ]
          yellow: [ { signal: alarm, atLeast: second } ]
          orange: [ { signal: alarm, atLeast: second, sensors: 2 } ]
          red: [ { signal: alarm, atLeast: second, sensors: 3 } ]
        clear: { for: 30s, when: [ { signal: alarm, below: first, sensors: all } ] }
        minActive: 0s
        assistance: { from: orange, capabilities: [hazmat_rescue], request: stand by }
        actions:
          owner: [ isolate the leak, { from: orange, do: evacuate } ]
          neighbour: [ stop hot work ]
          assisting: [ dispatch the team ]
        translations:
          zh-CN:
            title: 气体泄漏
            capEvent: 气体泄漏
            assistanceRequest: 待命
            actions: { isolate the leak: 隔离泄漏点, evacuate: 疏散, stop hot work: 停止动火作业, dispatch the team: 派遣队伍 }
        """;

    /// <summary>Fire: any temperature at second level is red.</summary>
    public const string Fire = """
        id: fire
        title: Fire
        cap: { event: Fire, category: Fire }
        watch: { kinds: [temperature] }
        levels:
          red: [ { signal: alarm, atLeast: second } ]
        clear: { for: 10s }
        minActive: 0s
        """;

    /// <summary>The CAP 1.2 rendering of a published warning, as the pipeline's publisher writes it.</summary>
    public string Cap(PublishedWarning published) => new RiskStream.Scenarios.Cap.CapWriter(Registry).Write(published);

    /// <summary>Feeds a reading to an engine and returns what it published (every CAP message validated).</summary>
    public List<PublishedWarning> Feed(ScenarioEngine engine, string site, string sensor, double value, long tsMs, long offset = -1, double? risk = null)
    {
        var s = Sensor(site, sensor);
        var events = new List<PublishedWarning>();
        engine.Observe(new SensorObservation(s, value, s.Setpoints.LevelOf(value), risk ?? s.Setpoints.BaselineRisk(value), false, tsMs, "setpoint-baseline/1", offset), events);
        foreach (var e in events)
        {
            CapAssert.Valid(Cap(e));
        }

        return events;
    }
}
