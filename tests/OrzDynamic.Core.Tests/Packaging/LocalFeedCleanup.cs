using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>Deletes the feed of <see cref="LocalFeed"/> after the tests of this namespace.</summary>
[SetUpFixture]
public sealed class LocalFeedCleanup
{
    /// <summary>Removes the temporary feed and artifacts, when a test created them.</summary>
    [OneTimeTearDown]
    public void DeleteFeed() => LocalFeed.DeleteIfCreated();
}
