using OrzDynamic.Trainer.Training;

namespace OrzDynamic.Trainer;

/// <summary>What <see cref="DemoTrainer.Run"/> produced.</summary>
/// <param name="CheckpointDirectories">Checkpoint directories written, in step order.</param>
/// <param name="History">Per-step loss and learning rate.</param>
/// <param name="VocabSize">Tokenizer vocabulary size.</param>
/// <param name="ParameterCount">Model parameters.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
public sealed record DemoTrainingResult(IReadOnlyList<string> CheckpointDirectories, IReadOnlyList<TrainingProgress> History,
    int VocabSize, long ParameterCount, TimeSpan Elapsed);
