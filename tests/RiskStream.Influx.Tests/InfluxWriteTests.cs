using System.Net;
using System.Text;
using System.Text.Json;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Testing;
using RiskStream.Influx.Tests.Support;

namespace RiskStream.Influx.Tests;

[Collection(InfluxCollection.Name)]
public sealed class InfluxWriteTests(InfluxFixture influx)
{
    private static readonly DateTimeOffset Ts = new(2026, 11, 29, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Tags_and_strings_are_escaped_and_nothing_unbounded_is_a_tag()
    {
        var lines = new StringBuilder();
        var reading = new Reading("SITE 1,A=B", "T-1", SensorKind.Temperature, 21.5, "°C", Ts);
        Assert.True(LineProtocol.TryAppend(lines, Topics.Readings, JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading), out _));
        Assert.Equal("reading,site=SITE\\ 1\\,A\\=B,sensor=T-1,kind=temperature value=21.5 1795935600000\n", lines.ToString());

        lines.Clear();
        var warning = new WarningEvent("fire:S1:1", 2, "fire", WarningLevel.Red, WarningStatus.Acknowledged, "S1", "E1", "J1", Ts, Ts, [], ["m/1"], [new Audience(PartyType.Government, "J1", "site jurisdiction")], [],
            [new AckRecord(new Party(PartyType.Enterprise, "E1"), "Zhang \"duty\"", Ts, null)]);
        Assert.True(LineProtocol.TryAppend(lines, Topics.Warnings, JsonSerializer.SerializeToUtf8Bytes(warning, ContractJson.Default.WarningEvent), out _));
        Assert.Equal("warning,scenario=fire,site=S1,enterprise=E1,jurisdiction=J1,level=red,status=acknowledged id=\"fire:S1:1\",seq=2i,level_value=4i,active_level=4i,audiences=1i,acks=1i,acked_by=\"ent:E1\",flapping=false 1795935600000\n", lines.ToString());

        // After the resolve (a disposition recorded, the close) the warning is no longer active, whatever its status.
        foreach (var after in new[] { warning with { Status = WarningStatus.Updated, ResolvedAt = Ts }, warning with { Status = WarningStatus.Closed, ResolvedAt = Ts } })
        {
            lines.Clear();
            Assert.True(LineProtocol.TryAppend(lines, Topics.Warnings, JsonSerializer.SerializeToUtf8Bytes(after, ContractJson.Default.WarningEvent), out _));
            Assert.Contains(",active_level=0i,", lines.ToString(), StringComparison.Ordinal);
        }

        Assert.False(LineProtocol.TryAppend(lines, Topics.Readings, "{\"site\":"u8, out var why));
        Assert.NotNull(why);
        Assert.False(LineProtocol.TryAppend(lines, "other.topic", "{}"u8, out _));
    }

