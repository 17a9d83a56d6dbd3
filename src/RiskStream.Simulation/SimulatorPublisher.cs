using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Core;
using RiskStream.Core.Contracts;

namespace RiskStream.Simulation;

/// <summary>
/// Publishes a <see cref="ParkSimulator"/>'s readings to <c>riskstream.readings</c> in real time (key = site id):
/// each sensor reports once per <see cref="ParkSimulator.SensorPeriod"/>, sensors spread evenly over the period.
/// </summary>
public sealed class SimulatorPublisher(ParkSimulator simulator, IProducer<byte[]?, byte[]> producer, TimeProvider time, ILogger log)
{
    /// <summary>Raman inspections to publish on <c>riskstream.spectra</c> beside the readings, if any.</summary>
    public InspectionSimulator? Inspections { get; init; }

    /// <summary>Mean time between inspections.</summary>
    public TimeSpan InspectionEvery { get; init; } = TimeSpan.FromSeconds(20);

    private long _published;
    private long _failed;

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public async Task RunAsync(CancellationToken cancel)
    {
        var sensors = simulator.Sensors;
        var period = simulator.SensorPeriod;
        var tick = TimeSpan.FromMilliseconds(50);
        var keys = sensors.Select(s => s.Site.Id).Distinct().ToDictionary(s => s, s => Encoding.UTF8.GetBytes(s));
        var next = 0L; // readings due so far, over all sensors
        var started = time.GetUtcNow();
        var reported = started;
        Action<DeliveryReport<byte[]?, byte[]>> onDelivery = r =>
        {
            if (r.Error.IsError)
            {
                Interlocked.Increment(ref _failed);
            }
            else
            {
                Interlocked.Increment(ref _published);
            }
        };

        var nextInspection = started + (InspectionEvery / 2);
        var inspections = 0;
        log.LogInformation("Simulating {Sensors} sensors at {Sites} sites, one reading per sensor every {Period:F2} s", sensors.Count, keys.Count, period.TotalSeconds);
        while (!cancel.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var due = (long)((now - started).TotalSeconds / period.TotalSeconds * sensors.Count);
            for (; next < due && !cancel.IsCancellationRequested; next++)
            {
                var sensor = sensors[(int)(next % sensors.Count)];
                var ts = started + (period * ((double)next / sensors.Count));
                if (simulator.ReadingAt(sensor, ts) is not { } reading)
                {
                    continue;
                }

                var bytes = JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading);
                while (true)
                {
                    try
                    {
                        producer.Produce(Topics.Readings, new Message<byte[]?, byte[]> { Key = keys[reading.Site], Value = bytes }, onDelivery);
                        break;
                    }
                    catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancel).ConfigureAwait(false);
                    }
                }
            }

            if (Inspections is { } inspector && InspectionEvery > TimeSpan.Zero && now >= nextInspection)
            {
                var inspection = inspector.Next(now);
                nextInspection = now + (InspectionEvery * (0.5 + Random.Shared.NextDouble()));
                try
                {
                    producer.Produce(Topics.Spectra, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(inspection.Spectrum.Site), Value = JsonSerializer.SerializeToUtf8Bytes(inspection.Spectrum, ContractJson.Default.Spectrum) }, onDelivery);
                    inspections++;
                    log.LogInformation("Simulator: inspection {Sample} at {Site} ({Truth})", inspection.Spectrum.Sample, inspection.Spectrum.Site, inspection.Truth ?? "a substance not in the library");
                }
                catch (ProduceException<byte[]?, byte[]> e)
                {
                    log.LogWarning("Simulator: inspection {Sample} not published: {Reason}", inspection.Spectrum.Sample, e.Error.Reason);
                }
            }

            if (now - reported >= TimeSpan.FromSeconds(30))
            {
                reported = now;
                log.LogInformation("Simulator: {Published} messages published, {Events} events injected, {Inspections} inspections so far", Published, simulator.Events.Count(e => e.Start <= now), inspections);
            }

            try
            {
                await Task.Delay(tick, time, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }
}
