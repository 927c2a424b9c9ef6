namespace OrzDynamic.Core.Probes;

/// <summary>Progress of probe scoring.</summary>
/// <param name="Checkpoint">Checkpoint being scored.</param>
/// <param name="Completed">Items of this checkpoint in its journal (including ones from an interrupted run).</param>
/// <param name="Total">Items to score under this checkpoint.</param>
public sealed record ProbeProgress(string Checkpoint, int Completed, int Total);
