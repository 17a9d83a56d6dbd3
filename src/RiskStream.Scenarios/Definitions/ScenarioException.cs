using System.Globalization;
using RiskStream.Core.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>A scenario file is invalid; the message names the file, the line and the reason.</summary>
public sealed class ScenarioException(string message) : Exception(message);
