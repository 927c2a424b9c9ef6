using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics;

/// <summary>
/// The single implementation of the per-position reductions. For a chunk of N logits rows z (any float dtype) it
/// computes, in the compute type and in log-space, with one [N, V] working buffer:
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
    public static PositionStats Compute(Tensor logits, Tensor labels, ScalarType computeType)
    {
        var z = logits.dtype == computeType ? logits : logits.to_type(computeType);
        var valid = labels.ne(LearningDynamics.IgnoreIndex);
        var y = labels.clamp_min(0).unsqueeze(1);

        var (m, argmax) = z.max(1, true);                 // [N,1]
        var e = z.sub(m);                                 // working buffer [N,V]
        e.exp_();
        e.scatter_(1, argmax, zeros(argmax.shape, computeType, z.device));
        var s = e.sum(1);                                 // Σ_{v≠a} e^{z_v−m}
        var q = linalg.vector_norm(e, 2, [1L], false).pow_(2);
        e.Dispose();

        var zy = z.gather(1, y).squeeze(1);
        m = m.squeeze(1);
        var d = s.log();
        if (z.shape[1] > 1)
            d = FixUnderflow(z, argmax, m, s, d);

        // L = log1p(exp(d)) = softplus(d), evaluated stably for any d.
        var l = d.clamp_min(0).add_(d.abs().neg_().exp_().log1p_());
        var logPmax = l.neg();
        var log1mPmax = d.sub(l);
        var logPy = zy.sub(m).sub_(l);
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
    private static Tensor FixUnderflow(Tensor z, Tensor argmax, Tensor m, Tensor s, Tensor d)
    {
        using var under = s.eq(0);
        if (!under.any().item<bool>()) return d;
        var rows = under.nonzero().squeeze(1);
        var zr = z.index_select(0, rows).clone();
        var ar = argmax.index_select(0, rows);
        zr.scatter_(1, ar, full(ar.shape, double.NegativeInfinity, zr.dtype, zr.device));
        var (m2, _) = zr.max(1, true);
        var s2 = zr.sub_(m2).exp_().sum(1);               // ≥ 1 (the second max contributes exp(0))
        var dr = m2.squeeze(1).sub(m.index_select(0, rows)).add_(s2.log_());
        return d.index_put_(dr, [rows]);
    }
}
