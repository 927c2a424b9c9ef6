using System.Globalization;
using OrzDynamic.Core.Evaluation;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>
/// Progress for redirected output: one line per milestone (start, each quarter of the samples, custom sentences,
/// done) instead of a live bar, which a log file would record as hundreds of redrawn lines.
/// </summary>
internal sealed class ProgressMilestones(IAnsiConsole console, string label) : IProgress<EvalProgress>
{
    private int _lastQuarter = -1;
    private EvalStage? _lastStage;

    public void Report(EvalProgress p)
    {
        int quarter = p.TotalSamples == 0 ? 4 : (int)(4L * p.CompletedSamples / p.TotalSamples);
        bool stageMilestone = p.Stage is EvalStage.CustomSentences or EvalStage.Done && p.Stage != _lastStage;
        bool sampleMilestone = p.Stage is EvalStage.Generating or EvalStage.Scoring && quarter != _lastQuarter;
        if (p.Stage is EvalStage.Generating or EvalStage.Scoring) _lastQuarter = quarter;
        _lastStage = p.Stage;
        if (!stageMilestone && !sampleMilestone) return;
        string what = p.Stage switch
        {
            EvalStage.CustomSentences => "scoring custom sentences",
            EvalStage.Done => "done",
            _ => string.Create(CultureInfo.InvariantCulture, $"sample {p.CompletedSamples}/{p.TotalSamples}"),
        };
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} · {what} · {p.TokensPerSecond:0} tok/s"));
    }
}
