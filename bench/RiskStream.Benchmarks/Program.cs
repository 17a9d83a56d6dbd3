using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RiskStream.Benchmarks.LaneBenchmarks).Assembly).Run(args);
