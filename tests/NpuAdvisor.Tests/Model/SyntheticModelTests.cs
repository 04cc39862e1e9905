using FluentAssertions;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.Model;

public class SyntheticModelTests
{
    [Fact]
    public void Inverted_residual_network_reaches_the_requested_size_and_is_acyclic()
    {
        var g = SyntheticModels.InvertedResiduals(700);
        g.Main.Operators.Count.Should().BeInRange(700, 710);
        g.Main.TopologicalOrder().Should().HaveCount(g.Main.Operators.Count);
        g.Main.Operators.Sum(o => g.Macs(o)).Should().BeGreaterThan(1_000_000_000L);
    }
}
