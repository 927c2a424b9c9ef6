Console.WriteLine("OrzDynamic benchmarks — under construction.");
