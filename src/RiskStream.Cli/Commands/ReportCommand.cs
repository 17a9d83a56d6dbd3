using System.CommandLine;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Cli.Hosting;
using RiskStream.Cli.Report;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Options;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream report --kafka B --jurisdiction J [--period day|week] [--format html|csv] [--out FILE]</c>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "the jurisdiction reported on (its sites and those of the jurisdictions under it)", Required = true, HelpName = "ID" };
        var period = new Option<string>("--period") { Description = "the last complete day, or the last seven (days from midnight China Standard Time)", DefaultValueFactory = _ => "day" }.AcceptOnlyFromAmong("day", "week");
        var format = new Option<string>("--format") { Description = "html (one file, charts embedded) or csv (one row per enterprise)", DefaultValueFactory = _ => "html" }.AcceptOnlyFromAmong("html", "csv");
        var output = new Option<string?>("--out") { Description = "file to write (default: standard output)", HelpName = "FILE" };
        var command = new Command("report", "The regulator's report for one jurisdiction over a day or a week, from the daily alarm-KPI and data-quality records (riskstream.kpis, riskstream.dataquality): per enterprise the warnings and how they were answered, overdue responses, data quality; the worst sensors; the assistance agreements.") { CommonOptions.For(), jurisdiction, period, format, output };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry"))
        {
            command.Options.Add(flag);
        }

        command.SetAction(parse => Run(parse, parse.GetValue(jurisdiction)!, parse.GetValue(period)!, parse.GetValue(format)!, parse.GetValue(output)));
        return command;
    }

    private static int Run(ParseResult parse, string jurisdiction, string period, string format, string? output)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var registry = ParkRegistry.Load(options.RegistryPath);
        if (!registry.Jurisdictions.ContainsKey(jurisdiction))
        {
            throw new OptionsException($"--jurisdiction '{jurisdiction}' is not a jurisdiction of the registry");
        }

        if (options.BootstrapServers.Length == 0)
        {
            throw new OptionsException("riskstream report needs --kafka (the cluster riskstream kpis publishes to)");
        }

        var now = TimeProvider.System.GetUtcNow();
        var (from, until) = Period(now, period);
        var (kpis, quality) = ReadAll(options.BootstrapServers, options.KafkaProperties);
        var report = new RegulatorReport(registry, jurisdiction, from, until, kpis, quality);
        var text = format == "csv" ? report.Csv() : report.Html(now);
        if (output is null)
        {
            Console.Out.Write(text);
        }
        else
        {
            File.WriteAllText(output, text);
            Console.Error.WriteLine($"{output}: {report.Enterprises.Count} enterprises, {from:yyyy-MM-dd HH:mm}Z to {until:yyyy-MM-dd HH:mm}Z");
        }

        return 0;
    }

    /// <summary>The last complete day (or seven) before <paramref name="now"/>, days from midnight China Standard Time.</summary>
    internal static (DateTimeOffset From, DateTimeOffset Until) Period(DateTimeOffset now, string period)
    {
        var until = Kpis.KpiWindows.Floor(now, TimeSpan.FromDays(1));
        return (until.AddDays(period == "week" ? -7 : -1), until);
    }

    /// <summary>Every record on both topics, the last for each key (they are upserts).</summary>
    internal static (List<AlarmKpis> Kpis, List<DataQuality> Quality) ReadAll(string bootstrap, IReadOnlyDictionary<string, string> properties)
    {
        var config = new ConsumerConfig(properties.ToDictionary(kv => kv.Key, kv => kv.Value)) { BootstrapServers = bootstrap, GroupId = "riskstream-report", EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        Assignments.AssignNew(consumer, t => t is Topics.Kpis or Topics.DataQuality, assigned, _ => Offset.Beginning);
        var ends = consumer.Assignment.ToDictionary(tp => tp, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
        var kpis = new Dictionary<string, AlarmKpis>(StringComparer.Ordinal);
        var quality = new Dictionary<string, DataQuality>(StringComparer.Ordinal);
        var started = TimeProvider.System.GetTimestamp();
        while (ends.Any(e => e.Value > 0 && consumer.Position(e.Key).Value < e.Value) && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(2))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is not { Message: { Value: { } value, Key: { } key } } r)
            {
                continue;
            }

            try
            {
                var k = System.Text.Encoding.UTF8.GetString(key);
                if (r.Topic == Topics.Kpis && JsonSerializer.Deserialize(value, ContractJson.Default.AlarmKpis) is { } a)
                {
                    kpis[k] = a;
                }
                else if (r.Topic == Topics.DataQuality && JsonSerializer.Deserialize(value, ContractJson.Default.DataQuality) is { } q)
                {
                    quality[k] = q;
                }
            }
            catch (JsonException)
            {
                // not a record riskstream kpis wrote: left out
            }
        }

        consumer.Close();
        return ([.. kpis.Values], [.. quality.Values]);
    }
}
