namespace OrzDynamic.Core.Probes;

/// <summary>Names of the files probe scoring writes.</summary>
public static class ProbeFiles
{
    /// <summary>Journal of one probe set under one checkpoint: <c>probes_&lt;set&gt;.jsonl</c> in the checkpoint's directory.</summary>
    public static string Journal(string setName) => $"probes_{setName}.jsonl";

    /// <summary>The set name of answer probes taken from checkpoint <paramref name="reference"/>.</summary>
    public static string AnswerSet(string reference) => $"answers_from_{reference}";

    /// <summary>Per-checkpoint, per-stratum probe means: <c>probe_trends_&lt;set&gt;.csv</c>.</summary>
    public static string TrendsCsv(string setName) => $"probe_trends_{setName}.csv";
}
