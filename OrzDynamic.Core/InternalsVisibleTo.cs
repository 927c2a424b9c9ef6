using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OrzDynamic.Core.Tests")]
[assembly: InternalsVisibleTo("OrzDynamic.Plotting.Tests")]
[assembly: InternalsVisibleTo("OrzDynamic.Benchmarks")]
