using Microsoft.Extensions.Time.Testing;

namespace RiskStream.Kafka.Tests;

public sealed class LogThrottleTests
{
    [Fact]
    public void A_repeating_message_is_logged_once_per_interval_with_the_count_held_back()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
        Assert.True(throttle.ShouldLog("Local_Transport", out var held));
        Assert.Equal(0, held);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(throttle.ShouldLog("Local_Transport", out _));
        }

        Assert.True(throttle.ShouldLog("Local_AllBrokersDown", out _));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(throttle.ShouldLog("Local_Transport", out held));
        Assert.Equal(5, held);
    }
}
