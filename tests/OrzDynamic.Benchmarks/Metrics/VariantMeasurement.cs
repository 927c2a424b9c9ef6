namespace OrzDynamic.Benchmarks.Metrics;

/// <summary>What one child process measured for one variant (serialised as one JSON line on stdout).</summary>
internal sealed record VariantMeasurement
{
    public required string Variant { get; init; }
    public required int Chunk { get; init; }
    public required double[] Milliseconds { get; init; }
    public required double[] CpuMilliseconds { get; init; }
    public required long RssBeforeBytes { get; init; }
    public required long PeakExtraBytes { get; init; }
    public required long PeakExtraInclInitBytes { get; init; }
    public required long SampledPeakExtraBytes { get; init; }
    public required bool PeakFromHwm { get; init; }
    public required long LogitsBytes { get; init; }
    public required double StreamReadMs { get; init; }
    public required double OutToken { get; init; }
    public required double OutArgmax { get; init; }
    public required double OutExceptArgmax { get; init; }
    public required double ANorm { get; init; }
    public required double ProbGap2Mean { get; init; }
    public required double ProbEnergy { get; init; }

    public double MedianMs => SampleMedian.Of(Milliseconds);

    public double MedianCpuMs => SampleMedian.Of(CpuMilliseconds);
}
