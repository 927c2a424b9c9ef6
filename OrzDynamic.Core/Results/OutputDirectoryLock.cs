namespace OrzDynamic.Core.Results;

/// <summary>
/// One writer per output directory: an exclusive advisory lock on <c>DIR/.orz-dynamic.lock</c> (an OS file lock,
/// <c>flock</c> on Linux), held for the life of a run and released by the OS when the process ends in any way, so a
/// killed run never leaves a stale lock. The holder writes "process PID on host HOST" to
/// <c>DIR/.orz-dynamic.lock.owner</c> so that a refused run can name it.
/// <para>
/// Network file systems honour <c>flock</c> differently: NFSv4 and Lustre (mounted with <c>flock</c>) enforce it
/// across hosts; a Lustre client mounted with <c>localflock</c>, or NFSv3 without lockd, enforces it only among
/// processes of one host; where <c>flock</c> is not supported (Lustre's default <c>noflock</c>) .NET opens the file
/// without a lock, and nothing is enforced. Shards of one plan write disjoint files and lock only their own unit directories.
/// </para>
/// </summary>
public sealed class OutputDirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the directory.</summary>
    public const string LockFileName = ".orz-dynamic.lock";

    /// <summary>The file naming the holder, beside the lock file.</summary>
    public const string OwnerFileName = LockFileName + ".owner";

    private readonly FileStream _lock;

    private OutputDirectoryLock(string directory, FileStream lockStream)
    {
        Directory = directory;
        _lock = lockStream;
    }

    /// <summary>The locked directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>Who this process is, as written to the owner file.</summary>
    public static string Self => string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId} on host {Environment.MachineName}");

    /// <summary>Creates <paramref name="directory"/> if needed and takes its lock.</summary>
    /// <exception cref="OutputDirectoryInUseException">Another process holds the lock.</exception>
    /// <exception cref="ResultsFileException">The lock file cannot be created (permissions, not a directory).</exception>
    public static OutputDirectoryLock Acquire(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var dir = Path.GetFullPath(directory);
        var lockPath = Path.Combine(dir, LockFileName);
        FileStream stream;
        try
        {
            System.IO.Directory.CreateDirectory(dir);
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsSharingViolation(ex, lockPath))
        {
            throw new OutputDirectoryInUseException(dir, ReadHolder(dir), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException(lockPath, null, "cannot create the output directory's lock file: " + ex.Message, ex);
        }
        try
        {
            File.WriteAllText(Path.Combine(dir, OwnerFileName), Self + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new ResultsFileException(Path.Combine(dir, OwnerFileName), null, "cannot write the lock's owner file: " + ex.Message, ex);
        }
        return new OutputDirectoryLock(dir, stream);
    }

    /// <summary>Whether <paramref name="directory"/>'s lock is held by some process now (this one included).</summary>
    public static bool IsHeld(string directory)
    {
        var lockPath = Path.Combine(Path.GetFullPath(directory), LockFileName);
        if (!File.Exists(lockPath)) return false;
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException ex) when (IsSharingViolation(ex, lockPath))
        {
            return true;
        }
    }

    /// <summary>Releases the lock (the owner file stays; it is only read while the lock is held).</summary>
    public void Dispose() => _lock.Dispose();

    private static string ReadHolder(string dir)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(dir, OwnerFileName)).Trim();
            return text.Length > 0 ? text : "another process";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }

    // A held lock surfaces as an IOException whose HResult is the errno EWOULDBLOCK on Unix (11 on Linux, 35 on macOS)
    // and ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows; other IOExceptions are real I/O problems.
    private static bool IsSharingViolation(IOException ex, string path) =>
        ex.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
        || (!OperatingSystem.IsWindows() && ex.HResult == (OperatingSystem.IsMacOS() ? 35 : 11) && File.Exists(path));
}
