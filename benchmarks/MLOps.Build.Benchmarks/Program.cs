using BenchmarkDotNet.Running;

// `-- estimate-accuracy` runs the study of the accuracy estimate against realized accuracy (a measurement of
// correctness, not of time); anything else goes to BenchmarkDotNet.
if (args is ["estimate-accuracy"])
{
    return MLOps.Build.Benchmarks.EstimateAccuracy.EstimateAccuracyStudy.Run(Console.Out);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
