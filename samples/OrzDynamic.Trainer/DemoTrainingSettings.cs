using OrzDynamic.Trainer.Training;

namespace OrzDynamic.Trainer;

/// <summary>Everything that determines the demo checkpoints. The defaults produced the committed files.</summary>
public sealed record DemoTrainingSettings
{
    /// <summary>Seed of the data split, tokenizer corpus, weights and data order.</summary>
    public int Seed { get; init; } = 20251125;

    /// <summary>Number of training problems (drawn once; epochs reshuffle them).</summary>
    public int TrainProblems { get; init; } = 20000;

    /// <summary>Smallest operand of the problems.</summary>
    public int MinOperand { get; init; } = 10;

    /// <summary>Largest operand of the problems.</summary>
    public int MaxOperand { get; init; } = 99;

    /// <summary>Smallest second operand; null = <see cref="MinOperand"/>.</summary>
    public int? MinSecondOperand { get; init; } = 1;

    /// <summary>Largest second operand; null = <see cref="MaxOperand"/>.</summary>
    public int? MaxSecondOperand { get; init; } = 9;

    /// <summary>Only problems without carrying (addition) or borrowing (subtraction), digit by digit.</summary>
    public bool WithoutCarry { get; init; } = true;

    /// <summary>Held-out problems written to demo-data/arith_demo.json.</summary>
    public int EvalProblems { get; init; } = 100;

    /// <summary>Held-out problems written to demo-custom/arith_sentences.json.</summary>
    public int CustomSentences { get; init; } = 6;

    /// <summary>Training texts the tokenizer is learned from.</summary>
    public int TokenizerCorpusSize { get; init; } = 2000;

    /// <summary>Tokenizer vocabulary (256 bytes + merges + the eos token).</summary>
    public int VocabSize { get; init; } = 512;

    /// <summary>Model width.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Decoder layers.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Query heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads.</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>MLP width.</summary>
    public int IntermediateSize { get; init; } = 384;

    /// <summary>Optimiser settings (steps, batch, learning-rate schedule, AdamW).</summary>
    public CausalLmTrainerOptions Optimizer { get; init; } = new()
    {
        Steps = 2200,
        BatchSize = 32,
        LearningRate = 3e-3,
        WarmupSteps = 30,
        MinLearningRateRatio = 0.1,
        WeightDecay = 0.01,
    };

    /// <summary>Middle checkpoint step (0 = none).</summary>
    public int MiddleStep { get; init; } = 1200;

    /// <summary>Additional checkpoint steps (for exploring the learning curve; the demo ships 0, middle and last).</summary>
    public IReadOnlyList<int> ExtraCheckpointSteps { get; init; } = [];

    /// <summary>
    /// Intra-op threads (torch.set_num_threads). One thread: results do not depend on the machine's core count, and on
    /// a busy 2-core machine it was ~4× faster than two OpenMP threads.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>The eos token text.</summary>
    public const string EosToken = "<|endoftext|>";

    /// <summary>Steps at which checkpoints are written: 0, the middle step and the last step.</summary>
    public IReadOnlyList<int> CheckpointSteps =>
        new[] { 0, MiddleStep, Optimizer.Steps }.Concat(ExtraCheckpointSteps).Where(s => s >= 0 && s <= Optimizer.Steps).Distinct().Order().ToArray();
}
