namespace OrzDynamic.Core.Probes;

/// <summary>
/// Probe input cannot be used (a reference checkpoint without results, a selection naming no probed answer, a
/// response token outside a model's vocabulary). The message names the file, record and field concerned.
/// </summary>
internal sealed class ProbeInputException : OrzDynamicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming file, record and field.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ProbeInputException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
