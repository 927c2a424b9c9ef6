using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics;

/// <summary>
/// The single implementation of the per-position reductions. For a chunk of N logits rows z (any float dtype) it
/// computes, in the compute type and in log-space, with one reused [N, V] working buffer (the only [N, V] memory):
/// <list type="bullet">
/// <item>m = max_v z_v and its argmax a (first index on ties, as torch.argmax);</item>
/// <item>e_v = exp(z_v − m) with e_a set to 0, S = Σ e_v, Q = Σ e_v² — so lse(z) = m + log1p(S) and
///   lse over v ≠ a = m + log S exactly (no 1 − p_max cancellation);</item>
/// <item>d = log S, L = softplus(d): log p_max = −L, log(1 − p_max) = d − L, log p_y = (z_y − m) − L,
///   ‖p‖² = e^{−2L}(1 + Q).</item>
/// </list>
/// When every non-max entry of a row underflows (S = 0 although V &gt; 1) the row is recomputed relative to the
/// second largest logit, so log(1 − p_max) stays finite and exact. ‖p − e_y‖² is evaluated without cancellation:
/// e^{−2L}Q + (1 − p_max)² when y = a, otherwise ‖p‖² − p_y² + (1 − p_y)².
/// </summary>
internal static class PositionReduction
{
    /// <param name="logits">[N, V] logits of any float dtype.</param>
    /// <param name="labels">[N] int64 labels on the same device, −100 = ignored.</param>
    /// <param name="computeType">float32 or float64.</param>
    /// <param name="workspace">Provides the [N, V] working buffer (the only [N, V] allocation).</param>
    public static PositionStats Compute(Tensor logits, Tensor labels, ScalarType computeType, ChunkWorkspace workspace)
    {
        var n = logits.shape[0];
        var v = logits.shape[1];
        var valid = labels.ne(LearningDynamics.IgnoreIndex);
        var y = labels.clamp_min(0).unsqueeze(1);

        var e = workspace.Rent(n, v, logits.device);
        e.copy_(logits);                                  // converts bf16/f16 → compute type on the way
        var (m, argmax) = e.max(1, true);                 // [N,1]
        var zyMinusM = e.gather(1, y).sub_(m).squeeze(1);  // z_y − m
        e.sub_(m).exp_();                                 // e^{z_v − m} ∈ (0, 1]
        e.scatter_(1, argmax, zeros(argmax.shape, computeType, logits.device));
        var s = e.sum(1);                                 // S = Σ_{v≠a} e^{z_v−m}
        var q = linalg.vector_norm(e, 2, [1L], false).pow_(2);
        var d = s.log();
        if (v > 1)
            d = FixUnderflow(logits, computeType, argmax, s, d);

        // L = log1p(exp(d)) = softplus(d), evaluated stably for any d.
        var l = d.clamp_min(0).add_(d.abs().neg_().exp_().log1p_());
        var logPmax = l.neg();
        var log1mPmax = d.sub(l);
        var logPy = zyMinusM.sub_(l);
        var twoL = l.mul(-2).exp_();                      // e^{−2L} = p_max²
        var normSq = twoL.mul(q.add(1));
        var py = logPy.exp();
        var oneMinusPy = logPy.expm1().neg_();
        var argmaxFlat = argmax.squeeze(1);
        var isArgmax = argmaxFlat.eq(labels);
        var gapMatch = twoL.mul(q).add_(log1mPmax.mul(2).exp_());
        var gapOther = normSq.sub(py.square()).add_(oneMinusPy.square());
        var gap = where(isArgmax, gapMatch, gapOther).clamp_min_(0).sqrt_();

        return new PositionStats(
            Valid: valid,
            Argmax: argmaxFlat,
            LogProbLabel: logPy,
            LogProbMax: logPmax,
            LogOneMinusProbMax: log1mPmax,
            ProbNorm: normSq.sqrt(),
            ProbGap: gap,
            Energy: oneMinusPy);
    }

    /// <summary>Recomputes log Σ_{v≠a} exp(z_v − m) for the rows where that sum underflowed to 0.</summary>
    private static Tensor FixUnderflow(Tensor logits, ScalarType computeType, Tensor argmax, Tensor s, Tensor d)
    {
        using var under = s.eq(0);
        if (!under.any().item<bool>()) return d;
        var rows = under.nonzero().squeeze(1);
        var zr = logits.index_select(0, rows).to_type(computeType);
        var ar = argmax.index_select(0, rows);
        var m = zr.gather(1, ar);
        zr.scatter_(1, ar, full(ar.shape, double.NegativeInfinity, computeType, zr.device));
        var (m2, _) = zr.max(1, true);
        var s2 = zr.sub_(m2).exp_().sum(1);               // ≥ 1 (the second max contributes exp(0))
        var dr = m2.sub(m).squeeze(1).add_(s2.log_());
        return d.index_put_(dr, [rows]);
    }
}
