namespace OrzDynamic.Benchmarks.Metrics;

/// <summary>Fallback peak measurement: a background thread samples VmRSS every millisecond.</summary>
internal sealed class PeakRssSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    public PeakRssSampler()
    {
        _peak = ProcessMemory.RssBytes();
        _thread = new Thread(Loop) { IsBackground = true, Name = "rss-sampler" };
        _thread.Start();
    }

    public long PeakBytes => Interlocked.Read(ref _peak);

    private void Loop()
    {
        while (!_stop)
        {
            var rss = ProcessMemory.RssBytes();
            if (rss > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, rss);
            Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
