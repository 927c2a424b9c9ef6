using System.Runtime.InteropServices;
using NUnit.Framework;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Metrics.Tests.Runtime;

/// <summary>The module initializer asks libgomp for passive waiting unless the user chose a policy or turned it off.</summary>
[TestFixture]
public sealed class OpenMpWaitPolicyTests
{
    [Test]
    public void PassiveWaitIsInTheNativeEnvironmentBeforeLibtorchLoads()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Linux only (libgomp).");
        OpenMpWaitPolicy.Apply(); // idempotent: the module initializer already ran it
        var native = Marshal.PtrToStringAnsi(getenv(OpenMpWaitPolicy.Variable));
        var userValue = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable);
        var turnedOff = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.DisableVariable) is "0" or "false" or "off" or "no";
        if (userValue is not null)
        {
            Assert.That(native, Is.EqualTo(userValue), "a policy the user set is left alone");
            Assert.That(OpenMpWaitPolicy.SetByOrzDynamic, Is.False);
        }
        else if (turnedOff)
        {
            Assert.That(native, Is.Null);
        }
        else
        {
            Assert.That(native, Is.EqualTo("PASSIVE"));
            Assert.That(OpenMpWaitPolicy.SetByOrzDynamic, Is.True);
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr getenv(string name);
}
