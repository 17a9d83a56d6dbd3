using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace RiskStream.Kafka;

/// <summary>
/// Emits <see cref="ConsumedBatch"/>es from a <see cref="ConsumerWorker"/>. Backpressure: batches wait in the worker's
/// queue, and the worker pauses its partitions while that queue is full, so a slow stream reaches Kafka as lag.
/// Rebalance: batches of a partition being revoked that were not yet emitted are dropped (the next owner consumes
/// them); emitted ones are finished, within <see cref="ConsumerSettings.RevokeDrainTimeout"/>, and committed before
/// the revoke completes.
/// </summary>
internal sealed class CommittableSourceStage : GraphStageWithMaterializedValue<SourceShape<ConsumedBatch>, IConsumerControl>
{
    private readonly ConsumerSettings _settings;
    private readonly IReadOnlyList<string> _topics;
    private readonly KafkaMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    private readonly Action<IReadOnlyCollection<TopicPartition>>? _assignmentChanged;

    public CommittableSourceStage(ConsumerSettings settings, IReadOnlyList<string> topics, KafkaMetrics metrics, ILogger log, TimeProvider time, Action<IReadOnlyCollection<TopicPartition>>? assignmentChanged = null)
    {
        _assignmentChanged = assignmentChanged;
        _settings = settings;
        _topics = topics;
        _metrics = metrics;
        _log = log;
        _time = time;
        Shape = new SourceShape<ConsumedBatch>(Out);
    }

    public Outlet<ConsumedBatch> Out { get; } = new("kafka.committable.out");

    public override SourceShape<ConsumedBatch> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("kafka-committable-source");

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var worker = new ConsumerWorker(_settings, _topics, _metrics, _log, _time) { AssignmentChanged = _assignmentChanged };
        var logic = new Logic(this, worker);
        return new LogicAndMaterializedValue<IConsumerControl>(logic, new Control(logic, worker));
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly CommittableSourceStage _stage;
        private readonly ConsumerWorker _worker;
        private volatile bool _stopRequested;

        public Logic(CommittableSourceStage stage, ConsumerWorker worker)
            : base(stage.Shape)
        {
            _stage = stage;
            _worker = worker;
            SetHandler(stage.Out, onPull: TryPush, onDownstreamFinish: _ => CompleteStage());
        }

        public Action? StopCallback { get; private set; }

        public bool StopRequested => _stopRequested;

        public override void PreStart()
        {
            var available = GetAsyncCallback(TryPush);
            var failed = GetAsyncCallback<Exception>(FailStage);
            StopCallback = GetAsyncCallback(CompleteStage);
            _worker.BatchesAvailable = available;
            _worker.Failed = failed;
            _worker.Start();
        }

        public void RequestStop()
        {
            _stopRequested = true;
            _worker.StopEmission();
            StopCallback?.Invoke();
        }

        public override void PostStop()
        {
            // Stopped by its control: the control decides when the consumer closes (after the drain). Otherwise
            // (cancelled, failed, torn down) commit what completed and leave the group now.
            if (!_stopRequested)
            {
                _ = _worker.CloseAsync();
            }
        }

        private void TryPush()
        {
            while (IsAvailable(_stage.Out) && _worker.Ready.TryDequeue(out var batch))
            {
                _worker.Taken(batch.Messages.Count);
                if (batch.Range.Owner.TryEmit(batch.Range))
                {
                    Push(_stage.Out, batch);
                }
            }
        }
    }

    private sealed class Control(Logic logic, ConsumerWorker worker) : IConsumerControl
    {
        public Task Completion => worker.Closed;

        public IReadOnlyCollection<TopicPartition> Assignment => worker.Assignment;

        public IReadOnlyDictionary<TopicPartition, long> CommittedOffsets => worker.Committed;

        public void Stop() => logic.RequestStop();

        public Task ShutdownAsync()
        {
            logic.RequestStop();
            return worker.CloseAsync();
        }

        public async Task DrainAndShutdownAsync(Task streamCompletion, TimeSpan timeout)
        {
            logic.RequestStop();
            try
            {
                await streamCompletion.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A failed or slow stream still gets the commit of whatever finished.
            }

            await worker.CloseAsync().ConfigureAwait(false);
            if (streamCompletion.IsFaulted)
            {
                await streamCompletion.ConfigureAwait(false);
            }
        }
    }
}
