if (args is ["tokenizer", ..]) Environment.Exit(OrzDynamic.Benchmarks.Tokenizer.TokenizerBenchmark.Run(args[1..])); // tokenizer subcommand (tokenizer helper)
Console.WriteLine("OrzDynamic benchmarks — under construction.");
