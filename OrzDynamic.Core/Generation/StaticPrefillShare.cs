using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// Prefix sharing for static batches: keeps the prefill of the last batch of prompts, so that a following batch with
/// the same prompts in the same order (the next sample number of the same prompt batch, see
/// <c>SampleDraw.Batches</c>) starts from a copy of it instead of running the prompt pass again. The batches have the
/// same padded ids and mask, so the copy holds exactly what the pass would compute and the answers do not change.
/// Holds at most one batch's prefill (the prompt slots of its cache and its last-position logits); a batch of other
/// prompts replaces it, a batch run with <see cref="KeepForNext"/> false releases it, and disposing releases it.
/// </summary>
internal sealed class StaticPrefillShare : IDisposable
{
    private IReadOnlyList<int>[] _prompts = [];
    private long _padId;
    private PromptPrefill? _kept;

    /// <summary>
    /// Whether the next batch's prefill is kept for the batch after it (default true). A scheduler that knows the batch
    /// after has other prompts (e.g. the last sample number of a prompt batch, or one sample per prompt) sets it false,
    /// so that nothing is copied or held for nobody.
    /// </summary>
    public bool KeepForNext { get; set; } = true;

    /// <summary>Whether a prefill is kept now.</summary>
    public bool Holds => _kept is not null;

    /// <summary>
    /// A copy of the kept prefill, its cache allocated with <paramref name="capacity"/> slots, when it was computed for
    /// the prompts of <paramref name="requests"/> (same order) padded with <paramref name="padId"/>; else null. The caller
    /// owns the copy.
    /// </summary>
    public PromptPrefill? TryCopy(IReadOnlyList<GenerationRequest> requests, long padId, long capacity)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (_kept is null || padId != _padId || requests.Count != _prompts.Length) return null;
        for (var r = 0; r < requests.Count; r++)
            if (!PromptIdsComparer.Instance.Equals(requests[r].PromptIds, _prompts[r])) return null;
        var cache = _kept.Cache.CopyWithCapacity(capacity);
        PromptPrefill copy;
        using (no_grad()) copy = new PromptPrefill(cache, _kept.Logits.clone().DetachFromDisposeScope());
        if (!KeepForNext) Release();
        return copy;
    }

    /// <summary>
    /// Keeps a copy of the prefill of <paramref name="requests"/> (its filled cache slots and its logits), replacing the
    /// one kept before; with <see cref="KeepForNext"/> false, only releases the one kept before.
    /// </summary>
    public void Keep(IReadOnlyList<GenerationRequest> requests, long padId, KvCache cache, Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(logits);
        Release();
        if (!KeepForNext) return;
        var copy = cache.CopyWithCapacity(cache.Length);
        using (no_grad()) _kept = new PromptPrefill(copy, logits.clone().DetachFromDisposeScope());
        _prompts = requests.Select(r => r.PromptIds).ToArray();
        _padId = padId;
    }

    /// <summary>Releases the kept prefill.</summary>
    public void Dispose() => Release();

    private void Release()
    {
        _kept?.Dispose();
        _kept = null;
        _prompts = [];
    }
}
