using RiskStream.Core.Contracts;
using RiskStream.DutyConsole;

namespace RiskStream.IntegrationTests;

/// <summary>The duty console's parts without a server: password hashes, accounts, the CSV export.</summary>
public sealed class ConsolePartsTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_password_hash_verifies_only_its_password_and_a_malformed_hash_verifies_nothing()
    {
        var hash = PasswordHash.Hash("correct horse battery", 10_000);
        Assert.StartsWith("pbkdf2-sha256$10000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHash.Verify("correct horse battery", hash));
        Assert.False(PasswordHash.Verify("correct horse batterY", hash));
        Assert.NotEqual(hash, PasswordHash.Hash("correct horse battery", 10_000)); // salted
        foreach (var bad in new[] { "", "md5$1$a$b", "pbkdf2-sha256$1$AAAA$AAAA", "pbkdf2-sha256$10000$%%%$AAAA", "pbkdf2-sha256$99999999999$AAAA$AAAA" })
        {
            Assert.False(PasswordHash.Verify("x", bad), bad);
        }
    }

    [Fact]
    public void Accounts_sign_in_with_their_password_only_and_names_are_checked()
    {
        var users = new UserStore([new ConsoleUser("li.wei", "Li Wei", new Party(PartyType.Government, "310116"), ConsoleRole.Operator, PasswordHash.Hash("a long passphrase", 10_000))]);
        Assert.Equal("li.wei", users.SignIn("li.wei", "a long passphrase")?.Name);
        Assert.Null(users.SignIn("li.wei", "wrong"));
        Assert.Null(users.SignIn("nobody", "a long passphrase"));
        Assert.Throws<ArgumentException>(() => users.Add(new ConsoleUser("Li Wei", "x", new Party(PartyType.Enterprise, "E1"), ConsoleRole.Viewer, "")));
        Assert.Equal(new Party(PartyType.Enterprise, "E04"), UserStore.ParseParty("ent:E04"));
        Assert.Null(UserStore.ParseParty("citizen:E04"));
        Assert.Null(UserStore.ParseParty("ent:"));

        var path = Path.Combine(Path.GetTempPath(), $"users-{Guid.NewGuid():N}.json");
        try
        {
            users.Save(path);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.Equal("li.wei", UserStore.Load(path).SignIn("li.wei", "a long passphrase")?.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_csv_export_quotes_what_needs_it_and_defuses_formulas()
    {
        var owner = new Party(PartyType.Enterprise, "E1");
        var e = new WarningEvent("gas:S1:1", 3, "gas", WarningLevel.Orange, WarningStatus.Closed, "S1", "E1", "P", T, T, [], [], [], [], [])
        {
            ResolvedAt = T,
            Disposition = new Disposition(DispositionReason.FalseAlarm, owner, ResponseRole.Owner, "=HYPERLINK(\"http://x\")", T, null),
        };
        var lines = HistoryCsv.Write([e], owner).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"ent:E1 =HYPERLINK(\"\"http://x\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",owner,", lines[1], StringComparison.Ordinal);
        var formula = HistoryCsv.Write([e with { Site = "=1+1" }], owner);
        Assert.Contains(",'=1+1,", formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_phrase_the_pages_use_has_its_Chinese_and_every_wire_value_its_word()
    {
        var sources = Directory.GetFiles(RiskStream.Testing.RepoPaths.Of("src", "RiskStream.DutyConsole"), "*.cs").Select(File.ReadAllText).ToArray();
        var phrases = sources.SelectMany(src => System.Text.RegularExpressions.Regex.Matches(src, @"\bt(?:\.Format\()?\[?""((?:[^""\\]|\\.)+)""").Select(m => m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal)))
            .Concat(["Unknown user or wrong password.", "Your organisation's sign-in names no party this console serves.", "Level", "Status", "Scenario", "Site", "Time", "Your part", "Why", "Confirm or close", "Dispose"])
            .Distinct().ToArray();
        Assert.True(phrases.Length > 60, $"{phrases.Length} phrases found: the pattern no longer matches the pages");
        Assert.DoesNotContain(phrases, p => !Texts.Zh.ContainsKey(p));
        var wires = WireNames.All<WarningLevel>().Concat(WireNames.All<WarningStatus>()).Concat(WireNames.All<ResponseRole>()).Concat(WireNames.All<ResponseStatus>())
            .Concat(WireNames.All<DispositionReason>()).Concat(WireNames.All<ResponseKind>()).Concat(WireNames.All<AssistanceStatus>()).Concat(WireNames.All<AlarmLevel>()).Concat(WireNames.All<ConsoleRole>());
        Assert.DoesNotContain(wires, w => !Texts.Words.ContainsKey(w));
        Assert.Equal("confirmed hazard", Texts.English.Word("confirmed_hazard"));
        Assert.Equal("误报", Texts.Chinese.Word("false_alarm"));
    }

    [Fact]
    public void The_evidence_feed_keeps_30_minutes_per_sensor_and_thins_without_losing_a_spike()
    {
        var park = RiskStream.Core.Registry.ParkRegistry.Load(RiskStream.Testing.RepoPaths.Of("config", "park.json"));
        var sensor = park.SiteList[0].Sensors.First();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T);
        using var feed = new EvidenceFeed("127.0.0.1:1", new Dictionary<string, string>(), park, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, clock);
        Score At(TimeSpan ago, double value) => new("r", sensor.Site.Id, sensor.Id, sensor.Kind, value, "%LEL", T - ago, AlarmLevel.None, 0, "m", false, new WindowSummary(1, value, value, value, 0), false);
        feed.Add(At(TimeSpan.FromMinutes(40), 99)); // older than the chart
        for (var ms = 0; ms < 10_000; ms += 500)
        {
            feed.Add(At(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(ms), ms == 3_000 ? 70 : 10));
        }

        feed.Add(At(TimeSpan.FromMinutes(6), 50)); // late: older than what it holds
        feed.Add(At(TimeSpan.Zero, 5) with { Sensor = "not-a-sensor" });
        var points = feed.Readings(sensor.Site.Id, sensor.Id);
        Assert.Equal(5, points.Count); // 10 s at one point per 2 s
        Assert.Contains(points, p => p.Value == 70); // the spike survives the thinning
        Assert.DoesNotContain(points, p => p.Value is 99 or 50);
        Assert.Empty(feed.Readings(sensor.Site.Id, "not-a-sensor"));
        clock.Advance(TimeSpan.FromMinutes(26));
        Assert.Empty(feed.Readings(sensor.Site.Id, sensor.Id));
    }

    [Fact]
    public void A_spectrum_chart_marks_its_strongest_bands_and_a_readings_chart_its_setpoints()
    {
        var w = Enumerable.Range(0, 1000).Select(i => 200.0 + (i * 1.8)).ToArray();
        double Band(double x, double at, double h) => h * Math.Exp(-Math.Pow((x - at) / 6, 2));
        var y = w.Select(x => 10 + Band(x, 1044, 900) + Band(x, 713, 300) + Band(x, 1660, 120)).ToArray();
        var svg = Charts.Spectrum("s", "label <b>", w, y, bands: 3);
        var marks = System.Text.RegularExpressions.Regex.Matches(svg, @"fill=""#b00020"">(\d+)</text>").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(3, marks.Length);
        Assert.All(new[] { 1044.0, 713, 1660 }, band => Assert.Contains(marks, m => Math.Abs(m - band) <= 2));
        Assert.Contains("aria-label=\"label &lt;b&gt;\"", svg, StringComparison.Ordinal);

        var chart = Charts.Readings("c", "x", [(T.AddMinutes(-20), 10), (T.AddMinutes(-10), 30)], 25, 50, T.AddMinutes(-10), T.AddMinutes(-30), T);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(chart, "stroke-dasharray"));
        Assert.Contains("<polyline", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void The_history_filters_by_time_and_by_the_readers_words()
    {
        WarningEvent At(string id, int minutes, DispositionReason? reason) => new WarningEvent(id, 1, "gas", WarningLevel.Blue, WarningStatus.Closed, "S1", "E1", "P", T.AddMinutes(minutes), T.AddMinutes(minutes), [], [], [], [], []) with
        {
            Disposition = reason is { } r ? new Disposition(r, new Party(PartyType.Enterprise, "E1"), ResponseRole.Owner, "x", T, null) : null,
        };
        var warnings = new[] { At("a", -90, DispositionReason.FalseAlarm), At("b", -30, null), At("c", 10, DispositionReason.ConfirmedHazard) };
        IReadOnlyList<string> Keep(string query) => Pages.Filtered(new Microsoft.AspNetCore.Http.QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)), warnings).Select(e => e.Id).ToArray();
        Assert.Equal(["b", "c"], Keep("?from=2026-12-02T07:00"));
        Assert.Equal(["a", "b"], Keep("?until=2026-12-02T08:00"));
        Assert.Equal(["a"], Keep("?disposition=误报"));
        Assert.Equal(["a"], Keep("?disposition=false"));
        Assert.Equal(["a", "b", "c"], Keep("?from=garbage"));
    }
}
