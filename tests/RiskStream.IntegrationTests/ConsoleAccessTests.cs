using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.DutyConsole;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Testing;
using Xunit.Abstractions;

namespace RiskStream.IntegrationTests;

/// <summary>
/// Who gets into the duty console and what they see, at the HTTP level on the embedded broker: single sign-on
/// through an OpenID Connect provider, and isolation between parties over random registries.
/// </summary>
public sealed partial class ConsoleAccessTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "correct horse battery";
    private static readonly DateTimeOffset T = DateTimeOffset.UtcNow.AddMinutes(-10);
    private EmbeddedBroker _broker = EmbeddedBroker.Start();
    private IProducer<byte[]?, byte[]> _producer = null!;

    public void Dispose() => Restart(keep: false);

    /// <summary>A fresh broker (random registries reuse party ids, so each gets topics of its own) and its producer.</summary>
    private void Restart(bool keep = true)
    {
        _producer?.Dispose();
        _broker.Dispose();
        if (keep)
        {
            _broker = EmbeddedBroker.Start();
            _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
        }
    }

    [Fact]
    public async Task Single_sign_on_maps_the_providers_claims_to_a_party_and_a_role_and_refuses_a_user_without_a_party()
    {
        Restart();
        var park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var site = park.SiteList[0];
        var owner = new Party(PartyType.Enterprise, site.Enterprise.Id);
        var warning = Warning("combustible_gas_leak:" + site.Id + ":1", site, [owner, new Party(PartyType.Government, site.Jurisdiction.Id)]);
        Publish(warning);
        await using var provider = new TestIdentityProvider("riskstream-console", "provider-secret");
        await provider.StartAsync();
        await using var console = await StartAsync(park, new UserStore([]), new SingleSignOn(provider.Issuer, "riskstream-console", "provider-secret", "Test IdP", RequireHttps: false));
        await Eventually.TrueAsync(() => console.Board.Warnings(owner).Count == 1, TimeSpan.FromSeconds(60), "the warning on the board");

        // An operator of the owner: through the provider and back, signed in, its board and the right to answer.
        provider.User = new() { ["sub"] = "u-1", ["preferred_username"] = "wang.fang", ["name"] = "Wang Fang", ["riskstream_party"] = owner.Address(), ["riskstream_role"] = "operator" };
        using var operatorClient = Browser(console.Address);
        var signin = await operatorClient.GetStringAsync(new Uri("/signin", UriKind.Relative));
        Assert.Contains("Test IdP", signin, StringComparison.Ordinal);
        var board = await operatorClient.GetAsync(new Uri("/signin/oidc", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        Assert.Equal("/", board.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await board.Content.ReadAsStringAsync();
        Assert.Contains($"Warnings of {owner.Address()}", html, StringComparison.Ordinal);
        Assert.Contains("Wang Fang", html, StringComparison.Ordinal);
        Assert.Contains(warning.Id, html, StringComparison.Ordinal);
        var page = await operatorClient.GetStringAsync(new Uri($"/w/{Uri.EscapeDataString(warning.Id)}", UriKind.Relative));
        Assert.Contains("id=\"do-acknowledge\"", page, StringComparison.Ordinal);

        // A viewer sees but may not answer.
        provider.User = new() { ["sub"] = "u-2", ["preferred_username"] = "zhao.lei", ["riskstream_party"] = owner.Address(), ["riskstream_role"] = "auditor" };
        using var viewer = Browser(console.Address);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(new Uri("/signin/oidc", UriKind.Relative))).StatusCode);
        var viewerPage = await viewer.GetStringAsync(new Uri($"/w/{Uri.EscapeDataString(warning.Id)}", UriKind.Relative));
        Assert.DoesNotContain("do-acknowledge", viewerPage, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = WebUtility.HtmlDecode(Csrf().Match(viewerPage).Groups[1].Value), ["kind"] = "acknowledge" });
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri($"/w/{Uri.EscapeDataString(warning.Id)}/answer", UriKind.Relative), form)).StatusCode);

        // A token naming no party of this console (or none at all): back at the sign-in page, not signed in.
        foreach (object party in new object[] { "ent:NO-SUCH", "", new[] { owner.Address(), "gov:" + site.Jurisdiction.Id } })
        {
            provider.User = new() { ["sub"] = "u-3", ["preferred_username"] = "stranger", ["riskstream_party"] = party, ["riskstream_role"] = "operator" };
            using var stranger = Browser(console.Address);
            var refused = await stranger.GetAsync(new Uri("/signin/oidc", UriKind.Relative));
            Assert.Equal("/signin", refused.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("names no party this console serves", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("/signin", (await stranger.GetAsync(new Uri("/", UriKind.Relative))).RequestMessage!.RequestUri!.AbsolutePath);
        }

        Assert.Equal(5, provider.Authorizations);
    }

    [Fact]
    public async Task A_careless_or_hostile_client_gets_a_clear_refusal_not_an_error()
    {
        Restart();
        var park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        await using var console = await StartAsync(park, new UserStore([]));
        using var client = Browser(console.Address);
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(new Uri("/signin", UriKind.Relative))).Groups[1].Value);
        // A value over the form's 16 KB limit, then a body over the 64 KB limit: refused (the form cannot be read, so
        // neither can its token), and the server answers the next request as before.
        using var huge = new StringContent($"csrf={Uri.EscapeDataString(token)}&user=x&password=" + new string('a', 200_000), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/signin", UriKind.Relative), huge)).StatusCode);
        var fields = string.Concat(Enumerable.Range(0, 10).Select(i => $"&f{i}=" + new string('b', 10_000)));
        using var large = new StringContent($"csrf={Uri.EscapeDataString(token)}&user=x" + fields, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        var status = (await client.PostAsync(new Uri("/signin", UriKind.Relative), large)).StatusCode;
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, status.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/signin", UriKind.Relative))).StatusCode);
        using var noToken = new StringContent("user=x&password=y", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser(console.Address).PostAsync(new Uri("/signin", UriKind.Relative), noToken)).StatusCode);

        // The language switch sends nobody to another site, whatever "back" says.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(console.Address) };
        foreach (var back in new[] { "https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/", "/\r\n/evil.example/", "javascript:alert(1)", "" })
        {
            var r = await noRedirect.GetAsync(new Uri("/lang/zh-CN?back=" + Uri.EscapeDataString(back), UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Equal("/", r.Headers.Location!.OriginalString);
        }

        var ok = await noRedirect.GetAsync(new Uri("/lang/zh-CN?back=" + Uri.EscapeDataString("/history?site=S1"), UriKind.Relative));
        Assert.Equal("/history?site=S1", ok.Headers.Location!.OriginalString);
        Assert.Contains("riskstream.lang=zh-CN", string.Join(";", ok.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        var unknown = await noRedirect.GetAsync(new Uri("/lang/fr?back=/", UriKind.Relative));
        Assert.False(unknown.Headers.Contains("Set-Cookie") && string.Join(";", unknown.Headers.GetValues("Set-Cookie")).Contains("riskstream.lang", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Over_random_registries_each_party_sees_exactly_the_warnings_it_was_told_of_on_every_page()
    {
        var hash = PasswordHash.Hash(Password, 10_000);
        for (var seed = 1; seed <= 4; seed++)
        {
            var rng = new Random(seed);
            var park = RandomParks.Registry(rng);
            Restart();
            var parties = park.Parties.ToList();
            var warnings = Enumerable.Range(0, rng.Next(4, 14)).Select(i =>
            {
                var site = park.SiteList[rng.Next(park.SiteList.Count)];
                var told = new HashSet<Party> { new(PartyType.Enterprise, site.Enterprise.Id), new(PartyType.Government, site.Jurisdiction.Id) };
                told.UnionWith(parties.Where(_ => rng.Next(4) == 0));
                return Warning($"s{seed}_scenario:{site.Id}:{i}", site, [.. told]);
            }).ToList();
            await using var console = await StartAsync(park, new UserStore(parties.Select(p => new ConsoleUser(User(p), p.Address(), p, ConsoleRole.Operator, hash))));
            var before = console.Board.Read;
            foreach (var w in warnings)
            {
                Publish(w);
            }

            var expectedMessages = warnings.Sum(w => w.Audiences.Count);
            await Eventually.TrueAsync(() => parties.All(p => warnings.Where(w => Told(w, p)).All(w => console.Board.History(p, w.Id) is not null)), TimeSpan.FromSeconds(60), "every party's topic read");
            foreach (var party in parties)
            {
                using var client = Browser(console.Address);
                await SignInAsync(client, party);
                var expected = warnings.Where(w => Told(w, party)).Select(w => w.Id).Order(StringComparer.Ordinal).ToArray();
                var history = await client.GetStringAsync(new Uri("/history", UriKind.Relative));
                Assert.Equal(expected, Ids().Matches(history).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray());
                var csv = await client.GetStringAsync(new Uri("/history.csv", UriKind.Relative));
                Assert.Equal(expected, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).Order(StringComparer.Ordinal).ToArray());
                foreach (var w in warnings)
                {
                    var status = (await client.GetAsync(new Uri($"/w/{Uri.EscapeDataString(w.Id)}", UriKind.Relative))).StatusCode;
                    Assert.True((status == HttpStatusCode.OK) == Told(w, party), $"seed {seed}: {party.Address()} → {w.Id}: {status}");
                }
            }

            output.WriteLine($"seed {seed}: {parties.Count} parties, {warnings.Count} warnings, {expectedMessages} per-party messages; read {console.Board.Read - before}");
        }
    }

    private static bool Told(WarningEvent w, Party p) => w.Audiences.Any(a => a.Type == p.Type && a.Id == p.Id);

    private static WarningEvent Warning(string id, SiteDef site, IReadOnlyList<Party> told) =>
        new(id, 1, id.Split(':')[0], WarningLevel.Yellow, WarningStatus.Raised, site.Id, site.Enterprise.Id, site.Jurisdiction.Id, T, T, [], ["m/1"], [.. told.Select(p => new Audience(p.Type, p.Id, "test"))], [], [])
        {
            Title = "Test warning",
            Responses = [.. told.Select(p => new PartyResponse(p, p.Type == PartyType.Government ? ResponseRole.Regulator : ResponseRole.Owner, ResponseStatus.Notified, T))],
        };

    /// <summary>The event on the warning topic of each party it was told to, as the pipeline writes it.</summary>
    private void Publish(WarningEvent w)
    {
        var value = JsonSerializer.SerializeToUtf8Bytes(w, ContractJson.Default.WarningEvent);
        foreach (var a in w.Audiences)
        {
            _producer.Produce(Topics.WarningsOf(a.Type, a.Id), new Message<byte[]?, byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(w.Id), Value = value });
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    private async Task<RunningConsole> StartAsync(ParkRegistry park, UserStore users, SingleSignOn? sso = null)
    {
        _broker.EnsureTopics([.. park.Parties.Select(p => Topics.WarningsOf(p.Type, p.Id))]);
        var board = new WarningBoard(_broker.BootstrapServers, new Dictionary<string, string>(), park.Parties, NullLogger.Instance);
        var server = new ConsoleServer(new ConsoleSettings($"http://localhost:{FreePort()}", SecureCookies: false, SignInsPerMinute: 1_000, SingleSignOn: sso), board, users, new AnswerSender(_producer), NullLoggerFactory.Instance, new ConsoleSources(park));
        await server.StartAsync(CancellationToken.None);
        return new RunningConsole(server, board);
    }

    private static HttpClient Browser(string address) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = new Uri(address) };

    private static async Task SignInAsync(HttpClient client, Party party)
    {
        var signin = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = WebUtility.HtmlDecode(Csrf().Match(signin).Groups[1].Value), ["user"] = User(party), ["password"] = Password });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri("/signin", UriKind.Relative), form)).StatusCode);
    }

    private static string User(Party p) => $"{p.Type.Wire()}-{p.Id.ToLowerInvariant()}";

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]*)\"")]
    private static partial Regex Csrf();

    [GeneratedRegex("<tr class=\"level-[a-z]+\" data-id=\"([^\"]+)\"")]
    private static partial Regex Ids();

    private sealed record RunningConsole(ConsoleServer Server, WarningBoard Board) : IAsyncDisposable
    {
        public string Address => Server.Address;

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Board.Dispose();
        }
    }
}
