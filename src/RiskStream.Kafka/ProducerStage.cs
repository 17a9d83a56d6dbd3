using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// Produces each envelope's messages and emits its pass-through once the broker acknowledged all of them, in the
/// order acknowledgements complete (which may differ from input order across partitions). At most
/// <c>maxInFlight</c> envelopes await acknowledgement; beyond that the stage backpressures. A message whose delivery
/// finally fails fails the stage, so its input is never committed. On upstream completion the stage waits for every
/// outstanding acknowledgement before completing (the flush on stop).
/// </summary>
internal sealed class ProducerStage<TPass> : GraphStage<FlowShape<ProducerEnvelope<TPass>, TPass>>
{
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly int _maxInFlight;
    private readonly KafkaMetrics _metrics;
    private readonly Action<double>? _latency;
    private readonly TimeProvider _time;

    public ProducerStage(IProducer<byte[]?, byte[]> producer, int maxInFlight, KafkaMetrics metrics, Action<double>? latency, TimeProvider time)
    {
        _producer = producer;
        _maxInFlight = maxInFlight;
        _metrics = metrics;
        _latency = latency;
        _time = time;
        Shape = new FlowShape<ProducerEnvelope<TPass>, TPass>(In, Out);
    }

    public Inlet<ProducerEnvelope<TPass>> In { get; } = new("kafka.producer.in");

    public Outlet<TPass> Out { get; } = new("kafka.producer.out");

    public override FlowShape<ProducerEnvelope<TPass>, TPass> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("kafka-producer-flow");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string RetryTimer = "retry-queue-full";
        private readonly ProducerStage<TPass> _stage;
        private readonly Queue<TPass> _acknowledged = new();
        private readonly Queue<ProducerEnvelope<TPass>> _blocked = new();
        private int _headNext;
        private Action<ProducerEnvelope<TPass>>? _onAcknowledged;
        private Action<Exception>? _onFailed;
        private int _inFlight;

        public Logic(ProducerStage<TPass> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: TryComplete);
            SetHandler(stage.Out, onPull: OnPull);
        }

        public override void PreStart()
        {
            _onAcknowledged = GetAsyncCallback<ProducerEnvelope<TPass>>(OnAcknowledged);
            _onFailed = GetAsyncCallback<Exception>(FailStage);
            Pull(_stage.In);
        }

        protected override void OnTimer(object timerKey) => ProduceBlocked();

        private void OnPush()
        {
            var envelope = Grab(_stage.In);
            if (envelope.Messages.Count == 0)
            {
                _acknowledged.Enqueue(envelope.PassThrough);
                OnPull();
            }
            else
            {
                _inFlight++;
                envelope.Remaining = envelope.Messages.Count;
                if (_blocked.Count > 0)
                {
                    _blocked.Enqueue(envelope);
                }
                else
                {
                    var stop = ProduceFrom(envelope, 0);
                    if (stop < envelope.Messages.Count)
                    {
                        _blocked.Enqueue(envelope);
                        _headNext = stop;
                    }
                }
            }

            PullIfRoom();
        }

        private void OnPull()
        {
            if (IsAvailable(_stage.Out) && _acknowledged.TryDequeue(out var pass))
            {
                Push(_stage.Out, pass);
            }

            TryComplete();
        }

        private void PullIfRoom()
        {
            if (_inFlight < _stage._maxInFlight && _blocked.Count == 0 && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
            {
                Pull(_stage.In);
            }
        }

        private void OnAcknowledged(ProducerEnvelope<TPass> envelope)
        {
            _inFlight--;
            CountProduced(envelope.Messages);
            _acknowledged.Enqueue(envelope.PassThrough);
            OnPull();
            PullIfRoom();
        }

        /// <summary>Counts acknowledged messages per topic, once per run of one topic rather than per message.</summary>
        private void CountProduced(IReadOnlyList<OutboundMessage> messages)
        {
            var metrics = _stage._metrics;
            var run = 0;
            string? topic = null;
            foreach (var m in messages)
            {
                if (!ReferenceEquals(m.Topic, topic) && !string.Equals(m.Topic, topic, StringComparison.Ordinal))
                {
                    if (topic is not null)
                    {
                        metrics.Produced(topic, run);
                    }

                    topic = m.Topic;
                    run = 0;
                }

                run++;
            }

            if (topic is not null)
            {
                metrics.Produced(topic, run);
            }
        }

        private void TryComplete()
        {
            if (IsClosed(_stage.In) && _inFlight == 0 && _acknowledged.Count == 0 && _blocked.Count == 0)
            {
                CompleteStage();
            }
        }

        /// <summary>Produces from message <paramref name="next"/> on; returns where it stopped (the count if all went).</summary>
        private int ProduceFrom(ProducerEnvelope<TPass> envelope, int next)
        {
            var onAck = _onAcknowledged!;
            var onFailed = _onFailed!;
            var metrics = _stage._metrics;
            var latency = _stage._latency;
            var time = _stage._time;
            var messages = envelope.Messages;
            for (var i = next; i < messages.Count; i++)
            {
                var m = messages[i];
                var sourceTs = m.SourceTimestampMs;
                try
                {
                    Action<DeliveryReport<byte[]?, byte[]>> handler =
                        report =>
                        {
                            if (report.Error.IsError)
                            {
                                metrics.ProduceErrors.WithLabels(report.Error.Code.ToString()).Inc();
                                onFailed(KafkaErrors.IsPermanent(report.Error) ? new PermanentKafkaException(report.Error, $"producing to {report.Topic}") : new KafkaException(report.Error));
                                return;
                            }

                            if (latency is not null && sourceTs > 0)
                            {
                                latency(time.GetUtcNow().ToUnixTimeMilliseconds() - sourceTs);
                            }

                            if (Interlocked.Decrement(ref envelope.Remaining) == 0)
                            {
                                onAck(envelope);
                            }
                        };
                    var message = new Message<byte[]?, byte[]> { Key = m.Key, Value = m.Value, Headers = m.Headers };
                    if (m.Partition >= 0)
                    {
                        _stage._producer.Produce(new TopicPartition(m.Topic, new Partition(m.Partition)), message, handler);
                    }
                    else
                    {
                        _stage._producer.Produce(m.Topic, message, handler);
                    }
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // librdkafka's local queue is full: retry shortly rather than block the dispatcher.
                    ScheduleOnce(RetryTimer, TimeSpan.FromMilliseconds(1));
                    return i;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (KafkaErrors.IsPermanent(e.Error))
                {
                    // Refused before it left (too large for message.max.bytes, say): no restart would send it.
                    FailStage(new PermanentKafkaException(e.Error, $"producing to {m.Topic}"));
                    return messages.Count;
                }
            }

            return messages.Count;
        }

        private void ProduceBlocked()
        {
            while (_blocked.TryPeek(out var head))
            {
                var stop = ProduceFrom(head, _headNext);
                if (stop < head.Messages.Count)
                {
                    _headNext = stop;
                    return;
                }

                _blocked.Dequeue();
                _headNext = 0;
            }

            PullIfRoom();
            TryComplete();
        }
    }
}
