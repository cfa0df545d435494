using System.Globalization;
using System.Text;

namespace MLOps.Build.EndToEnd.Tests;

/// <summary>Data no test in the repository trains on elsewhere: loan approvals with real-export quirks.</summary>
public static class ConsumerData
{
    public static string Loans(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("Applicant ID,Annual Income ($),Debt-to-Income %,\"Employment, Type\",Has Guarantor,approved\n");
        string[] types = ["salaried", "self-employed", "\"contract, fixed term\""];
        for (var i = 0; i < rows; i++)
        {
            var income = 20000 + random.NextDouble() * 130000;
            var dti = random.NextDouble() * 60;
            var type = random.Next(3);
            var guarantor = random.Next(2) == 1;
            var approved = income / 1000 - dti * 1.5 + (guarantor ? 15 : 0) + (type == 0 ? 10 : 0) + random.NextDouble() * 20 > 55;
            var incomeText = random.NextDouble() < 0.04 ? "" : income.ToString("0", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"A{i:0000},{incomeText},{dti:0.0},{types[type]},{(guarantor ? "true" : "false")},{(approved ? "yes" : "no")}\n");
        }
        return text.ToString();
    }

    public const string LoanManifest = """
        {
          "name": "LoanApproval",
          "task": "binary",
          "label": "approved",
          "data": {
            "train": { "path": "data/loans-train.csv" },
            "test": { "path": "data/loans-test.csv" }
          },
          "exclude": ["Applicant ID"],
          "trainer": { "name": "FastTree", "options": { "NumberOfTrees": 50, "NumberOfLeaves": 8 } },
          "seed": 3
        }
        """;
}
