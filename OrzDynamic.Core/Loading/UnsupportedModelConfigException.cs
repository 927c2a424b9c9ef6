namespace OrzDynamic.Core.Loading;

/// <summary>
/// A well-formed <c>config.json</c> asks for something this library does not implement (another architecture, a
/// mixture of experts, sliding-window attention, an unknown activation or rope scaling). It is a
/// <see cref="NotSupportedException"/>, so callers that catch that type keep working.
/// </summary>
/// <param name="filePath">The config file.</param>
/// <param name="key">The config key whose value is not supported (e.g. <c>model_type</c>, <c>sliding_window</c>).</param>
/// <param name="reason">What is not supported, and what is.</param>
internal sealed class UnsupportedModelConfigException(string filePath, string key, string reason)
    : NotSupportedException($"Unsupported checkpoint config '{filePath}', '{key}': {reason}")
{
    /// <summary>The config file.</summary>
    public string FilePath { get; } = filePath;

    /// <summary>The config key whose value is not supported.</summary>
    public string Key { get; } = key;

    /// <summary>What is not supported, and what is.</summary>
    public string Reason { get; } = reason;
}
