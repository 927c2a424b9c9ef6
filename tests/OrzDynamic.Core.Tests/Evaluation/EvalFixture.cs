using OrzDynamic.Trainer.Tokenization;
using System.Text.Json;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Templates;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary>
/// Writes, into a temp directory, two tiny random-weight Qwen2 checkpoints (iter0, iter10) sharing a byte-level BPE
/// tokenizer trained on the ORZ template, two small datasets (JSON array in the Python tool's format, JSONL in the
/// simple format) and a custom sentence file.
/// </summary>
public sealed class EvalFixture : IDisposable
{
    private static readonly string[] Questions =
    [
        "What is 2 + 3?", "Compute 7 times 6.", "Simplify \\frac{4}{8}.", "What is 10 - 4?", "Find x if 2x = 8.",
        "What is the square root of 81?",
    ];

    public EvalFixture()
    {
        Root = Directory.CreateTempSubdirectory("orz-eval-").FullName;
        var corpus = Questions.Select(q => PromptTemplate.Orz.Render(q, (string?)null) + " <think> 2 + 3 = 5 </think> <answer> \\boxed{5} </answer>").ToList();
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions
        {
            VocabSize = 320,
            SpecialTokens = ["<|endoftext|>"],
            EosToken = "<|endoftext|>",
            PadToken = "<|endoftext|>",
        }).Train(corpus);
        VocabSize = trained.VocabSize;
        Checkpoints = [Path.Combine(Root, "run", "iter0"), Path.Combine(Root, "run", "iter10")];
        for (int i = 0; i < Checkpoints.Count; i++)
        {
            trained.Save(Checkpoints[i]);
            var tok = HfTokenizer.FromDirectory(Checkpoints[i]);
            new TinyCheckpointBuilder { VocabSize = VocabSize, Seed = 100 + i, EosTokenIds = [.. tok.EosTokenIds] }.Write(Checkpoints[i]);
        }

        DatasetA = Path.Combine(Root, "data", "alpha.json");
        Directory.CreateDirectory(Path.GetDirectoryName(DatasetA)!);
        File.WriteAllText(DatasetA, JsonSerializer.Serialize(Questions.Take(4).Select((q, i) => new
        {
            prompt = new[] { new { from = "user", value = q } },
            final_answer = (i + 5).ToString(System.Globalization.CultureInfo.InvariantCulture),
        })));
        DatasetB = Path.Combine(Root, "data", "beta.jsonl");
        File.WriteAllLines(DatasetB, Questions.Skip(3).Select(q => JsonSerializer.Serialize(new { prompt = q, answer = "\\boxed{3}" })));
        CustomSentences = Path.Combine(Root, "data", "mine.json");
        File.WriteAllText(CustomSentences, JsonSerializer.Serialize(new[]
        {
            new { prompt = "What is 2 + 3?", response = " <think> 2 + 3 = 5 </think> <answer> \\boxed{5} </answer>" },
            new { prompt = "Compute 7 times 6.", response = " <think> 7 * 6 = 42 </think>" },
        }));
    }

    public string Root { get; }
    public int VocabSize { get; }
    public IReadOnlyList<string> Checkpoints { get; }
    public string DatasetA { get; }
    public string DatasetB { get; }
    public string CustomSentences { get; }

    /// <summary>A config for checkpoint <paramref name="i"/> writing into <paramref name="outputDir"/>.</summary>
    public EvaluatorConfig Config(int i, string outputDir) => new()
    {
        ModelPath = Checkpoints[i],
        EvalPromptData = [DatasetA, DatasetB],
        CustomSentenceFiles = [CustomSentences],
        OutputDir = outputDir,
        GenerateMaxLen = 12,
        BatchSize = 3,
        Seed = 7,
    };

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("ORZ_KEEP_FIXTURES") == "1") return;   // for debugging by hand
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
