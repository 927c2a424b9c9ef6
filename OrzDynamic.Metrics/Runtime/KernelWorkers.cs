namespace OrzDynamic.Metrics.Runtime;

/// <summary>
/// A few dedicated background threads for the CPU kernels that run between libtorch operations: the metrics' row
/// reduction here and the decoding-step kernels of OrzDynamic.Core (matrix-vector products, attention), which share
/// one set of workers so that the two never compete for the cores. The caller runs part 0 of the work itself and
/// hands parts 1… to the workers, then waits for them. A worker polls for the next part for 200 µs (the gap between
/// the products of one decoding step) and then sleeps, so between steps it does not hold a core; libtorch's OpenMP
/// threads are asked to sleep at once too (<see cref="OpenMpWaitPolicy"/>), since on a 2-core machine a spinning
/// thread of either kind stalls the other's work.
/// </summary>
/// <remarks>
/// Public so that OrzDynamic.Core's kernels (and a benchmark of them) run on these workers; it is runtime plumbing for
/// CPU kernels, not part of the metrics API.
/// </remarks>
public static class KernelWorkers
{
    private static readonly object Gate = new();

    /// <summary>How long an idle worker polls for more work before it sleeps: 200 µs.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000;
    private static Worker[] _workers = [];

    /// <summary>Runs <paramref name="body"/>(part) for part = 0 … <paramref name="parts"/> − 1, part 0 on the calling thread.</summary>
    /// <param name="parts">How many parts; 1 or less runs part 0 alone on the calling thread.</param>
    /// <param name="body">The work of one part; the first exception any part throws is rethrown in an <see cref="AggregateException"/>.</param>
    /// <remarks>Calls from several threads at once are serialised (the workers serve one call at a time).</remarks>
    public static void Run(int parts, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (parts <= 1)
        {
            body(0); // on this thread: background work may go on meanwhile
            return;
        }
        StopBackground();
        lock (Gate)
        {
            EnsureWorkers(parts - 1);
            using var done = new CountdownEvent(parts - 1);
            Exception? failure = null;
            for (var p = 1; p < parts; p++)
            {
                var part = p;
                _workers[p - 1].Post(() =>
                {
                    try
                    {
                        body(part);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                    finally
                    {
                        done.Signal();
                    }
                });
            }
            try
            {
                body(0);
            }
            finally
            {
                AwaitParts(done);
            }
            if (failure is not null) throw new AggregateException(failure);
        }
    }

    /// <summary>
    /// Waits until the workers' parts are done: polls <paramref name="done"/> for up to <see cref="SpinTicks"/>, then
    /// blocks on it. The parts of one decoding-step product end microseconds apart; blocking at
    /// once (the event's own short spin, then a futex) added the wake-up to each of a step's ~100 products (about 1 %
    /// of a bfloat16 step in the host's fast memory state).
    /// </summary>
    private static void AwaitParts(CountdownEvent done)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (!done.IsSet && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(1);
        done.Wait();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the first worker while the caller goes on with other things (e.g. touching the
    /// weights the next kernel call will stream, while the caller runs the small operations between two products).
    /// The work must return soon after its argument returns true: the next <see cref="Run"/> (or
    /// <see cref="StopBackground"/>) asks it to stop, and its own part waits behind it.
    /// </summary>
    /// <param name="work">The work; its argument returns true once the work should stop.</param>
    public static void RunInBackground(Action<Func<bool>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (Gate)
        {
            EnsureWorkers(1);
            var generation = Volatile.Read(ref _background);
            _workers[0].Post(() => work(() => Volatile.Read(ref _background) != generation));
        }
    }

    /// <summary>Asks background work started by <see cref="RunInBackground"/> to stop.</summary>
    public static void StopBackground() => Interlocked.Increment(ref _background);

    private static int _background;

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return;
        var grown = new Worker[count];
        Array.Copy(_workers, grown, _workers.Length);
        for (var i = _workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
        _workers = grown;
    }

    /// <summary>One background thread that runs posted work items one at a time and blocks while idle.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _ready = new(0);
        private Action? _work;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"OrzDynamic kernel worker {index}" };
            thread.Start();
        }

        public void Post(Action work)
        {
            Volatile.Write(ref _work, work);
            _ready.Release();
        }

        private void Loop()
        {
            while (true)
            {
                var work = Interlocked.Exchange(ref _work, null) ?? SpinForWork();
                if (work is null)
                {
                    _ready.Wait();
                    continue;
                }
                work();
            }
        }

        /// <summary>
        /// Polls for the next item for up to <see cref="SpinTicks"/> before the caller blocks: a decoding step calls the
        /// kernel seven times per layer, tens of microseconds apart, and waking a sleeping thread costs about as much.
        /// (A semaphore count left by an item taken here only makes the next wait return at once, with no item.)
        /// </summary>
        private Action? SpinForWork()
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                if (Volatile.Read(ref _work) is not null) return Interlocked.Exchange(ref _work, null);
                Thread.SpinWait(20);
            }
            return null;
        }
    }
}
