using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OrzDynamic.Core.Tests")]
[assembly: InternalsVisibleTo("OrzDynamic.Plotting.Tests")]
[assembly: InternalsVisibleTo("orz-demo-trainer")]
[assembly: InternalsVisibleTo("OrzDynamic.Benchmarks")]
