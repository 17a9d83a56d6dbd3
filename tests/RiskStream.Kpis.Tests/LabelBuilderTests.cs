using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Testing;

namespace RiskStream.Kpis.Tests;

/// <summary>Dispositions become training labels: the interval, every sensor ever in evidence, the label by reason.</summary>
public sealed class LabelBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly Party Owner = new(PartyType.Enterprise, "E04");

    private static WarningEvent Event(string scenario, int seq, WarningStatus status, int minutes, params string[] sensors) =>
        new($"{scenario}:S1:{T0.ToUnixTimeMilliseconds()}", seq, scenario, WarningLevel.Yellow, status, "S1", "E04", "310116", T0.AddMinutes(minutes), T0,
            [.. sensors.Select(s => new SensorEvidence(s, SensorKind.CombustibleLel, 30, "%LEL", AlarmLevel.First, 0.9, T0))], ["risk/7"], [], [], []);

    [Theory]
    [InlineData("combustible_gas_leak", DispositionReason.ConfirmedHazard, "hazard", null)]
    [InlineData("combustible_gas_leak", DispositionReason.FalseAlarm, "not_hazard", null)]
    [InlineData("combustible_gas_leak", DispositionReason.Maintenance, "excluded", null)]
    [InlineData("combustible_gas_leak", DispositionReason.Drill, "excluded", null)]
    [InlineData("combustible_gas_leak", DispositionReason.InstrumentFault, "excluded", true)]
    [InlineData("sensor_health", DispositionReason.InstrumentFault, "excluded", true)]
    [InlineData("sensor_health", DispositionReason.FalseAlarm, "not_hazard", false)]
    public void A_warning_closed_as_disposed_is_labelled_once_with_every_sensor_ever_in_evidence(string scenario, DispositionReason reason, string risk, bool? fault)
    {
        var labels = new LabelBuilder();
        Assert.Null(labels.Observe(Event(scenario, 1, WarningStatus.Raised, 0, "LEL-2")));
        Assert.Null(labels.Observe(Event(scenario, 2, WarningStatus.Escalated, 1, "LEL-1", "LEL-2")));
        Assert.Null(labels.Observe(Event(scenario, 3, WarningStatus.Resolved, 4) with { ResolvedAt = T0.AddMinutes(4) }));
        var disposition = new Disposition(reason, Owner, ResponseRole.Owner, "duty officer", T0.AddMinutes(30), "found it");
        var label = labels.Observe(Event(scenario, 4, WarningStatus.Closed, 30) with { ResolvedAt = T0.AddMinutes(4), Disposition = disposition });
        Assert.NotNull(label);
        Assert.Equal((T0, T0.AddMinutes(4), T0.AddMinutes(30), "risk/7"), (label.From, label.Until, label.DisposedAt, label.Model));
        Assert.Equal(["LEL-1", "LEL-2"], label.Sensors);
        Assert.Equal((risk, fault), (label.Risk.Wire(), label.Fault));
        Assert.Equal(0, labels.Open);
        SchemaAssert.Valid("label.v1.json", JsonSerializer.Serialize(label, ContractJson.Default.Label));
    }

    [Fact]
    public void A_warning_closed_undisposed_gives_no_label_and_one_never_closed_is_forgotten_after_a_week_and_a_day()
    {
        var labels = new LabelBuilder();
        Assert.Null(labels.Observe(Event("fire", 1, WarningStatus.Raised, 0, "T-1")));
        Assert.Null(labels.Observe(Event("fire", 2, WarningStatus.Closed, 5)));
        Assert.Equal(0, labels.Open);

        labels.Observe(Event("fire", 1, WarningStatus.Raised, 0, "T-1"));
        labels.Observe(Event("overpressure", 1, WarningStatus.Raised, 0, "P-1") with { Time = T0 + LabelBuilder.ForgetAfter + TimeSpan.FromHours(2) });
        Assert.Equal(1, labels.Open);
    }
}
