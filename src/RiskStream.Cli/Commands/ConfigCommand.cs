using System.CommandLine;
using System.Text;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Options;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream config [--markdown]</c>: every configuration key with its default, what it accepts and what it means,
/// and the value in effect here (from riskstream.json, the environment and the flags). With <c>--markdown</c> the
/// reference table of <c>docs/configuration.md</c>, which a test keeps equal to this output.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "print the reference table of docs/configuration.md" };
        var command = new Command("config", "Every configuration key: default, accepted values, meaning, and the value in effect here.") { markdown };
        command.SetAction(parse =>
        {
            if (parse.GetValue(markdown))
            {
                Console.Out.Write(Markdown());
                return 0;
            }

            using var host = ProcessHost.For(parse);
            var effective = host.Options;
            foreach (var row in RiskStreamOptions.Catalog)
            {
                var set = host.Configuration[row.Key] is { Length: > 0 } v ? $" = {(row.Key.EndsWith("File", StringComparison.Ordinal) ? v : v)}" : "";
                Console.Out.WriteLine($"{row.Key}{set}  (default {row.Default}; {row.Accepts}){(row.Flag is null ? "" : $"  {row.Flag}")}");
                Console.Out.WriteLine($"    {row.Description}");
            }

            GC.KeepAlive(effective);
            return 0;
        });
        return command;
    }

    /// <summary>The configuration reference as a Markdown table, one row per key.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| key | default | accepts | meaning |\n| --- | --- | --- | --- |\n");
        foreach (var row in RiskStreamOptions.Catalog)
        {
            var flag = row.Flag is null ? "" : $"; `{row.Flag}`";
            text.Append($"| `{row.Key}` | {Cell(row.Default)} | {Cell(row.Accepts)} | {Cell(row.Description)}{flag} |\n");
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
