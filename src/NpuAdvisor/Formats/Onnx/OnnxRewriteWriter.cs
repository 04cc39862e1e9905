using Google.Protobuf;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// Writes a rewritten ONNX graph by editing the original ModelProto rather than regenerating it: the model
/// file at <see cref="Graph.Path"/> is read and imported again, and the rewritten main graph is compared op
/// by op with that fresh import (same importer, same op numbering). Nodes whose op is gone are dropped,
/// renamed inputs/outputs are renamed in the node, a convolution whose padding changed gets explicit
/// <c>pads</c>; initializers, Constant nodes and value_info nothing refers to any more are dropped.
/// Everything else (opsets, metadata, other attributes, subgraphs) stays byte-for-byte what it was.
/// </summary>
internal static class OnnxRewriteWriter
{
    public static byte[] Write(Graph rewritten)
    {
        if (string.IsNullOrEmpty(rewritten.Path)) throw new ModelFormatException("an ONNX rewrite is written against its original file, and this graph has none", "Graph.Path");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(rewritten.Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ModelFormatException($"cannot re-read '{rewritten.Path}': {e.Message}", "file"); }
        var model = OnnxImporter.Parse(ModelProto.Parser, bytes, "ModelProto");
        using var fresh = OnnxImporter.Load(bytes, rewritten.Path);
        // The analysis reads DQ → op → Q groups as one op; mapping such an op back onto its nodes is not done yet.
        using (var stored = OnnxImporter.Load(bytes, rewritten.Path, new OnnxImportOptions { KeepQdqNodes = true }))
            if (stored.Main.Operators.Count != fresh.Main.Operators.Count)
                throw new ModelFormatException("QDQ models are not rewritten yet (their QuantizeLinear/DequantizeLinear nodes would not follow the integer ops)", "ModelProto.graph.node");
        var g = model.Graph;
        if (g.Initializer.Any(i => i.DataLocation == TensorProto.Types.DataLocation.External))
            throw new ModelFormatException("models with external data are not rewritten (the data files would not follow)", "ModelProto.graph.initializer");

        var nodeOf = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var n in g.Node)
            if (!(n.OpType == "Constant" && n.Domain is "" or "ai.onnx") && n.Output.Count > 0 && n.Output[0].Length > 0)
                nodeOf.TryAdd(n.Output[0], n);
        var freshByIndex = fresh.Main.Operators.ToDictionary(o => o.Index);
        var kept = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var op in rewritten.Main.Operators)
        {
            if (!freshByIndex.TryGetValue(op.Index, out var before) || before.Outputs.Count == 0 || !nodeOf.TryGetValue(before.Outputs[0].Name, out var node))
                throw new ModelFormatException($"operator '{op.Name}' has no node in the original model", $"node {op.Index}");
            kept.Add(node);
            Rename(node.Input, before.Inputs, op.Inputs, op);
            Rename(node.Output, before.Outputs, op.Outputs, op);
            if (op.Attr<ConvAttributes>() is { } c && before.Attr<ConvAttributes>() is { } b && c.Padding != b.Padding)
                SetPads(node, c.Padding);
        }

        var nodes = g.Node.Where(n => kept.Contains(n) || (n.OpType == "Constant" && n.Domain is "" or "ai.onnx")).ToList();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in nodes) Uses(n, used);
        foreach (var o in g.Output) used.Add(o.Name);
        nodes.RemoveAll(n => n.OpType == "Constant" && n.Domain is "" or "ai.onnx" && !n.Output.Any(used.Contains));
        g.Node.Clear();
        g.Node.AddRange(nodes);
        var inputNames = g.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var keepInit = g.Initializer.Where(i => used.Contains(i.Name) || inputNames.Contains(i.Name)).ToList();
        g.Initializer.Clear();
        g.Initializer.AddRange(keepInit);
        var produced = nodes.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var keepInfo = g.ValueInfo.Where(v => produced.Contains(v.Name)).ToList();
        g.ValueInfo.Clear();
        g.ValueInfo.AddRange(keepInfo);
        return model.ToByteArray();
    }

    /// <summary>Where the rewritten op reads or writes another tensor than the original at the same position, the node's name follows.</summary>
    private static void Rename(Google.Protobuf.Collections.RepeatedField<string> names, IReadOnlyList<Tensor?> before, IReadOnlyList<Tensor?> after, Operator op)
    {
        if (before.Count != after.Count) throw new ModelFormatException($"operator '{op.Name}' changed its number of inputs or outputs", "node");
        for (var i = 0; i < before.Count; i++)
        {
            var was = before[i]?.Name;
            var now = after[i]?.Name;
            if (was == now) continue;
            if (was is null || now is null) throw new ModelFormatException($"operator '{op.Name}' gained or lost an optional tensor", "node");
            var at = names.IndexOf(was);
            if (at < 0) throw new ModelFormatException($"operator '{op.Name}' does not name '{was}' in the original node", "node");
            for (var j = 0; j < names.Count; j++) if (names[j] == was) names[j] = now;
        }
    }

    private static void SetPads(NodeProto node, Padding2D p)
    {
        for (var i = node.Attribute.Count - 1; i >= 0; i--)
            if (node.Attribute[i].Name is "pads" or "auto_pad") node.Attribute.RemoveAt(i);
        var pads = new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints };
        pads.Ints.AddRange([p.Top, p.Left, p.Bottom, p.Right]);
        node.Attribute.Add(pads);
    }

    /// <summary>Every name the node reads, its bodies included (a body may read values of the enclosing graph).</summary>
    private static void Uses(NodeProto n, HashSet<string> used)
    {
        foreach (var i in n.Input) if (i.Length > 0) used.Add(i);
        foreach (var a in n.Attribute)
        {
            if (a.G is { } body) foreach (var b in body.Node) Uses(b, used);
            foreach (var gb in a.Graphs) foreach (var b in gb.Node) Uses(b, used);
        }
    }
}
