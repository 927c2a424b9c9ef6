using System.Globalization;

namespace OrzDynamic.Trainer.Arithmetic;

/// <summary>
/// One toy word problem, e.g. "Tom has 23 apples and buys 15 more. How many apples does he have now?", whose worked
/// answer (the text the model continues the ORZ prompt's <c>&lt;think&gt;</c> with) is
/// <c> 23 + 15 = 38 &lt;/think&gt; &lt;answer&gt; \boxed{38} &lt;/answer&gt;</c>.
/// </summary>
/// <param name="Question">The question text.</param>
/// <param name="A">First operand.</param>
/// <param name="B">Second operand.</param>
/// <param name="Operation">Addition or subtraction.</param>
public sealed record ArithmeticProblem(string Question, int A, int B, ArithmeticOperation Operation)
{
    /// <summary>The result.</summary>
    public int Result => Operation == ArithmeticOperation.Add ? A + B : A - B;

    /// <summary>The final answer as the eval set stores it.</summary>
    public string FinalAnswer => Result.ToString(CultureInfo.InvariantCulture);

    /// <summary>The worked answer that follows the prompt's trailing <c>&lt;think&gt;</c> (without the eos token).</summary>
    public string Response => string.Create(CultureInfo.InvariantCulture,
        $" {A} {(Operation == ArithmeticOperation.Add ? '+' : '-')} {B} = {Result} </think> <answer> \\boxed{{{Result}}} </answer>");

    /// <summary>The operand pair with its operation, the unit kept apart between training and held-out data.</summary>
    public (ArithmeticOperation Operation, int A, int B) Key => (Operation, A, B);
}
