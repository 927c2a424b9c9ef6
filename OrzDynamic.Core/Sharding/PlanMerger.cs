using System.Text.Json.Nodes;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Core.Study;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Merges the shard journals of a plan into everything a single-process run writes: per checkpoint
/// <c>results.jsonl</c> (selection order), <c>summary.json</c>, <c>eval_results_*</c>, <c>custom_sentence_*</c>,
/// <c>run_manifest.json</c>, <c>probes_&lt;set&gt;.jsonl</c> (answer probes); and <c>comparisons.csv/json</c> and
/// <c>trends.csv</c> across checkpoints. It streams: each journal line is copied byte for byte and fed to the same
/// streaming accumulators the single-process aggregation uses, in the same order (per dataset, ascending index), so
/// every number is bit-identical and memory does not grow with the number of records. Nor does it grow with the number
/// of checkpoints beyond a few numbers each: checkpoint results are not kept (the trends keep their per-stratum
/// aggregates), comparison rows go straight to disk (<see cref="ComparisonFileWriter"/>) and only the significance
/// marks of the trends are kept.
/// <para>
/// All or nothing: every input journal (sample units, custom sentence units, answer-probe units) is read and checked
/// completely before anything is written; the outputs are then written into a staging folder inside DIR
/// (<c>.merge-staging/</c>) and renamed into place only when all of them are written. A merge that fails or is
/// cancelled removes its staging folder and leaves DIR as it was; what a killed merge or run left behind (the staging
/// folder, <c>*.tmp</c> and <c>*.tmp-&lt;pid&gt;-&lt;guid&gt;</c> files in DIR and the checkpoint folders) is removed
/// by the next merge.
/// </para>
/// </summary>
public static class PlanMerger
{
    private static readonly JsonSerializerOptions ViewOptions = ResultsJournal.LineOptions;

    /// <summary>Merges the sharded run in <paramref name="dir"/> (which holds <c>plan.json</c>).</summary>
    /// <exception cref="IncompletePlanException">Units are missing and <see cref="MergeOptions.Partial"/> is off.</exception>
    /// <exception cref="ShardPlanException">Plan unreadable or edited, or journals of another plan in the directory.</exception>
    /// <exception cref="ResultsFileException">A journal line is malformed or belongs to another unit.</exception>
    /// <exception cref="OutputDirectoryInUseException">Another process writes into <paramref name="dir"/>.</exception>
    public static MergeResult Merge(string dir, MergeOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dir);
        options ??= new MergeOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger(typeof(PlanMerger).FullName!);
        var planPath = ShardLayout.PlanPath(dir);
        var plan = ShardPlan.Load(planPath);
        using var writer = OutputDirectoryLock.Acquire(dir);   // one merge (or run) writing into the directory at a time
        plan.VerifyConfigs(planPath);
        var status = PlanStatus.Read(dir, plan);
        var missing = status.Where(s => !s.IsComplete).ToArray();
        if (missing.Length > 0 && !options.Partial) throw new IncompletePlanException(planPath, missing);
        if (missing.Length > 0) log.LogWarning("Partial merge: {Count} unit(s) missing", missing.Length);
        MergeStaging.RemoveLeftovers(dir, plan, log);
        Validate(dir, plan, status, cancellationToken);   // every input, completely, before anything is written
        var studyOptions = StudyOptions(dir, plan, options, missing.Length > 0, log);

