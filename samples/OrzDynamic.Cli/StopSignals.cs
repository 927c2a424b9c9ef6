using System.Runtime.InteropServices;

namespace OrzDynamic.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM (scancel, a Slurm time limit, Kubernetes, systemd, <c>timeout</c>) stop every command the
/// same way: the first signal cancels the run's token, so the sample being written is finished and journaled and the
/// command exits 130; a second signal of either kind ends the process at once (the journal stays valid: every line is
/// flushed whole, and a torn last line is cut on the next open).
/// <para>
/// The handlers stay installed for the life of the process: a first signal that arrives after the command has finished,
/// while the process exits, is absorbed, so the exit code still says what the command did (0 for a finished merge)
/// instead of the 143 of a process killed on its way out.
/// </para>
/// </summary>
internal static class StopSignals
{
    private static PosixSignalRegistration[] _registrations = [];
    private static CancellationTokenSource? _cts;
    private static int _count;

    /// <summary>Installs the handlers for the rest of the process; a signal cancels <paramref name="cts"/>.</summary>
    public static void Install(CancellationTokenSource cts)
    {
        _cts = cts;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    private static void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _count) > 1) return;   // second signal: the default action ends the process
        context.Cancel = true;
        try
        {
            _cts?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;                                           // the command has finished: nothing left to stop
        }
        Console.Error.WriteLine("Cancelling after the current sample… (Ctrl-C or SIGTERM again to stop at once)");
    }
}
