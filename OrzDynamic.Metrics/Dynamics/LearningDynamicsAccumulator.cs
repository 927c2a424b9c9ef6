using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics;

/// <summary>
/// Streaming learning-dynamics metrics for one sequence: feed it [N, V] logits chunks (e.g. straight out of
/// lm_head) with their already-shifted labels, then read <see cref="GetResult"/>. Never needs more than one chunk of
/// logits at a time; all running state stays on the logits' device (a few scalars plus the [N] argmax ids) until a
/// result is requested. Extra memory is one reused [ChunkSize, V] buffer of the compute type. <see
/// cref="LearningDynamics.GetBatchLogps"/> uses this same class for each row, so both paths share one implementation.
/// Dispose it to release its device tensors (and the buffer) promptly.
/// </summary>
public sealed class LearningDynamicsAccumulator : IDisposable
{
    private const int SumCount = 6; // logPy, logPmax, log1mPmax, ‖p‖, ‖p−e‖, 1−p_y
    private readonly MetricsOptions _options;
    private readonly bool _validateLabels;
    private readonly ScalarType _computeType;
    private readonly ChunkWorkspace _workspace;
    private readonly bool _ownsWorkspace;
    private readonly List<Tensor> _argmax = [];
    private readonly List<Tensor> _traces = [];
    private readonly List<Tensor> _traceLabels = [];
    private Tensor? _sums;   // [6] compute type
    private Tensor? _counts; // [2] int64: valid, matches
    private readonly double[] _hostSums = new double[SumCount]; // sums of the CPU kernel's positions
    private readonly long[] _hostCounts = new long[2];
    private Device? _device;
    private long[]? _argmaxCache;
    private long _positions;
    private bool _disposed;

    /// <summary>Creates an empty accumulator for a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    /// <param name="vocabSize">V, the size of the logits' last dimension (≥ 1).</param>
    /// <param name="options">Chunking, precision, legacy and trace options; <see cref="MetricsOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">vocabSize &lt; 1 or invalid options.</exception>
    public LearningDynamicsAccumulator(long vocabSize, MetricsOptions? options = null)
        : this(vocabSize, options, validateLabels: true, workspace: null)
    {
    }

    /// <param name="vocabSize">V.</param>
    /// <param name="options">Options (default when null).</param>
    /// <param name="validateLabels">False when the caller has already range-checked the labels.</param>
    /// <param name="workspace">A shared working buffer (not disposed by this instance), or null to own one.</param>
    internal LearningDynamicsAccumulator(long vocabSize, MetricsOptions? options, bool validateLabels, ChunkWorkspace? workspace)
    {
        if (vocabSize < 1)
            throw new ArgumentException($"vocabSize must be at least 1, got {vocabSize}.", nameof(vocabSize));
        _options = options ?? MetricsOptions.Default;
        _options.Validate();
        _validateLabels = validateLabels;
        _computeType = _options.Precision == MetricsPrecision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        VocabSize = vocabSize;
        _ownsWorkspace = workspace is null;
        _workspace = workspace ?? new ChunkWorkspace(_computeType);
    }

    /// <summary>V, the vocabulary size this accumulator expects.</summary>
    public long VocabSize { get; }

    /// <summary>Number of positions added so far (valid or not).</summary>
    public long Positions => _positions;

    /// <summary>Number of valid positions M added so far (labels ≠ −100). Synchronises with the device.</summary>
    public long ValidTokens => _counts is null ? 0 : ReadCounts()[0];

    /// <summary>Argmax token id of every added position (valid or not), in the order added. Synchronises with the device.</summary>
    public long[] LabelsArgmax => (long[])ArgmaxArray().Clone();