    [Fact]
    public async Task A_kpi_record_becomes_points_influxd_accepts_and_a_republished_window_overwrites_them()
    {
        var kpis = new AlarmKpis("jurisdiction", "310116", "1h", Ts, Ts.AddHours(1), 15, 2.5, 12, 0.1667, 1, 3, 9, 0)
        {
            BadActors = [new BadActor("fire", "T-1", 3, 0.2), new BadActor("combustible_gas_leak", "LEL-0", 2, 0.1333)],
            Acknowledge = [new ResponseTime(ResponseRole.Owner, WarningLevel.Yellow, 1, 90, 90)],
            Dispose = [new ResponseTime(null, WarningLevel.Yellow, 3, 1940, 2160)],
            OverdueAcknowledgements = 2,
            Dispositions = [new DispositionCount("combustible_gas_leak", "risk/7", DispositionReason.FalseAlarm, 1)],
            FalseAlarmShare = 0.5,
            SensorAlarms = 40,
            ChatteringSensors = 2,
            Assistance = [new AssistanceFigures("310116", "E07", "hazmat_rescue", "project", 1, 1, 0, 0) { MedianAnswerSeconds = 240 }],
        };
        var lines = new StringBuilder();
        Assert.True(LineProtocol.TryAppend(lines, Topics.Kpis, JsonSerializer.SerializeToUtf8Bytes(kpis, ContractJson.Default.AlarmKpis), out _));
        Assert.StartsWith("alarm_kpi,scope=jurisdiction,id=310116,window=1h raised=15i,per10_mean=2.5,per10_peak=12i,flood_share=0.1667,chattering=1i,fleeting=3i,active=9i,standing=0i,overdue_ack=2i,overdue_dispose=0i,shelved=0i,out_of_service=0i,sensor_alarms=40i,chattering_sensors=2i,false_alarm_share=0.5 1795935600000\n", lines.ToString(), StringComparison.Ordinal);
        Assert.Equal(7, lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // the headline, 2 bad actors, 2 response times, a disposition, an agreement

        await influx.CreateDatabaseAsync("kpitest");
        using var writer = new InfluxV1Writer(influx.Url, "kpitest", null, null, null, gzip: false, TimeSpan.FromSeconds(10));
        await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        await writer.WriteAsync(lines.ToString(), CancellationToken.None); // the same window again (a restarted job)
        var rows = await influx.QueryAsync("kpitest", "SELECT \"raised\", \"flood_share\" FROM \"alarm_kpi\" WHERE \"scope\" = 'jurisdiction'");
        Assert.Equal((15, 0.1667), (Assert.Single(rows)[1].GetInt32(), rows[0][2].GetDouble()));
        var top = await influx.QueryAsync("kpitest", "SELECT \"scenario\", \"raised\" FROM \"alarm_bad_actor\" WHERE \"rank\" = '1'");
        Assert.Equal(("fire", 3), (Assert.Single(top)[1].GetString(), top[0][2].GetInt32()));
        var assistance = await influx.QueryAsync("kpitest", "SELECT \"answered\", \"median_answer_s\" FROM \"assistance_kpi\"");
        Assert.Equal((1, 240.0), (Assert.Single(assistance)[1].GetInt32(), assistance[0][2].GetDouble()));
    }

    [Fact]
    public async Task A_label_becomes_a_point_at_the_raise_that_outlives_Kafka_and_a_bad_one_is_refused()
    {
        var label = new Label("combustible_gas_leak:S1:1795935600000", "combustible_gas_leak", "S1", "E04", ["LEL-1", "LEL-2"], Ts, Ts.AddMinutes(4), LabelClass.NotHazard, DispositionReason.FalseAlarm, "risk/7", Ts.AddMinutes(30));
        var lines = new StringBuilder();
        Assert.True(LineProtocol.TryAppend(lines, Topics.Labels, JsonSerializer.SerializeToUtf8Bytes(label, ContractJson.Default.Label), out var why), why);
        Assert.Equal("label,site=S1,scenario=combustible_gas_leak,label=not_hazard warning=\"combustible_gas_leak:S1:1795935600000\",reason=\"false_alarm\",sensors=\"LEL-1,LEL-2\",model=\"risk/7\",fault=\"unknown\",until_ms=1795935840000i,disposed_ms=1795937400000i 1795935600000\n", lines.ToString());
        Assert.False(LineProtocol.TryAppend(lines, Topics.Labels, JsonSerializer.SerializeToUtf8Bytes(label with { Until = Ts.AddMinutes(-1) }, ContractJson.Default.Label), out why));
        Assert.Equal("not a complete label", why);
        Assert.False(LineProtocol.TryAppend(lines, Topics.Labels, JsonSerializer.SerializeToUtf8Bytes(label, ContractJson.Default.Label), out why, _ => false));

        await influx.CreateDatabaseAsync("labeltest");
        using var writer = new InfluxV1Writer(influx.Url, "labeltest", null, null, null, gzip: false, TimeSpan.FromSeconds(10));
        await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        var rows = await influx.QueryAsync("labeltest", "SELECT \"sensors\", \"until_ms\" FROM \"label\" WHERE \"label\" = 'not_hazard'");
        Assert.Equal(("LEL-1,LEL-2", 1795935840000L), (Assert.Single(rows)[1].GetString(), rows[0][2].GetInt64()));
    }

    [Fact]
    public async Task A_data_quality_record_becomes_a_point_per_scope_and_one_per_sensor_of_a_site()
    {
        var q = new DataQuality("site", "S1", "1h", Ts, Ts.AddHours(1), 2, 2, 720, 1, 0.9583, 0.875)
        {
            Flags = new Dictionary<string, long> { ["normal"] = 630, ["fault"] = 30, ["stopped"] = 60 },
            SensorFigures = [new SensorQuality("S1", "LEL-1", 360, 0.8333, 0.75, DataFlag.Normal), new SensorQuality("S1", "LEL-2", 360, 1, 1, DataFlag.Normal)],
        };
        var lines = new StringBuilder();
        Assert.True(LineProtocol.TryAppend(lines, Topics.DataQuality, JsonSerializer.SerializeToUtf8Bytes(q, ContractJson.Default.DataQuality), out _));
        Assert.StartsWith("data_quality,scope=site,id=S1,window=1h sensors=2i,reporting=2i,expected=720i,access=1,online=0.9583,intact=0.875,flag_normal=630i,flag_fault=30i,flag_over_range=0i,flag_communication_fault=0i,flag_maintenance=0i,flag_calibration=0i,flag_stopped=60i 1795935600000\n", lines.ToString(), StringComparison.Ordinal);

        await influx.CreateDatabaseAsync("dqtest");
        using var writer = new InfluxV1Writer(influx.Url, "dqtest", null, null, null, gzip: false, TimeSpan.FromSeconds(10));
        await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        var rows = await influx.QueryAsync("dqtest", "SELECT \"intact\" FROM \"sensor_quality\" WHERE \"window\" = '1h' ORDER BY time");
        Assert.Equal(2, rows.Count);
        var worst = await influx.QueryAsync("dqtest", "SELECT MIN(\"intact\") FROM \"sensor_quality\"");
        Assert.Equal(0.75, worst[0][1].GetDouble());
    }

    [Fact]
    public async Task A_tag_value_ending_in_a_backslash_stays_its_own_tag_in_influxd()
    {
        var lines = new StringBuilder("m");
        LineProtocol.Tag(lines, "a", "C:\\dir\\");
        LineProtocol.Tag(lines, "b", "next");
        lines.Append(" v=1i 1795935600000\n");

        await influx.CreateDatabaseAsync("backslash");
        using var writer = new InfluxV1Writer(influx.Url, "backslash", null, null, null, gzip: false, TimeSpan.FromSeconds(10));
        await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        var rows = await influx.QueryAsync("backslash", "SELECT \"v\", \"a\", \"b\" FROM \"m\"");
        Assert.Equal(("C:\\dir\uFF3C", "next"), (rows[0][2].GetString(), rows[0][3].GetString()));
    }

    [Fact]
    public async Task An_identification_becomes_a_point_influxd_accepts_with_the_substance_and_hazard_as_tags()
    {
        var identification = new IdentificationEvent("S1/RM-7/INSP-1/1795935600000", "S1", "E1", "J1", "RM-7", "INSP-1", SpectrumPurpose.HiddenDanger, Ts,
            "Ammonium nitrate", "6484-52-2", ["explosive", "oxidizer", "flammable"], 0.91, 0.4, false,
            [new IdentifiedCandidate("Ammonium nitrate", "6484-52-2", 0.91)],
            [new MixtureComponent("Ammonium nitrate", "6484-52-2", 0.7, ["explosive", "oxidizer"]), new MixtureComponent("Acetone", "67-64-1", 0.3, ["flammable"])],
            "rs-raman-2026.11+abc", 2000);
        var lines = new StringBuilder();
        Assert.True(LineProtocol.TryAppend(lines, Topics.Identifications, JsonSerializer.SerializeToUtf8Bytes(identification, ContractJson.Default.IdentificationEvent), out _));
        Assert.Equal("identification,site=S1,enterprise=E1,jurisdiction=J1,purpose=hidden_danger,outcome=mixture,hazard=explosive,substance=Ammonium\\ nitrate,library=rs-raman-2026.11+abc score=0.91,margin=0.4,unknown=false,cas=\"6484-52-2\",hazard_classes=\"explosive oxidizer flammable\",sample=\"INSP-1\",device=\"RM-7\",id=\"S1/RM-7/INSP-1/1795935600000\",mixture=\"70% Ammonium nitrate + 30% Acetone\" 1795935600000\n", lines.ToString());

        await influx.CreateDatabaseAsync("ramantest");
        using var writer = new InfluxV1Writer(influx.Url, "ramantest", null, null, null, gzip: false, TimeSpan.FromSeconds(10));
        await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        var rows = await influx.QueryAsync("ramantest", "SELECT \"score\", \"substance\", \"hazard\" FROM \"identification\"");
        Assert.Equal(("Ammonium nitrate", "explosive"), (rows[0][2].GetString(), rows[0][3].GetString()));
    }

    [Fact]
    public async Task Scores_keep_the_anomaly_flag_and_setpoints_become_points_a_panel_can_take_as_thresholds()
    {
        static byte[] ScoreJson(bool? anomalous)
        {
            var json = "{\"id\":\"S1/O2-1/1795935600000\",\"site\":\"S1\",\"sensor\":\"O2-1\",\"kind\":\"o2\",\"value\":19.1,\"unit\":\"%vol\",\"ts\":\"2026-11-29T07:00:00Z\",\"alarm\":\"second\",\"risk\":0.6,\"model\":\"risk/1+anomaly/1\","
                + (anomalous is { } a ? $"\"anomalous\":{(a ? "true" : "false")}," : "")
                + "\"window\":{\"count\":3,\"mean\":19.5,\"min\":19.1,\"max\":20,\"slopePerMin\":-0.5},\"late\":false}";
            return Encoding.UTF8.GetBytes(json);
        }

        var lines = new StringBuilder();
        Assert.True(LineProtocol.TryAppend(lines, Topics.Scores, ScoreJson(true), out _));
        Assert.Equal("score,site=S1,sensor=O2-1,kind=o2,alarm=second,model=risk/1+anomaly/1 value=19.1,risk=0.6,late=false,anomalous=1i 1795935600000\n", lines.ToString());
        lines.Clear();
        Assert.True(LineProtocol.TryAppend(lines, Topics.Scores, ScoreJson(null), out _));
        Assert.EndsWith("late=false 1795935600000\n", lines.ToString(), StringComparison.Ordinal); // a v1 score: no flag, not a false one

        // Oxygen has low and high setpoints; a site overriding one sensor of a kind gets the stricter line.
        var doc = new Core.Registry.RegistryDocument("t", [new("J1", "j", "city", null, null)], [new("E1", "e", null, null, null)],
            [new("S1", "s", "E1", "J1", 30, 121, null,
                [new("O2-1", SensorKind.O2, null, null), new("LEL-1", SensorKind.CombustibleLel, null, null), new("LEL-2", SensorKind.CombustibleLel, new(20, null, null, null), null)])]);
        lines.Clear();
        LineProtocol.AppendSetpoints(lines, Core.Registry.ParkRegistry.FromDocument(doc).SiteList[0], Ts);
        Assert.Equal(
            "setpoint,site=S1,kind=combustible_lel,unit=%LEL first_high=20,second_high=50 1795935600000\n"
            + "setpoint,site=S1,kind=o2,unit=%vol second_high=23.5,second_low=19.5 1795935600000\n",
            lines.ToString());

        await influx.CreateDatabaseAsync("setpointtest");
        using var writer = new InfluxV1Writer(influx.Url, "setpointtest", null, null, null, gzip: false, TimeSpan.FromSeconds(10));
        await writer.WriteAsync(lines.ToString(), CancellationToken.None);
        var rows = await influx.QueryAsync("setpointtest", "SELECT last(\"second_low\") AS \"second_low\", last(\"second_high\") AS \"second_high\" FROM \"setpoint\" WHERE \"kind\" = 'o2'");
        Assert.Equal((19.5, 23.5), (rows[0][1].GetDouble(), rows[0][2].GetDouble()));
    }

    [Fact]
    public async Task The_v1_writer_writes_gzip_bodies_that_influxd_accepts_and_refuses_bad_points_without_retrying()
    {
        await influx.CreateDatabaseAsync("v1test");
        using var writer = new InfluxV1Writer(influx.Url, "v1test", null, null, null, gzip: true, TimeSpan.FromSeconds(10));
        await writer.WriteAsync("reading,site=S1,sensor=T-1,kind=temperature value=21.5 1795935600000\nreading,site=S1,sensor=T-1,kind=temperature value=22 1795935601000\n", CancellationToken.None);
        Assert.Equal(2, await influx.CountAsync("v1test", "SELECT count(value) FROM reading"));

        var refused = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync("reading,site=S1 value=\"text\" 1795935602000\nnot line protocol\n", CancellationToken.None));
        Assert.False(refused.Retryable);

        using var away = new InfluxV1Writer(new Uri("http://127.0.0.1:1/"), "v1test", null, null, null, gzip: true, TimeSpan.FromSeconds(5));
        Assert.True((await Assert.ThrowsAsync<InfluxWriteException>(() => away.WriteAsync("reading,site=S1 value=1 1\n", CancellationToken.None))).Retryable);
    }

