using System.Text.Json;

namespace RiskStream.Kafka;

/// <summary>What RiskStream reads from librdkafka's statistics JSON (statistics.interval.ms).</summary>
internal static class ClientStatistics
{
    /// <summary>Brokers of the cluster (not the bootstrap entries) whose connection is up.</summary>
    public static int BrokersUp(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("brokers", out var brokers) || brokers.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            var up = 0;
            foreach (var broker in brokers.EnumerateObject())
            {
                if (broker.Value.TryGetProperty("nodeid", out var id) && id.TryGetInt32(out var nodeId) && nodeId >= 0
                    && broker.Value.TryGetProperty("state", out var state) && state.ValueEquals("UP"))
                {
                    up++;
                }
            }

            return up;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
