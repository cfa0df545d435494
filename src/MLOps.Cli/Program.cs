using System.CommandLine;
using MLOps.Cli.Commands;
using MLOps.Cli.Projects;

// dotnet mlops <command> [--project PATH] [--json]. Exit codes: 0 done; 1 the build or the command failed (its
// messages say why); 2 the project cannot be resolved (no project file, several, or the build cannot evaluate it).
Output.Configure();
var project = new Option<string?>("--project") { Description = "The project file or its folder (default: the only project in the current folder)." };
var json = new Option<bool>("--json") { Description = "Print one JSON document instead of tables, for scripts." };
var model = new Option<string?>("--model") { Description = "Only this model." };
var open = new Option<bool>("--open") { Description = "Open the report in the default browser." };
var revision = new Argument<string?>("revision") { Description = "A git revision whose lock files to compare with (default: the working tree's).", Arity = ArgumentArity.ZeroOrOne };

var root = new RootCommand("dotnet mlops: the models MLOps.Build trains, from the command line. It drives the build's own targets.");
root.Options.Add(project);
root.Options.Add(json);
project.Recursive = true;
json.Recursive = true;

int With(ParseResult parse, Func<ProjectModels, int> run) =>
    ProjectModels.Resolve(parse.GetValue(project), Console.Error) is { } models ? run(models) : 2;
int WithProject(ParseResult parse, Func<string, int> run) =>
    ProjectModels.FindProject(parse.GetValue(project), Console.Error) is { } path ? run(path) : 2;

var status = new Command("status", "Every model: up to date or stale and why, accepted or not, metrics, drift.");
status.SetAction(parse => With(parse, p => StatusCommand.Run(p, parse.GetValue(json))));
var trainModel = new Option<string?>("--model") { Description = "Only this model." };
var train = new Command("train", "Train what is stale (dotnet build -t:MLOpsTrainModels), showing progress.") { trainModel };
train.SetAction(parse => WithProject(parse, p => BuildCommands.Train(p, parse.GetValue(trainModel), parse.GetValue(json))));
var accept = new Command("accept", "Pin data hashes and accept the current models into their lock files (MLOpsUpdateLock).");
accept.SetAction(parse => WithProject(parse, p => BuildCommands.Accept(p, parse.GetValue(json))));
var diff = new Command("diff", "Current metrics against the accepted ones (the lock files, or the lock files at a git revision).") { revision };
diff.SetAction(parse => With(parse, p => DiffCommand.Run(p, parse.GetValue(revision), parse.GetValue(json))));
var runs = new Command("runs", "The run history and the latest sweep's leaderboard.") { model };
runs.SetAction(parse => With(parse, p => RunsCommand.Run(p, parse.GetValue(model), parse.GetValue(json))));
var report = new Command("report", "Write the HTML report (obj/mlops/report.html) and print its path.") { open };
report.SetAction(parse => WithProject(parse, p => BuildCommands.Report(p, parse.GetValue(json), parse.GetValue(open))));
var addModel = new Option<string?>("--model") { Description = "The model whose training data grows (needed when the project has several)." };
var captured = new Option<string>("--captured") { Description = "The capture folder the service writes (its capture-*.parquet files and outcomes/ folder).", Required = true };
var to = new Option<string?>("--to") { Description = "The new file (default: captured-<UTC time> in data.train's folder, in its files' format)." };
var add = new Command("add", "Add the captured rows whose outcome arrived to the model's training set as a new file, and pin the set.") { addModel, captured, to };
add.SetAction(parse => With(parse, p => DataAddCommand.Run(p, parse.GetValue(addModel), parse.GetValue(captured)!, parse.GetValue(to), parse.GetValue(json))));
var data = new Command("data", "Data the models learn from.") { add };
var inspectPath = new Argument<string>("path") { Description = "A built assembly (.dll), a NuGet package (.nupkg), or a folder (bin/, a publish folder)." };
var verify = new Option<string?>("--verify") { Description = "Check each model's signed provenance with this public key (ECDSA P-256, PEM); fail when one is unsigned or invalid." };
var inspect = new Command("inspect", "The models embedded in a built app or package, with their provenance (data, commit, metrics, acceptance).") { inspectPath, verify };
inspect.SetAction(parse => InspectCommand.Run(parse.GetValue(inspectPath)!, parse.GetValue(json), parse.GetValue(verify)));
var historyModel = new Argument<string>("model") { Description = "The model (its manifest's name)." };
var history = new Command("history", "Every accepted model from the lock file's git history: who, when, metrics, data hashes, and what changed.") { historyModel };
history.SetAction(parse => With(parse, p => HistoryCommand.Run(p, parse.GetValue(historyModel)!, parse.GetValue(json))));
var mergeInto = new Option<string?>("--merge-into") { Description = "A CycloneDX JSON SBOM (dotnet CycloneDX … -F Json -spv 1.6) to add the models, their data and dependencies to, in place." };
var bom = new Command("bom", "The project's ML bill of materials (CycloneDX 1.6), or add it to the package SBOM of the CycloneDX .NET tool.") { mergeInto };
bom.SetAction(parse => With(parse, p => BomCommand.Run(p, parse.GetValue(mergeInto), parse.GetValue(json))));
foreach (var command in new[] { status, train, accept, diff, runs, report, data, inspect, history, bom })
{
    root.Subcommands.Add(command);
}
return root.Parse(args).Invoke();
