using System.Diagnostics;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Cli;

namespace OrzDynamic.Core.Tests.Golden;

/// <summary>
/// The demo's outputs are fixed: tests/golden/generate.sh runs the built CLI three ways (static batching, a 2-shard plan
/// plus merge, --probe_answers_from last) and every file it keeps must equal the committed file in tests/golden/ byte
/// for byte, charts included (as SHA-256). An intended output change regenerates the golden files with the same
/// script and shows the difference in its commit.
/// </summary>
[TestFixture]
[NonParallelizable]
public class GoldenOutputTests
{
    [Test]
    public void DemoRunsWriteTheGoldenFilesByteForByte()
    {
        var cli = new CliRunner(Path.GetTempPath());
        var golden = Path.Combine(cli.RepoRoot, "tests", "golden");
        var actual = Path.Combine(Path.GetTempPath(), "orz-golden-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(golden, "generate.sh"));
            psi.ArgumentList.Add(actual);
            psi.ArgumentList.Add(cli.CliDll);
            using (var p = Process.Start(psi)!)
            {
                var err = p.StandardError.ReadToEndAsync();
                var output = p.StandardOutput.ReadToEnd();
                Assert.That(p.WaitForExit(TimeSpan.FromMinutes(10)), Is.True, "generate.sh did not finish");
                Assert.That(p.ExitCode, Is.Zero, output + err.Result);
            }

            var expectedFiles = RelativeFiles(golden).Where(f => f.Contains('/', StringComparison.Ordinal)).ToArray();
            var actualFiles = RelativeFiles(actual);
            Assert.That(expectedFiles, Has.Length.GreaterThanOrEqualTo(60), "golden set");
            Assert.That(actualFiles, Is.EqualTo(expectedFiles), "the runs write exactly the golden set of files");
            var differing = expectedFiles.Where(f => !File.ReadAllBytes(Path.Combine(golden, f)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(actual, f)))).ToArray();
            Assert.That(differing, Is.Empty, "files that differ from tests/golden/ (run tests/golden/generate.sh to see them)");
        }
        finally
        {
            try { Directory.Delete(actual, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Files below <paramref name="dir"/> as sorted '/'-separated relative paths, without generate.sh itself.</summary>
    private static string[] RelativeFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != "generate.sh")
            .Order(StringComparer.Ordinal).ToArray();
}
