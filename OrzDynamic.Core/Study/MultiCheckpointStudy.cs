using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Study;

/// <summary>
/// The multi-checkpoint finish of an evaluation, the same for a single-process run and a merged sharded run:
/// checkpoint comparisons (<c>comparisons.csv/json</c>), trends marked with them (<c>trends.csv</c>, trend charts),
/// then the trends of the fixed texts — custom sentence files and answer probes (<c>probe_trends_&lt;set&gt;.csv</c>,
/// rows appended to <c>trends.csv</c>, fixed-text charts, per-token heatmaps).
/// <code>
/// var study = MultiCheckpointStudy.Finish(outputDir, checkpoints, new StudyOptions { Charts = new PngChartWriter() });
/// </code>
/// The comparisons read each checkpoint's <c>results.jsonl</c> back, holding at most three checkpoints' records at a
/// time; the rows go straight to disk (<see cref="ComparisonFileWriter"/>).
/// </summary>
public static class MultiCheckpointStudy
{
    /// <summary>Writes the study of <paramref name="checkpoints"/> (in the order given) into <paramref name="outputDir"/>.</summary>
    /// <exception cref="PlotDataException">Two checkpoints share an iteration.</exception>
    /// <exception cref="ResultsFileException">A checkpoint's <c>results.jsonl</c> or probe journal is missing or malformed.</exception>
    public static StudyResult Finish(string outputDir, IReadOnlyList<StudyCheckpoint> checkpoints, StudyOptions? options = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDir);
        ArgumentNullException.ThrowIfNull(checkpoints);
        options ??= new StudyOptions();
        var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(MultiCheckpointStudy).FullName!);
        // A checkpoint given twice is compared and trended once (its last evaluation), at its first position.
        var distinct = checkpoints.GroupBy(c => c.Key, StringComparer.Ordinal).Select(g => g.Last()).ToArray();
        ComparisonSummary? summary = null;
        IReadOnlyList<string> comparisonFiles = [], trendFiles = [];
        if (distinct.Length > 1)
        {
            (summary, comparisonFiles, var marks) = Compare(outputDir, distinct, options, cancellationToken);
            var trends = new TrendDataBuilder { ConfidenceLevel = distinct[0].Results.ConfidenceLevel };
            for (int k = 0; k < distinct.Length; k++) MultiCheckpointAggregator.Add(trends, distinct[k].Key, distinct[k].Results, k);
            var charts = options.Charts is null || options.TrendSegment == ResponseSegments.All ? options.Charts : new SegmentChartWriter(options.Charts, options.TrendSegment);
            trendFiles = Evaluator.SaveTrends(TrendSignificance.Apply(trends.Build(), marks), outputDir, charts, loggerFactory, cancellationToken);
        }
        var fixedFiles = FixedResponses(outputDir, checkpoints, distinct.Length > 1, options, log, cancellationToken);
        return new StudyResult(summary, comparisonFiles, trendFiles, fixedFiles);
    }

    private static (ComparisonSummary, IReadOnlyList<string>, ComparisonMarks) Compare(string outputDir, IReadOnlyList<StudyCheckpoint> checkpoints,
        StudyOptions options, CancellationToken ct)
    {
        var comparer = new CheckpointComparer(new ComparisonOptions { ConfidenceLevel = options.ConfidenceLevel });
        var iterations = checkpoints.Select((c, order) => (c.Name, Iteration: IterationParser.TryParse(c.Key, out var it) ? it : c.Results.Iteration ?? order)).ToArray();
        var shared = iterations.GroupBy(c => c.Iteration).FirstOrDefault(g => g.Count() > 1);
        if (shared is not null)
            throw new PlotDataException("", $"checkpoints '{string.Join("', '", shared.Select(c => c.Name))}'", "iteration",
                $"they share iteration {shared.Key}, so they cannot be compared or put on one trend (give paths with distinct iter<N>)");
        using var writer = new ComparisonFileWriter(outputDir, options.ConfidenceLevel, new ComparisonOptions().Alpha);
        comparer.CompareInOrder(iterations, k => CheckpointSamples.ReadForComparison(
            Path.Combine(checkpoints[k].OutputDir, OutputLayout.Journal), checkpoints[k].Name, iterations[k].Iteration), writer.Add, ct);
        var files = writer.Complete();
        return (writer.Summary(), files, writer.Marks);
    }

    private static List<string> FixedResponses(string outputDir, IReadOnlyList<StudyCheckpoint> checkpoints, bool trendsWritten, StudyOptions options,
        ILogger log, CancellationToken ct)
    {
        var trends = new List<FixedResponseTrend>();
        var written = new List<string>();
        var probeCheckpoints = checkpoints.Select((c, k) => new ProbeCheckpoint(c.Name, c.Key, IterationParser.TryParse(c.Key, out var it) ? it : k)).ToArray();
        if (options.CustomSentenceFiles.Count > 0 && checkpoints.Count > 1)
        {
            foreach (var file in options.CustomSentenceFiles)
            {
                var stem = Path.GetFileNameWithoutExtension(file);
                var byCheckpoint = checkpoints.Select((c, k) => (probeCheckpoints[k], CustomSentenceScores.Read(c.OutputDir, stem, c.Name))).ToArray();
                trends.AddRange(FixedResponseTrends.Build("custom_sentence_", s => ($"Custom sentences — {s}", $"{Path.GetFileName(file)}, scored teacher-forced at every checkpoint"),
                    byCheckpoint, options.FixedItemLines, log));
            }
        }

        var probes = options.Probes;
        var records = probes is null ? [] : ReadProbes(checkpoints, probeCheckpoints, probes);
        if (probes is not null && records.Count > 0)
        {
            var csv = Path.Combine(outputDir, OutputLayout.ProbeTrendsCsv(probes.SetName));
            ProbeAggregator.WriteCsv(ProbeAggregator.Aggregate(records), csv);
            written.Add(csv);
            trends.AddRange(FixedResponseTrends.Build(probes.SetName + "/",
                d => ($"Answers of {probes.ReferenceName} on {d}, scored at every checkpoint", "the same texts at every checkpoint; split by whether the reference answer was correct"),
                records, options.FixedItemLines, log));
        }

        if (trends.Count == 0) return written;
        var trendsCsv = Path.Combine(outputDir, OutputLayout.TrendsCsv);
        // The checkpoint trends wrote trends.csv just now when there are two or more checkpoints; else it starts afresh.
        int rows = FixedResponseTrends.AppendCsv(trendsCsv, trends, appendToExisting: trendsWritten);
        log.LogInformation("Appended {Rows} fixed-response trend rows to {Path}", rows, trendsCsv);
        written.Add(trendsCsv);
        if (options.FixedResponseCharts is not { } charts) return written;
        foreach (var trend in trends) written.Add(charts.SaveTrend(trend, outputDir, ct));
        if (probes?.Heatmaps is { } selection)
        {
            var tokenizer = HfTokenizer.FromDirectory(probes.TokenizerPath);
            foreach (var key in selection.Resolve(probes.Items, records))
            {
                var heatmap = TokenHeatmapBuilder.Build(key, records, id => tokenizer.Decode([id]), $"{probes.ReferenceName}'s answer ");
                written.Add(charts.SaveHeatmap(heatmap, outputDir, ct));
            }
        }
        return written;
    }

    /// <summary>Every checkpoint's probe journal, in the order the probes were scored.</summary>
    /// <exception cref="ResultsFileException">A checkpoint has no probe journal, or it is malformed.</exception>
    private static List<(ProbeCheckpoint Checkpoint, IReadOnlyList<ProbeRecord> Records)> ReadProbes(IReadOnlyList<StudyCheckpoint> checkpoints,
        IReadOnlyList<ProbeCheckpoint> probeCheckpoints, StudyProbes probes)
    {
        var result = new List<(ProbeCheckpoint, IReadOnlyList<ProbeRecord>)>();
        foreach (var k in probes.Order)
        {
            var journal = Path.Combine(checkpoints[k].OutputDir, OutputLayout.ProbeJournal(probes.SetName));
            if (!File.Exists(journal)) throw new ResultsFileException(journal, null, $"missing: the answer probes of {checkpoints[k].Name} were not scored");
            result.Add((probeCheckpoints[k], FixedResponseScorer.ReadJournal(journal)));
        }
        return result;
    }
}
