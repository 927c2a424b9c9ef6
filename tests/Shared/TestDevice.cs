namespace OrzDynamic.Tests;

/// <summary>
/// The device the model parity tests run on: <c>cpu</c> unless the environment variable <c>ORZ_TEST_DEVICE</c> names
/// another (<c>cuda</c>, <c>cuda:1</c>); <c>tests/gpu/check-device.sh</c> sets it on a GPU machine.
/// </summary>
public static class TestDevice
{
    /// <summary>The device name.</summary>
    public static string Name { get; } =
        Environment.GetEnvironmentVariable("ORZ_TEST_DEVICE") is { Length: > 0 } d ? d : "cpu";
}
