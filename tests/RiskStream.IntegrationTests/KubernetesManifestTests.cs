using System.Diagnostics;
using System.Text.Json;
using Json.Schema;
using k8s;
using k8s.Models;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// k8s/ as a cluster would take it, without a cluster: the kustomization rendered by <c>kubectl kustomize</c>, every
/// object read strictly into the typed models KubernetesClient generates from the Kubernetes OpenAPI of its
/// apiVersion (an unknown field, a wrong type or an unknown kind fails), and every pod template checked against the
/// Pod Security Standard "restricted" profile written as a JSON Schema (<c>Policies/</c>).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<JsonSchema> Restricted = new(() =>
        JsonSchema.FromText(File.ReadAllText(RepoPaths.Of("tests", "RiskStream.IntegrationTests", "Policies", "pod-security-restricted.schema.json"))));

    private static string Render()
    {
        var kubectl = File.Exists("/usr/bin/kubectl") ? "/usr/bin/kubectl" : "kubectl";
        using var process = Process.Start(new ProcessStartInfo(kubectl, ["kustomize", RepoPaths.Of("k8s")]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("kubectl did not start (apt-get install -y kubernetes-client)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "kubectl kustomize did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"kubectl kustomize k8s failed: {error.Result}");
        return output.Result;
    }

    private static List<object> Objects(string rendered) => KubernetesYaml.LoadAllFromString(rendered, strict: true);

    private static IEnumerable<(string Name, V1PodSpec Pod)> PodTemplates(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec));

    private static IReadOnlyList<string> PodSecurityViolations(V1PodSpec pod)
    {
        var json = JsonDocument.Parse(KubernetesJson.Serialize(pod)).RootElement;
        var result = Restricted.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    [Fact]
    public void The_rendered_kustomization_is_valid_Kubernetes_and_every_pod_meets_Pod_Security_restricted()
    {
        var objects = Objects(Render());
        Assert.Equal(
            ["ConfigMap", "Deployment", "Deployment", "Deployment", "HorizontalPodAutoscaler", "Namespace", "NetworkPolicy", "PodDisruptionBudget", "Service"],
            objects.Select(o => ((IKubernetesObject)o).Kind).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(objects, o => o is V1Secret);
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal("riskstream", o.Metadata.NamespaceProperty));

        var pods = PodTemplates(objects).ToList();
        Assert.Equal(3, pods.Count); // the pipeline, the InfluxDB sink, the KPI job
        foreach (var (name, pod) in pods)
        {
            Assert.True(PodSecurityViolations(pod) is [], $"{name}: " + string.Join("\n", PodSecurityViolations(pod)));

            // What the kubelet needs to start the image (its user by number) and what the pods need not have.
            Assert.Equal((1654L, 1654L), (pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup));
            Assert.False(pod.AutomountServiceAccountToken);
            var container = Assert.Single(pod.Containers);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.StartsWith("registry.example.com/riskstream:", container.Image, StringComparison.Ordinal);
            Assert.Contains(pod.Volumes, v => v.Secret?.SecretName == "riskstream");
        }

        var config = objects.OfType<V1ConfigMap>().Single();
        Assert.StartsWith("https://", config.Data["RiskStream__Influx__Url"], StringComparison.Ordinal);
        Assert.StartsWith("/var/run/secrets/riskstream/", config.Data["RiskStream__Influx__CaFile"], StringComparison.Ordinal);

        // The image runs as that number too.
        Assert.Contains("USER $APP_UID", File.ReadAllLines(RepoPaths.Of("Dockerfile")));
    }

    [Theory]
    [InlineData("runAsUser: 1654", "runAsUsr: 1654", "an unknown field")]
    [InlineData("replicas: 3", "replicas: three", "a wrong type")]
    [InlineData("kind: Deployment", "kind: Deploymint", "an unknown kind")]
    public void A_manifest_the_API_would_refuse_fails_the_check(string from, string to, string what)
    {
        var rendered = Render();
        Assert.Contains(from, rendered, StringComparison.Ordinal);
        var broken = rendered.Replace(from, to, StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => Objects(broken));
        _ = what;
    }

    [Theory]
    [InlineData("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")]
    [InlineData("runAsNonRoot: true", "runAsNonRoot: false")]
    [InlineData("type: RuntimeDefault", "type: Unconfined")]
    [InlineData("drop:\n            - ALL", "drop:\n            - NET_RAW")]
    [InlineData("automountServiceAccountToken: false", "hostNetwork: true")]
    [InlineData("emptyDir: {}", "hostPath:\n          path: /tmp")]
    public void A_pod_that_breaks_the_restricted_profile_fails_the_check(string from, string to)
    {
        var rendered = Render();
        Assert.Contains(from, rendered, StringComparison.Ordinal);
        var broken = Objects(rendered.Replace(from, to, StringComparison.Ordinal));
        Assert.Contains(PodTemplates(broken), p => PodSecurityViolations(p.Pod).Count > 0);
    }
}
