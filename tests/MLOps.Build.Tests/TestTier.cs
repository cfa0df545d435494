using MLOps.Build.Testing;

[assembly: Xunit.AssemblyTrait(TestTiers.Trait, TestTiers.Unit)]
