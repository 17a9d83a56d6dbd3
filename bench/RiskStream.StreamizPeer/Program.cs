using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RiskStream.StreamizPeer;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;

// The Streamiz.Kafka.Net peer of `riskstream bench`: readings in, per-sensor tumbling-window statistics and a
// threshold alarm out, one output record per reading (as the pipeline publishes one score per reading). Run by the
// bench as a child process against its embedded broker; it prints "running" once its stream threads run, then
// "processed N" every 20 ms, and stops on SIGTERM or when its standard input closes or reads "stop".
var arguments = PeerArguments.Parse(args);
if (arguments is null)
{
    await Console.Error.WriteLineAsync("usage: RiskStream.StreamizPeer --bootstrap HOST:PORT --input TOPIC --output TOPIC --application-id ID [--threads N]").ConfigureAwait(false);
    return 2;
}

using var logging = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes>
{
    ApplicationId = arguments.ApplicationId,
    BootstrapServers = arguments.Bootstrap,
    NumStreamThreads = arguments.Threads,
    AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
    Logger = logging,
    // As the pipeline's clients on the embedded broker: a 1 ms fetch wait (the mock broker holds an empty fetch for
    // the whole wait), lz4 batches lingering 1 ms, idempotent acks=all.
    FetchWaitMaxMs = 1,
    LingerMs = 1,
    CompressionType = Confluent.Kafka.CompressionType.Lz4,
    EnableIdempotence = true,
    Acks = Confluent.Kafka.Acks.All,
};

var builder = new StreamBuilder();
builder.Stream<byte[], byte[]>(arguments.Input)
    .TransformValues(TransformerBuilder.New<byte[], byte[], byte[], byte[]>().Transformer<SensorWindows>().Build())
    .To(arguments.Output);

using var stream = new KafkaStream(builder.Build(), config);
var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
stream.StateChanged += (_, now) =>
{
    if (now == KafkaStream.State.RUNNING)
    {
        running.TrySetResult();
    }
};

await stream.StartAsync().ConfigureAwait(false);
if (await Task.WhenAny(running.Task, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false) != running.Task)
{
    await Console.Error.WriteLineAsync("streamiz peer: not running after 60 s").ConfigureAwait(false);
    return 1;
}

Console.WriteLine("running");
using var stop = new CancellationTokenSource();
// SIGTERM (how the bench stops it) or its standard input closing (the bench gone) ends it, its stream closed.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
_ = Task.Run(() =>
{
    while (Console.ReadLine() is { } line && line.Trim() != "stop")
    {
    }

    stop.Cancel();
});
while (!stop.IsCancellationRequested)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"processed {Interlocked.Read(ref SensorWindows.Processed)}"));
    try
    {
        await Task.Delay(20, stop.Token).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;
