using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace DiyMl.E2E;

/// <summary>axe-core (the engine shipped inside Deque.AxeCore.Playwright) run on a live page.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("\n", serious.Select(v =>
            $"[{v.Impact}] {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Take(6).Select(n => $"{n.Html} ({string.Join(", ", n.Target?.ToString() ?? "")}: {string.Join("; ", n.Any.Concat(n.All).Select(c => c.Message))})"))}")));
    }
}
