using System.Runtime.InteropServices;
using NUnit.Framework;
using OrzDynamic.Core.Memory;

namespace OrzDynamic.Core.Tests.Memory;

/// <summary>The allocator tuning is in force in any process that uses Core, and it keeps large blocks out of the heap.</summary>
[TestFixture]
public class AllocatorPolicyTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallinfo2", ExactSpelling = true)]
    private static extern MallInfo2 MallInfo();

    [DllImport("libc", EntryPoint = "malloc", ExactSpelling = true)]
    private static extern nint Malloc(nuint size);

    [DllImport("libc", EntryPoint = "free", ExactSpelling = true)]
    private static extern void Free(nint block);
#pragma warning restore SYSLIB1054

    private static void SkipUnlessTuned()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("glibc tuning applies on Linux only");
        if (Environment.GetEnvironmentVariable(AllocatorPolicy.OptOutVariable) == "0"
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
            Assert.Ignore("the test host runs with the tuning turned off by its environment");
    }

    [Test]
    public void CoreTurnsTheTuningOnAtStartUp()
    {
        SkipUnlessTuned();
        Assert.That(AllocatorPolicy.EnsureApplied(), Is.True);
        Assert.That(AllocatorPolicy.IsApplied, Is.True);
    }

    /// <summary>
    /// glibc's default raises its mmap threshold to the size of a freed mapped block, so after a 24 MiB block is freed a
    /// 2 MiB block would come from the heap. With the threshold fixed it is still its own mapping (counted in hblkhd).
    /// </summary>
    [Test]
    public void ALargeBlockStillGetsItsOwnMappingAfterABiggerOneWasFreed()
    {
        SkipUnlessTuned();
        Assert.That(AllocatorPolicy.EnsureApplied(), Is.True);
        Free(Malloc(24u << 20));
        var before = MallInfo().HBlkHd;
        var block = Malloc(2u << 20);
        try
        {
            Assert.That(block, Is.Not.Zero);
            Assert.That((long)MallInfo().HBlkHd - (long)before, Is.GreaterThanOrEqualTo(2L << 20), "bytes in mapped blocks grew by the block");
        }
        finally
        {
            Free(block);
        }
        Assert.That((long)MallInfo().HBlkHd - (long)before, Is.LessThan(1L << 20), "the freed block's mapping went back to the OS");
    }
}
