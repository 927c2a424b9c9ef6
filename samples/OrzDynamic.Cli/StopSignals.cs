using System.Runtime.InteropServices;

namespace OrzDynamic.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM (scancel, a Slurm time limit, Kubernetes, systemd, <c>timeout</c>) stop every command the
/// same way: the first signal cancels the run's token, so the sample being written is finished and journaled and the
/// command exits 130; a second signal of either kind ends the process at once (the journal stays valid: every line is
/// flushed whole, and a torn last line is cut on the next open).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;

    public StopSignals(CancellationTokenSource cts)
    {
        _cts = cts;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _count) > 1) return;   // second signal: the default action ends the process
        context.Cancel = true;
        Console.Error.WriteLine("Cancelling after the current sample… (Ctrl-C or SIGTERM again to stop at once)");
        _cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
