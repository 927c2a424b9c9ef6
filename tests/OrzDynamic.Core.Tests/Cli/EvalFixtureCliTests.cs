using NUnit.Framework;
using OrzDynamic.Core.Tests.Evaluation;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Base of the process tests that run the built CLI on the evaluation fixture (<see cref="EvalFixture"/>: checkpoints,
/// tokenizer and data in a temporary folder), with the runner working in that folder; both live for the fixture.
/// </summary>
public abstract class EvalFixtureCliTests
{
    /// <summary>The checkpoints, tokenizer and data the runs use.</summary>
    private protected EvalFixture Fx { get; private set; } = null!;

    /// <summary>Runs the built CLI in the fixture's folder.</summary>
    private protected CliRunner Cli { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateFixture()
    {
        Fx = new EvalFixture();
        Cli = new CliRunner(Fx.Root);
    }

    [OneTimeTearDown]
    public void DisposeFixture() => Fx.Dispose();
}
