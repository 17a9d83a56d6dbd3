using Confluent.Kafka;
using CsCheck;

namespace RiskStream.Kafka.Tests;

public sealed class PartitionProgressTests
{
    [Fact]
    public void Committed_offset_is_highest_contiguous_completed_plus_one_whatever_the_completion_order()
    {
        // Ranges of random lengths with occasional gaps (retention, compaction), completed in a random order.
        var gen = Gen.Select(Gen.Int[1, 30], Gen.Int[1, 20].Array[1, 30], Gen.Int[0, 3].Array[30], Gen.Int.Array[30]);
        gen.Sample((start, lengths, gaps, order) =>
        {
            var progress = new PartitionProgress(new TopicPartition("t", 0));
            var ranges = new List<OffsetRange>();
            long next = start;
            for (var i = 0; i < lengths.Length; i++)
            {
                next += gaps[i];
                var r = progress.Register(next, next + lengths[i] - 1);
                Assert.True(progress.TryEmit(r));
                ranges.Add(r);
                next += lengths[i];
            }

            var completion = ranges.Select((r, i) => (r, key: order[i % order.Length] ^ i)).OrderBy(x => x.key).Select(x => x.r).ToList();
            var done = new HashSet<OffsetRange>();
            long committed = -1;
            foreach (var r in completion)
            {
                progress.Complete(r);
                done.Add(r);
                var contiguous = ranges.TakeWhile(done.Contains).ToList();
                var expected = contiguous.Count == 0 || contiguous[^1].Last + 1 <= committed ? (long?)null : contiguous[^1].Last + 1;
                var pending = progress.PendingCommit();
                Assert.Equal(expected, pending?.Offset.Value);
                if (pending is { } p)
                {
                    progress.MarkCommitted(p.Offset.Value);
                    committed = p.Offset.Value;
                    Assert.Null(progress.PendingCommit());
                }
            }

            Assert.True(progress.Drained);
        });
    }

    [Fact]
    public void Revoked_partition_drops_unemitted_batches_and_ignores_late_completions()
    {
        var progress = new PartitionProgress(new TopicPartition("t", 0));
        var emitted = progress.Register(0, 9);
        Assert.True(progress.TryEmit(emitted));
        var queued = progress.Register(10, 19);
        progress.BeginRevoke();
        Assert.False(progress.TryEmit(queued));
        Assert.False(progress.Drained);
        progress.Complete(emitted);
        Assert.True(progress.Drained);
        Assert.Equal(10, progress.PendingCommit()!.Offset.Value);
        progress.EndRevoke();
        progress.Complete(queued);
        Assert.Null(progress.PendingCommit());
    }

    [Fact]
    public void A_batch_completes_when_its_last_holder_releases_it()
    {
        var progress = new PartitionProgress(new TopicPartition("t", 3));
        var range = progress.Register(5, 7);
        Assert.True(progress.TryEmit(range));
        var batch = new ConsumedBatch("t", 3, [], range);
        batch.Retain(2);
        batch.Release();
        batch.Release();
        Assert.Null(progress.PendingCommit());
        batch.Release();
        Assert.Equal(8, progress.PendingCommit()!.Offset.Value);
        Assert.Throws<InvalidOperationException>(batch.Release);
    }
}
