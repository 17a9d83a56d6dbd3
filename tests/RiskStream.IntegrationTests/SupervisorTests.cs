using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Cli.Hosting;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;

namespace RiskStream.IntegrationTests;

/// <summary>Transient failures are retried with back-off; a permanent Kafka error ends the run with its own exit code.</summary>
public sealed class SupervisorTests
{
    [Fact]
    public async Task A_transient_failure_is_retried_and_a_permanent_Kafka_error_ends_the_run()
    {
        var time = new FakeTimeProvider();
        var supervisor = new Supervisor("job", TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), time, NullLogger.Instance);
        var runs = 0;
        var run = supervisor.RunAsync(
            _ =>
            {
                runs++;
                return runs < 3
                    ? Task.FromException(new KafkaException(ErrorCode.Local_Transport))
                    : Task.FromException(new PermanentKafkaException(new Error(ErrorCode.TopicAuthorizationFailed), "producing to riskstream.scores"));
            },
            CancellationToken.None);
        while (!run.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(5);
        }

        var error = await Assert.ThrowsAsync<PermanentKafkaException>(() => run);
        Assert.Equal(3, runs);
        Assert.Equal(2, supervisor.Restarts);
        Assert.Contains("riskstream acls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_never_reached_its_broker_says_so_and_exits_non_zero()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["run", "--kafka", "127.0.0.1:1", "--for", "8s", "--metrics-port", "0"], TimeSpan.FromMinutes(1));
        Assert.True(code == 4, $"exit {code}: {stderr}");
        Assert.Contains("never reached the Kafka cluster at 127.0.0.1:1", stderr, StringComparison.Ordinal);
    }
}
