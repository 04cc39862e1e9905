using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// The run-time tensors of the main subgraph that can cross the NPU/CPU boundary, by id: each one's producer and
/// readers (as positions in <see cref="TargetResult.Ops"/>) and its bytes, as stored and once quantized; and, per
/// op, the tensors it writes or reads, so a what-if that moves an op revisits only those.
/// </summary>
internal sealed class BoundaryTensors
{
    private readonly int[] _producer;
    private readonly long[] _bytes;
    private readonly long[] _quantizedBytes;
    private readonly int[] _readerStart; // readers of id: _readers[_readerStart[id].._readerStart[id + 1]]
    private readonly int[] _readers;
    private readonly int[] _touchStart; // tensors of op p: _touches[_touchStart[p].._touchStart[p + 1]]
    private readonly int[] _touches;

    /// <param name="order">The main-subgraph ops that run, in execution order.</param>
    /// <param name="opCount">Positions run from 0 to this.</param>
    /// <param name="positionOf">An op's position.</param>
    /// <param name="runs">Whether the op at a position runs (a reader that does not, reads nothing at run time).</param>
    public BoundaryTensors(IReadOnlyList<Operator> order, int opCount, Func<Operator, int> positionOf, Func<int, bool> runs)
    {
        var producers = new List<int>(opCount);
        var bytes = new List<long>(opCount);
        var quantizedBytes = new List<long>(opCount);
        var readerStart = new List<int>(opCount + 1) { 0 };
        var readers = new List<int>(2 * opCount);
        var touchCount = new int[opCount + 1];
        foreach (var op in order) // the tensor lists are interfaces: index loops keep them from boxing enumerators
        {
            var producer = positionOf(op);
            for (var k = 0; k < op.Outputs.Count; k++)
            {
                var t = op.Outputs[k];
                if (t.IsConstant || t.Producer != op || Listed(op.Outputs, t, k)) continue;
                var first = readers.Count;
                for (var j = 0; j < t.Consumers.Count; j++)
                    if (t.Consumers[j] is var c && c.SubgraphIndex == op.SubgraphIndex && positionOf(c) is var pc && runs(pc)) readers.Add(pc);
                if (readers.Count == first) continue;
                touchCount[producer]++;
                for (var i = first; i < readers.Count; i++) touchCount[readers[i]]++;
                producers.Add(producer);
                bytes.Add(t.ByteSize ?? 0);
                quantizedBytes.Add(OpWork.QuantizedBytes(t, bias: false));
                readerStart.Add(readers.Count);
            }
        }
        _producer = producers.ToArray();
        _bytes = bytes.ToArray();
        _quantizedBytes = quantizedBytes.ToArray();
        _readerStart = readerStart.ToArray();
        _readers = readers.ToArray();

        _touchStart = new int[opCount + 1];
        for (var i = 0; i < opCount; i++) _touchStart[i + 1] = _touchStart[i] + touchCount[i];
        _touches = new int[_touchStart[opCount]];
        Array.Copy(_touchStart, touchCount, opCount);
        for (var id = 0; id < _producer.Length; id++)
        {
            _touches[touchCount[_producer[id]]++] = id;
            foreach (var r in Readers(id)) _touches[touchCount[r]++] = id;
        }
    }

    public int Count => _producer.Length;

    public int Producer(int id) => _producer[id];

    public ReadOnlySpan<int> Readers(int id) => _readers.AsSpan(_readerStart[id], _readerStart[id + 1] - _readerStart[id]);

    public long Bytes(int id, bool quantized) => quantized ? _quantizedBytes[id] : _bytes[id];

    /// <summary>The tensors the op at <paramref name="position"/> writes or reads.</summary>
    public ReadOnlySpan<int> Touching(int position) => _touches.AsSpan(_touchStart[position], _touchStart[position + 1] - _touchStart[position]);

    private static bool Listed(IReadOnlyList<Tensor> tensors, Tensor t, int before)
    {
        for (var i = 0; i < before; i++) if (tensors[i] == t) return true;
        return false;
    }
}
