using Microsoft.Extensions.Configuration;
using RiskStream.Cli.Fuzzing;
using RiskStream.Cli.Hosting;

namespace RiskStream.IntegrationTests;

/// <summary>
/// The short version of <c>riskstream fuzz</c> (the long run is a command): every decoder and loader takes mutated
/// inputs and accepts or refuses each with a reason, never crashing and never allocating past its bound.
/// </summary>
public sealed class FuzzTests
{
    private static readonly RiskStreamOptions Options = RiskStreamOptions.Read(new ConfigurationBuilder().Build());

    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (var t in FuzzTargets.All(Options))
        {
            data.Add(t.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_mutated_input_is_accepted_or_refused_with_a_reason(string name)
    {
        var target = FuzzTargets.All(Options).Single(t => t.Name == name);
        var result = FuzzRunner.Run(target, cases: 3_000, seed: 20261202, findings: null);

        Assert.True(result.Crashes.Count == 0, string.Join("\n", result.Crashes.Distinct().Take(5)));
        Assert.Equal(0, result.OverAllocation);
        Assert.Equal(result.Cases, result.Accepted + result.Refused);
        // The mutations reach both sides: some cases still pass, most are refused for a reason.
        Assert.True(result.Accepted > 0, "no mutated case was accepted");
        Assert.True(result.Refused > result.Cases / 10, "the mutations barely changed the seeds");
    }

    [Fact]
    public void A_decoder_that_throws_an_undocumented_exception_is_a_crash_kept_with_its_input()
    {
        var seeds = new[] { "{\"a\":1}"u8.ToArray() };
        var target = new FuzzTarget("broken", seeds, input => input.Length > 7 ? throw new NullReferenceException("boom") : null, [typeof(FormatException)]);
        var folder = Path.Combine(Path.GetTempPath(), "riskstream-fuzz-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = FuzzRunner.Run(target, cases: 500, seed: 7, findings: folder);
            Assert.NotEmpty(result.Crashes);
            Assert.Contains("NullReferenceException: boom", result.Crashes);
            Assert.NotEmpty(Directory.GetFiles(folder, "broken-*.bin"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
