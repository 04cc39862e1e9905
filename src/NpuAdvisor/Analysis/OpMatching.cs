using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis;

/// <summary>How a pair of ops of two model versions was found to be the same layer.</summary>
public enum MatchedBy { Name, TypeAndPosition }

public static class MatchedByNames
{
    public static string Name(this MatchedBy m) => m == MatchedBy.Name ? "name" : "type-and-position";
}

/// <summary>One layer present in both versions.</summary>
public sealed record OpPair(Operator Old, Operator New, MatchedBy By);

/// <summary>
/// Which op of an OLD graph is which op of a NEW graph. Subgraph i pairs with subgraph i; within it, in
/// execution order:
/// 1. ops with the same name pair up (the k-th op of a name with the k-th op of that name);
/// 2. the rest pair by op type and position: between two consecutive name pairs that keep their order
///    (the longest run of name pairs in the same order in both versions), the unmatched ops of each
///    side are aligned as sequences of op types (the longest common subsequence, preferring pairs whose
///    first outputs hold the same number of elements, which is layout-independent across NHWC/NCHW);
///    with no name in common (typically an ONNX export against its TFLite conversion) the whole
///    subgraph is one such stretch;
/// 3. by neighbourhood: an op still unmatched pairs with the unmatched op of its type that its matched producers and
///    consumers lead to, when that op is the single best choice (a branch the two execution orders put elsewhere);
/// 4. what is left is removed (only in OLD) or added (only in NEW).
/// </summary>
public sealed class OpMatching
{
    /// <summary>Above this many cells (old ops × new ops of one stretch) the alignment pairs each type's ops in order instead.</summary>
    internal const long MaxAlignmentCells = 4_000_000;

    public IReadOnlyList<OpPair> Pairs { get; }
    public IReadOnlyList<Operator> Removed { get; }
    public IReadOnlyList<Operator> Added { get; }

    private readonly Dictionary<Operator, OpPair> _byOld = [];
    private readonly Dictionary<Operator, OpPair> _byNew = [];

    private OpMatching(List<OpPair> pairs, List<Operator> removed, List<Operator> added)
    {
        Pairs = pairs;
        Removed = removed;
        Added = added;
        foreach (var p in pairs)
        {
            _byOld[p.Old] = p;
            _byNew[p.New] = p;
        }
    }

    public OpPair? OfOld(Operator old) => _byOld.GetValueOrDefault(old);
    public OpPair? OfNew(Operator @new) => _byNew.GetValueOrDefault(@new);

    public int Count(MatchedBy by) => Pairs.Count(p => p.By == by);

