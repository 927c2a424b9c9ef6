using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// The three ways <see cref="Attention"/> calls libtorch's <c>scaled_dot_product_attention</c> (see
/// <see cref="AttentionPath"/>). Inputs: q [B, heads, T, D]; k, v [B, kvHeads, S, D] with heads = G · kvHeads.
/// Output: [B, heads, T, D]. On CPU, libtorch 2.10 dispatches all three to its flash-attention kernel (float32,
/// bfloat16, with or without a mask), which never holds the [heads, T, S] scores; the dense path's cost is its mask.
/// </summary>
internal static class AttentionKernels
{
    /// <summary>
    /// One call with an optional boolean mask [B, 1, G·T, S], without copying k/v: the G query heads that share a
    /// key/value head are stacked along the sequence axis ([B, kvHeads, G·T, D]).
    /// </summary>
    public static Tensor Grouped(Tensor q, Tensor k, Tensor v, Tensor? mask, int groupSize)
    {
        long b = q.shape[0], hq = q.shape[1], t = q.shape[2], d = q.shape[3];
        var grouped = q.reshape(b, k.shape[1], groupSize * t, d);
        var o = nn.functional.scaled_dot_product_attention(grouped, k, v, mask);
        return o.view(b, hq, t, d);
    }

    /// <summary>
    /// Plain causal attention (no padding, queries at slots 0..T−1 = the keys): the fused kernel with
    /// <c>is_causal</c>, which skips the blocks above the diagonal.
    /// </summary>
    public static Tensor Causal(Tensor q, Tensor k, Tensor v, int groupSize) =>
        nn.functional.scaled_dot_product_attention(q, ExpandHeads(k, groupSize), ExpandHeads(v, groupSize), null, 0, true);

    /// <summary>
    /// Query-chunked attention: each chunk of <see cref="AttentionMask.ChunkLength"/> queries attends to the keys up to
    /// its last query only (so about half of the causal work is skipped), with a [B, 1, chunk, keys] mask built for
    /// that chunk and broadcast over the heads. The chunk length depends only on the shapes (and the caller's setting),
    /// never on the data. A single new token (decode) takes one grouped call instead, without copying the cache.
    /// </summary>
    public static Tensor Chunked(Tensor q, Tensor k, Tensor v, AttentionMask mask, int groupSize)
    {
        long t = q.shape[2];
        if (t == 1) return Grouped(q, k, v, mask.Build(0, 1, groupSize, q.device), groupSize);
        var chunk = mask.ChunkLength((int)q.shape[1]);
        var outputs = new List<Tensor>();
        using var scope = NewDisposeScope();
        var kx = ExpandHeads(k, groupSize);
        var vx = ExpandHeads(v, groupSize);
        for (long start = 0; start < t; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var n = Math.Min(chunk, t - start);
            var keys = mask.PastLength + start + n;
            var m = mask.Build(start, n, 1, q.device);
            var o = nn.functional.scaled_dot_product_attention(q.narrow(2, start, n), kx.narrow(2, 0, keys), vx.narrow(2, 0, keys), m);
            outputs.Add(o.MoveToOuterDisposeScope());
        }
        var result = outputs.Count == 1 ? outputs[0] : cat(outputs, 2);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, kvHeads, S, D] → [B, kvHeads·G, S, D] (each key/value head repeated for its G query heads). The fused kernel
    /// needs as many key/value heads as query heads (TorchSharp does not expose <c>enable_gqa</c>), so this copies:
    /// 2 · G · |k| bytes per layer, linear in S.
    /// </summary>
    private static Tensor ExpandHeads(Tensor x, int groupSize)
    {
        if (groupSize == 1) return x;
        long b = x.shape[0], h = x.shape[1], s = x.shape[2], d = x.shape[3];
        return x.unsqueeze(2).expand(b, h, groupSize, s, d).reshape(b, h * groupSize, s, d);
    }
}
