using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Study;
using OrzDynamic.Datasets.Loading;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>
/// <c>--probe_answers_from</c>: the reference checkpoint's generated answers scored teacher-forced under every
/// checkpoint of the run, right after that checkpoint's evaluation while its model is loaded (one pass per answer per
/// checkpoint, journaled per checkpoint in <c>probes_answers_from_&lt;ref&gt;.jsonl</c>). The reference, when it is a
/// checkpoint of the run, is evaluated first.
/// </summary>
internal sealed class AnswerProbeStage
{
    private readonly IReadOnlyList<(string Path, EvaluatorConfig Config)> _configs;
    private readonly ILogger _log;
    private readonly IAnsiConsole _console;
    private readonly FixedResponseScorer _scorer;
    private readonly int? _referenceIndex;
    private readonly string _referenceDir;
    private IReadOnlyList<ProbeItem>? _items;

    private AnswerProbeStage(IReadOnlyList<(string Path, EvaluatorConfig Config)> configs, int? referenceIndex,
        string referenceDir, string referenceName, HeatmapSelection? heatmaps, ILoggerFactory loggerFactory, IAnsiConsole console)
    {
        _configs = configs;
        _referenceIndex = referenceIndex;
        _referenceDir = referenceDir;
        ReferenceName = referenceName;
        Heatmaps = heatmaps;
        _console = console;
        _log = loggerFactory.CreateLogger<AnswerProbeStage>();
        _scorer = new FixedResponseScorer(ProbeOptions.Like(configs[0].Config), loggerFactory);
        SetName = OutputLayout.AnswerSet(referenceName);
    }

    /// <summary>Name of the reference checkpoint.</summary>
    public string ReferenceName { get; }

    /// <summary>Index of the reference among the run's checkpoints, or null for an earlier output directory.</summary>
    public int? ReferenceIndex => _referenceIndex;

    /// <summary>The reference's output directory (holding its results.jsonl).</summary>
    public string ReferenceDir => _referenceDir;

    /// <summary>Probe set name (journal and CSV file names).</summary>
    public string SetName { get; }

    /// <summary>The heatmap selection, if any.</summary>
    public HeatmapSelection? Heatmaps { get; }

    /// <summary>The probe items (the reference answers), once loaded.</summary>
    public IReadOnlyList<ProbeItem> Items => _items ?? [];

    /// <summary>
    /// Resolves <c>--probe_answers_from</c> (<c>last</c>, <c>first</c>, a checkpoint name or path of this run, or the
    /// output directory of an earlier evaluation) and <c>--heatmap_samples</c>; null when no probes were asked for.
    /// </summary>
    /// <exception cref="CliInputException">The reference names nothing usable, or heatmaps were asked for without probes.</exception>
    /// <exception cref="OrzDynamicException">Malformed <c>--heatmap_samples</c>.</exception>
    public static AnswerProbeStage? Create(CliSettings settings, IReadOnlyList<(string Path, EvaluatorConfig Config)> configs,
        ILoggerFactory loggerFactory, IAnsiConsole console)
    {
        var heatmaps = settings.HeatmapSamples is null ? null : HeatmapSelection.Parse(settings.HeatmapSamples);
        if (settings.ProbeAnswersFrom is not { } reference)
        {
            if (heatmaps is not null) throw new CliInputException("--heatmap_samples needs --probe_answers_from (heatmaps show probed answers).");
            return null;
        }
        if (settings.Data.Count == 0) throw new CliInputException("--probe_answers_from needs --data: the reference answers are generated for those prompts.");
        var paths = configs.Select(c => c.Path).ToArray();
        var byIteration = Enumerable.Range(0, configs.Count).OrderBy(i => CheckpointIterations.Of(paths, i)).ThenBy(i => i).ToArray();
        int? index = reference switch
        {
            "last" => byIteration[^1],
            "first" => byIteration[0],
            _ => Enumerable.Range(0, configs.Count).Cast<int?>().FirstOrDefault(i =>
                configs[i!.Value].Config.EffectiveCheckpointName == reference
                || Path.GetFullPath(configs[i.Value].Path).TrimEnd('/') == Path.GetFullPath(reference).TrimEnd('/')),
        };
        if (index is { } k)
            return new AnswerProbeStage(configs, k, configs[k].Config.OutputDir, configs[k].Config.EffectiveCheckpointName, heatmaps, loggerFactory, console);
        if (Directory.Exists(reference))
        {
            var name = new DirectoryInfo(reference.TrimEnd('/', '\\')).Name;
            if (!File.Exists(Path.Combine(reference, OutputLayout.Journal)))
                throw new CliInputException($"--probe_answers_from {reference}: the directory has no {OutputLayout.Journal}; give a checkpoint of this run ({string.Join(", ", configs.Select(c => c.Config.EffectiveCheckpointName))}), 'last', 'first', or the output directory of an evaluated checkpoint.");
            var external = new AnswerProbeStage(configs, null, reference, name, heatmaps, loggerFactory, console);
            external._items = external.LoadItems();   // an earlier run's answers: check them before any model is loaded
            return external;
        }
        throw new CliInputException($"--probe_answers_from {reference}: not 'last', 'first', a checkpoint of this run ({string.Join(", ", configs.Select(c => c.Config.EffectiveCheckpointName))}) nor an existing output directory.");
    }

    /// <summary>Evaluation order: the reference checkpoint first (its answers are needed by the others), then the rest as given.</summary>
    public IReadOnlyList<int> Order() => _referenceIndex is { } r
        ? [r, .. Enumerable.Range(0, _configs.Count).Where(i => i != r)]
        : Enumerable.Range(0, _configs.Count).ToArray();

    /// <summary>Scores the probes under the checkpoint just evaluated (model still loaded).</summary>
    public void AfterCheckpoint(int index, Evaluator evaluator, CancellationToken ct)
    {
        _items ??= LoadItems();
        var config = _configs[index].Config;
        var journal = Path.Combine(config.OutputDir, OutputLayout.ProbeJournal(SetName));
        var records = _scorer.ScoreCheckpoint(evaluator.Model, evaluator.Tokenizer, config.EffectiveCheckpointName, _items, journal, cancellationToken: ct);
        _console.MarkupLine($"  probes     : {records.Count} answers of {Markup.Escape(ReferenceName)} scored → {Markup.Escape(journal)}");
    }

    /// <summary>
    /// The probes for the multi-checkpoint finish, which reads every checkpoint's probe journal; token texts of the
    /// heatmaps come from <paramref name="tokenizerPath"/>, else the reference's tokenizer, else the first checkpoint's.
    /// </summary>
    public StudyProbes ForStudy(string? tokenizerPath) => new()
    {
        SetName = SetName,
        ReferenceName = ReferenceName,
        Items = Items,
        Order = Order(),
        Heatmaps = Heatmaps,
        TokenizerPath = tokenizerPath ?? (_referenceIndex is { } r ? _configs[r].Path : _configs[0].Path),
    };

    private IReadOnlyList<ProbeItem> LoadItems()
    {
        var datasets = EvalDataLoader.ExpandPaths(_configs[0].Config.EvalPromptData).Select(p => Path.GetFileNameWithoutExtension(p)).Distinct().ToArray();
        var (items, _) = ReferenceAnswers.Load(_referenceDir, datasets, _log);
        _log.LogInformation("Answer probes: {Count} answers of {Reference} from {Dir}", items.Count, ReferenceName, _referenceDir);
        // Check explicit heatmap samples now, before any further checkpoint is evaluated.
        Heatmaps?.CheckSamples(items);
        return items;
    }
}
