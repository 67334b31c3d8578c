using ClipSearch.Tools.EngineBenchmark;

return BenchmarkRunner.Run(args);
