namespace OrzDynamic.Datasets.Loading;

/// <summary>Statistics of one loaded file.</summary>
/// <param name="DatasetName">File name without extension.</param>
/// <param name="Path">The file.</param>
/// <param name="Records">Records in the file.</param>
/// <param name="Valid">Well-formed records.</param>
/// <param name="WithinLength">Well-formed records whose prompt fits <see cref="EvalDataOptions.PromptMaxLen"/>.</param>
/// <param name="Selected">Samples of this file in the result.</param>
public sealed record EvalFileSummary(string DatasetName, string Path, int Records, int Valid, int WithinLength, int Selected);