    /// <summary>
    /// Adds N positions. <paramref name="logits"/>: [N, V] (float32/bfloat16/float16/float64, any device); row i predicts
    /// <paramref name="labels"/>[i] (already shifted); labels: [N] int64, −100 = ignored. The logits are processed in
    /// chunks of <see cref="MetricsOptions.ChunkSize"/> rows; no [N, V] temporary is created.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong rank, dtype, V, N mismatch, device change, or a label outside [0, V) other than −100.</exception>
    public void Add(Tensor logits, Tensor labels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        InputValidation.RequireFloatLogits(logits, nameof(logits));
        InputValidation.RequireLongLabels(labels, nameof(labels));
        InputValidation.RequireRank(logits, 2, "[N, V]", nameof(logits));
        InputValidation.RequireRank(labels, 1, "[N]", nameof(labels));
        if (logits.shape[1] != VocabSize)
            throw new ArgumentException(
                $"logits has V = {logits.shape[1]} (shape {InputValidation.Shape(logits)}) but the accumulator was created for V = {VocabSize}.",
                nameof(logits));
        if (labels.shape[0] != logits.shape[0])
            throw new ArgumentException(
                $"labels has {labels.shape[0]} positions but logits has {logits.shape[0]} (logits {InputValidation.Shape(logits)}, labels {InputValidation.Shape(labels)}).",
                nameof(labels));
        if (_device is not null && !SameDevice(_device, logits.device))
            throw new ArgumentException($"logits are on {logits.device} but earlier chunks were on {_device}.", nameof(logits));

        var n = logits.shape[0];
        if (n == 0) return;

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var y = labels.device_type == logits.device_type && labels.device_index == logits.device_index
            ? labels
            : labels.to(logits.device);
        if (_validateLabels)
            InputValidation.RequireLabelRange(y, VocabSize, nameof(labels));
        EnsureState(logits.device);
        if (UsesCpuKernel(logits) && TryAddOnCpu(logits, y))
        {
            _positions += n;
            _argmaxCache = null;
            return;
        }

        var chunk = _options.ChunkSize;
        for (long start = 0; start < n; start += chunk)
        {
            var len = Math.Min(chunk, n - start);
            using var chunkScope = NewDisposeScope();
            AddChunk(logits.narrow(0, start, len), y.narrow(0, start, len));
        }
        _positions += n;
        _argmaxCache = null;
    }

    /// <summary>
    /// Metrics of everything added so far. With <paramref name="averageLogProb"/> the three log-probability sums are
    /// divided by M. When M = 0 the sums are 0 (NaN if averaged), and the means, A_norm and the match rate are NaN.
    /// </summary>
    public SequenceMetrics GetResult(bool averageLogProb = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sums = ReadSums();
        var counts = ReadCounts();
        long m = counts[0], matches = counts[1];
        double mean(double x) => m == 0 ? double.NaN : x / m;
        double sum(double x) => m == 0 ? (averageLogProb ? double.NaN : 0.0) : averageLogProb ? x / m : x;
        var meanNorm = mean(sums[3]);
        return new SequenceMetrics
        {
            OutToken = sum(sums[0]),
            OutArgmax = sum(sums[1]),
            OutExceptArgmax = sum(sums[2]),
            MeanProbNorm = meanNorm,
            ANorm = ANormFormula.Compute(meanNorm, VocabSize, _options.LegacyOrzClamps),
            ProbGap2Mean = mean(sums[4]),
            ProbEnergy = mean(sums[5]),
            ArgmaxMatchRate = m == 0 ? double.NaN : (double)matches / m,
            ValidTokens = m,
            ArgmaxMatches = matches,
            LabelsArgmax = (long[])ArgmaxArray().Clone(),
            AverageLogProb = averageLogProb,
            TokenTraces = _options.CollectTokenTraces ? GetTokenTraces() : null,
        };
    }

