namespace OrzDynamic.Trainer.Arithmetic;

/// <summary>
/// The demo's data: held-out problems (eval set and custom sentences) whose operand pairs never occur in training,
/// and the training problems drawn from all other pairs.
/// </summary>
/// <param name="Train">Training problems.</param>
/// <param name="Eval">Held-out eval problems (distinct operand pairs).</param>
/// <param name="Custom">Held-out problems for the custom sentence file (distinct pairs, not in <paramref name="Eval"/>).</param>
public sealed record ArithmeticSplit(IReadOnlyList<ArithmeticProblem> Train, IReadOnlyList<ArithmeticProblem> Eval, IReadOnlyList<ArithmeticProblem> Custom)
{
    /// <summary>Builds the split deterministically from <paramref name="seed"/>.</summary>
    public static ArithmeticSplit Create(int seed, int trainCount, int evalCount, int customCount, int minOperand = 10, int maxOperand = 99, bool withoutCarry = false, (int Min, int Max)? secondOperandRange = null)
    {
        var heldOutGenerator = new ArithmeticProblemGenerator(seed, minOperand, maxOperand, withoutCarry, secondOperandRange);
        var heldOutKeys = new HashSet<(ArithmeticOperation, int, int)>();
        var heldOut = new List<ArithmeticProblem>();
        while (heldOut.Count < evalCount + customCount)
        {
            var p = heldOutGenerator.Next();
            if (heldOutKeys.Add(p.Key)) heldOut.Add(p);
        }
        var trainGenerator = new ArithmeticProblemGenerator(seed + 1, minOperand, maxOperand, withoutCarry, secondOperandRange);
        var train = new List<ArithmeticProblem>(trainCount);
        while (train.Count < trainCount)
        {
            var p = trainGenerator.Next();
            if (!heldOutKeys.Contains(p.Key)) train.Add(p);
        }
        return new ArithmeticSplit(train, heldOut.Take(evalCount).ToArray(), heldOut.Skip(evalCount).ToArray());
    }
}
