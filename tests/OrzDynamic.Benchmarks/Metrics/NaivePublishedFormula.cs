using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Metrics;

/// <summary>
/// Baseline for the benchmark only: a one-to-one TorchSharp port of the published Python formula (log_softmax,
/// softmax, one-hot, p − e and norms over full [B, T, V] tensors, every intermediate kept alive until the function
/// returns as in Python). It inherits the published bugs (out_except_argmax is NaN when any position is masked).
/// A_norm uses the specified sqrt(V·(mean‖p‖)² + V − 2).
/// </summary>
internal static class NaivePublishedFormula
{
    public sealed record Result(double[] OutToken, double[] OutArgmax, double[] OutExceptArgmax, double[] ANorm, double[] ProbGap2Mean, double[] ProbEnergy);

    public static Result Compute(Tensor logitsIn, Tensor labelsIn)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var labels = labelsIn[.., 1..].clone();
        var logits = logitsIn[.., ..^1, ..];
        var lossMask = labels.ne(-100);
        labels[labels.eq(-100)] = tensor(0L);
        var logprob = logits.log_softmax(-1);
        var v = logprob.shape[^1];
        var perTokenLogps = logprob.gather(2, labels.unsqueeze(2)).squeeze(2);
        var labelsArgmax = logits.argmax(-1);
        var perTokenLogpsArgmax = logprob.gather(2, labelsArgmax.unsqueeze(2)).squeeze(2);
        var prob = logits.softmax(-1);
        var probArgmax = perTokenLogpsArgmax.exp();
        var maskF = lossMask.to_type(prob.dtype);
        var probExceptArgmax = ones_like(probArgmax).mul(maskF).sub(probArgmax.mul(maskF));
        var logpExceptArgmax = probExceptArgmax.add(1e-100).log();
        var probNorm = linalg.vector_norm(prob, 2, [-1L], false);
        var validCount = maskF.sum(-1);
        var meanNorm = probNorm.mul(maskF).sum(-1).div(validCount);
        var aNorm = meanNorm.square().mul(v).add(v - 2).sqrt();
        var eOht = nn.functional.one_hot(labels, v);
        var gapNorm = linalg.vector_norm(prob.sub(eOht), 2, [-1L], false).mul(maskF);
        var gapMean = gapNorm.sum(-1).div(validCount);
        var probLabel = prob.gather(2, labels.unsqueeze(2)).squeeze(2);
        var energy = ones_like(probLabel).sub(probLabel).mul(maskF).sum(-1).div(validCount);
        var outToken = perTokenLogps.mul(maskF).sum(-1);
        var outArgmax = perTokenLogpsArgmax.mul(maskF).sum(-1);
        var outExcept = logpExceptArgmax.mul(maskF).sum(-1);
        static double[] Host(Tensor t) => t.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        return new Result(Host(outToken), Host(outArgmax), Host(outExcept), Host(aNorm), Host(gapMean), Host(energy));
    }
}
