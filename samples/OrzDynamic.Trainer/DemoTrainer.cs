using OrzDynamic.Trainer.Tokenization;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Trainer.Training;
using OrzDynamic.Datasets.Templates;
using OrzDynamic.Trainer.Arithmetic;
using static TorchSharp.torch;

namespace OrzDynamic.Trainer;

/// <summary>
/// Builds the embedded demo: splits the toy arithmetic task, learns a byte-level BPE tokenizer on ORZ prompts +
/// answers, initialises a tiny Qwen2 <see cref="CausalLM"/>, trains it with <see cref="CausalLmTrainer"/> (loss on the
/// answer tokens only) and writes the checkpoints (HF format + tokenizer), the held-out eval set and the custom
/// sentence file under one root (normally the repository's <c>samples/</c> folder).
/// </summary>
public sealed class DemoTrainer
{
    /// <summary>Folder of the checkpoints under the output root.</summary>
    public const string CheckpointsFolder = "demo-checkpoints";

    /// <summary>Folder of the eval data under the output root.</summary>
    public const string DataFolder = "demo-data";

    /// <summary>Folder of the custom sentences under the output root.</summary>
    public const string CustomFolder = "demo-custom";

    /// <summary>Eval data file name.</summary>
    public const string EvalFileName = "arith_demo.json";

    /// <summary>Custom sentence file name.</summary>
    public const string CustomFileName = "arith_sentences.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly DemoTrainingSettings _settings;
    private readonly ILogger _logger;

