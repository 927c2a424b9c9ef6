namespace OrzDynamic.Core.Probes;

/// <summary>Probe records of every checkpoint, in the order the checkpoints were given.</summary>
/// <param name="Checkpoints">The checkpoints.</param>
/// <param name="Records">Checkpoint name → records in item order.</param>
public sealed record ProbeRunResult(IReadOnlyList<ProbeCheckpoint> Checkpoints, IReadOnlyDictionary<string, IReadOnlyList<ProbeRecord>> Records);
