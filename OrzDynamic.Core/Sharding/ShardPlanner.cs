namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Cuts the work of an evaluation into <see cref="WorkUnit"/>s and assigns them to shards, deterministically.
/// <para>
/// The work of all checkpoints is laid out in canonical order (checkpoint, then its selection in batch order, then its
/// custom sentences) as atoms: the samples of one dataset inside one generation batch, or one checkpoint's custom
/// sentences. Shard <c>k</c> takes the atoms whose midpoint falls into the <c>k</c>-th equal slice of the total sample
/// count, so shards are contiguous (each touches few checkpoints and loads each once) and balanced to within one
/// atom (≤ batch size samples). Consecutive atoms of the same shard, checkpoint and dataset form one unit.
/// </para>
/// With K answers per prompt, an atom holds all K answers of its prompts (a prompt's answers are never split) and
/// weighs n·K; its index fingerprint is then over its prompt indices in ascending order (answers may finish in any
/// order, and the merge checks that each prompt has its K answers).
/// A batch holding the end of one dataset and the start of the next yields two atoms; when they land in different
/// shards, both generate the whole batch (so every answer is bit-identical to a single-process run) and each keeps
/// only its own dataset's samples.
/// </summary>
internal static class ShardPlanner
{
    private readonly record struct Atom(int Checkpoint, WorkUnitKind Kind, string? Dataset, int Batch, int Samples, int[] Indices, int PerPrompt = 1);

    /// <summary>Plans <paramref name="checkpoints"/> (in order) over <paramref name="shards"/> shards.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Batch size or shard count below 1.</exception>
    public static IReadOnlyList<WorkUnit> Partition(IReadOnlyList<CheckpointSelection> checkpoints, int batchSize, int shards)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);

        var atoms = new List<Atom>();
        for (int c = 0; c < checkpoints.Count; c++)
        {
            var samples = checkpoints[c].Samples;
            for (int start = 0, batch = 0; start < samples.Count; start += batchSize, batch++)
            {
                int end = Math.Min(samples.Count, start + batchSize);
                int runStart = start;
                for (int i = start + 1; i <= end; i++)
                {
                    if (i < end && samples[i].Dataset == samples[runStart].Dataset) continue;
                    var indices = new int[i - runStart];
                    for (int k = runStart; k < i; k++) indices[k - runStart] = samples[k].Index;
                    int perPrompt = checkpoints[c].SamplesPerPrompt;
                    atoms.Add(new Atom(c, WorkUnitKind.Samples, samples[runStart].Dataset, batch, indices.Length * perPrompt, indices, perPrompt));
                    runStart = i;
                }
            }
            if (checkpoints[c].CustomSentences > 0)
                atoms.Add(new Atom(c, WorkUnitKind.CustomSentences, null, 0, checkpoints[c].CustomSentences, []));
        }

        long total = atoms.Sum(a => (long)a.Samples);
        var units = new List<WorkUnit>();
        long before = 0;
        int? openShard = null;
        List<Atom> open = [];
        foreach (var atom in atoms)
        {
            // Midpoint rule: 2·before + samples is twice the atom's midpoint; slice k covers [k·total/N, (k+1)·total/N).
            int shard = total == 0 ? 0 : (int)Math.Min(shards - 1, (2 * before + atom.Samples) * shards / (2 * total));
            before += atom.Samples;
            bool extends = open.Count > 0 && openShard == shard && open[^1].Checkpoint == atom.Checkpoint && open[^1].Kind == atom.Kind
                           && atom.Kind == WorkUnitKind.Samples && open[^1].Dataset == atom.Dataset && open[^1].Batch + 1 == atom.Batch;
            if (!extends) Close();
            open.Add(atom);
            openShard = shard;
        }
        Close();
        return units;

        void Close()
        {
            if (open.Count == 0) return;
            var indices = open.SelectMany(a => a.Indices);
            var fp = IndexFingerprint(open[0].PerPrompt > 1 ? indices.Order() : indices);
            units.Add(new WorkUnit
            {
                Id = units.Count,
                Shard = openShard!.Value,
                Checkpoint = open[0].Checkpoint,
                Kind = open[0].Kind,
                Dataset = open[0].Dataset,
                FirstBatch = open[0].Batch,
                BatchCount = open[0].Kind == WorkUnitKind.Samples ? open[^1].Batch - open[0].Batch + 1 : 0,
                Samples = open.Sum(a => a.Samples),
                IndexFingerprint = fp,
            });
            open = [];
        }
    }

    /// <summary>Fingerprint of a unit's prompt indices (in selection order; ascending with several answers per prompt).</summary>
    public static string IndexFingerprint(IEnumerable<int> indices)
    {
        var fp = new Fingerprint();
        foreach (var i in indices) fp.Add(i);
        return fp.ToString();
    }

    /// <summary>The (dataset, index) keys of a samples unit, in selection order, given its checkpoint's selection.</summary>
    public static IEnumerable<(string Dataset, int Index)> SamplesOf(WorkUnit unit, IReadOnlyList<(string Dataset, int Index)> selection, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(selection);
        if (unit.Kind != WorkUnitKind.Samples) yield break;
        int from = unit.FirstBatch * batchSize, to = Math.Min(selection.Count, (unit.FirstBatch + unit.BatchCount) * batchSize);
        for (int i = from; i < to; i++)
            if (selection[i].Dataset == unit.Dataset) yield return selection[i];
    }
}
