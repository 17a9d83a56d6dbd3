using System.Diagnostics;
using RiskStream.Core;
using RiskStream.IntegrationTests.Support;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// <c>riskstream acls</c> applied: its lines run through bash (so quoting is the shell's, not ours) into a model of
/// Kafka's ACL authorizer (allow rules only, default deny, literal and prefixed patterns, Read/Write/Delete/Alter
/// implying Describe), then a table of what each principal of a deployment may and may not do.
/// </summary>
public sealed class AclAuthorizerTests
{
    private sealed record Acl(string Principal, string Operation, string ResourceType, string Name, bool Prefixed);

    private sealed class Authorizer(IReadOnlyList<Acl> acls)
    {
        private static readonly HashSet<string> ImplyDescribe = ["Read", "Write", "Delete", "Alter"];

        public IReadOnlyList<Acl> Acls => acls;

        public bool Allows(string principal, string operation, string resourceType, string name) =>
            acls.Any(a => a.Principal == principal
                && a.ResourceType == resourceType
                && (a.Prefixed ? name.StartsWith(a.Name, StringComparison.Ordinal) : a.Name == name || a.Name == "*")
                && (a.Operation == operation || a.Operation == "All" || (operation == "Describe" && ImplyDescribe.Contains(a.Operation))));
    }

