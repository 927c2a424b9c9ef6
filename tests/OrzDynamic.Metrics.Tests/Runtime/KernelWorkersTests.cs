using NUnit.Framework;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Metrics.Tests.Runtime;

/// <summary>The kernel worker threads: every part runs once, on distinct threads, and failures reach the caller.</summary>
[TestFixture]
public sealed class KernelWorkersTests
{
    [Test]
    public void EveryPartRunsOnceWithPartZeroOnTheCaller([Values(1, 2, 3)] int parts)
    {
        for (var round = 0; round < 200; round++)
        {
            var counts = new int[parts];
            var threads = new int[parts];
            KernelWorkers.Run(parts, p =>
            {
                Interlocked.Increment(ref counts[p]);
                threads[p] = Environment.CurrentManagedThreadId;
            });
            Assert.That(counts, Is.All.EqualTo(1), $"round {round}");
            Assert.That(threads[0], Is.EqualTo(Environment.CurrentManagedThreadId));
            Assert.That(threads.Distinct().Count(), Is.EqualTo(parts));
        }
    }

    [Test]
    public void AWorkerFailureReachesTheCallerAfterEveryPartEnded()
    {
        var finished = 0;
        var e = Assert.Throws<AggregateException>(() => KernelWorkers.Run(3, p =>
        {
            if (p == 2) throw new InvalidOperationException("part 2 failed");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished);
        }));
        Assert.That(e!.InnerException, Is.TypeOf<InvalidOperationException>());
        Assert.That(finished, Is.EqualTo(2));
        // The workers still serve later calls.
        var sum = 0;
        KernelWorkers.Run(3, p => Interlocked.Add(ref sum, p));
        Assert.That(sum, Is.EqualTo(3));
    }

    [Test]
    public void BackgroundWorkRunsOnAWorkerAndStopsWhenTheNextCallNeedsIt()
    {
        for (var round = 0; round < 50; round++)
        {
            using var started = new ManualResetEventSlim();
            var stoppedAfter = -1L;
            var backgroundThread = 0;
            KernelWorkers.RunInBackground(stop =>
            {
                backgroundThread = Environment.CurrentManagedThreadId;
                started.Set();
                long spins = 0;
                while (!stop()) spins++;
                Volatile.Write(ref stoppedAfter, spins);
            });
            Assert.That(started.Wait(TimeSpan.FromSeconds(10)), Is.True, "the background work started");
            Assert.That(backgroundThread, Is.Not.EqualTo(Environment.CurrentManagedThreadId));
            // A one-part call runs on the caller and leaves the background work alone.
            KernelWorkers.Run(1, _ => { });
            Assert.That(Volatile.Read(ref stoppedAfter), Is.EqualTo(-1L), "still running after a one-part call");
            // A two-part call needs the worker: the background work stops and both parts still run once.
            var counts = new int[2];
            KernelWorkers.Run(2, p => Interlocked.Increment(ref counts[p]));
            Assert.That(counts, Is.All.EqualTo(1));
            Assert.That(Volatile.Read(ref stoppedAfter), Is.GreaterThanOrEqualTo(0L), "stopped before the worker's part ran");
        }
    }
}
