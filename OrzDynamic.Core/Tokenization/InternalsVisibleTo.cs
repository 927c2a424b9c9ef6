using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OrzDynamic.Core.Tests")]
