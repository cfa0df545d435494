using BenchmarkDotNet.Running;

// `-- estimate-accuracy` runs the study of the accuracy estimate against realized accuracy (a measurement of
// correctness, not of time); anything else goes to BenchmarkDotNet.
if (args is ["estimate-accuracy"])
{
    return MLOps.Build.Benchmarks.EstimateAccuracy.EstimateAccuracyStudy.Run(Console.Out);
}
// `-- sampler-study [seeds] [data set…]` counts the trials the tpe sampler needs to match random search's best of 100.
if (args is ["sampler-study", .. var rest])
{
    var seeds = rest.Length > 0 && int.TryParse(rest[0], out var n) ? n : 5;
    return MLOps.Build.Benchmarks.SamplerStudy.Run(Console.Out, seeds, rest.Length > 0 && int.TryParse(rest[0], out _) ? rest[1..] : rest);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