    [Fact]
    public async Task The_v2_writer_goes_through_InfluxDB_Client_to_a_bucket_mapped_onto_a_database()
    {
        await influx.CreateDatabaseAsync("v2test");
        // What InfluxDB 1.8 does itself: /api/v2/write?bucket=db/rp&precision= onto /write?db=&rp= (Debian's 1.6.7 has no v2 API).
        using var shim = new InfluxGate(influx.Url)
        {
            Rewrite = path =>
            {
                var query = System.Web.HttpUtility.ParseQueryString(path[(path.IndexOf('?', StringComparison.Ordinal) + 1)..]);
                var parts = (query["bucket"] ?? "").Split('/');
                return $"write?db={Uri.EscapeDataString(parts[0])}&precision={query["precision"]}" + (parts.Length > 1 ? $"&rp={Uri.EscapeDataString(parts[1])}" : "");
            },
        };
        using var writer = new InfluxV2Writer(shim.Url, "v2test/autogen", "riskstream", "token-from-env", gzip: true, TimeSpan.FromSeconds(10));
        await writer.WriteAsync("score,site=S1,sensor=T-1,kind=temperature,alarm=none,model=m value=21.5,risk=0.1,late=false 1795935600000\n", CancellationToken.None);
        Assert.Equal(1, await influx.CountAsync("v2test", "SELECT count(risk) FROM score"));
        Assert.Contains("Token token-from-env", shim.Authorizations);
    }

