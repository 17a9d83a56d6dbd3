using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using RiskStream.Cli.Commands;
using RiskStream.Cli.Report;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Kafka;
using RiskStream.Testing;
using Xunit.Abstractions;

namespace RiskStream.IntegrationTests;

/// <summary>The regulator's report: records read back from the topics, figures worked out by hand, the HTML looked at in Chromium.</summary>
public sealed class ReportTests(ITestOutputHelper output)
{
    [Fact]
    public void A_days_report_from_the_topics_has_each_enterprises_figures_and_renders_with_its_chart()
    {
        var park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var site = park.Sites["SH-HGQ-E04-S1"];
        var now = DateTimeOffset.UtcNow;
        var (kpis, quality) = KpiDashboardTests.Records(park, now);
        using var broker = EmbeddedBroker.Start();
        broker.EnsureTopics([Topics.Kpis, Topics.DataQuality]);
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = broker.BootstrapServers }.ToConfig()).Build())
        {
            foreach (var k in kpis)
            {
                producer.Produce(Topics.Kpis, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes($"{k.Scope}:{k.Id}:{k.Window}:{k.From.ToUnixTimeMilliseconds()}"), Value = JsonSerializer.SerializeToUtf8Bytes(k, ContractJson.Default.AlarmKpis) });
            }

            foreach (var q in quality)
            {
                producer.Produce(Topics.DataQuality, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes($"{q.Scope}:{q.Id}:{q.Window}:{q.From.ToUnixTimeMilliseconds()}"), Value = JsonSerializer.SerializeToUtf8Bytes(q, ContractJson.Default.DataQuality) });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var (readKpis, readQuality) = ReportCommand.ReadAll(broker.BootstrapServers, new Dictionary<string, string>());
        Assert.Equal((kpis.Count, quality.Count), (readKpis.Count, readQuality.Count));
        var (from, until) = ReportCommand.Period(now, "day");
        var report = new RegulatorReport(park, site.Jurisdiction.Id, from, until, readKpis, readQuality);

        // The last complete day: 24 hourly leaks at E04, every third (by hour since the start) a false alarm; each sensor
        // reported every other period, 8 of its 180 readings an hour flagged: intact 172/360, online 180/360, over the
        // enterprise's sensors at all its sites (the others silent).
        var e04 = report.Rows().Single(r => r.Id == site.Enterprise.Id);
        Assert.Equal((24, 8, 24, 0), (e04.Raised, e04.FalseAlarms, e04.Disposed, e04.OverdueAcks));
        var share = (double)site.Sensors.Count / park.SiteList.Where(s => s.Enterprise == site.Enterprise).Sum(s => s.Sensors.Count);
        Assert.Equal((Math.Round(share * 180 / 360, 4), Math.Round(share * 172 / 360, 4)), (e04.Online, e04.Intact));
        var csv = report.Csv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("enterprise,name,raised,", csv[0], StringComparison.Ordinal);
        Assert.Contains(csv, l => l.StartsWith($"{site.Enterprise.Id},", StringComparison.Ordinal) && l.Contains(",24,", StringComparison.Ordinal));

        var html = report.Html(now);
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "report", "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, html);
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1400");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        using var browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        browser.Navigate().GoToUrl(new Uri(path).AbsoluteUri);
        Assert.StartsWith("Safety early-warning report:", browser.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        Assert.True(Convert.ToInt64(browser.ExecuteScript("return document.querySelector('img').naturalWidth"), System.Globalization.CultureInfo.InvariantCulture) > 0, "the chart renders");
        browser.GetScreenshot().SaveAsFile(Path.ChangeExtension(path, ".png"));
        output.WriteLine($"report {path} and its screenshot");
        browser.Quit();
    }
}
