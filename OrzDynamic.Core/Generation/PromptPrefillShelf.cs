namespace OrzDynamic.Core.Generation;

/// <summary>
/// Prefix sharing for continuous batching: the batch-1 prefill of a prompt is kept while requests later in the queue
/// have the same prompt ids (the other samples of that prompt), and each of them starts from it instead of running the
/// prompt pass again; a prompt's prefill is released when its last request is admitted. The same pass would compute
/// the same keys, values and logits, so answers do not change. Memory: at most one prefill per distinct prompt whose
/// requests are partly admitted (with the queue order of <c>SampleDraw.Batches</c>, the prompts of one batch).
/// </summary>
internal sealed class PromptPrefillShelf : IDisposable
{
    private readonly Dictionary<IReadOnlyList<int>, int> _pending = new(PromptIdsComparer.Instance);
    private readonly Dictionary<IReadOnlyList<int>, PromptPrefill> _kept = new(PromptIdsComparer.Instance);
    private readonly bool _share;

    /// <summary>A shelf for the prompts of <paramref name="queue"/>; with <paramref name="share"/> false, nothing is kept.</summary>
    public PromptPrefillShelf(IEnumerable<IReadOnlyList<int>> queue, bool share)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _share = share;
        if (!share) return;
        foreach (var prompt in queue) _pending[prompt] = _pending.GetValueOrDefault(prompt) + 1;
    }

    /// <summary>Prefills kept now.</summary>
    public int Kept => _kept.Count;

    /// <summary>
    /// The prefill of <paramref name="prompt"/> for the next request with it: the kept one, or one from
    /// <paramref name="compute"/> (<paramref name="computed"/> true), kept when later requests need it. The caller
    /// disposes the prefill when <paramref name="owned"/> is true (the prompt's last request, or sharing off) and must
    /// not otherwise.
    /// </summary>
    public PromptPrefill Take(IReadOnlyList<int> prompt, Func<PromptPrefill> compute, out bool computed, out bool owned)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(compute);
        computed = !_kept.TryGetValue(prompt, out var prefill);
        prefill ??= compute();
        if (!_share)
        {
            owned = true;
            return prefill;
        }
        var left = _pending.GetValueOrDefault(prompt) - 1;
        owned = left <= 0;
        if (owned)
        {
            _pending.Remove(prompt);
            _kept.Remove(prompt);
        }
        else
        {
            _pending[prompt] = left;
            _kept[prompt] = prefill;
        }
        return prefill;
    }

    /// <summary>Releases the prefills still kept (a run ended early).</summary>
    public void Dispose()
    {
        foreach (var p in _kept.Values) p.Dispose();
        _kept.Clear();
    }
}