    [Fact]
    public async Task The_v1_writer_creates_its_missing_database_and_says_why_when_it_may_not()
    {
        // A fresh influxd: the database does not exist; the writer creates it and the first write lands.
        using (var writer = new InfluxV1Writer(influx.Url, "created by \"sink\"", null, null, null, gzip: false, TimeSpan.FromSeconds(10)))
        {
            var missing = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync("m v=1i 1795935600000\n", CancellationToken.None));
            Assert.Equal((404, InfluxRefusal.NotFound, true), (missing.Status, missing.Kind, missing.Retryable));
            await writer.EnsureDatabaseAsync(CancellationToken.None);
            await writer.EnsureDatabaseAsync(CancellationToken.None);
            await writer.WriteAsync("m v=1i 1795935600000\n", CancellationToken.None);
        }

        Assert.Equal(1, await influx.CountAsync("created by \"sink\"", "SELECT count(v) FROM m"));

        using var gate = new InfluxGate(influx.Url);
        gate.Refuse = (path, body) => path.StartsWith("/query", StringComparison.Ordinal) && Encoding.UTF8.GetString(body).Contains("CREATE", StringComparison.Ordinal) ? 403 : null;
        using (var notAdmin = new InfluxV1Writer(gate.Url, "created by \"sink\"", null, "writer", "pw", gzip: false, TimeSpan.FromSeconds(10)))
        {
            // Not an admin, but the database is there: fine.
            await notAdmin.EnsureDatabaseAsync(CancellationToken.None);
        }

