namespace NpuAdvisor.Analysis.Cost;

/// <summary>How one op is priced in an estimate: where it runs and the works it stands for (none = removed, several = a rewrite).</summary>
public sealed record OpPlan(Placement Placement, IReadOnlyList<OpWork> Works);

/// <summary>
/// The graph as the cost model prices it, with optional per-op overrides and model-wide switches: the
/// baseline has no overrides; a what-if changes only what its fix changes.
/// </summary>
public sealed record CostPlan
{
    public IReadOnlyDictionary<OpResult, OpPlan> Overrides { get; init; } = None;

    private static readonly IReadOnlyDictionary<OpResult, OpPlan> None = new Dictionary<OpResult, OpPlan>();
    /// <summary>All parameters fit the on-chip cache (nothing streams).</summary>
    public bool NoParameterStreaming { get; init; }
    /// <summary>Input area relative to the model's own (null = the model's input, padded as the target pads it).</summary>
    public double? InputAreaScale { get; init; }
    /// <summary>Float run-time tensors are 8-bit (the whole model quantized): tensors crossing NPU↔CPU shrink with them.</summary>
    public bool QuantizedTensors { get; init; }

    public static CostPlan Baseline { get; } = new();
}

/// <summary>The overrides of a plan that changes one op: most what-if plans, priced hundreds of times per model.</summary>
internal sealed class SingleOverride(OpResult key, OpPlan plan) : IReadOnlyDictionary<OpResult, OpPlan>
{
    public OpResult Key { get; } = key;
    public OpPlan Plan { get; } = plan;

    public OpPlan this[OpResult key] => key == Key ? Plan : throw new KeyNotFoundException(key.Op.ToString());
    public IEnumerable<OpResult> Keys => [Key];
    public IEnumerable<OpPlan> Values => [Plan];
    public int Count => 1;
    public bool ContainsKey(OpResult key) => key == Key;

    public bool TryGetValue(OpResult key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out OpPlan value)
    {
        value = key == Key ? Plan : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<OpResult, OpPlan>> GetEnumerator()
    {
        yield return new(Key, Plan);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Overrides for every op of an analysis, by position: whole-model plans (quantize the model, per-tensor weights).</summary>
internal sealed class PositionalOverrides(IReadOnlyList<OpResult> ops, OpPlan[] plans) : IReadOnlyDictionary<OpResult, OpPlan>
{
    public OpPlan this[OpResult key] => TryGetValue(key, out var p) ? p : throw new KeyNotFoundException(key.Op.ToString());
    public IEnumerable<OpResult> Keys => ops;
    public IEnumerable<OpPlan> Values => plans;
    public int Count => plans.Length;
    public bool ContainsKey(OpResult key) => TryGetValue(key, out _);

    public bool TryGetValue(OpResult key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out OpPlan value)
    {
        var ok = (uint)key.Position < (uint)plans.Length && ops[key.Position] == key;
        value = ok ? plans[key.Position] : null;
        return ok;
    }

    public IEnumerator<KeyValuePair<OpResult, OpPlan>> GetEnumerator()
    {
        for (var i = 0; i < plans.Length; i++) yield return new(ops[i], plans[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
