namespace OrzDynamic.Core.Probes;

/// <summary>
/// Trends of one fixed set of texts across checkpoints (a dataset's reference answers, or a custom sentence file):
/// the input of the fixed-response trend chart and extra rows of <c>trends.csv</c>.
/// </summary>
/// <param name="Key">Name in <c>trends.csv</c>'s dataset column and in file names, e.g.
/// <c>answers_from_iter2200/arith_demo</c> or <c>custom_sentence_arith_sentences</c>.</param>
/// <param name="Title">Chart title.</param>
/// <param name="Subtitle">Chart subtitle (what was scored, and where).</param>
/// <param name="Series">Mean series first ("all", then strata or groups), then item lines.</param>
public sealed record FixedResponseTrend(string Key, string Title, string Subtitle, IReadOnlyList<FixedResponseSeries> Series);
