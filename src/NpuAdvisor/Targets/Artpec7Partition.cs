using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Targets.Artpec7Status;

namespace NpuAdvisor.Targets;

/// <summary>
/// edgetpu_compiler's single Edge TPU subgraph (§1.3). Walking the main subgraph in data order, a CPU op
/// that reads Edge TPU output "breaks" the graph: every op that depends on it, directly or through other
/// ops, would need a second Edge TPU subgraph and therefore runs on the CPU.
/// </summary>
internal static class Artpec7Partition
{
    public static void Apply(TargetResult result)
    {
        foreach (var (op, breaker) in Breakers(result))
        {
            var r = result[op];
            if (!r.Placement.OnNpu()) continue;
            new OpContext(result.Graph, op, r, result.Options).Report(Artpec7Target.SingleSubgraph,
                $"{MoreThanOneSubgraph}: depends on {breaker.TypeName} '{breaker.Name}', which runs on the CPU after Edge TPU ops");
            r.Placement = Placement.Cpu;
        }
    }

    /// <summary>
    /// Each main-subgraph op whose inputs depend on a breaker, with that breaker (the first one found),
    /// given the current placement. Applying the demotion does not change the answer, so model checks
    /// can call it again.
    /// </summary>
    public static IReadOnlyList<(Operator Op, Operator Breaker)> Breakers(TargetResult result)
    {
        var fromTpu = new HashSet<Tensor>();
        var brokenBy = new Dictionary<Tensor, Operator>();
        var found = new List<(Operator, Operator)>();
        foreach (var op in result.Graph.Main.TopologicalOrder())
        {
            Operator? breaker = null;
            var readsTpu = false;
            foreach (var t in op.Inputs)
            {
                if (t is null) continue;
                if (breaker is null && brokenBy.TryGetValue(t, out var b)) breaker = b;
                readsTpu |= fromTpu.Contains(t);
            }
            var onNpu = result[op].Placement.OnNpu() && breaker is null;
            if (breaker is not null) found.Add((op, breaker));
            foreach (var o in op.Outputs)
            {
                if (onNpu) fromTpu.Add(o);
                else if (breaker is not null) brokenBy[o] = breaker;
                else if (readsTpu) brokenBy[o] = op;
            }
        }
        return found;
    }
}

/// <summary>Model-level findings: the partition breakers, the parameter cache, the quantization tips.</summary>
internal static class Artpec7ModelChecks
{
    public static void Check(TargetResult result)
    {
        Breakers(result);
        ParameterCache(result);
        Quantization(result);
    }

    private static void Breakers(TargetResult result)
    {
        var demoted = Artpec7Partition.Breakers(result)
            .Where(p => result[p.Op].Findings.Any(f => f.Rule == Artpec7Target.SingleSubgraph))
            .GroupBy(p => p.Breaker);
        foreach (var group in demoted)
        {
            var b = group.Key;
            result.ModelFindings.Add(new Finding
            {
                Rule = Artpec7Target.PartitionBreaker, Op = b, Fix = Artpec7Target.PartitionBreaker.Fix,
                Message = $"{b.TypeName} '{b.Name}' runs on the CPU between Edge TPU ops; {group.Count()} supported op(s) depending on it run on the CPU ({MoreThanOneSubgraph})",
            });
        }
    }

    private static void ParameterCache(TargetResult result)
    {
        var parameters = result.Ops.Where(r => r.Placement.OnNpu())
            .SelectMany(r => r.Op.Inputs).Where(t => t is { IsConstant: true }).Select(t => t!).Distinct()
            .Sum(t => t.Data.Length > 0 ? t.Data.Length : t.ByteSize ?? 0);
        if (parameters <= ParameterCacheBytes) return;
        result.ModelFindings.Add(new Finding
        {
            Rule = Artpec7Target.ParameterCache, Fix = Artpec7Target.ParameterCache.Fix,
            Message = $"Edge TPU ops hold {parameters} bytes of parameters; {ParameterCacheBytes} bytes ({CacheMiB} MiB) fit the cache, {parameters - ParameterCacheBytes} bytes are streamed from host memory every inference",
        });
    }

    private static void Quantization(TargetResult result)
    {
        var weighted = result.Graph.AllOperators.Where(o => Metrics.HasWeights(o.Kind)).ToList();
        var perTensor = weighted.Count(o => Metrics.StoredWeights(o.Weights()) is { } w && w.Type.IsInteger()
                                            && Metrics.Classify(w) == WeightQuantization.PerTensor);
        if (perTensor > 0)
            result.ModelFindings.Add(new Finding
            {
                Rule = Artpec7Target.PerChannel, Fix = Artpec7Target.PerChannel.Fix,
                Message = $"{perTensor} of {weighted.Count} weight tensors are quantized per tensor (scheme: {result.Graph.Scheme().Describe()}); per-channel is recommended for accuracy",
            });

        var floatOps = result.Ops.Count(r => r.Findings.Any(f => f.Rule == Artpec7Target.DataType)
                                             && ArtpecTensors.Activations(r.Op).Any(a => a.Tensor.Type.IsFloat()));
        if (floatOps > 0)
            result.ModelFindings.Add(new Finding
            {
                Rule = Artpec7Target.FloatModel, Fix = Artpec7Target.FloatModel.Fix,
                Message = $"{floatOps} of {result.Ops.Count} ops compute on float tensors and run on the CPU (scheme: {result.Graph.Scheme().Describe()})",
            });
    }
}
