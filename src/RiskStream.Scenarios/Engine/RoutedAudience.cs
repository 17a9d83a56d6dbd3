using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Scenarios.Engine;

/// <summary>An audience of a warning and the role it is there in.</summary>
internal sealed record RoutedAudience(Audience Audience, AudienceRole Role);
