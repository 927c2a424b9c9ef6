using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Evaluation;

/// <summary>Converts the Metrics library's result into the stored per-answer record.</summary>
public static class LdMetricsMapper
{
    /// <summary>The stored form of <paramref name="m"/>.</summary>
    public static LdMetrics FromSequence(SequenceMetrics m) => new()
    {
        OutToken = m.OutToken,
        OutArgmax = m.OutArgmax,
        OutExceptArgmax = m.OutExceptArgmax,
        ANorm = m.ANorm,
        ProbGap2Mean = m.ProbGap2Mean,
        ProbEnergy = m.ProbEnergy,
        ArgmaxMatchRate = m.ArgmaxMatchRate,
        ValidTokens = m.ValidTokens,
    };
}
