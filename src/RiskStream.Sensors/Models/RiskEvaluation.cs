using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>Everything <c>riskstream evaluate</c> reports for a risk model (and its anomaly detector) on a dataset.</summary>
public sealed record RiskEvaluation(
    long Rows,
    long Positives,
    double PrAuc,
    double RocAuc,
    double Threshold,
    Confusion Confusion,
    double SensorHours,
    IReadOnlyList<FalseWarning> FalseWarnings,
    double FalseAlarmsPer1000SensorHours,
    IReadOnlyList<LeadTime> LeadTimes,
    double MedianLeadSecondsLeakRamp,
    double MedianLeadSecondsAllHazards,
    int Faults,
    int FaultsReportedAsHealth,
    int FaultsReportedAsHazard,
    IReadOnlyList<(double Recall, double Precision)> PrCurve,
    IReadOnlyList<(double Predicted, double Observed, long Count)> Calibration)
{
    public double FaultsAsHealthShare => Faults == 0 ? 1 : (double)FaultsReportedAsHealth / Faults;

    public long FalseAlarms => FalseWarnings.Count;
}
