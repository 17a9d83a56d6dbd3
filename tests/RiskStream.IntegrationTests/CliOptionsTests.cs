using RiskStream.Core;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Contracts;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;


namespace RiskStream.IntegrationTests;

/// <summary>Options and commands a careless user gives, refused with the key named; simulate; durations.</summary>
public sealed class CliOptionsTests
{
    [Theory]
    [InlineData("--lanes", "0", "RiskStream:Pipeline:Lanes")]
    [InlineData("--rate", "-3", "RiskStream:Simulation:RatePerSecond")]
    [InlineData("--metrics-port", "70000", "RiskStream:Metrics:Port")]
    public async Task An_option_out_of_range_stops_the_start_with_the_key_named(string flag, string value, string key)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["run", flag, value, "--for", "5s"], TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_port_already_taken_stops_the_start_with_the_key_named()
    {
        var port = RiskStream.Testing.FreePorts.BelowEphemeralRange();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
        holder.Start();
        var (code, _, stderr) = await CliProcess.RunAsync(["run", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--for", "5s"], TimeSpan.FromMinutes(1));
        Assert.True(code == 2, stderr);
        Assert.Contains("RiskStream:Metrics:Port", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_options_and_commands_are_refused()
    {
        Assert.Equal(2, (await CliProcess.RunAsync(["run", "--colour", "red"], TimeSpan.FromMinutes(1))).Code);
        Assert.Equal(2, (await CliProcess.RunAsync(["launch"], TimeSpan.FromMinutes(1))).Code);
    }

    [Fact]
    public void The_configuration_reference_is_generated_from_the_declarations_and_a_misspelt_key_is_refused()
    {
        // docs/configuration.md holds the table riskstream config --markdown prints, unchanged.
        var doc = File.ReadAllText(RepoPaths.Of("docs", "configuration.md"));
        Assert.Contains(RiskStream.Cli.Commands.ConfigCommand.Markdown(), doc, StringComparison.Ordinal);

        // Every key the process binds is declared: an undeclared one is refused with the nearest declared key.
        var misspelt = new ConfigurationBuilder().AddInMemoryCollection([new("RiskStream:Pipeline:Lane", "2")]).Build();
        var refused = Assert.Throws<RiskStream.Core.Options.OptionsException>(() => RiskStreamOptions.Read(misspelt));
        Assert.Contains("RiskStream:Pipeline:Lanes", refused.Message, StringComparison.Ordinal);
        var unknownSection = new ConfigurationBuilder().AddInMemoryCollection([new("RiskStream:Pipline:Lanes", "2")]).Build();
        Assert.Throws<RiskStream.Core.Options.OptionsException>(() => RiskStreamOptions.Read(unknownSection));
        _ = RiskStreamOptions.Read(new ConfigurationBuilder().Build());
    }

    [Fact]
    public async Task Simulate_publishes_readings_that_the_schema_accepts()
    {
        using var broker = new RiskStream.Testing.BrokerFixture();
        var (code, _, stderr) = await CliProcess.RunAsync(["simulate", "--kafka", broker.Bootstrap, "--for", "3s", "--rate", "200"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        using var consumer = new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(new Confluent.Kafka.ConsumerConfig { BootstrapServers = broker.Bootstrap, GroupId = "sim-check", AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe(RiskStream.Core.Topics.Readings);
        var seen = 0;
        while (consumer.Consume(TimeSpan.FromSeconds(10)) is { } r)
        {
            SchemaAssert.Valid("reading.v1.json", System.Text.Encoding.UTF8.GetString(r.Message.Value));
            Assert.Equal(JsonSerializer.Deserialize(r.Message.Value, ContractJson.Default.Reading)!.Site, System.Text.Encoding.UTF8.GetString(r.Message.Key));
            if (++seen >= 100)
            {
                break;
            }
        }

        // What is asserted is the schema, not the pace: a loaded machine (CI on 2 shared cores) may publish fewer
        // than the nominal 600 in 3 s, but a hundred checked readings are there.
        Assert.True(seen >= 100, $"only {seen} readings in 3 s at 200/s");
    }

    [Fact]
    public void Durations_parse_as_people_write_them()
    {
        Assert.True(Durations.TryParse("500ms", out var a) && a == TimeSpan.FromMilliseconds(500));
        Assert.True(Durations.TryParse("60s", out var b) && b == TimeSpan.FromMinutes(1));
        Assert.True(Durations.TryParse("2m", out var c) && c == TimeSpan.FromMinutes(2));
        Assert.True(Durations.TryParse("00:00:05", out var d) && d == TimeSpan.FromSeconds(5));
        Assert.False(Durations.TryParse("soon", out _));
        Assert.False(Durations.TryParse("-5s", out _));

        // A bare number is neither seconds nor days; nothing beyond a year, nothing that overflows.
        Assert.False(Durations.TryParse("60", out _));
        Assert.False(Durations.TryParse("1", out _));
        Assert.False(Durations.TryParse("1e300s", out _));
        Assert.False(Durations.TryParse("99999999999999d", out _));
        Assert.False(Durations.TryParse("400d", out _));
    }
}