        using var staging = MergeStaging.Create(dir);
        var files = new List<string>();
        var datasetResults = new List<(string, string)>();
        var merged = new List<MergedCheckpoint>(plan.Checkpoints.Count);
        // The study keeps each checkpoint's aggregates (a few numbers per dataset × stratum × metric), not its records.
        var study = new List<StudyCheckpoint>(plan.Checkpoints.Count);
        long records = 0;
        for (int c = 0; c < plan.Checkpoints.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ck = plan.Checkpoints[c];
            var units = status.Where(s => s.Unit.Checkpoint == c).ToArray();
            var ckDir = Path.Combine(staging.Path, ck.Name);
            var (results, n) = MergeCheckpoint(dir, ckDir, plan, ck, units, missing, files, options.ChartWriter, cancellationToken);
            records += n;
            datasetResults.AddRange(ck.Config.SaveDetailedResults ? results.Datasets.Keys.Select(d => (ckDir, d)) : []);
            study.Add(new StudyCheckpoint(ck.Key, ck.Name, ckDir, results));
            merged.Add(new MergedCheckpoint(ck.Key, ck.Name, Path.Combine(dir, ck.Name), n, results.EvalAccuracy));
            log.LogInformation("Merged {Checkpoint}: {Records} record(s); {Results}", ck.Name, n, results.ToString());
        }
        // As a single-process run: comparisons, trends marked with them, then (for a complete run) the fixed texts.
        var finish = MultiCheckpointStudy.Finish(staging.Path, study, studyOptions, loggerFactory, cancellationToken);
        files.AddRange(finish.Files);
        cancellationToken.ThrowIfCancellationRequested();
        // Everything is written: rename it into place (the staged files not listed, e.g. none, are moved as well).
        staging.Commit(Directory.EnumerateFiles(staging.Path, "*", SearchOption.AllDirectories).Where(f => !TempLeftovers.IsLeftover(Path.GetFileName(f))).ToArray(),
            datasetResults);
        return new MergeResult(merged, missing, records, files.Select(staging.Final).Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// Reads every journal line of every unit that has files, with the checks of the merge itself (record, checkpoint,
    /// dataset, count and index fingerprint of a complete unit), the custom sentence scores and the probe journals.
    /// </summary>
    /// <exception cref="ResultsFileException">The first bad line or file.</exception>
    private static void Validate(string dir, ShardPlan plan, IReadOnlyList<UnitStatus> status, CancellationToken ct)
    {
        foreach (var s in status)
        {
            ct.ThrowIfCancellationRequested();
            var ck = plan.Checkpoints[s.Unit.Checkpoint];
            switch (s.Unit.Kind)
            {
                case WorkUnitKind.Samples:
                    ReadUnit(dir, plan, ck, s, static (_, _) => { });
                    break;
                case WorkUnitKind.CustomSentences when s.IsComplete:
                    foreach (var stem in ck.CustomSentenceStems) ReadCustom(dir, plan, s.Unit, stem);
                    break;
                case WorkUnitKind.AnswerProbes when s.IsComplete:
                    JsonlJournal<string, ProbeRecord>.Read(ShardLayout.ProbeUnitJournal(dir, plan, s.Unit), ProbeRecord.JournalFormat);
                    break;
            }
        }
    }

    private static (EvalResults Results, long Records) MergeCheckpoint(string dir, string ckDir, ShardPlan plan, PlanCheckpoint ck, IReadOnlyList<UnitStatus> units,
        IReadOnlyList<UnitStatus> missing, List<string> files, IChartWriter? charts, CancellationToken ct)
    {
        Directory.CreateDirectory(ckDir);
        WriteManifest(ck, ckDir, files);

        var datasets = ck.Datasets.Select(d => d.Name).Distinct().ToArray();
        var accumulators = datasets.ToDictionary(d => d, d => new DatasetAccumulator(d, ck.Config.NSamples, EquivalenceOf(ck, d, ct)), StringComparer.Ordinal);
        var resultsPath = Path.Combine(ckDir, OutputLayout.Journal);
        var resultsTmp = SharedDirFile.TempPath(resultsPath);
        var detailTmp = ck.Config.SaveDetailedResults
            ? datasets.ToDictionary(d => d, d => SharedDirFile.TempPath(Path.Combine(ckDir, OutputLayout.DatasetResults(d, 0))), StringComparer.Ordinal)
            : [];
        long count = 0;
        var custom = new Dictionary<string, StratumResult>(StringComparer.Ordinal);
        using (var results = Open(resultsTmp))
        {
            var detail = detailTmp.ToDictionary(kv => kv.Key, kv => Open(kv.Value), StringComparer.Ordinal);
            try
            {
                foreach (var status in units)
                {
                    ct.ThrowIfCancellationRequested();
                    if (status.Unit.Kind == WorkUnitKind.CustomSentences)
                    {
                        if (status.IsComplete) MergeCustom(dir, plan, ck, status.Unit, ckDir, custom, files);
                        continue;
                    }
                    if (status.Unit.Kind == WorkUnitKind.AnswerProbes)
                    {
                        if (status.IsComplete) MergeProbes(dir, plan, status.Unit, ckDir, files);
                        continue;
                    }
                    count += MergeUnit(dir, plan, ck, status, accumulators, results, detail);
                }
            }
            finally
            {
                foreach (var w in detail.Values) w.Dispose();
            }
        }

        var skips = ck.Datasets.GroupBy(d => d.Name).ToDictionary(g => g.Key,
            g => new ResultsAggregator.SkipCounts(g.Sum(d => d.SkippedTooLong), g.Sum(d => d.SkippedBadRecords)), StringComparer.Ordinal);
        var customOrdered = ck.CustomSentenceStems.Where(custom.ContainsKey).ToDictionary(s => s, s => custom[s], StringComparer.Ordinal);
        var evalResults = ResultsAggregator.Build(ck.Name, ck.Key, datasets.Select(d => accumulators[d]), skips, customOrdered, ck.Config.ConfidenceLevel);

        var summaryPath = Path.Combine(ckDir, OutputLayout.Summary);
        evalResults.WriteSummary(summaryPath);
        var missingHere = missing.Where(m => m.Unit.Checkpoint == units.FirstOrDefault()?.Unit.Checkpoint).ToArray();
        if (missing.Count > 0) MarkPartial(summaryPath, missingHere);
        files.Add(summaryPath);
        foreach (var (name, tmp) in detailTmp)
        {
            var final = Path.Combine(ckDir, OutputLayout.DatasetResults(name, evalResults.Datasets[name].Accuracy));
            SharedDirFile.Commit(tmp, final);
            files.Add(final);
        }
        SharedDirFile.Commit(resultsTmp, resultsPath);
        files.Add(resultsPath);
        if (ck.Config.EnableVisualization && charts is not null)
        {
            foreach (var ds in evalResults.Datasets.Values.Where(d => d.Evaluated > 0))
            {
                ct.ThrowIfCancellationRequested();
                files.Add(charts.SaveComparison(ChartDataMapper.ToComparison(ds, evalResults.Checkpoint), ckDir, ct));
            }
        }
        return (evalResults, count);
    }

    private static long MergeUnit(string dir, ShardPlan plan, PlanCheckpoint ck, UnitStatus status, Dictionary<string, DatasetAccumulator> accumulators,
        Stream results, Dictionary<string, FileStream> detail)
    {
        var unit = status.Unit;
        var acc = accumulators.GetValueOrDefault(unit.Dataset ?? "")
                  ?? throw new ShardPlanException($"{ShardLayout.PlanPath(dir)}: {unit.Describe(plan)} names a dataset the checkpoint does not have.");
        var detailStream = unit.Dataset is { } dataset ? detail.GetValueOrDefault(dataset) : null;
        return ReadUnit(dir, plan, ck, status, (line, r) =>
        {
            results.Write(line);
            results.WriteByte((byte)'\n');
            if (detailStream is not null)
            {
                detailStream.Write(line);
                detailStream.WriteByte((byte)'\n');
            }
            var valid = r.InvalidReason is null ? r.LdMetrics : null;
            acc.Add(r.IsCorrect, r.Output.Length, valid, r.SampledTokens?.Metrics, r.FinishReason == FinishReasons.ContextLimit, r.PaddedVocabTokens ?? 0);
            acc.AddToPrompt(r.Index, r.Sample ?? 0, r.IsCorrect, r.FinalAnswer, valid, r.SampledTokens?.Metrics);
        });
    }

    /// <summary>A journal line of a samples unit (its bytes) with the fields the merge reads.</summary>
    private delegate void UnitLine(ReadOnlySpan<byte> line, SampleRecordView record);

    /// <summary>
    /// Reads the journal of a samples unit line by line, checking each line (record, checkpoint, dataset) and, for a
    /// complete unit, the count, the index fingerprint and (with several answers per prompt) that every prompt has its
    /// answers; hands the lines to <paramref name="onLine"/> in the order of a single-process run (by index, then
    /// sample number, when there are several answers per prompt) and returns the records read (0 without a journal).
    /// </summary>
    /// <exception cref="ResultsFileException">A line is not a valid record of this unit, or the samples do not match the plan.</exception>
    private static long ReadUnit(string dir, ShardPlan plan, PlanCheckpoint ck, UnitStatus status, UnitLine onLine)
    {
        var unit = status.Unit;
        var path = ShardLayout.UnitJournal(dir, plan, unit);
        if (!File.Exists(path)) return 0;
        var fp = new Fingerprint();
        long n = 0;
        int perPrompt = ck.Config.NSamples;
        // With several answers per prompt a unit's answers are taken by (index, sample number), the order of a
        // single-process run, whatever order they finished in.
        var buffered = perPrompt > 1 ? new List<(SampleRecordView View, byte[] Line)>() : null;
        using (var reader = new JsonlLineReader(path))
        {
            while (reader.TryReadLine(out var line))
            {
                if (line.Span.Trim((byte)' ').IsEmpty) continue;
                var r = JsonlRecord.Parse<SampleRecordView>(line.Span, ViewOptions, path, reader.LineNumber, "sample record");
                if (r.Checkpoint != ck.Name)
                    throw new ResultsFileException(path, reader.LineNumber, $"field 'checkpoint' is '{r.Checkpoint}', {unit.Describe(plan)} is of '{ck.Name}'");
                if (r.Dataset != unit.Dataset)
                    throw new ResultsFileException(path, reader.LineNumber, $"field 'dataset' is '{r.Dataset}', {unit.Describe(plan)} is of '{unit.Dataset}'");
                if (buffered is not null)
                {
                    buffered.Add((r, line.Span.ToArray()));
                    continue;
                }
                fp.Add(r.Index);
                n++;
                onLine(line.Span, r);
            }
        }
        string fingerprint = fp.ToString();
        if (buffered is not null)
        {
            fingerprint = ShardPlanner.IndexFingerprint(buffered.Select(b => b.View.Index).Distinct().Order());
            var incomplete = buffered.GroupBy(b => b.View.Index)
                .FirstOrDefault(g => g.Select(b => b.View.Sample ?? 0).Distinct().Count() != perPrompt || g.Count() != perPrompt);
            if (status.IsComplete && incomplete is not null)
                throw new ResultsFileException(path, null,
                    $"{unit.Describe(plan)}: prompt {incomplete.Key} has {incomplete.Count()} answer(s) (sample numbers {string.Join(", ", incomplete.Select(b => b.View.Sample ?? 0).Order())}), expected samples 0–{perPrompt - 1}");
            n = buffered.Count;
        }
        if (status.IsComplete && (n != unit.Samples || fingerprint != unit.IndexFingerprint))
            throw new ResultsFileException(path, null,
                $"the journal's samples do not match the plan for {unit.Describe(plan)}: {n} record(s), index fingerprint {fingerprint} (plan: {unit.Samples}, {unit.IndexFingerprint})");
        if (buffered is not null)
            foreach (var (r, line) in buffered.OrderBy(b => b.View.Index).ThenBy(b => b.View.Sample ?? 0))
                onLine(line, r);
        return n;
    }

    /// <summary>
    /// The maj@K equivalence of dataset <paramref name="dataset"/> of <paramref name="ck"/>: its planned answer checker
    /// resolved in the checkpoint's registry; null with one answer per prompt.
    /// </summary>
    private static Func<string, string, bool>? EquivalenceOf(PlanCheckpoint ck, string dataset, CancellationToken ct)
    {
        if (ck.Config.NSamples <= 1) return null;
        var name = ck.Datasets.FirstOrDefault(d => d.Name == dataset)?.AnswerChecker;
        if (name is null) return null;
        return CheckerEquivalence.Of(AnswerCheckerSelection.RegistryOf(ck.Config).Resolve(name), ct);
    }

    private static void MergeCustom(string dir, ShardPlan plan, PlanCheckpoint ck, WorkUnit unit, string ckDir,
        Dictionary<string, StratumResult> custom, List<string> files)
    {
        foreach (var stem in ck.CustomSentenceStems)
        {
            var (source, acc) = ReadCustom(dir, plan, unit, stem);
            custom[stem] = acc.ToResult();
            var target = Path.Combine(ckDir, OutputLayout.CustomSentences(stem));
            File.Copy(source, target, overwrite: true);   // into the staging folder
            files.Add(target);
        }
    }

    /// <summary>Reads and checks the scores of one custom sentence file of a finished unit.</summary>
    /// <exception cref="ResultsFileException">The file is missing or a line is not a valid score.</exception>
    private static (string Source, StratumAccumulator Scores) ReadCustom(string dir, ShardPlan plan, WorkUnit unit, string stem)
    {
        var source = Path.Combine(ShardLayout.CustomUnitDir(dir, plan, unit), OutputLayout.CustomSentences(stem));
        if (!File.Exists(source)) throw new ResultsFileException(source, null, $"missing from the finished {unit.Describe(plan)}");
        var acc = new StratumAccumulator();
        using var reader = new JsonlLineReader(source);
        while (reader.TryReadLine(out var line))
        {
            if (line.Span.Trim((byte)' ').IsEmpty) continue;
            var v = JsonlRecord.Parse<CustomSentenceLineView>(line.Span, ViewOptions, source, reader.LineNumber, "custom sentence record");
            if (v.LdMetrics is { IsValid: true } m) acc.Add(m);
        }
        return (source, acc);
    }

    /// <summary>The checkpoint's probe journal, as a single run leaves it in the checkpoint's directory (<c>probes_&lt;set&gt;.jsonl</c>).</summary>
    private static void MergeProbes(string dir, ShardPlan plan, WorkUnit unit, string ckDir, List<string> files)
    {
        var probes = plan.Probes ?? throw new ShardPlanException($"{ShardLayout.PlanPath(dir)}: {unit.Describe(plan)} is an answer-probe unit, but field 'probes' is absent.");
        var target = Path.Combine(ckDir, OutputLayout.ProbeJournal(probes.SetName));
        var tmp = SharedDirFile.TempPath(target);
        File.Copy(ShardLayout.ProbeUnitJournal(dir, plan, unit), tmp, overwrite: true);
        SharedDirFile.Commit(tmp, target);
        files.Add(target);
    }

    /// <summary>The study settings of a merged plan: its confidence level, charts, custom sentences and answer probes.</summary>
    private static StudyOptions StudyOptions(string dir, ShardPlan plan, MergeOptions options, bool partial, ILogger log)
    {
        var first = plan.Checkpoints[0].Config;
        var study = new StudyOptions
        {
            ConfidenceLevel = first.ConfidenceLevel,
            Charts = options.ChartWriter,
            FixedResponseCharts = options.FixedResponseChartWriter,
            FixedItemLines = options.FixedItemLines,
        };
        // A partial merge stops at the checkpoint trends: the fixed texts need every checkpoint's files.
        if (partial) return study;
        var probes = plan.Probes is not { } p ? null : new StudyProbes
        {
            SetName = p.SetName,
            ReferenceName = p.Reference,
            Items = p.LoadItems(dir, plan, log),
            Order = p.ReferenceCheckpoint is { } r ? [r, .. Enumerable.Range(0, plan.Checkpoints.Count).Where(k => k != r)] : Enumerable.Range(0, plan.Checkpoints.Count).ToArray(),
            Heatmaps = plan.HeatmapSamples is null ? null : HeatmapSelection.Parse(plan.HeatmapSamples),
            TokenizerPath = first.TokenizerPath ?? plan.Checkpoints[p.ReferenceCheckpoint ?? 0].Key,
        };
        return study with { CustomSentenceFiles = first.CustomSentenceFiles, Probes = probes };
    }

    private static void WriteManifest(PlanCheckpoint ck, string ckDir, List<string> files)
    {
        // The dtypes the plan recorded are the device dtypes of the settings (VerifyConfigs checked the plan against them).
        var (generation, scoring) = RunSettings.Of(ck.Config).DeviceDTypes();
        var manifest = RunManifestFactory.For(ck.Config, ck.Settings["tokenizer"], generation, scoring);
        var path = Path.Combine(ckDir, OutputLayout.Manifest);
        SharedDirFile.WriteAllText(path, JsonSerializer.Serialize(manifest.Settings, new JsonSerializerOptions { WriteIndented = true }));
        files.Add(path);
    }

    private static void MarkPartial(string summaryPath, IReadOnlyList<UnitStatus> missing)
    {
        var node = JsonNode.Parse(File.ReadAllText(summaryPath))!.AsObject();
        node["partial"] = true;
        node["missing_units"] = new JsonArray(missing.Select(m => (JsonNode)JsonValue.Create(m.Describe())!).ToArray());
        SharedDirFile.WriteAllText(summaryPath, node.ToJsonString(EvalResults.JsonOptions));
    }

    private static FileStream Open(string path) => new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
}
