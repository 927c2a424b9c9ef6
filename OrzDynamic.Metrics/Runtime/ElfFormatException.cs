namespace OrzDynamic.Metrics.Runtime;

/// <summary>Raised when a file handed to <see cref="ElfVersionNeedPatcher"/> is not the ELF shared object it expects.</summary>
public sealed class ElfFormatException : OrzDynamicException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a reason.</summary>
    public ElfFormatException(string path, string reason)
        : base($"{path}: {reason}")
    {
        FilePath = path;
    }

    /// <summary>The file that was rejected.</summary>
    public string FilePath { get; }
}