        using (var notAdmin = new InfluxV1Writer(gate.Url, "never_created", null, "writer", "pw", gzip: false, TimeSpan.FromSeconds(10)))
        {
            var refused = await Assert.ThrowsAsync<InfluxSetupException>(() => notAdmin.EnsureDatabaseAsync(CancellationToken.None));
            Assert.Contains("database 'never_created' does not exist", refused.Message, StringComparison.Ordinal);
            Assert.Contains("CREATE DATABASE \"never_created\"", refused.Message, StringComparison.Ordinal);
        }

        gate.Refuse = (_, _) => 401;
        using (var wrongPassword = new InfluxV1Writer(gate.Url, "riskstream", null, "writer", "wrong", gzip: false, TimeSpan.FromSeconds(10)))
        {
            var refused = await Assert.ThrowsAsync<InfluxSetupException>(() => wrongPassword.EnsureDatabaseAsync(CancellationToken.None));
            Assert.Contains("refuses the sink's credentials", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong", refused.Message, StringComparison.Ordinal);
        }

        using var unreachable = new InfluxV1Writer(new Uri($"http://127.0.0.1:{FreePorts.BelowEphemeralRange()}/"), "riskstream", null, null, null, gzip: false, TimeSpan.FromSeconds(5));
        Assert.Equal(InfluxRefusal.Transient, (await Assert.ThrowsAsync<InfluxWriteException>(() => unreachable.EnsureDatabaseAsync(CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task With_a_CA_file_the_writers_trust_InfluxDB_only_through_that_CA()
    {
        var folder = Directory.CreateTempSubdirectory("influx-tls");
        try
        {
            using var server = new TlsStandIn(folder.FullName);
            using (var v1 = new InfluxV1Writer(server.Url, "riskstream", null, "writer", "pw", gzip: true, TimeSpan.FromSeconds(10), server.CaFile))
            {
                await v1.WriteAsync("m v=1i 1795935600000\n", CancellationToken.None);
            }

            using (var v2 = new InfluxV2Writer(server.Url, "riskstream", "riskstream", "token", gzip: false, TimeSpan.FromSeconds(10), server.CaFile))
            {
                await v2.WriteAsync("m v=1i 1795935600000\n", CancellationToken.None);
            }

            Assert.Equal(2, server.Answered);

            // The machine's trust does not know the test CA; another CA file does not vouch for the server.
            using var other = new TlsStandIn(Directory.CreateDirectory(Path.Combine(folder.FullName, "other")).FullName);
            foreach (var caFile in new string?[] { null, other.CaFile })
            {
                using var v1 = new InfluxV1Writer(server.Url, "riskstream", null, null, null, gzip: false, TimeSpan.FromSeconds(10), caFile);
                var refused = await Assert.ThrowsAsync<InfluxWriteException>(() => v1.WriteAsync("m v=1i 1795935600000\n", CancellationToken.None));
                Assert.Equal(InfluxRefusal.Unauthorised, refused.Kind);
                Assert.Contains("TLS certificate is not trusted", refused.Message, StringComparison.Ordinal);
            }

            Assert.Equal(2, server.Answered);
            File.WriteAllText(Path.Combine(folder.FullName, "empty.pem"), "not a certificate");
            Assert.Throws<InfluxSetupException>(() => new InfluxV1Writer(server.Url, "riskstream", null, null, null, gzip: false, TimeSpan.FromSeconds(10), Path.Combine(folder.FullName, "empty.pem")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
