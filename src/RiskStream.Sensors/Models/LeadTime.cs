using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>Lead time of one hazard that reached the national second-level alarm.</summary>
/// <param name="Seconds">Second-level alarm time minus the model's first warning; 0 when the model was not earlier.</param>
public sealed record LeadTime(int EventId, string Event, double Seconds, bool ModelFirst);
