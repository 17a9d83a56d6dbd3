using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace RiskStream.Sensors.Models;

/// <summary>
/// A trained FastTree model with Platt calibration, read out of its ML.NET transformer into flat arrays and evaluated
/// directly: the same trees, thresholds, leaf values and calibration, without the prediction engine's per-call
/// overhead. Immutable, so lanes share it without locks. <see cref="LoadedModel"/> only serves it after checking that it
/// agrees with ML.NET's own prediction engine on a spread of inputs.
/// </summary>
public sealed class CompiledEnsemble
{
    private readonly int[] _nodeStart;
    private readonly int[] _leafStart;
    private readonly Node[] _nodes;
    private readonly double[] _leaf;

    /// <summary>A split, 16 bytes: a node's test and both children in one cache line's quarter.</summary>
    private readonly record struct Node(float Threshold, int Feature, int Left, int Right);
    private readonly double[] _weight;
    private readonly double _bias;
    private readonly double _slope;
    private readonly double _offset;

    private CompiledEnsemble(RegressionTreeEnsemble ensemble, double slope, double offset)
    {
        var trees = ensemble.Trees;
        _nodeStart = new int[trees.Count];
        _leafStart = new int[trees.Count];
        _weight = ensemble.TreeWeights.ToArray();
        _bias = ensemble.Bias;
        (_slope, _offset) = (slope, offset);
        var nodes = new List<Node>();
        var leaf = new List<double>();
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _nodeStart[t] = nodes.Count;
            _leafStart[t] = leaf.Count;
            for (var n = 0; n < tree.LeftChild.Count; n++)
            {
                nodes.Add(new Node(tree.NumericalSplitThresholds[n], tree.NumericalSplitFeatureIndexes[n], tree.LeftChild[n], tree.RightChild[n]));
            }

            leaf.AddRange(tree.LeafValues);
        }

        (_nodes, _leaf) = (nodes.ToArray(), leaf.ToArray());
    }

    /// <summary>The ensemble of a calibrated FastTree binary model, or null for any other model (or categorical splits).</summary>
    public static CompiledEnsemble? TryCompile(ITransformer model)
    {
        var last = model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model;
        if (last is not ISingleFeaturePredictionTransformer<object> { Model: CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated })
        {
            return null;
        }

        var ensemble = calibrated.SubModel.TrainedTreeEnsemble;
        if (ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(c => c)))
        {
            return null;
        }

        return new CompiledEnsemble(ensemble, calibrated.Calibrator.Slope, calibrated.Calibrator.Offset);
    }

    /// <summary>The calibrated probability for a feature vector.</summary>
    public double Predict(ReadOnlySpan<float> features)
    {
        var score = _bias;
        for (var t = 0; t < _nodeStart.Length; t++)
        {
            var start = _nodeStart[t];
            var node = _leafStart[t] == (t + 1 < _leafStart.Length ? _leafStart[t + 1] : _leaf.Length) - 1 ? -1 : 0;
            while (node >= 0)
            {
                ref readonly var split = ref _nodes[start + node];
                node = features[split.Feature] <= split.Threshold ? split.Left : split.Right;
            }

            score += _weight[t] * _leaf[_leafStart[t] + ~node];
        }

        return 1 / (1 + Math.Exp((_slope * score) + _offset));
    }
}
