namespace OrzDynamic.Datasets.Loading;

/// <summary>A fixed prompt/response pair whose learning dynamics are tracked (custom sentence files).</summary>
/// <param name="SourcePath">The file it was read from.</param>
/// <param name="Index">0-based record index in that file.</param>
/// <param name="Prompt">The prompt text.</param>
/// <param name="Response">The response text.</param>
/// <param name="Group">Optional group (e.g. "chosen", "rejected", "rephrase"); groups are aggregated and plotted
/// as separate series.</param>
/// <param name="Label">Optional short label shown in chart legends.</param>
public sealed record CustomSentence(string SourcePath, int Index, string Prompt, string Response, string? Group = null, string? Label = null);
