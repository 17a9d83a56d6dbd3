namespace RiskStream.Sensors.Models;

/// <summary>Scores a dataset with a risk model (and a fault detector) the way the lane does, and evaluates it: what <c>evaluate</c> and <c>models promote</c> share.</summary>
public static class ModelEvaluation
{
    public static RiskEvaluation Run(LoadedModel risk, LoadedModel? anomaly, IReadOnlyList<DataRow> rows, double? threshold = null)
    {
        var riskEngine = risk.RiskEngine();
        var anomalyEngine = anomaly?.AnomalyEngine();
        var p = new double[rows.Count];
        var flagged = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            p[i] = MlRiskModel.Evidenced(riskEngine.Predict(rows[i].Features), rows[i].Features);
            flagged[i] = anomalyEngine is not null && rows[i].Features[Features.FeatureSchema.Index.Count] >= MlRiskModel.WarmReadings && anomalyEngine.Predict(rows[i].Features) > anomaly!.Card.Threshold;
        }

        return RiskMetrics.Evaluate(rows, p, flagged, threshold ?? risk.Card.Threshold);
    }
}
