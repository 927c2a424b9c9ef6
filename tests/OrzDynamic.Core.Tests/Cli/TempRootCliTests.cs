using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Base of the process tests that run the built CLI in a temporary folder of their own: the folder (<see cref="Root"/>,
/// named with <see cref="Prefix"/>) and the runner (<see cref="Cli"/>) live for the fixture and are removed after it.
/// </summary>
public abstract class TempRootCliTests
{
    /// <summary>The start of the temporary folder's name.</summary>
    protected abstract string Prefix { get; }

    /// <summary>The fixture's temporary folder, the CLI's working directory.</summary>
    protected string Root { get; private set; } = "";

    /// <summary>Runs the built CLI in <see cref="Root"/>.</summary>
    private protected CliRunner Cli { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateRoot()
    {
        Root = Directory.CreateTempSubdirectory(Prefix).FullName;
        Cli = new CliRunner(Root);
    }

    [OneTimeTearDown]
    public void DeleteRoot()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
