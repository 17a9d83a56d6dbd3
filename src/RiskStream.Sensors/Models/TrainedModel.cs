using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>A trained model ready to save: its ML.NET context, transformer, input schema and card.</summary>
public sealed record TrainedModel(MLContext Ml, ITransformer Model, DataViewSchema Schema, ModelCard Card);
