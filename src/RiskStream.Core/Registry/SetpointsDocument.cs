using System.Text.Json.Serialization;
using RiskStream.Core.Contracts;

namespace RiskStream.Core.Registry;

public sealed record SetpointsDocument(double? FirstHigh, double? SecondHigh, double? FirstLow, double? SecondLow);
