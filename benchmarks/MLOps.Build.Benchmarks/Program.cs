using BenchmarkDotNet.Running;

// `-- estimate-accuracy` runs the study of the accuracy estimate against realized accuracy (a measurement of
// correctness, not of time); anything else goes to BenchmarkDotNet.
if (args is ["estimate-accuracy"])
{
    return MLOps.Build.Benchmarks.EstimateAccuracy.EstimateAccuracyStudy.Run(Console.Out);
}
// `-- sampler-study [seeds] [tpe|tpe-halving] [--every-trainer] [data set…]` counts the trials a model-based strategy
// needs to match random search's best of 100.
if (args is ["sampler-study", .. var rest])
{
    var everyTrainer = rest.Contains("--every-trainer");
    rest = [.. rest.Where(a => a != "--every-trainer")];
    var seeds = rest.Length > 0 && int.TryParse(rest[0], out var n) ? n : 5;
    rest = rest.Length > 0 && int.TryParse(rest[0], out _) ? rest[1..] : rest;
    var strategy = rest.Length > 0 && rest[0] is "tpe" or "tpe-halving" ? rest[0] : "tpe";
    rest = rest.Length > 0 && rest[0] == strategy ? rest[1..] : rest;
    return MLOps.Build.Benchmarks.SamplerStudy.Run(Console.Out, seeds, strategy, rest, everyTrainer);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