    /// <summary>Creates the trainer.</summary>
    public DemoTrainer(DemoTrainingSettings settings, ILogger? logger = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Runs everything and writes the files under <paramref name="outputRoot"/>.</summary>
    public DemoTrainingResult Run(string outputRoot, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        var sw = Stopwatch.StartNew();
        var previousThreads = get_num_threads();
        set_num_threads(_settings.Threads);
        try
        {
            return RunSeeded(outputRoot, sw, progress, cancellationToken);
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }

    private DemoTrainingResult RunSeeded(string outputRoot, Stopwatch sw, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        manual_seed(_settings.Seed);
        var split = ArithmeticSplit.Create(_settings.Seed, _settings.TrainProblems, _settings.EvalProblems, _settings.CustomSentences,
            _settings.MinOperand, _settings.MaxOperand, _settings.WithoutCarry,
            (_settings.MinSecondOperand ?? _settings.MinOperand, _settings.MaxSecondOperand ?? _settings.MaxOperand));

        var tokenizerDir = Path.Combine(Path.GetTempPath(), "orz-demo-tokenizer-" + Guid.NewGuid().ToString("N"));
        try
        {
            var trained = TrainTokenizer(split.Train, cancellationToken);
            trained.Save(tokenizerDir);
            var tokenizer = HfTokenizer.FromDirectory(tokenizerDir);
            var eosId = tokenizer.TokenToId(DemoTrainingSettings.EosToken)
                ?? throw new InvalidOperationException($"The trained tokenizer lacks {DemoTrainingSettings.EosToken}.");
            var examples = split.Train.Select(p => ToExample(p, tokenizer, eosId)).ToArray();
            _logger.LogInformation("Tokenizer: {Vocab} ids; training examples: {Count}, {MinLen}–{MaxLen} tokens ({Answer} answer tokens on average)",
                tokenizer.VocabSize, examples.Length, examples.Min(e => e.Length), examples.Max(e => e.Length), examples.Average(e => e.ResponseIds.Count));

            var config = ModelConfigFor(tokenizer.VocabSize, eosId);
            using var model = new CausalLM(config, ScalarType.Float32, CPU);
            WeightInitializer.Initialize(model, _settings.Seed);
            _logger.LogInformation("Model: qwen2 {Params:N0} parameters", config.ParameterCount);

            var checkpointsRoot = Path.Combine(outputRoot, CheckpointsFolder);
            var written = new List<string>();
            var options = _settings.Optimizer with { Seed = _settings.Seed, PadTokenId = eosId, CheckpointSteps = _settings.CheckpointSteps };
            var trainer = new CausalLmTrainer(model, options, _logger);
            var history = trainer.Train(examples, step =>
            {
                var dir = Path.Combine(checkpointsRoot, "iter" + step.ToString(CultureInfo.InvariantCulture));
                CheckpointWriter.Save(model, dir, ScalarType.Float32, eosId);
                foreach (var file in Directory.GetFiles(tokenizerDir)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
                written.Add(dir);
                _logger.LogInformation("Wrote checkpoint {Dir}", dir);
            }, progress, cancellationToken);

            WriteEvalData(Path.Combine(outputRoot, DataFolder, EvalFileName), split.Eval);
            WriteCustomSentences(Path.Combine(outputRoot, CustomFolder, CustomFileName), split.Custom, tokenizer);
            return new DemoTrainingResult(written, history, tokenizer.VocabSize, config.ParameterCount, sw.Elapsed);
        }
        finally
        {
            if (Directory.Exists(tokenizerDir)) Directory.Delete(tokenizerDir, recursive: true);
        }
    }

    /// <summary>The prompt the evaluator renders for <paramref name="question"/> (ORZ template, tokenizer's bos).</summary>
    public static string Prompt(string question, HfTokenizer? tokenizer) => PromptTemplate.Orz.Render(question, tokenizer?.BosToken);

    private TrainedByteLevelBpe TrainTokenizer(IReadOnlyList<ArithmeticProblem> train, CancellationToken ct)
    {
        var corpus = train.Take(_settings.TokenizerCorpusSize).Select(p => Prompt(p.Question, null) + p.Response + DemoTrainingSettings.EosToken);
        var options = new ByteLevelBpeTrainerOptions
        {
            VocabSize = _settings.VocabSize,
            SpecialTokens = [DemoTrainingSettings.EosToken],
            EosToken = DemoTrainingSettings.EosToken,
            PadToken = DemoTrainingSettings.EosToken,
            ModelMaxLength = 512,
        };
        return new ByteLevelBpeTrainer(options, _logger).Train(corpus, cancellationToken: ct);
    }

    private static TrainingExample ToExample(ArithmeticProblem p, HfTokenizer tokenizer, int eosId) =>
        new(tokenizer.Encode(Prompt(p.Question, tokenizer)), [.. tokenizer.Encode(p.Response), eosId]);

    private ModelConfig ModelConfigFor(int vocabSize, int eosId) => new()
    {
        ModelType = "qwen2",
        VocabSize = vocabSize,
        HiddenSize = _settings.HiddenSize,
        IntermediateSize = _settings.IntermediateSize,
        NumHiddenLayers = _settings.Layers,
        NumAttentionHeads = _settings.Heads,
        NumKeyValueHeads = _settings.KvHeads,
        HeadDim = _settings.HiddenSize / _settings.Heads,
        RmsNormEps = 1e-6,
        RopeTheta = 10000.0,
        MaxPositionEmbeddings = 512,
        TieWordEmbeddings = true,
        QkvBias = true,
        EosTokenIds = [eosId],
        TorchDType = "float32",
    };

    private static void WriteEvalData(string path, IReadOnlyList<ArithmeticProblem> problems)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var array = new JsonArray(problems.Select(p => (JsonNode)new JsonObject
        {
            ["prompt"] = new JsonArray(new JsonObject { ["from"] = "user", ["value"] = p.Question }),
            ["final_answer"] = p.FinalAnswer,
        }).ToArray());
        File.WriteAllText(path, array.ToJsonString(JsonOptions) + "\n");
    }

    private static void WriteCustomSentences(string path, IReadOnlyList<ArithmeticProblem> problems, HfTokenizer tokenizer)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var array = new JsonArray(problems.Select(p => (JsonNode)new JsonObject
        {
            ["prompt"] = Prompt(p.Question, tokenizer),
            ["response"] = p.Response + DemoTrainingSettings.EosToken,
        }).ToArray());
        File.WriteAllText(path, array.ToJsonString(JsonOptions) + "\n");
    }
}