    public static OpMatching Match(Graph old, Graph @new)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        var pairs = new List<OpPair>();
        var removed = new List<Operator>();
        var added = new List<Operator>();
        var shared = Math.Min(old.Subgraphs.Count, @new.Subgraphs.Count);
        for (var s = 0; s < shared; s++)
        {
            var a = old.Subgraphs[s].TopologicalOrder();
            var b = @new.Subgraphs[s].TopologicalOrder();
            var partner = MatchSubgraph(a, b, out var byName);
            for (var j = 0; j < b.Count; j++)
            {
                if (partner.NewToOld[j] is var i && i >= 0) pairs.Add(new OpPair(a[i], b[j], byName[j] ? MatchedBy.Name : MatchedBy.TypeAndPosition));
                else added.Add(b[j]);
            }
            for (var i = 0; i < a.Count; i++)
                if (partner.OldToNew[i] < 0) removed.Add(a[i]);
        }
        for (var s = shared; s < old.Subgraphs.Count; s++) removed.AddRange(old.Subgraphs[s].TopologicalOrder());
        for (var s = shared; s < @new.Subgraphs.Count; s++) added.AddRange(@new.Subgraphs[s].TopologicalOrder());
        return new OpMatching(pairs, removed, added);
    }

    private sealed class Partners(int old, int @new)
    {
        public int[] OldToNew { get; } = Filled(old);
        public int[] NewToOld { get; } = Filled(@new);

        public void Pair(int i, int j)
        {
            OldToNew[i] = j;
            NewToOld[j] = i;
        }

        private static int[] Filled(int n)
        {
            var a = new int[n];
            Array.Fill(a, -1);
            return a;
        }
    }

    private static Partners MatchSubgraph(IReadOnlyList<Operator> a, IReadOnlyList<Operator> b, out bool[] byName)
    {
        var partners = new Partners(a.Count, b.Count);
        byName = new bool[b.Count];

        var newByName = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var j = 0; j < b.Count; j++)
        {
            if (b[j].Name.Length == 0) continue;
            if (!newByName.TryGetValue(b[j].Name, out var q)) newByName[b[j].Name] = q = new Queue<int>();
            q.Enqueue(j);
        }
        var named = new List<(int Old, int New)>();
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Name.Length == 0 || !newByName.TryGetValue(a[i].Name, out var q) || q.Count == 0) continue;
            var j = q.Dequeue();
            partners.Pair(i, j);
            byName[j] = true;
            named.Add((i, j));
        }

        // Stretches between order-keeping name pairs; a name pair that moved does not bound a stretch.
        var anchors = InOrder(named);
        var (fromOld, fromNew) = (0, 0);
        foreach (var (i, j) in anchors.Append((a.Count, b.Count)))
        {
            AlignStretch(a, b, partners, fromOld, i, fromNew, j);
            (fromOld, fromNew) = (i + 1, j + 1);
        }
        MatchByNeighbourhood(a, b, partners);
        return partners;
    }

    /// <summary>
    /// Pairs ops the stretches missed, typically a parallel branch that the two topological orders put on different
    /// sides of its sibling: an unmatched old op pairs with the unmatched new op of its type that most of its
    /// matched producers and consumers point to (through their partners), when that choice is unique. A new pair
    /// puts its unmatched neighbours back on the work list, so matches spread along chains and each op is looked
    /// at again only when one of its neighbours was paired.
    /// </summary>
    private static void MatchByNeighbourhood(IReadOnlyList<Operator> a, IReadOnlyList<Operator> b, Partners partners)
    {
        var posA = Positions(a);
        var posB = Positions(b);
        var votes = new Dictionary<int, int>();
        var work = new Queue<int>();
        var queued = new bool[a.Count];
        for (var i = 0; i < a.Count; i++)
            if (partners.OldToNew[i] < 0) { work.Enqueue(i); queued[i] = true; }
        while (work.TryDequeue(out var i))
        {
            queued[i] = false;
            if (partners.OldToNew[i] >= 0) continue;
            votes.Clear();
            foreach (var (neighbour, upstream) in Neighbours(a[i]))
            {
                if (!posA.TryGetValue(neighbour, out var k) || partners.OldToNew[k] is var kb && kb < 0) continue;
                foreach (var (candidate, candidateUpstream) in Neighbours(b[kb]))
                    if (candidateUpstream != upstream && posB.TryGetValue(candidate, out var j) && partners.NewToOld[j] < 0 &&
                        string.Equals(candidate.TypeName, a[i].TypeName, StringComparison.Ordinal))
                        votes[j] = votes.GetValueOrDefault(j) + 2 * Weight(a[i], candidate) - 1;
            }
            if (votes.Count == 0) continue;
            var best = votes.Values.Max();
            var winners = votes.Where(v => v.Value == best).Take(2).ToList();
            if (winners.Count != 1) continue;
            partners.Pair(i, winners[0].Key);
            foreach (var (neighbour, _) in Neighbours(a[i]))
                if (posA.TryGetValue(neighbour, out var k) && partners.OldToNew[k] < 0 && !queued[k]) { work.Enqueue(k); queued[k] = true; }
        }
    }

    private static Dictionary<Operator, int> Positions(IReadOnlyList<Operator> ops)
    {
        var d = new Dictionary<Operator, int>(ops.Count);
        for (var i = 0; i < ops.Count; i++) d[ops[i]] = i;
        return d;
    }

    /// <summary>The ops producing this op's inputs (upstream) and consuming its outputs (downstream).</summary>
    private static IEnumerable<(Operator Op, bool Upstream)> Neighbours(Operator op)
    {
        foreach (var t in op.Inputs)
            if (t?.Producer is { } p && p != op) yield return (p, true);
        foreach (var t in op.Outputs)
            foreach (var c in t.Consumers)
                if (c != op) yield return (c, false);
    }

    /// <summary>The longest subsequence of name pairs (sorted by old position) whose new positions increase too.</summary>
    private static List<(int Old, int New)> InOrder(List<(int Old, int New)> pairs)
    {
        // Patience sorting: tails[k] = index of the pair ending the best increasing run of length k + 1.
        var tails = new List<int>();
        var previous = new int[pairs.Count];
        for (var p = 0; p < pairs.Count; p++)
        {
            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (pairs[tails[mid]].New < pairs[p].New) lo = mid + 1; else hi = mid;
            }
            previous[p] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count) tails.Add(p); else tails[lo] = p;
        }
        var run = new List<(int, int)>(tails.Count);
        for (var p = tails.Count > 0 ? tails[^1] : -1; p >= 0; p = previous[p]) run.Add(pairs[p]);
        run.Reverse();
        return run;
    }

    /// <summary>Pairs the still unmatched ops of old[fromOld..toOld) with those of new[fromNew..toNew) by type and position.</summary>
    private static void AlignStretch(IReadOnlyList<Operator> a, IReadOnlyList<Operator> b, Partners partners, int fromOld, int toOld, int fromNew, int toNew)
    {
        var xs = new List<int>();
        for (var i = fromOld; i < toOld; i++) if (partners.OldToNew[i] < 0) xs.Add(i);
        var ys = new List<int>();
        for (var j = fromNew; j < toNew; j++) if (partners.NewToOld[j] < 0) ys.Add(j);
        if (xs.Count == 0 || ys.Count == 0) return;
        if ((long)xs.Count * ys.Count > MaxAlignmentCells)
        {
            PairEachTypeInOrder(a, b, partners, xs, ys);
            return;
        }

        // Weighted longest common subsequence: 2 for the same type and output size, 1 for the same type only.
        int n = xs.Count, m = ys.Count;
        var step = new byte[n * m]; // 0 = pair, 1 = skip old, 2 = skip new
        var row = new int[m + 1];
        var last = new int[m + 1];
        for (var x = 0; x < n; x++)
        {
            (last, row) = (row, last);
            row[0] = 0;
            for (var y = 0; y < m; y++)
            {
                var w = Weight(a[xs[x]], b[ys[y]]);
                int pair = w > 0 ? last[y] + w : -1, skipOld = last[y + 1], skipNew = row[y];
                if (pair >= skipOld && pair >= skipNew) { row[y + 1] = pair; step[x * m + y] = 0; }
                else if (skipOld >= skipNew) { row[y + 1] = skipOld; step[x * m + y] = 1; }
                else { row[y + 1] = skipNew; step[x * m + y] = 2; }
            }
        }
        for (int x = n - 1, y = m - 1; x >= 0 && y >= 0;)
        {
            switch (step[x * m + y])
            {
                case 0: partners.Pair(xs[x--], ys[y--]); break;
                case 1: x--; break;
                default: y--; break;
            }
        }
    }

    private static int Weight(Operator a, Operator b)
    {
        if (!string.Equals(a.TypeName, b.TypeName, StringComparison.Ordinal)) return 0;
        return a.Output(0)?.Shape.ElementCount is { } e && e == b.Output(0)?.Shape.ElementCount ? 2 : 1;
    }

    /// <summary>For stretches too long to align: the k-th unmatched op of a type in OLD with the k-th of that type in NEW.</summary>
    private static void PairEachTypeInOrder(IReadOnlyList<Operator> a, IReadOnlyList<Operator> b, Partners partners, List<int> xs, List<int> ys)
    {
        var byType = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        foreach (var j in ys)
        {
            if (!byType.TryGetValue(b[j].TypeName, out var q)) byType[b[j].TypeName] = q = new Queue<int>();
            q.Enqueue(j);
        }
        foreach (var i in xs)
            if (byType.TryGetValue(a[i].TypeName, out var q) && q.Count > 0) partners.Pair(i, q.Dequeue());
    }
}
