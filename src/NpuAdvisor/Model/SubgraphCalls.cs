namespace NpuAdvisor.Model;

/// <summary>
/// The subgraphs control-flow ops (WHILE, IF, CALL_ONCE, CALL; ONNX If/Loop/Scan) run. Recursion is not a model any
/// runtime executes: TFLite refuses a subgraph that is entered while it runs (TFSA-2021-080, CVE-2021-29591, where a
/// WHILE whose body was its own subgraph overflowed the stack), and ONNX bodies nest by construction.
/// </summary>
public static class SubgraphCalls
{
    /// <summary>Throws <see cref="ModelFormatException"/> naming the path when the subgraph calls form a cycle.</summary>
    public static void Check(Graph graph)
    {
        var n = graph.Subgraphs.Count;
        // 0 = not visited, 1 = on the current path, 2 = done. Iterative: a chain of many subgraphs must not exhaust the stack.
        var state = new byte[n];
        var caller = new (int Subgraph, Operator Op)?[n];
        var stack = new Stack<(int Subgraph, IEnumerator<(Operator Op, int Body)> Calls)>();
        for (var root = 0; root < n; root++)
        {
            if (state[root] != 0) continue;
            state[root] = 1;
            stack.Push((root, Calls(graph.Subgraphs[root]).GetEnumerator()));
            while (stack.TryPeek(out var top))
            {
                if (!top.Calls.MoveNext())
                {
                    state[top.Subgraph] = 2;
                    stack.Pop();
                    continue;
                }
                var (op, body) = top.Calls.Current;
                if (state[body] == 1) throw Cycle(top.Subgraph, op, body, caller);
                if (state[body] == 2) continue;
                state[body] = 1;
                caller[body] = (top.Subgraph, op);
                stack.Push((body, Calls(graph.Subgraphs[body]).GetEnumerator()));
            }
        }
    }

    private static IEnumerable<(Operator Op, int Body)> Calls(Subgraph sg)
    {
        foreach (var op in sg.Operators)
            if (op.Attributes is ControlFlowAttributes cf)
                foreach (var body in cf.BodySubgraphs)
                    yield return (op, body);
    }

    /// <summary>"subgraph 0 → 1 → 0": the path from <paramref name="body"/> down to the op that enters it again.</summary>
    private static ModelFormatException Cycle(int from, Operator op, int body, (int Subgraph, Operator Op)?[] caller)
    {
        var path = new List<int> { from };
        for (var s = from; s != body && caller[s] is { } c; s = c.Subgraph) path.Add(c.Subgraph);
        path.Reverse();
        path.Add(body);
        var route = string.Join(" → ", path);
        var what = from == body
            ? $"subgraph {body} calls itself through {op.TypeName} '{op.Name}'"
            : $"subgraphs call each other in a cycle {route} ({op.TypeName} '{op.Name}' in subgraph {from} enters subgraph {body} again)";
        return new ModelFormatException(what + "; no runtime executes recursive subgraphs", $"subgraph {from} operator {op.Index}");
    }
}
