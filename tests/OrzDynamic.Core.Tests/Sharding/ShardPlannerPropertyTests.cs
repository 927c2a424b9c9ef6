using NUnit.Framework;
using OrzDynamic.Core.Sharding;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>
/// Property tests of the work plan: for random uneven selections (checkpoints × datasets of random sizes, random batch
/// sizes, with and without custom sentences) and every shard count 1–7, every (checkpoint, dataset, sample) lands in
/// exactly one unit, units are whole batches, shards are balanced and contiguous, and planning is deterministic.
/// </summary>
[TestFixture]
public class ShardPlannerPropertyTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(1, 40);

    [TestCaseSource(nameof(Seeds))]
    public void EverySampleInExactlyOneUnit_ForShardCounts1To7(int seed)
    {
        var rng = new Random(seed);
        int batchSize = rng.Next(1, 10);
        var checkpoints = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => RandomSelection(rng)).ToArray();
        for (int shards = 1; shards <= 7; shards++)
        {
            var units = ShardPlanner.Partition(checkpoints, batchSize, shards);
            Assert.That(ShardPlanner.Partition(checkpoints, batchSize, shards), Is.EqualTo(units), "planning is deterministic");

            var seen = new Dictionary<(int, string, int), int>();
            foreach (var u in units)
            {
                Assert.That(u.Shard, Is.InRange(0, shards - 1));
                if (u.Kind == WorkUnitKind.CustomSentences)
                {
                    Assert.That(u.Samples, Is.EqualTo(checkpoints[u.Checkpoint].CustomSentences));
                    continue;
                }
                var keys = ShardPlanner.SamplesOf(u, checkpoints[u.Checkpoint].Samples, batchSize).ToArray();
                Assert.That(keys, Has.Length.EqualTo(u.Samples), $"unit {u.Id} sample count");
                Assert.That(keys.All(k => k.Dataset == u.Dataset), Is.True);
                foreach (var (d, i) in keys)
                {
                    var key = (u.Checkpoint, d, i);
                    Assert.That(seen.TryAdd(key, u.Id), Is.True, $"sample {key} in units {seen.GetValueOrDefault(key)} and {u.Id} (shards {shards}, seed {seed})");
                }
            }
            int expected = checkpoints.Sum(c => c.Samples.Count);
            Assert.That(seen, Has.Count.EqualTo(expected), $"every sample covered (shards {shards}, seed {seed})");
            for (int c = 0; c < checkpoints.Length; c++)
                Assert.That(units.Count(u => u.Checkpoint == c && u.Kind == WorkUnitKind.CustomSentences), Is.EqualTo(checkpoints[c].CustomSentences > 0 ? 1 : 0));

            Assert.That(units.Select(u => u.Id), Is.EqualTo(Enumerable.Range(0, units.Count)), "ids are the canonical order");
            Assert.That(units.Select(u => u.Shard), Is.Ordered, "shards are contiguous slices of the canonical order");

            // Balance: each shard is within one atom (≤ max(batch size, custom sentences)) of its fair share.
            long total = units.Sum(u => (long)u.Samples);
            long atom = Math.Max(batchSize, checkpoints.Max(c => c.CustomSentences));
            for (int k = 0; k < shards; k++)
            {
                long load = units.Where(u => u.Shard == k).Sum(u => (long)u.Samples);
                Assert.That(Math.Abs(load - (double)total / shards), Is.LessThanOrEqualTo(atom), $"shard {k} load {load} of {total} over {shards}");
            }
        }
    }

    [Test]
    public void BatchAcrossTwoDatasets_IsSplitIntoOneUnitPerDataset_WithTheSameBatch()
    {
        var selection = new CheckpointSelection([("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1)], 0);
        var units = ShardPlanner.Partition([selection], batchSize: 4, shards: 1);
        Assert.That(units.Select(u => (u.Dataset, u.FirstBatch, u.BatchCount, u.Samples)),
            Is.EqualTo(new[] { ((string?)"a", 0, 1, 3), ("b", 0, 2, 2) }));
    }

    private static CheckpointSelection RandomSelection(Random rng)
    {
        var samples = new List<(string, int)>();
        int datasets = rng.Next(1, 5);
        for (int d = 0; d < datasets; d++)
        {
            int n = rng.Next(0, 4) == 0 ? rng.Next(0, 3) : rng.Next(1, 60);   // some empty or tiny datasets
            int index = 0;
            for (int i = 0; i < n; i++)
            {
                index += rng.Next(1, 4);   // gaps: a subset selection keeps only some records
                samples.Add(($"ds{d}", index));
            }
        }
        return new CheckpointSelection(samples, rng.Next(0, 3) == 0 ? rng.Next(1, 12) : 0);
    }
}
