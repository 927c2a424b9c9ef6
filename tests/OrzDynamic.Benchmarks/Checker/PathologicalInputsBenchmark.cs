using System.Diagnostics;
using System.Globalization;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Benchmarks.Checker;

/// <summary>
/// <c>checker-budgets</c> subcommand: times the answer checker on pathological model outputs (deep nesting, long repeats, many
/// unclosed answer tags) and reports the median of several runs per input against its time budget. The unit tests
/// check what these inputs are judged; the budgets live here, where a slow shared machine cannot fail the test suite.
/// Usage: <c>checker-budgets [--runs N]</c>. Exit code 1 when a median exceeds its budget.
/// </summary>
public static class PathologicalInputsBenchmark
{
    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        int runs = 5;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else
            {
                Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: checker-budgets [--runs N]");
                return 2;
            }
        }

        var checker = new MathAnswerChecker(TimeSpan.FromSeconds(1));
        var cases = new List<(string Name, TimeSpan Budget, Action Work)>
        {
            ("extraction: 20000 unclosed '<answer>\\boxed{ }'", TimeSpan.FromSeconds(1),
                () => checker.Check("1", string.Concat(Enumerable.Repeat("<answer>\\boxed{ } ", 20000)))),
            ("repetitiveness: 50000 x 'a'", TimeSpan.FromSeconds(5),
                () => checker.Compare("1", new string('a', 50000))),
        };
        foreach (var (name, body) in PathologicalAnswers())
            cases.Add(($"checker: {name}", TimeSpan.FromSeconds(3), () => checker.Check("1", "<answer>\\boxed{" + body + "}</answer>")));

        Console.WriteLine($"# Answer checker on pathological outputs (median of {runs} runs; load {MachineLoad.Line()})");
        Console.WriteLine();
        Console.WriteLine("| input | median (ms) | budget (ms) | within |");
        Console.WriteLine("|---|---:|---:|---|");
        int over = 0;
        foreach (var (name, budget, work) in cases)
        {
            work(); // warm-up: JIT and regex construction
            var times = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                var sw = Stopwatch.StartNew();
                work();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            var median = SampleMedian.Of(times);
            bool within = median < budget.TotalMilliseconds;
            if (!within) over++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:0.0} | {budget.TotalMilliseconds:0} | {(within ? "yes" : "NO")} |"));
        }
        return over == 0 ? 0 : 1;
    }

    /// <summary>The boxed answers of the checker's pathological-input unit test.</summary>
    private static IEnumerable<(string Name, string Body)> PathologicalAnswers()
    {
        yield return ("5000 nested parentheses", new string('(', 5000) + "1" + new string(')', 5000));
        yield return ("3000 unclosed \\frac{", string.Concat(Enumerable.Repeat("\\frac{", 3000)) + "1");
        yield return ("4000 x \\text{a}$", string.Concat(Enumerable.Repeat("\\text{a}$", 4000)));
        yield return ("4000 x 'x^'", string.Concat(Enumerable.Repeat("x^", 4000)) + "2");
        yield return ("3000 letters", string.Concat(Enumerable.Range(0, 3000).Select(i => (char)('a' + i % 26))));
    }
}
