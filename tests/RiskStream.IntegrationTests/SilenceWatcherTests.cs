using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Testing;
using RiskStream.Scenarios.Engine;

namespace RiskStream.IntegrationTests;

public sealed class SilenceWatcherTests
{
    [Fact]
    public async Task A_silence_declared_while_running_takes_effect_and_a_broken_file_keeps_the_previous_ones()
    {
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var dir = Directory.CreateTempSubdirectory("silences");
        try
        {
            var path = Path.Combine(dir.FullName, "silences.yaml");
            await File.WriteAllTextAsync(path, "silences: []\n");
            var book = new SilenceBook([]);
            var log = new RecordingLogger();
            using var watcher = new SilenceWatcher(path, registry, book, log);

            await File.WriteAllTextAsync(path, """
                silences:
                  - site: SH-HGQ-E04-S1
                    sensor: TK1041-LT-1
                    from: 2026-11-29T08:00:00+08:00
                    until: 2026-11-29T12:00:00+08:00
                    declaredBy: "E04 maintenance: Wang"
                    reason: level gauge calibration
                """);
            await Eventually.TrueAsync(() => book.Current.Count == 1, TimeSpan.FromSeconds(30), "the new silence in force");
            Assert.Equal(("SH-HGQ-E04-S1", "TK1041-LT-1", "E04 maintenance: Wang"), (book.Current[0].Site, book.Current[0].Sensor, book.Current[0].DeclaredBy));

            await File.WriteAllTextAsync(path, "silences:\n  - site: NO-SUCH-SITE\n");
            await Eventually.TrueAsync(() => log.Lines.Any(l => l.Level == LogLevel.Error && l.Message.StartsWith("Silences file not reloaded", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the refusal in the log");
            Assert.Single(book.Current);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
