namespace OrzDynamic.Core.Models;

/// <summary>
/// How <see cref="Attention"/> computes softmax(QKᵀ/√d)V for a forward pass. Every path gives the same result up to
/// float rounding; they differ in memory and speed.
/// </summary>
internal enum AttentionPath
{
    /// <summary>
    /// Default. No padding and no cache offset (a plain causal pass, e.g. scoring one sequence or a prefill of equal-length
    /// prompts): libtorch's fused kernel with <c>is_causal</c> (flash attention on CPU; memory linear in T).
    /// No padding and one new token (decode): a single unmasked kernel call. Otherwise (left padding, or several new
    /// tokens after a cache offset): <see cref="Chunked"/>.
    /// </summary>
    Auto,

    /// <summary>
    /// Query-chunked: the queries are processed in chunks, each against the keys up to its last query, with the causal
    /// and padding mask built for that chunk only ([B, 1, chunk, keys] booleans). Memory linear in T for a fixed chunk.
    /// </summary>
    Chunked,

    /// <summary>
    /// The original path: one kernel call with a dense [B, 1, G·T, S] boolean mask. Memory quadratic in T; kept as the
    /// reference that the other paths are tested against.
    /// </summary>
    Dense,
}
