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
}
