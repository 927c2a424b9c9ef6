namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Where <see cref="MathAnswerChecker"/> looks for the answer in a text (model output or gold). The sources are tried in
/// the order given; the first that yields an answer wins.
/// </summary>
public enum AnswerSource
{
    /// <summary>The ORZ form: <c>\boxed{…}</c> inside <c>&lt;answer&gt;…&lt;/answer&gt;</c> (the Python tool's extraction).</summary>
    AnswerTags,

    /// <summary>The last <c>\boxed{…}</c> or <c>\fbox{…}</c> (after <c>&lt;/think&gt;</c> when there is one); adjacent boxes form one list.</summary>
    Boxed,

    /// <summary>The text after the last "final answer is" or, failing that, the last "answer:" / "answer is".</summary>
    FinalAnswerPhrase,

    /// <summary>The last display or inline math block: <c>\[…\]</c>, <c>$$…$$</c>, <c>$…$</c>, <c>\(…\)</c>.</summary>
    MathBlock,

    /// <summary>The whole text, when all of it reads as one mathematical answer (e.g. a gold written <c>\frac{1}{2}</c>).</summary>
    WholeText,

    /// <summary>The last number in the text (thousands separators, a decimal point, a percent sign or word allowed).</summary>
    BareNumber,
}
