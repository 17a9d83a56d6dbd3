namespace RiskStream.Kafka.Tests;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Quantiles_are_exact_to_a_tenth_of_a_millisecond()
    {
        var recorder = new LatencyRecorder();
        for (var i = 1; i <= 1000; i++)
        {
            recorder.Record(i / 10.0);
        }

        Assert.Equal(1000, recorder.Count);
        Assert.Equal(50.0, recorder.Quantile(0.5), 1);
        Assert.Equal(99.0, recorder.Quantile(0.99), 1);
        Assert.Equal(0.1, recorder.Quantile(0), 1);
    }

    [Fact]
    public void Empty_recorder_has_no_quantile_and_reset_empties_it()
    {
        var recorder = new LatencyRecorder();
        Assert.True(double.IsNaN(recorder.Quantile(0.5)));
        recorder.Record(3);
        recorder.Reset();
        Assert.Equal(0, recorder.Count);
    }

    [Fact]
    public void Values_beyond_the_range_are_clamped_not_lost()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(-5);
        recorder.Record(1e9);
        Assert.Equal(2, recorder.Count);
        Assert.Equal(10_000, recorder.Quantile(1));
    }

    [Fact]
    public void A_slice_has_the_quantiles_of_what_was_recorded_since_its_mark()
    {
        var recorder = new LatencyRecorder();
        long[]? mark = null;
        Assert.True(double.IsNaN(recorder.Since(ref mark).P50));
        for (var i = 0; i < 1000; i++)
        {
            recorder.Record(100);
        }

        Assert.Equal((100.0, 100.0, 100.0), recorder.Since(ref mark));
        for (var i = 1; i <= 100; i++)
        {
            recorder.Record(i);
        }

        // Only the hundred since the mark: the thousand at 100 ms before it do not count.
        Assert.Equal((50.0, 99.0, 100.0), recorder.Since(ref mark));
        Assert.True(double.IsNaN(recorder.Since(ref mark).P99));
        Assert.Equal(100.0, recorder.Quantile(0.5));
    }
}