    /// <summary>The ACLs the printed lines add, as kafka-acls would parse the words bash hands it.</summary>
    private static async Task<Authorizer> ApplyAsync()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["acls"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        var script = "kafka-acls() { printf '%s\\037' \"$@\"; printf '\\n'; }\n" + stdout;
        using var bash = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["KAFKA_BOOTSTRAP"] = "kafka:9092", ["KAFKA_ADMIN_CONFIG"] = "admin.properties" } })!;
        var words = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.Equal(0, bash.ExitCode);

        var acls = new List<Acl>();
        foreach (var line in words.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var args = line.Split('\u001f', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["--bootstrap-server", "kafka:9092", "--command-config", "admin.properties", "--add"], args[..5]);
            var principals = new List<string>();
            var operations = new List<string>();
            var resources = new List<(string Type, string Name)>();
            var prefixed = false;
            for (var i = 5; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--allow-principal": principals.Add(args[++i]); break;
                    case "--operation": operations.Add(args[++i]); break;
                    case "--topic": resources.Add(("Topic", args[++i])); break;
                    case "--group": resources.Add(("Group", args[++i])); break;
                    case "--cluster": resources.Add(("Cluster", "kafka-cluster")); break;
                    case "--resource-pattern-type": prefixed = args[++i] switch { "prefixed" => true, "literal" => false, var other => throw new InvalidOperationException($"pattern type {other}") }; break;
                    default: throw new InvalidOperationException($"kafka-acls does not know {args[i]}");
                }
            }

            Assert.NotEmpty(principals);
            Assert.NotEmpty(operations);
            Assert.NotEmpty(resources);
            acls.AddRange(from p in principals from o in operations from r in resources select new Acl(p, o, r.Type, r.Name, prefixed));
        }

        return new Authorizer(acls);
    }

    [Fact]
    public async Task Each_principal_may_do_what_a_working_deployment_needs_and_nothing_more()
    {
        var kafka = await ApplyAsync();
        var registry = Core.Registry.ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
        var (jurisdiction, other) = (registry.Jurisdictions.Keys.Order(StringComparer.Ordinal).First(), registry.Jurisdictions.Keys.Order(StringComparer.Ordinal).Last());
        var (enterprise, rival) = (registry.Enterprises.Keys.Order(StringComparer.Ordinal).First(), registry.Enterprises.Keys.Order(StringComparer.Ordinal).Last());
        const string pipeline = "User:riskstream", sink = "User:riskstream-influx";
        var gov = $"User:gov-{jurisdiction}";
        var ent = $"User:ent-{enterprise}";
        var gateway = $"User:gw-{enterprise}";
        var inspector = $"User:insp-{jurisdiction}";

        (string Principal, string Operation, string Type, string Name, bool Allowed)[] table =
        [
            // The pipeline: its inputs, its outputs, its group; never an acknowledgement in a party's name.
            (pipeline, "Read", "Topic", Topics.Readings, true),
            (pipeline, "Read", "Topic", Topics.Spectra, true),
            (pipeline, "Read", "Topic", Topics.AcksOf(Core.Contracts.PartyType.Enterprise, enterprise), true),
            (pipeline, "Read", "Topic", Topics.WarningState, true),
            (pipeline, "Read", "Topic", Topics.Warnings, true),
            (pipeline, "Write", "Topic", Topics.WarningState, true),
            (pipeline, "Write", "Topic", Topics.Scores, true),
            (pipeline, "Write", "Topic", Topics.Warnings, true),
            (pipeline, "Write", "Topic", Topics.Identifications, true),
            (pipeline, "Write", "Topic", Topics.DeadLetter, true),
            (pipeline, "Write", "Topic", Topics.Cap, true),
            (pipeline, "Write", "Topic", Topics.GovernmentWarnings(jurisdiction), true),
            (pipeline, "Write", "Topic", Topics.EnterpriseCap(enterprise), true),
            (pipeline, "Describe", "Topic", Topics.Readings, true),
            (pipeline, "IdempotentWrite", "Cluster", "kafka-cluster", true),
            (pipeline, "Read", "Group", "riskstream", true),
            (pipeline, "Read", "Group", "riskstream-state-restore", true),
            (pipeline, "Read", "Group", "riskstream-state-audit", true),
            (pipeline, "Write", "Topic", Topics.EnterpriseAcks(enterprise), false),
            (pipeline, "Write", "Topic", Topics.Readings, false),
            (pipeline, "Read", "Group", "riskstream-influx", false),
            (pipeline, "Read", "Group", "riskstream2", false),
            (pipeline, "Alter", "Cluster", "kafka-cluster", false),
            (pipeline, "Create", "Topic", "riskstream.anything", false),

            // The InfluxDB sink: what it stores, its group, dead letters.
            (sink, "Read", "Topic", Topics.Readings, true),
            (sink, "Read", "Topic", Topics.Scores, true),
            (sink, "Read", "Topic", Topics.Warnings, true),
            (sink, "Read", "Topic", Topics.Identifications, true),
            (sink, "Read", "Topic", Topics.Kpis, true),
            ("User:riskstream-kpis", "Read", "Topic", Topics.Warnings, true),
            ("User:riskstream-kpis", "Write", "Topic", Topics.Kpis, true),
            ("User:riskstream-kpis", "Read", "Group", "riskstream-kpis", true),
            ("User:riskstream-kpis", "Read", "Topic", Topics.Scores, true),
            ("User:riskstream-kpis", "Read", "Topic", Topics.DeadLetter, true),
            ("User:riskstream-kpis", "Write", "Topic", Topics.DataQuality, true),
            (sink, "Read", "Topic", Topics.DataQuality, true),
            ("User:riskstream-kpis", "Read", "Topic", Topics.Readings, false),
            ("User:riskstream-kpis", "Write", "Topic", Topics.Warnings, false),
            ("User:riskstream-kpis", "Read", "Topic", Topics.EnterpriseWarnings(enterprise), false),
            (sink, "Read", "Group", "riskstream-influx", true),
            (sink, "Write", "Topic", Topics.DeadLetter, true),
            (sink, "Read", "Topic", Topics.Spectra, false),
            (sink, "Read", "Topic", Topics.EnterpriseWarnings(enterprise), false),
            (sink, "Read", "Topic", Topics.EnterpriseAcks(enterprise), false),
            (sink, "Write", "Topic", Topics.Warnings, false),
            (sink, "Read", "Group", "riskstream", false),

            // The duty console: every party's warnings, every party's acknowledgement topic, its group; nothing else.
            ("User:riskstream-console", "Read", "Topic", Topics.GovernmentWarnings(jurisdiction), true),
            ("User:riskstream-console", "Read", "Topic", Topics.EnterpriseWarnings(enterprise), true),
            ("User:riskstream-console", "Write", "Topic", Topics.EnterpriseAcks(enterprise), true),
            ("User:riskstream-console", "Write", "Topic", Topics.GovernmentAcks(jurisdiction), true),
            ("User:riskstream-console", "Read", "Group", "riskstream-console", true),
            ("User:riskstream-console", "Read", "Topic", Topics.Scores, true),
            ("User:riskstream-console", "Read", "Topic", Topics.Spectra, true),
            ("User:riskstream-console", "Read", "Topic", Topics.Warnings, false),
            ("User:riskstream-console", "Read", "Topic", Topics.Identifications, false),
            ("User:riskstream-console", "Read", "Topic", Topics.Readings, false),
            ("User:riskstream-console", "Read", "Topic", Topics.EnterpriseAcks(enterprise), false),
            ("User:riskstream-console", "Write", "Topic", Topics.Warnings, false),
            ("User:riskstream-console", "Write", "Topic", Topics.Readings, false),
            ("User:riskstream-console", "Read", "Topic", Topics.EnterpriseCap(enterprise), false),
            ("User:riskstream-console", "Read", "Group", "riskstream", false),

            // A government department: its own warnings and CAP, its acknowledgements, its groups.
            (gov, "Read", "Topic", Topics.GovernmentWarnings(jurisdiction), true),
            (gov, "Read", "Topic", Topics.GovernmentCap(jurisdiction), true),
            (gov, "Describe", "Topic", Topics.GovernmentCap(jurisdiction), true),
            (gov, "Write", "Topic", Topics.GovernmentAcks(jurisdiction), true),
            (gov, "Read", "Group", $"gov-{jurisdiction}:duty-room", true),
            (gov, "Read", "Topic", Topics.GovernmentWarnings(other), false),
            (gov, "Write", "Topic", Topics.GovernmentAcks(other), false),
            (gov, "Write", "Topic", Topics.EnterpriseAcks(enterprise), false),
            (gov, "Read", "Topic", Topics.Warnings, false),
            (gov, "Read", "Topic", Topics.Readings, false),
            (gov, "Write", "Topic", Topics.GovernmentWarnings(jurisdiction), false),
            (gov, "Read", "Topic", Topics.GovernmentAcks(jurisdiction), false),
            (gov, "Read", "Group", $"gov-{other}:duty-room", false),
            (gov, "Read", "Group", "riskstream", false),

            // An enterprise: the same, its own only.
            (ent, "Read", "Topic", Topics.EnterpriseWarnings(enterprise), true),
            (ent, "Read", "Topic", Topics.EnterpriseCap(enterprise), true),
            (ent, "Write", "Topic", Topics.EnterpriseAcks(enterprise), true),
            (ent, "Read", "Group", $"ent-{enterprise}:erp", true),
            (ent, "Read", "Topic", Topics.EnterpriseWarnings(rival), false),
            (ent, "Write", "Topic", Topics.EnterpriseAcks(rival), false),
            (ent, "Write", "Topic", Topics.GovernmentAcks(jurisdiction), false),
            (ent, "Write", "Topic", Topics.Readings, false),
            (ent, "Read", "Group", $"ent-{rival}:erp", false),

            // A sensor gateway writes readings; an inspector's device writes spectra; nothing else.
            (gateway, "Write", "Topic", Topics.Readings, true),
            (gateway, "Describe", "Topic", Topics.Readings, true),
            (gateway, "Read", "Topic", Topics.Readings, false),
            (gateway, "Write", "Topic", Topics.Spectra, false),
            (gateway, "Write", "Topic", Topics.EnterpriseAcks(enterprise), false),
            (gateway, "Read", "Topic", Topics.EnterpriseWarnings(enterprise), false),
            (inspector, "Write", "Topic", Topics.Spectra, true),
            (inspector, "Write", "Topic", Topics.Readings, false),
            (inspector, "Read", "Topic", Topics.Identifications, false),

            // Anybody else: nothing.
            ("User:guest", "Describe", "Topic", Topics.Readings, false),
            ($"User:gov-{jurisdiction}x", "Read", "Topic", Topics.GovernmentWarnings(jurisdiction), false),
        ];

        var wrong = table.Where(t => kafka.Allows(t.Principal, t.Operation, t.Type, t.Name) != t.Allowed)
            .Select(t => $"{t.Principal} {t.Operation} {t.Type}:{t.Name} should be {(t.Allowed ? "allowed" : "denied")}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // Every party of the registry has its grants; no grant is to everyone, to a wildcard, or for All.
        foreach (var j in registry.Jurisdictions.Keys)
        {
            Assert.True(kafka.Allows($"User:gov-{j}", "Write", "Topic", Topics.GovernmentAcks(j)), j);
            Assert.True(kafka.Allows($"User:insp-{j}", "Write", "Topic", Topics.Spectra), j);
        }

        foreach (var e in registry.Enterprises.Keys)
        {
            Assert.True(kafka.Allows($"User:ent-{e}", "Read", "Topic", Topics.EnterpriseWarnings(e)), e);
            Assert.True(kafka.Allows($"User:gw-{e}", "Write", "Topic", Topics.Readings), e);
        }

        Assert.DoesNotContain(kafka.Acls, a => a.Principal is "User:*" || a.Name == "*" || a.Operation == "All" || (a.Prefixed && a.ResourceType == "Topic" && a.Principal != pipeline));
    }

    [Fact]
    public async Task The_model_denies_what_no_line_grants()
    {
        // The model is not permissive by construction: with no ACLs, nothing is allowed; a prefixed grant does not
        // reach a name that merely shares its start without the separator.
        var empty = new Authorizer([]);
        Assert.False(empty.Allows("User:riskstream", "Read", "Topic", Topics.Readings));
        var kafka = await ApplyAsync();
        Assert.False(kafka.Allows("User:gov-310116", "Read", "Group", "gov-310116-CJ:duty"));
        Assert.True(kafka.Allows("User:gov-310116-CJ", "Read", "Group", "gov-310116-CJ:duty"));

        // Ids may hold dots: the colon ends every party's prefix, so party "a" never reaches the groups of party "a.b".
        Assert.DoesNotContain(kafka.Acls, a => a.ResourceType == "Group" && a.Prefixed && !a.Name.EndsWith(':'));
    }
}
