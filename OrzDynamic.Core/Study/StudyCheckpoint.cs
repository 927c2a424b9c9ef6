namespace OrzDynamic.Core.Study;

/// <summary>One evaluated checkpoint of a study.</summary>
/// <param name="Key">The checkpoint as given (usually its path): its iteration is the last <c>iter(\d+)</c> in it.</param>
/// <param name="Name">Its name in the results (the name of its output directory).</param>
/// <param name="OutputDir">Its output directory (holding <c>results.jsonl</c>, custom sentence and probe files).</param>
/// <param name="Results">Its aggregated results (per-sample records are not needed: they are read from <c>results.jsonl</c>).</param>
public sealed record StudyCheckpoint(string Key, string Name, string OutputDir, EvalResults Results);