    /// <summary>Per-position traces of everything added so far (empty unless <see cref="MetricsOptions.CollectTokenTraces"/> is set).</summary>
    public IReadOnlyList<TokenTrace> GetTokenTraces()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_traces.Count == 0) return [];
        using var scope = NewDisposeScope();
        var values = cat(_traces.Select(t => t.to_type(ScalarType.Float64)).ToList(), 0).cpu().data<double>().ToArray();
        var labels = cat(_traceLabels, 0).cpu().data<long>().ToArray();
        var argmax = ArgmaxArray();
        var result = new TokenTrace[labels.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var valid = labels[i] != LearningDynamics.IgnoreIndex;
            result[i] = new TokenTrace(i, labels[i], argmax[i],
                valid ? values[TraceWidth * i] : double.NaN, Math.Exp(values[TraceWidth * i + 1]), values[TraceWidth * i + 2],
                values[TraceWidth * i + 3]);
        }
        return result;
    }

    /// <summary>Releases the device tensors held by the accumulator.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_ownsWorkspace) _workspace.Dispose();
        _sums?.Dispose();
        _counts?.Dispose();
        foreach (var t in _argmax) t.Dispose();
        foreach (var t in _traces) t.Dispose();
        foreach (var t in _traceLabels) t.Dispose();
        _argmax.Clear();
        _traces.Clear();
        _traceLabels.Clear();
    }

    private const int TraceWidth = 4;

    private bool UsesCpuKernel(Tensor logits) =>
        _options.Kernel == MetricsKernel.Auto && _computeType == ScalarType.Float32 && CpuRowReduction.IsSupported
        && logits.device_type == DeviceType.CPU && logits.dtype == ScalarType.Float32 && logits.is_contiguous()
        && VocabSize <= int.MaxValue;

    /// <summary>
    /// The CPU kernel over all N positions (in slices whose bytes fit a span). False, with nothing accumulated, when some
    /// row holds NaN or an infinite maximum: the caller then takes the tensor-op path, whose NaN semantics are torch's.
    /// </summary>
    private bool TryAddOnCpu(Tensor logits, Tensor labels)
    {
        var n = (int)logits.shape[0];
        var v = (int)VocabSize;
        var labelArray = labels.cpu().data<long>().ToArray();
        var argmax = new long[n];
        var values = new double[(long)n * PositionValues.Width];
        var sliceRows = (int)Math.Max(1, int.MaxValue / ((long)v * sizeof(float)));
        var threads = Math.Max(1, torch.get_num_threads());
        for (var start = 0; start < n; start += sliceRows)
        {
            var rows = Math.Min(sliceRows, n - start);
            using var slice = logits.narrow(0, start, rows);
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(slice.bytes);
            if (!CpuRowReduction.TryReduce(floats, labelArray.AsSpan(start, rows), rows, v,
                    argmax.AsSpan(start, rows), values.AsSpan(start * PositionValues.Width, rows * PositionValues.Width), threads))
                return false;
        }

        // Sums in position order, so the result does not depend on how the rows were split between threads.
        for (var i = 0; i < n; i++)
        {
            if (labelArray[i] == LearningDynamics.IgnoreIndex) continue;
            for (var k = 0; k < SumCount; k++) _hostSums[k] += values[i * PositionValues.Width + k];
            _hostCounts[0]++;
            if (argmax[i] == labelArray[i]) _hostCounts[1]++;
        }
        _argmax.Add(torch.tensor(argmax).DetachFromDisposeScope());
        if (_options.CollectTokenTraces)
        {
            var traces = new double[n * TraceWidth];
            for (var i = 0; i < n; i++)
                for (var k = 0; k < TraceWidth; k++)
                    traces[i * TraceWidth + k] = values[i * PositionValues.Width + k];
            _traces.Add(torch.tensor(traces, [n, TraceWidth]).DetachFromDisposeScope());
            _traceLabels.Add(torch.tensor(labelArray).DetachFromDisposeScope());
        }
        return true;
    }

    private void AddChunk(Tensor logits, Tensor labels)
    {
        var st = PositionReduction.Compute(logits, labels, _computeType, _workspace);
        var values = stack([st.LogProbLabel, st.LogProbMax, st.LogOneMinusProbMax, st.ProbNorm, st.ProbGap, st.Energy], 1);
        var masked = where(st.Valid.unsqueeze(1), values, zeros_like(values));
        _sums!.add_(masked.sum(0L));  // 0L: a literal 0 would bind to sum(ScalarType)
        var matches = st.Argmax.eq(labels).logical_and_(st.Valid);
        _counts!.add_(stack([st.Valid.sum(), matches.sum()]));
        _argmax.Add(st.Argmax.DetachFromDisposeScope());
        if (_options.CollectTokenTraces)
        {
            _traces.Add(stack([st.LogProbLabel, st.LogProbMax, st.LogOneMinusProbMax, st.ProbNorm], 1).DetachFromDisposeScope());
            _traceLabels.Add(labels.clone().DetachFromDisposeScope());
        }
    }

    private void EnsureState(Device device)
    {
        if (_sums is not null) return;
        _device = device;
        _sums = zeros(SumCount, _computeType, device).DetachFromDisposeScope();
        _counts = zeros(2, ScalarType.Int64, device).DetachFromDisposeScope();
    }

    private double[] ReadSums()
    {
        if (_sums is null) return (double[])_hostSums.Clone();
        using var cpu = _sums.to_type(ScalarType.Float64).cpu();
        var sums = cpu.data<double>().ToArray();
        for (var k = 0; k < SumCount; k++) sums[k] += _hostSums[k];
        return sums;
    }

    private long[] ReadCounts()
    {
        if (_counts is null) return (long[])_hostCounts.Clone();
        using var cpu = _counts.cpu();
        var counts = cpu.data<long>().ToArray();
        counts[0] += _hostCounts[0];
        counts[1] += _hostCounts[1];
        return counts;
    }

    private long[] ArgmaxArray()
    {
        if (_argmaxCache is not null) return _argmaxCache;
        if (_argmax.Count == 0) return _argmaxCache = [];
        using var scope = NewDisposeScope();
        _argmaxCache = cat(_argmax, 0).cpu().data<long>().ToArray();
        return _argmaxCache;
    }

    private static bool SameDevice(Device a, Device b) => a.type == b.type && a.index == b.index;
}
