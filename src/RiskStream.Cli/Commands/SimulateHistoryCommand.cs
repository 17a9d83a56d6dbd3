using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Options;
using RiskStream.Core.Registry;
using RiskStream.Influx;
using RiskStream.Kpis;
using RiskStream.Pipeline;
using RiskStream.Scenarios.Definitions;
using RiskStream.Simulation;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream simulate-history --hours 168 --influx-url URL</c>: the simulated park over the past hours, run
/// faster than real time through one lane of the pipeline (the served models, the scenarios), the simulated people
/// answering and disposing its warnings (the owner disposes by the simulator's truth, the regulator confirms), and
/// what the sink and the KPI job would have written (readings, warnings, labels) written to InfluxDB: a recorded
/// history to build datasets from (<c>riskstream dataset --from influx</c>) without waiting a week.
/// </summary>
internal static class SimulateHistoryCommand
{
    public static Command Create()
    {
        var hours = CommonOptions.Number("--hours", "simulated hours, ending now or at --until (default 168: a week)", 0.05, 24 * 31);
        var period = CommonOptions.Number("--period", "seconds between two readings of a sensor (default 5; the models were trained on 1, 2 and 5)", 1, 600);
        var until = new Option<string>("--until") { Description = "the end of the history, an ISO 8601 time (default: now, to the minute)", HelpName = "TIME" };
        var command = new Command("simulate-history", "Simulate the park over past hours faster than real time, through the pipeline's lane with its models and scenarios and with the simulated people disposing the warnings, and write the readings, warnings and training labels into InfluxDB.") { hours, period, until };
        foreach (var flag in ConfigFlag.For("--influx-url", "--influx-db", "--registry", "--scenarios", "--models", "--seed"))
        {
            command.Options.Add(flag);
        }

        command.SetAction((parse, _) => RunAsync(parse, parse.GetValue(hours) ?? 168, parse.GetValue(period) ?? 5, parse.GetValue(until)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, double hours, double periodSeconds, string? untilText)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        if (options.Influx.Url.Length == 0)
        {
            throw new OptionsException("simulate-history writes to InfluxDB: give --influx-url (or RiskStream:Influx:Url)");
        }

        var now = TimeProvider.System.GetUtcNow();
        var end = untilText is null
            ? new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero)
            : DateTimeOffset.TryParse(untilText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var u) ? u : throw new OptionsException($"--until '{untilText}' is not an ISO 8601 time");
        var start = end - TimeSpan.FromHours(hours);
        var period = TimeSpan.FromSeconds(periodSeconds);
        var registry = ParkRegistry.Load(options.RegistryPath);
        var scenarios = ScenarioLoader.LoadFolder(options.ScenariosPath);
        var time = new SimulatedClock(start);
        var model = new Sensors.Models.MlRiskModel(new Sensors.Models.ModelRegistry(options.ModelsPath), host.LoggerFactory.CreateLogger("riskstream.models"));
        var lane = new OfflineLane(new PipelineContext { Registry = registry, Options = options.Pipeline, Scenarios = scenarios, Time = time, Model = model, AckTopics = Topics.AckTopics(registry) });
        var simulator = new ParkSimulator(registry, options.Simulation with { RatePerSecond = registry.SensorCount / periodSeconds, DemoHazard = false, InspectionEvery = TimeSpan.Zero }, start);
        var people = new SimulatedResponders(simulator, null, time, options.Simulation.ResponseDelay > TimeSpan.Zero ? options.Simulation.ResponseDelay : TimeSpan.FromSeconds(15), options.Simulation.Seed, host.Log);
        var labels = new LabelBuilder();
        using var writer = options.Influx.CreateWriter();
        var lines = new StringBuilder(1 << 22);
        long readings = 0, raised = 0, labelled = 0, answers = 0;
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        host.Log.LogInformation("simulate-history: {Hours} hours from {Start:O} to {End:O}, {Sensors} sensors every {Period} s, models {Model}, into {Url} database {Database}", hours, start, end, registry.SensorCount, periodSeconds, model.Version, options.Influx.SafeUrl, options.Influx.Database);

        void Take(IReadOnlyList<Kafka.OutboundMessage> outputs)
        {
            foreach (var m in outputs)
            {
                if (m.Topic != Topics.Warnings)
                {
                    continue;
                }

                var e = JsonSerializer.Deserialize(m.Value, ContractJson.Default.WarningEvent)!;
                people.Saw(e);
                raised += e.Status == WarningStatus.Raised ? 1 : 0;
                LineProtocol.TryAppend(lines, Topics.Warnings, m.Value, out _);
                if (labels.Observe(e) is { } label)
                {
                    LineProtocol.TryAppend(lines, Topics.Labels, JsonSerializer.SerializeToUtf8Bytes(label, ContractJson.Default.Label), out _);
                    labelled++;
                    byReason[label.Reason.Wire()] = byReason.GetValueOrDefault(label.Reason.Wire()) + 1;
                }
            }
        }

        async Task Flush()
        {
            if (lines.Length > 0)
            {
                await writer.WriteAsync(lines.ToString(), host.Stopping).ConfigureAwait(false);
                lines.Clear();
            }
        }

        var sensors = simulator.Sensors;
        var batch = new List<(string Key, byte[] Value)>(sensors.Count);
        var nextTick = start;
        var nextHour = start.AddHours(1);
        for (var t = start; t < end && !host.Stopping.IsCancellationRequested; t += period)
        {
            time.SetUtcNow(t + period); // processing time: the end of the readings' period
            foreach (var group in people.TakeDue().GroupBy(a => Topics.AcksOf(a.Party.Type, a.Party.Id)))
            {
                answers += group.Count();
                Take(lane.Process(group.Key, [.. group.Select(a => (a.WarningId.Split(':')[1], JsonSerializer.SerializeToUtf8Bytes(a, ContractJson.Default.Acknowledgement)))]));
            }

            batch.Clear();
            for (var i = 0; i < sensors.Count; i++)
            {
                if (simulator.ReadingAt(sensors[i], t + (period * ((double)i / sensors.Count))) is { } r)
                {
                    batch.Add((r.Site, JsonSerializer.SerializeToUtf8Bytes(r, ContractJson.Default.Reading)));
                    LineProtocol.AppendReading(lines, r.Site, r.Sensor, r.Kind, r.Value, r.Ts.ToUnixTimeMilliseconds());
                    readings++;
                }
            }

            Take(lane.Process(Topics.Readings, batch));
            if (t >= nextTick)
            {
                Take(lane.Tick()); // deadlines and silences on processing time, as the running pipeline's tick
                nextTick = t.AddSeconds(1);
            }

            if (lines.Length > 8 << 20)
            {
                await Flush().ConfigureAwait(false);
            }

            if (t >= nextHour)
            {
                host.Log.LogInformation("simulate-history: {At:yyyy-MM-dd HH:mm}, {Readings:N0} readings, {Raised} warnings raised, {Labels} labelled", t, readings, raised, labelled);
                nextHour = nextHour.AddHours(1);
            }
        }

        await Flush().ConfigureAwait(false);
        Console.Out.WriteLine($"simulated {hours} hours ({start:O} to {end:O}): {readings:N0} readings, {raised} warnings raised, {answers} answers from the simulated people, {labelled} labels ({string.Join(", ", byReason.Select(x => $"{x.Key} {x.Value}"))}), {simulator.Events.Count(e => e.Start < end)} injected events; written to {options.Influx.SafeUrl} database {options.Influx.Database}");
        return 0;
    }
}

/// <summary>A clock the simulation moves (timers are not used offline: the lane's tick is called by the loop).</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void SetUtcNow(DateTimeOffset now) => _now = now;
}
