using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Core.Probes;

/// <summary>
/// Reads the answers a reference checkpoint generated (its <c>results.jsonl</c>) as probe items: the rendered prompt,
/// the generated token ids exactly as scored by the evaluator, and whether the answer was correct.
/// </summary>
public static class ReferenceAnswers
{
    /// <summary>
    /// Loads the reference answers in <paramref name="referenceOutputDir"/>, ordered by dataset then index.
    /// </summary>
    /// <param name="referenceOutputDir">The reference checkpoint's output directory (holding results.jsonl).</param>
    /// <param name="datasets">Datasets to take (null = all in the file). A listed dataset without answers is a warning.</param>
    /// <param name="logger">Receives warnings.</param>
    /// <returns>The items, and the requested datasets the reference has no answers for.</returns>
    /// <exception cref="ProbeInputException">No results.jsonl, or no usable answer for any requested dataset.</exception>
    /// <exception cref="ResultsFileException">A line is not a valid sample record.</exception>
    public static (IReadOnlyList<ProbeItem> Items, IReadOnlyList<string> MissingDatasets) Load(string referenceOutputDir,
        IReadOnlyCollection<string>? datasets = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(referenceOutputDir);
        logger ??= NullLogger.Instance;
        var path = Path.Combine(referenceOutputDir, OutputLayout.Journal);
        if (!File.Exists(path))
            throw new ProbeInputException($"Reference checkpoint output '{referenceOutputDir}' has no {OutputLayout.Journal}: evaluate the reference checkpoint first (its generated answers are the probes).");
        return FromRecords(ReadRecords(path), path, datasets, logger);
    }

    /// <summary>
    /// The reference answers held by several journals of one checkpoint (e.g. the unit journals of a sharded run),
    /// ordered by dataset then index as <see cref="Load"/> orders them.
    /// </summary>
    /// <param name="journals">The journals (missing files hold nothing).</param>
    /// <param name="source">How to name the reference in messages.</param>
    /// <param name="datasets">Datasets to take (null = all).</param>
    /// <param name="logger">Receives warnings.</param>
    /// <exception cref="ProbeInputException">No usable answer for any requested dataset.</exception>
    /// <exception cref="ResultsFileException">A line is not a valid sample record.</exception>
    public static (IReadOnlyList<ProbeItem> Items, IReadOnlyList<string> MissingDatasets) FromJournals(IEnumerable<string> journals, string source,
        IReadOnlyCollection<string>? datasets = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(journals);
        var records = new List<SampleRecord>();
        foreach (var journal in journals.Where(File.Exists)) records.AddRange(ReadRecords(journal));
        return FromRecords(records, source, datasets, logger ?? NullLogger.Instance);
    }

    private static (IReadOnlyList<ProbeItem> Items, IReadOnlyList<string> MissingDatasets) FromRecords(List<SampleRecord> records, string path,
        IReadOnlyCollection<string>? datasets, ILogger logger)
    {
        var wanted = datasets is null ? null : new HashSet<string>(datasets, StringComparer.Ordinal);
        var items = new List<ProbeItem>();
        foreach (var r in records.Where(r => wanted is null || wanted.Contains(r.Dataset)).OrderBy(r => r.Dataset, StringComparer.Ordinal).ThenBy(r => r.Index))
        {
            if (r.TokenIds.Count == 0)
            {
                logger.LogWarning("{File}: {Dataset}#{Index} has no generated tokens (field 'token_ids'); it is not probed", path, r.Dataset, r.Index);
                continue;
            }
            items.Add(new ProbeItem
            {
                Source = r.Dataset,
                Index = r.Index,
                Prompt = r.Prompt,
                ResponseTokenIds = r.TokenIds,
                ReferenceCorrect = r.IsCorrect,
            });
        }
        var present = items.Select(i => i.Source).ToHashSet(StringComparer.Ordinal);
        var missing = wanted is null ? [] : wanted.Where(d => !present.Contains(d)).Order(StringComparer.Ordinal).ToArray();
        foreach (var d in missing)
            logger.LogWarning("{File} has no answers for dataset '{Dataset}': that dataset gets no answer probes", path, d);
        if (items.Count == 0)
            throw new ProbeInputException(wanted is null
                ? $"{path} holds no generated answers to probe."
                : $"{path} holds no answers for dataset(s) {string.Join(", ", wanted.Order(StringComparer.Ordinal))}: the reference checkpoint was not evaluated on them.");
        return (items, missing);
    }

    private static List<SampleRecord> ReadRecords(string path)
    {
        var list = new List<SampleRecord>();
        var seen = new HashSet<(string, int)>();
        // With several answers per prompt, the probes replay sample 0 of each prompt (the answer of a one-sample run).
        foreach (var (rec, _) in ResultsJournal.ParseRecords(JournalText.CompleteLines(File.ReadAllBytes(path)), path))
            if ((rec.Sample ?? 0) == 0 && seen.Add((rec.Dataset, rec.Index))) list.Add(rec);
        return list;
    }
}
