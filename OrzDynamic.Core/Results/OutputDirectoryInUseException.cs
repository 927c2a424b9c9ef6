namespace OrzDynamic.Core.Results;

/// <summary>Another process holds the lock of an output directory (one writer per directory).</summary>
internal sealed class OutputDirectoryInUseException : OrzDynamicException
{
    /// <summary>Creates the exception.</summary>
    public OutputDirectoryInUseException(string directory, string holder, Exception? inner = null)
        : base($"{directory}: output directory is in use by {holder}; wait for it to finish or choose another --output_dir", inner)
    {
        Directory = directory;
        Holder = holder;
    }

    /// <summary>The output directory.</summary>
    public string Directory { get; }

    /// <summary>Who holds it, as recorded by the holder ("process 1234 on host node7"), or "another process".</summary>
    public string Holder { get; }
}
