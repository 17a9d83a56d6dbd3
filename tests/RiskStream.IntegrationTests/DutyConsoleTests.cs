using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
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
/// The duty console end to end: the embedded broker, a pipeline, the console, and real headless Chromium sessions
/// (Debian's chromium and chromium-driver, driven by Selenium) for the owner enterprise, its regulator and an
/// enterprise with no part in the warning. Screenshots land in <c>TestResults/console/</c> beside the test assembly.
/// </summary>
public sealed partial class DutyConsoleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly ParkRegistry _park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private readonly EmbeddedBroker _broker = EmbeddedBroker.Start();
    private readonly List<ChromeDriver> _browsers = [];
    private SiteDef _site = null!;
    private PipelineInstance _pipeline = null!;
    private WarningBoard _board = null!;
    private EvidenceFeed _evidence = null!;
    private IProducer<byte[]?, byte[]> _producer = null!;
    private ConsoleServer _console = null!;
    private Party _owner = null!;
    private Party _regulator = null!;
    private Party _stranger = null!;

    private static string Artefacts => Path.Combine(AppContext.BaseDirectory, "TestResults", "console");

    public async Task InitializeAsync()
    {
        _broker.EnsureTopics([.. Topics.All(_park)]);
        _site = _park.Sites["SH-HGQ-E04-S1"];
        _owner = new Party(PartyType.Enterprise, _site.Enterprise.Id);
        _regulator = new Party(PartyType.Government, _site.Jurisdiction.Id);

        // An enterprise with no site within a kilometre of the leak and no assistance agreement: never an audience.
        _stranger = new Party(PartyType.Enterprise, _park.Enterprises.Keys.Order(StringComparer.Ordinal).First(e =>
            e != _site.Enterprise.Id && _park.Agreements.All(a => a.Enterprise != e)
            && _park.SiteList.Where(s => s.Enterprise.Id == e).All(s => ParkRegistry.DistanceM(s.Lat, s.Lon, _site.Lat, _site.Lon) > 1_000)));
        _pipeline = new PipelineInstance(_broker.BootstrapServers, _park, "g-console", "console", Topics.AckTopics(_park));
        var parties = _park.Parties.ToList();
        _board = new WarningBoard(_broker.BootstrapServers, new Dictionary<string, string>(), parties, NullLogger.Instance);
        _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
        var hash = PasswordHash.Hash(Password, 10_000);
        var users = new UserStore(parties.Select(p => new ConsoleUser(User(p), $"{p.Id} duty", p, ConsoleRole.Operator, hash)));
        _evidence = new EvidenceFeed(_broker.BootstrapServers, new Dictionary<string, string>(), _park, NullLogger.Instance);
        var sources = new ConsoleSources(_park, RiskStream.Scenarios.Definitions.ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios")), _evidence);
        _console = new ConsoleServer(new ConsoleSettings($"http://localhost:{FreePort()}", SecureCookies: false, SignInsPerMinute: 1_000), _board, users, new AnswerSender(_producer), NullLoggerFactory.Instance, sources);
        await _console.StartAsync(CancellationToken.None);
        Directory.CreateDirectory(Artefacts);
    }

    public async Task DisposeAsync()
    {
        foreach (var browser in _browsers)
        {
            browser.Quit();
            browser.Dispose();
        }

        await _console.DisposeAsync();
        _board.Dispose();
        _evidence.Dispose();
        _producer.Dispose();
        await _pipeline.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task The_owner_sees_the_leak_live_acknowledges_it_the_regulator_sees_that_and_a_stranger_sees_nothing()
    {
        var owner = SignIn(_owner);
        var regulator = SignIn(_regulator);
        var stranger = SignIn(_stranger);

        // The leak starts; the owner's board shows it without a reload.
        Produce(0, 25);
        var row = new WebDriverWait(owner, Deadline).Until(d => d.FindElements(By.CssSelector("#board-rows tr[data-id^='combustible_gas_leak:" + _site.Id + "']")).FirstOrDefault());
        AssertAccessible(owner, "the board");
        var id = row.GetAttribute("data-id")!;
        Assert.Equal(_board.Warnings(_owner).First(w => w.Id == id).Level.Wire(), row.FindElement(By.CssSelector(".badge")).Text.ToLowerInvariant());
        Shot(owner, "board-owner");

        // The regulator opens the warning; the owner opens it and acknowledges.
        regulator.Navigate().GoToUrl($"{_console.Address}/w/{Uri.EscapeDataString(id)}");
        Assert.Contains("notified", OwnerStatus(regulator), StringComparison.Ordinal);
        owner.FindElement(By.CssSelector($"a[href='/w/{Uri.EscapeDataString(id)}']")).Click();
        Assert.Contains("remove ignition sources and stop hot work in the area", owner.FindElement(By.Id("asked")).Text, StringComparison.Ordinal); // the owner's actions from the scenario file
        AssertAccessible(owner, "the warning page");

        // The readings that raised it, charted from the scores topic (the page is drawn again once they have arrived).
        new WebDriverWait(owner, Deadline).Until(d =>
        {
            d.Navigate().Refresh();
            return d.FindElements(By.CssSelector("svg.chart polyline")).Count > 0;
        });
        var points = owner.FindElement(By.CssSelector("svg.chart polyline")).GetAttribute("points")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(points >= 5, $"{points} points charted");
        ((IJavaScriptExecutor)owner).ExecuteScript("document.querySelector('svg.chart').scrollIntoView()");
        Shot(owner, "warning-chart");
        owner.FindElement(By.Id("ack-text")).SendKeys("isolating flange F-7");
        owner.FindElement(By.Id("do-acknowledge")).Click();
        Assert.Contains("was sent", owner.FindElement(By.CssSelector(".notice")).Text, StringComparison.Ordinal);

        // The regulator's page changes by itself.
        new WebDriverWait(regulator, Deadline).Until(d => OwnerStatus(d) == "acknowledged");
        Assert.NotEmpty(regulator.FindElements(By.CssSelector("svg#map circle[fill='#b00020']"))); // the site on the park map
        ((IJavaScriptExecutor)regulator).ExecuteScript("document.getElementById('map').scrollIntoView()");
        Shot(regulator, "warning-map");
        var trail = regulator.FindElement(By.Id("trail")).Text;
        Assert.Contains($"{_site.Enterprise.Id} duty (e", trail, StringComparison.Ordinal); // the user's name and account in the audit trail
        Shot(regulator, "warning-regulator");

        // The owner disposes it with a reason; the regulator sees the disposition.
        new WebDriverWait(owner, Deadline).Until(d => d.FindElements(By.Id("disposition")).Count > 0);
        owner.FindElement(By.CssSelector("#disposition option[value='confirmed_hazard']")).Click();
        owner.FindElement(By.Id("dispose-text")).SendKeys("gasket of F-7 replaced");
        owner.FindElement(By.Id("do-dispose")).Click();
        new WebDriverWait(regulator, Deadline).Until(d => d.FindElements(By.CssSelector("p#disposition")).FirstOrDefault()?.Text.Contains("confirmed hazard", StringComparison.Ordinal) == true);
        Shot(owner, "warning-owner");

        // Another enterprise: nothing on its board, and the warning's page does not exist for it.
        Assert.DoesNotContain(id, stranger.FindElement(By.Id("board-rows")).GetAttribute("innerHTML") ?? "", StringComparison.Ordinal);
        stranger.Navigate().GoToUrl($"{_console.Address}/w/{Uri.EscapeDataString(id)}");
        Assert.Equal("No such warning", stranger.FindElement(By.TagName("h1")).Text);
        Assert.Empty(stranger.FindElements(By.Id("panel")));
        Assert.DoesNotContain(_site.Id, stranger.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Over_http_every_party_sees_and_answers_only_the_warnings_it_is_an_audience_of()
    {
        Produce(0, 25);
        await Eventually.TrueAsync(() => _board.Warnings(_owner).Any(w => w.Scenario == "combustible_gas_leak"), Deadline, "the leak on the owner's board");
        // Every warning the site's regulator was told of (it is an audience of every event), with every party that was told too.
        var warnings = _board.Warnings(_regulator, all: true).ToList();
        var told = warnings.ToDictionary(w => w.Id, w => _board.History(_regulator, w.Id)!.SelectMany(e => e.Audiences).Select(a => new Party(a.Type, a.Id)).ToHashSet());
        await Eventually.TrueAsync(() => told.All(t => t.Value.All(p => _board.History(p, t.Key) is not null)), Deadline, "every audience's topic read");
        foreach (var party in _park.Parties)
        {
            using var client = await HttpSignInAsync(party);
            var board = await client.GetStringAsync(new Uri("/", UriKind.Relative));
            foreach (var w in warnings)
            {
                var audience = told[w.Id].Contains(party);
                Assert.Equal(audience, board.Contains(w.Id, StringComparison.Ordinal) || _board.Warnings(party).All(x => x.Id != w.Id) && audience);
                var page = await client.GetAsync(new Uri($"/w/{Uri.EscapeDataString(w.Id)}", UriKind.Relative));
                Assert.True((page.StatusCode == HttpStatusCode.OK) == audience, $"{party.Address()} → {w.Id}: {page.StatusCode}");
                if (!audience)
                {
                    // Acting on it is refused as if it did not exist (the form's token is valid: it is this user's own).
                    var token = Csrf().Match(board).Groups[1].Value;
                    using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = WebUtility.HtmlDecode(token), ["kind"] = "acknowledge" });
                    var answer = await client.PostAsync(new Uri($"/w/{Uri.EscapeDataString(w.Id)}/answer", UriKind.Relative), form);
                    Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
                }
            }
        }

        // The history as CSV: the owner's rows, its role, formula-looking cells defused.
        using (var csvClient = await HttpSignInAsync(_owner))
        {
            var csv = await csvClient.GetStringAsync(new Uri("/history.csv?scenario=combustible_gas_leak", UriKind.Relative));
            var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("id,scenario,level,status,site,", lines[0], StringComparison.Ordinal);
            Assert.Contains(lines.Skip(1), l => l.StartsWith("combustible_gas_leak:" + _site.Id, StringComparison.Ordinal) && l.Contains(",owner,", StringComparison.Ordinal));
            Assert.All(lines.Skip(1), l => Assert.Contains(",combustible_gas_leak,", l, StringComparison.Ordinal));
        }

        // Without a session: nothing but the sign-in page; without the form's token: refused.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_console.Address) };
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        using var owner = await HttpSignInAsync(_owner);
        using var noToken = new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "acknowledge" });
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsync(new Uri($"/w/{Uri.EscapeDataString(warnings[0].Id)}/answer", UriKind.Relative), noToken)).StatusCode);
        var headers = (await owner.GetAsync(new Uri("/", UriKind.Relative))).Headers;
        Assert.Contains("default-src 'none'", headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_Chinese_browser_gets_Chinese_pages_with_the_scenario_files_translations_and_can_switch()
    {
        Produce(0, 25);
        var owner = SignIn(_owner, "zh-CN");
        var row = new WebDriverWait(owner, Deadline).Until(d => d.FindElements(By.CssSelector("#board-rows tr[data-id^='combustible_gas_leak:" + _site.Id + "']")).FirstOrDefault());
        Assert.Equal($"ent:{_site.Enterprise.Id} 的预警", owner.FindElement(By.TagName("h1")).Text);
        Assert.Equal("zh-CN", owner.FindElement(By.TagName("html")).GetAttribute("lang"));
        Assert.Contains("可燃气体泄漏", row.Text, StringComparison.Ordinal); // the title from the scenario file's translation
        row.FindElement(By.TagName("a")).Click();
        Assert.Contains("消除点火源，停止区域内动火作业", owner.FindElement(By.Id("asked")).Text, StringComparison.Ordinal);
        Assert.Equal("确认", owner.FindElement(By.Id("do-acknowledge")).Text);
        AssertAccessible(owner, "the Chinese warning page");
        Shot(owner, "warning-zh");

        // The switch: English from now on, on the same page, for this browser.
        owner.FindElement(By.Id("lang")).Click();
        Assert.Equal("Acknowledge", owner.FindElement(By.Id("do-acknowledge")).Text);
        owner.Navigate().GoToUrl(_console.Address + "/");
        Assert.StartsWith("Warnings of", owner.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
    }

    /// <summary>axe-core (shipped inside Deque.AxeCore.Commons, nothing fetched) on the page as it stands: no serious or critical WCAG 2 A/AA violation.</summary>
    private void AssertAccessible(ChromeDriver browser, string what)
    {
        using var stream = typeof(Deque.AxeCore.Commons.AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")!;
        browser.ExecuteScript(new StreamReader(stream).ReadToEnd());
        browser.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(60);
        var json = (string?)browser.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) })))));
            """);
        Assert.NotNull(json);
        var violations = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        foreach (var v in violations)
        {
            output.WriteLine($"axe on {what}: {v}");
        }

        Assert.DoesNotContain(violations, v => v.GetProperty("impact").GetString() is "serious" or "critical");
    }

    private static string User(Party p) => $"{p.Type.Wire()}-{p.Id.ToLowerInvariant()}";

    private async Task<HttpClient> HttpSignInAsync(Party party)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = new Uri(_console.Address) };
        var signin = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = WebUtility.HtmlDecode(Csrf().Match(signin).Groups[1].Value), ["user"] = User(party), ["password"] = Password });
        var response = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    private ChromeDriver SignIn(Party party, string language = "en-US")
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=" + language);
        options.AddUserProfilePreference("intl.accept_languages", language);
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        var browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _browsers.Add(browser);
        browser.Navigate().GoToUrl($"{_console.Address}/signin");
        browser.FindElement(By.Id("user")).SendKeys(User(party));
        browser.FindElement(By.Id("password")).SendKeys(Password);
        browser.FindElement(By.CssSelector("button[type=submit]")).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(30)).Until(d => d.FindElements(By.Id("board-rows")).Count > 0);
        return browser;
    }

    private string OwnerStatus(IWebDriver d) =>
        d.FindElements(By.CssSelector($"#responses tr[data-party='ent:{_site.Enterprise.Id}'] td:nth-child(3)")).FirstOrDefault()?.Text ?? "";

    private void Produce(int from, int to)
    {
        foreach (var r in Readings.Leak(_site, DateTimeOffset.UtcNow.AddSeconds(-to - 5), from, to, new Random(3)))
        {
            _producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = r.Key, Value = r.Value });
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    private void Shot(ChromeDriver browser, string name)
    {
        var path = Path.Combine(Artefacts, name + ".png");
        browser.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot {path}");
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]*)\"")]
    private static partial Regex Csrf();
}
