using NewsTopics;

// NewsTopic was trained by `dotnet build` from Models/NewsTopic.mlmodel.json: a binary classifier (crude oil or
// not) over the title and body text and the timestamp of Reuters newswire articles.
using var model = NewsTopic.Load();

(string Title, string Body)[] articles =
[
    ("OPEC MINISTERS MEET ON CRUDE OUTPUT",
     "Oil ministers of OPEC said they would keep crude oil production within agreed quotas to defend a price of 18 dlrs a barrel, and that exports would not rise."),
    ("ACME CORP TO ACQUIRE WIDGET INC",
     "Acme Corp said it agreed to acquire Widget Inc for 25 dlrs a share in cash, or about 120 mln dlrs, subject to approval by Widget shareholders."),
    ("TEXACO CUTS POSTED CRUDE PRICES",
     "Texaco Inc said it cut the contract price it pays for West Texas Intermediate crude by 50 cts a barrel, effective today."),
];

foreach (var (title, body) in articles)
{
    // Text is lower-cased by the generated class exactly as in training; the date becomes its parts.
    var output = model.Predict(new NewsTopic.Input { Title = title, Body = body, Date = new DateTime(1987, 3, 2, 11, 0, 0) });
    Console.WriteLine($"{(output.PredictedLabel ? "crude" : "other"),-6} {output.Probability,6:0.000}  {title}");
}
