using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Datasets;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Datasets.Tests;

/// <summary>
/// OrzDynamic.Datasets stands alone: a user who only loads data and checks answers must not pull in TorchSharp (nor
/// OrzDynamic.Metrics, which brings it).
/// </summary>
public sealed class DependencyTests
{
    private static readonly string[] Forbidden = ["TorchSharp", "OrzDynamic.Metrics", "OrzDynamic.Core"];

    [Test]
    public void DatasetsAssemblyReferencesNeitherTorchSharpNorMetrics()
    {
        var references = typeof(DataFormatException).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.That(references, Does.Contain("System.Text.Json"), "the reference list was read");
        Assert.That(references.Where(r => Forbidden.Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase))), Is.Empty);
    }

    [Test]
    public void DatasetsPackageGraphHasNeitherTorchSharpNorMetrics()
    {
        // The test project references only Datasets (and NUnit), so its dependency file lists exactly what Datasets
        // brings, including references that are declared but unused in code.
        var depsFile = Path.Combine(AppContext.BaseDirectory, "OrzDynamic.Datasets.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        Assert.That(libraries.Any(l => l.StartsWith("OrzDynamic.Datasets/", StringComparison.Ordinal)), Is.True, "the dependency file lists Datasets");
        Assert.That(libraries.Where(l => Forbidden.Any(f => l.StartsWith(f, StringComparison.OrdinalIgnoreCase))), Is.Empty);
    }

    [Test]
    public void DataFormatExceptionIsADatasetException()
    {
        var error = new DataFormatException([new DataRecordError("a.jsonl", 3, 4, "final_answer", "missing")]);

        Assert.That(error, Is.InstanceOf<DatasetException>());
        Assert.That(error.Message, Does.Contain("a.jsonl"));
    }
}
