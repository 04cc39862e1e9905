using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

internal sealed partial class OnnxShapeInference
{
    private void Infer(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        var a = info.Attrs;
        switch (info.Node.OpType)
        {
            case "Conv" or "ConvInteger" or "QLinearConv":
                Conv(op, info);
                break;
            case "ConvTranspose":
                ConvTranspose(op, info);
                break;
            case "MaxPool" or "AveragePool" or "LpPool":
                Pool(op, info);
                break;
            case "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool":
                GlobalPool(op);
                break;
            case "Gemm":
                Gemm(op, info);
                break;
            case "MatMul" or "MatMulInteger" or "QLinearMatMul":
                MatMul(op, info);
                break;
            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Mod" or "BitShift" or "PRelu"
                or "Max" or "Min" or "Sum" or "Mean":
                Broadcast(op, info, op.Inputs, x?.Type ?? DataType.Unknown);
                if (op.Kind is OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Div) op.Attributes = new ElementwiseAttributes(FusedActivation.None);
                FoldArithmetic(op, info.Node.OpType);
                break;
            case "Equal" or "Less" or "LessOrEqual" or "Greater" or "GreaterOrEqual" or "And" or "Or" or "Xor":
                Broadcast(op, info, op.Inputs, DataType.Bool);
                break;
            case "Where":
                Broadcast(op, info, op.Inputs, op.Input(1)?.Type ?? DataType.Unknown);
                break;
            case "Clip":
                SameAs(y, x);
                Clip(op, info);
                break;
            case "LeakyRelu":
                SameAs(y, x);
                op.Attributes = new LeakyReluAttributes(a.Float("alpha", 0.01f));
                break;
            case "Softmax" or "LogSoftmax" or "Hardmax":
                SameAs(y, x);
                op.Attributes = new SoftmaxAttributes(1f, (int)a.Int("axis", info.Opset >= 13 ? -1 : 1));
                break;
            case "Relu" or "Sigmoid" or "HardSigmoid" or "HardSwish" or "Tanh" or "Elu" or "Selu" or "Gelu" or "Exp" or "Log"
                or "Sqrt" or "Neg" or "Abs" or "Floor" or "Ceil" or "Round" or "Sign" or "Sin" or "Cos" or "Erf" or "Reciprocal"
                or "Softplus" or "Softsign" or "Mish" or "ThresholdedRelu" or "Celu" or "Not" or "IsNaN" or "IsInf"
                or "LRN" or "InstanceNormalization" or "LayerNormalization" or "LpNormalization" or "MeanVarianceNormalization"
                or "CumSum" or "Identity" or "Dropout" or "BatchNormalization":
                SameAs(y, x, info.Node.OpType is "Not" or "IsNaN" or "IsInf" ? DataType.Bool : null);
                if (info.Node.OpType is "Identity") { CopyValue(x, y); }
                if (info.Node.OpType == "Dropout" && op.Output(1) is { } mask) SameAs(mask, x, DataType.Bool);
                break;
            case "Cast" or "CastLike":
                Cast(op, info);
                break;
            case "QuantizeLinear":
                SameAs(y, x, op.Input(2)?.Type is { } zt and not DataType.Unknown ? zt : DataType.UInt8);
                break;
            case "DequantizeLinear":
                SameAs(y, x, info.Opset >= 19 && op.Input(1) is { } s ? s.Type : DataType.Float32);
                break;
            case "Concat":
                Concat(op, info);
                break;
            case "Reshape":
                Reshape(op, info);
                break;
            case "Flatten":
                Flatten(op, info);
                break;
            case "Transpose":
                Transpose(op, info);
                break;
            case "Squeeze":
                Squeeze(op, info);
                break;
            case "Unsqueeze":
                Unsqueeze(op, info);
                break;
            case "Slice":
                Slice(op, info);
                break;
            case "Split":
                Split(op, info);
                break;
            case "Gather":
                Gather(op, info);
                break;
            case "Shape":
                ShapeOp(op, info);
                break;
            case "Size":
                SetType(y, DataType.Int64);
                SetShape(y, []);
                if (x?.Shape.ElementCount is { } n) FoldInts(y, [n]);
                break;
            case "ConstantOfShape":
                ConstantOfShape(op, info);
                break;
            case "Range":
                Range(op);
                break;
            case "Expand":
                Expand(op, info);
                break;
            case "Tile":
                Tile(op);
                break;
            case "Pad":
                Pad(op, info);
                break;
            case "Resize" or "Upsample":
                Resize(op, info);
                break;
            case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL1" or "ReduceL2"
                or "ReduceLogSum" or "ReduceLogSumExp" or "ReduceSumSquare":
                Reduce(op, info);
                break;
            case "ArgMax" or "ArgMin":
                ArgReduce(op, info);
                break;
            case "DepthToSpace" or "SpaceToDepth":
                DepthSpace(op, info);
                break;
            case "TopK":
                TopK(op, info);
                break;
            case "NonMaxSuppression":
                SetType(y, DataType.Int64);
                SetShape(y, [-1, 3]);
                break;
            case "If" or "Loop" or "Scan":
                ControlFlow(op, info);
                break;
        }
    }

    private void CopyValue(Tensor? from, Tensor? to)
    {
        if (from is null || to is null) return;
        if (_ints.TryGetValue(from, out var iv) || (from.IsConstant && Ints(from) is { } c && (iv = c) is not null)) FoldInts(to, iv, ValueNames(from, iv.Length));
        else if (Floats(from) is { } fv) FoldFloats(to, fv);
    }

    // ---- element-wise ----

    private static void Broadcast(Operator op, NodeInfo info, IReadOnlyList<Tensor?> inputs, DataType type)
    {
        var y = op.Output(0);
        SetType(y, type);
        var present = inputs.Where(t => t is not null).ToList();
        if (present.Count == 0 || present.Any(t => t!.Shape.IsUnknownRank)) { if (y is not null) y.Shape = Shape.UnknownRank; return; }
        var rank = present.Max(t => t!.Shape.Rank);
        var dims = new long[rank];
        var names = new string?[rank];
        for (var i = 0; i < rank; i++) dims[i] = 1;
        var decided = new bool[rank];
        foreach (var t in present)
        {
            var s = t!.Shape;
            var n = NamesOf(s);
            for (var k = 0; k < s.Rank; k++)
            {
                var i = rank - s.Rank + k;
                var d = s.Dims[k];
                if (d == 1) continue;
                if (d < 0)
                {
                    if (!decided[i] || dims[i] < 0) { dims[i] = -1; names[i] ??= n[k]; decided[i] = true; }
                    continue;
                }
                if (decided[i] && dims[i] >= 0 && dims[i] != d)
                    throw new ModelFormatException($"{info.Node.OpType} '{op.Name}': dimensions {dims[i]} and {d} cannot broadcast", info.Field);
                dims[i] = d;
                names[i] = null;
                decided[i] = true;
            }
        }
        SetShape(y, dims, names);
    }

    private void FoldArithmetic(Operator op, string opType)
    {
        if (op.Inputs.Count != 2 || op.Output(0) is not { } y) return;
        var l = Ints(op.Input(0));
        var r = Ints(op.Input(1));
        if (l is null || r is null || !op.Input(0)!.Type.IsInteger()) return;
        if (l.Length != r.Length && l.Length != 1 && r.Length != 1) return;
        var n = Math.Max(l.Length, r.Length);
        var result = new long[n];
        for (var i = 0; i < n; i++)
        {
            var p = l[l.Length == 1 ? 0 : i];
            var q = r[r.Length == 1 ? 0 : i];
            if (p == UnknownValue || q == UnknownValue) { result[i] = UnknownValue; continue; }
            result[i] = opType switch
            {
                "Add" => unchecked(p + q),
                "Sub" => unchecked(p - q),
                "Mul" => unchecked(p * q),
                "Div" => q == 0 ? UnknownValue : p / q,
                "Max" => Math.Max(p, q),
                "Min" => Math.Min(p, q),
                _ => UnknownValue,
            };
        }
        if (result.All(v => v == UnknownValue) && opType is not ("Add" or "Sub" or "Mul" or "Div" or "Max" or "Min")) return;
        FoldInts(y, result);
    }

    private void Clip(Operator op, NodeInfo info)
    {
        double? min, max;
        if (info.Opset >= 11)
        {
            min = op.Input(1) is null ? double.NegativeInfinity : Floats(op.Input(1)) is [var lo] ? lo : null;
            max = op.Input(2) is null ? double.PositiveInfinity : Floats(op.Input(2)) is [var hi] ? hi : null;
        }
        else
        {
            min = info.Attrs.Float("min", float.MinValue);
            max = info.Attrs.Float("max", float.MaxValue);
        }
        if (min is not { } lo2 || max is not { } hi2) { op.Kind = OpKind.Clip; return; }
        var unbounded = double.IsPositiveInfinity(hi2) || hi2 >= float.MaxValue;
        if (lo2 == 0 && hi2 == 6) { op.Kind = OpKind.Relu6; op.Attributes = null; }
        else if (lo2 == 0 && unbounded) { op.Kind = OpKind.Relu; op.Attributes = null; }
        else { op.Kind = OpKind.Clip; op.Attributes = new ClipAttributes((float)lo2, (float)hi2); }
    }

    private void Cast(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        var to = info.Node.OpType == "CastLike" ? op.Input(1)?.Type ?? DataType.Unknown : OnnxTypes.ToIr((int)info.Attrs.Int("to", 0));
        SameAs(y, x, to);
        if (Ints(x) is { } iv && to.IsInteger()) FoldInts(y, iv, ValueNames(x, iv.Length));
        else if (Floats(x) is { } fv)
        {
            if (to.IsFloat()) FoldFloats(y, fv);
            else if (to.IsInteger() && fv.All(v => Math.Abs(v) < 9e18)) FoldInts(y, [.. fv.Select(v => (long)v)]);
        }
    }

    // ---- data movement ----

    private void Concat(Operator op, NodeInfo info)
    {
        var y = op.Output(0);
        var inputs = op.Inputs.Where(t => t is not null).Select(t => t!).ToList();
        SetType(y, inputs.FirstOrDefault(t => t.Type != DataType.Unknown)?.Type ?? DataType.Unknown);
        var axisAttr = info.Attrs.Int("axis", long.MinValue);
        if (axisAttr == long.MinValue) throw new ModelFormatException("Concat has no axis attribute", info.Field);
        op.Attributes = new AxisAttributes((int)Math.Clamp(axisAttr, int.MinValue, int.MaxValue));
        var known = inputs.FirstOrDefault(t => !t.Shape.IsUnknownRank);
        if (known is null || y is null) { if (y is not null) y.Shape = Shape.UnknownRank; return; }
        var rank = known.Shape.Rank;
        var axis = Axis(axisAttr, rank, info);
        var dims = new long[rank];
        var names = new string?[rank];
        for (var i = 0; i < rank; i++) dims[i] = -1;
        long sum = 0;
        foreach (var t in inputs)
        {
            if (t.Shape.IsUnknownRank) { sum = -1; continue; }
            if (t.Shape.Rank != rank) throw new ModelFormatException($"Concat '{op.Name}' joins tensors of rank {rank} and {t.Shape.Rank}", info.Field);
            var n = NamesOf(t.Shape);
            for (var i = 0; i < rank; i++)
            {
                var d = t.Shape.Dims[i];
                if (i == axis) { sum = d < 0 || sum < 0 ? -1 : checked(sum + d); continue; }
                if (d >= 0)
                {
                    if (dims[i] >= 0 && dims[i] != d) throw new ModelFormatException($"Concat '{op.Name}': dimension {i} is {dims[i]} in one input and {d} in another", info.Field);
                    dims[i] = d;
                }
                else names[i] ??= n[i];
            }
        }
        dims[axis] = sum;
        SetShape(y, dims, names);

        if (rank == 1)
        {
            var parts = inputs.Select(Ints).ToList();
            if (parts.All(p => p is not null)) FoldInts(y, [.. parts.SelectMany(p => p!)], [.. inputs.SelectMany((t, k) => ValueNames(t, parts[k]!.Length))]);
            else
            {
                var fparts = inputs.Select(Floats).ToList();
                if (fparts.All(p => p is not null)) FoldFloats(y, [.. fparts.SelectMany(p => p!)]);
            }
        }
    }

    private void Reshape(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        long[]? target = info.Opset >= 5 ? Ints(op.Input(1)) : info.Attrs.Ints("shape");
        var allowZero = info.Attrs.Int("allowzero", 0) != 0;
        op.Attributes = new ReshapeAttributes(target is null || target.Contains(UnknownValue) ? null : target);
        if (y is null) return;
        if (target is null)
        {
            y.Shape = op.Input(1) is { Shape: { Rank: 1, Dims: [var r] } } && r >= 0 ? Make(Enumerable.Repeat(-1L, (int)Math.Min(r, 64)).ToArray()) : Shape.UnknownRank;
            return;
        }
        var inDims = Dims(x);
        var inNames = x is null ? [] : NamesOf(x.Shape);
        var dims = new long[target.Length];
        var names = new string?[target.Length];
        var inferAt = -1;
        var targetNames = ValueNames(op.Input(1), target.Length);
        for (var i = 0; i < target.Length; i++)
        {
            var v = target[i];
            if (v == UnknownValue) { dims[i] = -1; names[i] = targetNames[i]; }
            else if (v == 0 && !allowZero)
            {
                if (inDims is not null && i >= inDims.Length) throw new ModelFormatException($"Reshape '{op.Name}' copies dimension {i} of a rank-{inDims.Length} input", info.Field);
                dims[i] = inDims?[i] ?? -1;
                if (inDims is not null) names[i] = inNames[i];
            }
            else if (v == -1)
            {
                if (inferAt >= 0) throw new ModelFormatException($"Reshape '{op.Name}' has more than one -1 in its shape", info.Field);
                inferAt = i;
                dims[i] = -1;
            }
            else if (v < 0) throw new ModelFormatException($"Reshape '{op.Name}' has dimension {v}", info.Field);
            else dims[i] = v;
        }
        if (inferAt >= 0 && x?.Shape.ElementCount is { } total)
        {
            var rest = Product(dims.Where((_, i) => i != inferAt));
            if (rest > 0)
            {
                if (total % rest != 0) throw new ModelFormatException($"Reshape '{op.Name}': {total} elements cannot take shape [{string.Join(",", target)}]", info.Field);
                dims[inferAt] = total / rest;
            }
            else if (rest == 0 && total != 0) throw new ModelFormatException($"Reshape '{op.Name}': {total} elements cannot take shape [{string.Join(",", target)}]", info.Field);
        }
        SetShape(y, dims, names);
        CopyValue(x, y);
    }

    private static void Flatten(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        if (Dims(x) is not { } d) { if (y is not null) y.Shape = Shape.UnknownRank; return; }
        var axis = info.Attrs.Int("axis", 1);
        var ax = axis < 0 ? axis + d.Length : axis;
        if (ax < 0 || ax > d.Length) throw new ModelFormatException($"Flatten axis {axis} is out of range for rank {d.Length}", info.Field);
        SetShape(y, [Product(d.Take((int)ax)), Product(d.Skip((int)ax))]);
    }

    private static void Transpose(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var permAttr = info.Attrs.Ints("perm");
        var d = Dims(x);
        if (d is null)
        {
            op.Attributes = new TransposeAttributes(permAttr?.Select(p => (int)Math.Clamp(p, -1, 1024)).ToArray());
            if (y is not null) y.Shape = permAttr is null ? Shape.UnknownRank : Make(Enumerable.Repeat(-1L, permAttr.Length).ToArray());
            return;
        }
        var perm = permAttr ?? Enumerable.Range(0, d.Length).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != d.Length || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= d.Length))
            throw new ModelFormatException($"Transpose '{op.Name}' perm [{string.Join(",", perm)}] is not a permutation of {d.Length} axes", info.Field);
        var n = NamesOf(x!.Shape);
        op.Attributes = new TransposeAttributes(perm.Select(p => (int)p).ToArray());
        SetShape(y, [.. perm.Select(p => d[p])], [.. perm.Select(p => n[p])]);
    }

    private long[]? AxesOf(Operator op, NodeInfo info, int inputIndex, long inputFromOpset)
    {
        if (info.Opset >= inputFromOpset) return op.Input(inputIndex) is null ? [] : KnownInts(op.Input(inputIndex));
        return info.Attrs.Ints("axes") ?? [];
    }

    private void Squeeze(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var axes = AxesOf(op, info, 1, 13);
        var d = Dims(x);
        if (y is null) return;
        if (d is null || axes is null) { y.Shape = Shape.UnknownRank; return; }
        var n = NamesOf(x!.Shape);
        HashSet<int> drop;
        if (axes.Length == 0)
        {
            if (d.Any(v => v < 0)) { y.Shape = Shape.UnknownRank; return; }
            drop = [.. Enumerable.Range(0, d.Length).Where(i => d[i] == 1)];
        }
        else drop = [.. axes.Select(ax => Axis(ax, d.Length, info, "axes"))];
        foreach (var i in drop)
            if (d[i] > 1) throw new ModelFormatException($"Squeeze '{op.Name}' removes axis {i} of size {d[i]}", info.Field);
        op.Attributes = new SqueezeAttributes(drop.Order().ToArray());
        var keep = Enumerable.Range(0, d.Length).Where(i => !drop.Contains(i)).ToArray();
        SetShape(y, [.. keep.Select(i => d[i])], [.. keep.Select(i => n[i])]);
        CopyValue(x, y);
    }

    private void Unsqueeze(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var axes = AxesOf(op, info, 1, 13);
        var d = Dims(x);
        if (y is null) return;
        if (d is null || axes is null) { y.Shape = Shape.UnknownRank; return; }
        var rank = d.Length + axes.Length;
        var inserted = axes.Select(ax => Axis(ax, rank, info, "axes")).ToHashSet();
        if (inserted.Count != axes.Length) throw new ModelFormatException($"Unsqueeze '{op.Name}' repeats an axis", info.Field);
        var n = NamesOf(x!.Shape);
        var dims = new long[rank];
        var names = new string?[rank];
        for (int i = 0, j = 0; i < rank; i++)
        {
            if (inserted.Contains(i)) dims[i] = 1;
            else { dims[i] = d[j]; names[i] = n[j]; j++; }
        }
        SetShape(y, dims, names);
        CopyValue(x, y);
    }

    private void Slice(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        long[]? starts, ends, axes, steps;
        if (info.Opset >= 10)
        {
            starts = KnownInts(op.Input(1));
            ends = KnownInts(op.Input(2));
            axes = op.Input(3) is null ? null : KnownInts(op.Input(3));
            steps = op.Input(4) is null ? null : KnownInts(op.Input(4));
            if ((op.Input(3) is not null && axes is null) || (op.Input(4) is not null && steps is null)) starts = null;
        }
        else
        {
            starts = info.Attrs.Ints("starts");
            ends = info.Attrs.Ints("ends");
            axes = info.Attrs.Ints("axes");
            steps = null;
        }
        var d = Dims(x);
        if (y is null) return;
        if (d is null) { y.Shape = Shape.UnknownRank; return; }
        var n = NamesOf(x!.Shape);
        if (starts is null || ends is null)
        {
            // Which axes change is unknown: keep the rank, forget every dimension.
            SetShape(y, [.. d.Select(_ => -1L)]);
            return;
        }
        if (starts.Length != ends.Length) throw new ModelFormatException($"Slice '{op.Name}' has {starts.Length} starts and {ends.Length} ends", info.Field);
        axes ??= [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        steps ??= [.. Enumerable.Repeat(1L, starts.Length)];
        if (axes.Length != starts.Length || steps.Length != starts.Length) throw new ModelFormatException($"Slice '{op.Name}' axes/steps do not match starts", info.Field);
        var dims = (long[])d.Clone();
        var names = (string?[])n.Clone();
        var ranges = new (long Start, long Step, long Count)?[d.Length];
        for (var k = 0; k < starts.Length; k++)
        {
            var axis = Axis(axes[k], d.Length, info, "axes");
            var step = steps[k];
            if (step == 0) throw new ModelFormatException($"Slice '{op.Name}' has step 0", info.Field);
            names[axis] = null;
            var dim = d[axis];
            if (dim < 0) { dims[axis] = -1; continue; }
            var (s, c) = SliceRange(starts[k], ends[k], step, dim);
            dims[axis] = c;
            ranges[axis] = (s, step, c);
        }
        SetShape(y, dims, names);
        if (d.Length == 1 && ranges[0] is var (s0, st0, c0) && c0 <= MaxFoldElements)
        {
            if (Ints(x) is { } iv && iv.Length == d[0])
            {
                var vn = ValueNames(x, iv.Length);
                FoldInts(y, [.. Enumerable.Range(0, (int)c0).Select(i => iv[s0 + i * st0])], [.. Enumerable.Range(0, (int)c0).Select(i => vn[s0 + i * st0])]);
            }
            else if (Floats(x) is { } fv && fv.Length == d[0]) FoldFloats(y, [.. Enumerable.Range(0, (int)c0).Select(i => fv[s0 + i * st0])]);
        }
        else if (d.Length == 1 && ranges[0] is null) CopyValue(x, y);
    }

    /// <summary>ONNX Slice clamping: the first index and element count along one axis of size <paramref name="dim"/>.</summary>
    internal static (long Start, long Count) SliceRange(long start, long end, long step, long dim)
    {
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            return (start, end > start ? (end - start + step - 1) / step : 0);
        }
        start = Math.Clamp(start, 0, dim - 1);
        end = Math.Clamp(end, -1, dim - 1);
        return (start, start > end ? (start - end + (-step) - 1) / -step : 0);
    }

    private void Split(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var d = Dims(x);
        var axisAttr = info.Attrs.Int("axis", 0);
        op.Attributes = new AxisAttributes((int)Math.Clamp(axisAttr, int.MinValue, int.MaxValue), FusedActivation.None, op.Outputs.Count);
        foreach (var o in op.Outputs) SetType(o, x?.Type ?? DataType.Unknown);
        if (d is null) { foreach (var o in op.Outputs) o.Shape = Shape.UnknownRank; return; }
        var axis = Axis(axisAttr, d.Length, info);
        long[]? sizes = info.Opset >= 13 ? (op.Input(1) is null ? null : KnownInts(op.Input(1))) : info.Attrs.Ints("split");
        var n = NamesOf(x!.Shape);
        if (sizes is null && (op.Input(1) is null || info.Opset < 13) && d[axis] >= 0)
        {
            var parts = op.Outputs.Count;
            if (parts == 0) return;
            var each = (d[axis] + parts - 1) / parts;
            if (info.Opset < 18 && d[axis] % parts != 0) throw new ModelFormatException($"Split '{op.Name}': axis of {d[axis]} does not split evenly into {parts}", info.Field);
            sizes = [.. Enumerable.Range(0, parts).Select(i => Math.Max(0, Math.Min(each, d[axis] - i * each)))];
        }
        if (sizes is not null && sizes.Length != op.Outputs.Count) throw new ModelFormatException($"Split '{op.Name}' has {sizes.Length} sizes for {op.Outputs.Count} outputs", info.Field);
        if (sizes is not null && d[axis] >= 0 && sizes.Sum() != d[axis]) throw new ModelFormatException($"Split '{op.Name}' sizes sum to {sizes.Sum()}, axis is {d[axis]}", info.Field);
        for (var i = 0; i < op.Outputs.Count; i++)
        {
            var dims = (long[])d.Clone();
            dims[axis] = sizes?[i] ?? -1;
            var names = (string?[])n.Clone();
            names[axis] = null;
            SetShape(op.Outputs[i], dims, names);
        }
    }

    private void Gather(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var idx = op.Input(1);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var axisAttr = info.Attrs.Int("axis", 0);
        op.Attributes = new AxisAttributes((int)Math.Clamp(axisAttr, int.MinValue, int.MaxValue));
        var d = Dims(x);
        var q = Dims(idx);
        if (y is null) return;
        if (d is null || q is null) { y.Shape = Shape.UnknownRank; return; }
        var axis = Axis(axisAttr, d.Length, info);
        var n = NamesOf(x!.Shape);
        var qn = NamesOf(idx!.Shape);
        SetShape(y, [.. d.Take(axis), .. q, .. d.Skip(axis + 1)], [.. n.Take(axis), .. qn, .. n.Skip(axis + 1)]);
        if (d.Length == 1 && KnownInts(idx) is { } ii && d[0] >= 0)
        {
            var picked = new long[ii.Length];
            var vals = Ints(x);
            if (vals is null || vals.Length != d[0]) return;
            var valueNames = ValueNames(x, vals.Length);
            var pickedNames = new string?[ii.Length];
            for (var i = 0; i < ii.Length; i++)
            {
                var j = ii[i] < 0 ? ii[i] + d[0] : ii[i];
                if (j < 0 || j >= d[0]) throw new ModelFormatException($"Gather '{op.Name}' index {ii[i]} is out of range for {d[0]} elements", info.Field);
                picked[i] = vals[j];
                pickedNames[i] = valueNames[j];
            }
            FoldInts(y, picked, pickedNames);
        }
    }

    private void ShapeOp(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, DataType.Int64);
        var d = Dims(x);
        if (d is null) { if (y is not null) y.Shape = Make([-1]); return; }
        var start = info.Attrs.Int("start", 0);
        var end = info.Attrs.Int("end", d.Length);
        if (start < 0) start += d.Length;
        if (end < 0) end += d.Length;
        start = Math.Clamp(start, 0, d.Length);
        end = Math.Clamp(end, start, d.Length);
        var values = d.Skip((int)start).Take((int)(end - start)).Select(v => v < 0 ? UnknownValue : v).ToArray();
        SetShape(y, [values.Length]);
        FoldInts(y, values, [.. NamesOf(x!.Shape).Skip((int)start).Take(values.Length)]);
    }

    private void ConstantOfShape(Operator op, NodeInfo info)
    {
        var y = op.Output(0);
        var valueProto = info.Attrs.Tensor("value");
        var type = valueProto is null ? DataType.Float32 : OnnxTypes.ToIr(valueProto.DataType);
        SetType(y, type);
        var shape = KnownInts(op.Input(0));
        if (y is null) return;
        if (shape is null)
        {
            y.Shape = op.Input(0) is { Shape: { Rank: 1, Dims: [var r] } } && r is >= 0 and <= 64 ? Make([.. Enumerable.Repeat(-1L, (int)r)]) : Shape.UnknownRank;
            return;
        }
        if (shape.Any(v => v < 0)) throw new ModelFormatException($"ConstantOfShape '{op.Name}' has a negative dimension", info.Field);
        SetShape(y, shape);
        var count = Product(shape);
        if (count > MaxFoldElements) return;
        var value = valueProto is null ? [0.0] : OnnxTensorData.AsDoubles(type, OnnxTensorData.Read(valueProto, $"{info.Field}.attribute[value]", null).Span, 1);
        if (value is not [var v]) return;
        if (type.IsInteger()) FoldInts(y, [.. Enumerable.Repeat((long)v, (int)count)]);
        else if (type.IsFloat()) FoldFloats(y, [.. Enumerable.Repeat(v, (int)count)]);
    }

    private void Range(Operator op)
    {
        var y = op.Output(0);
        SetType(y, op.Input(0)?.Type ?? DataType.Unknown);
        if (y is null) return;
        if (Floats(op.Input(0)) is [var start] && Floats(op.Input(1)) is [var limit] && Floats(op.Input(2)) is [var delta] && delta != 0)
        {
            var count = Math.Max((long)Math.Ceiling((limit - start) / delta), 0);
            SetShape(y, [count]);
            if (count <= MaxFoldElements && y.Type.IsInteger()) FoldInts(y, [.. Enumerable.Range(0, (int)count).Select(i => (long)(start + i * delta))]);
            return;
        }
        SetShape(y, [-1]);
    }

    private void Expand(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        var shape = Ints(op.Input(1));
        if (shape is null) { SetType(y, x?.Type ?? DataType.Unknown); if (y is not null) y.Shape = Shape.UnknownRank; return; }
        var target = new Tensor { Index = -1, Name = "shape", Type = DataType.Unknown, Shape = Make([.. shape.Select(v => v == UnknownValue ? -1 : v)]) };
        Broadcast(op, info, [x, target], x?.Type ?? DataType.Unknown);
    }

    private void Tile(Operator op)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var d = Dims(x);
        var reps = KnownInts(op.Input(1));
        if (y is null) return;
        if (d is null) { y.Shape = Shape.UnknownRank; return; }
        if (reps is null || reps.Length != d.Length) { SetShape(y, [.. d.Select(_ => -1L)]); return; }
        SetShape(y, [.. d.Select((v, i) => Mul(v, reps[i]))]);
    }

    private void DepthSpace(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var b = info.Attrs.Int("blocksize", 0);
        if (b <= 0 || b > 4096) throw new ModelFormatException($"{info.Node.OpType} '{op.Name}' has blocksize {b}", info.Field);
        op.Attributes = new BlockAttributes((int)Math.Min(b, int.MaxValue));
        if (Dims(x) is not [var n, var c, var h, var w]) { if (y is not null) y.Shape = Shape.UnknownRank; return; }
        var names = NamesOf(x!.Shape);
        if (info.Node.OpType == "DepthToSpace")
            SetShape(y, [n, c < 0 ? -1 : c / (b * b), Mul(h, b), Mul(w, b)], [names[0], null, null, null]);
        else
            SetShape(y, [n, Mul(c, b * b), h < 0 ? -1 : h / b, w < 0 ? -1 : w / b], [names[0], null, null, null]);
    }

    private void TopK(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        SetType(op.Output(0), x?.Type ?? DataType.Unknown);
        SetType(op.Output(1), DataType.Int64);
        var d = Dims(x);
        if (d is null) { foreach (var o in op.Outputs) o.Shape = Shape.UnknownRank; return; }
        var axis = Axis(info.Attrs.Int("axis", -1), d.Length, info);
        long k = info.Opset >= 10 ? (KnownInts(op.Input(1)) is [var kk] ? kk : -1) : info.Attrs.Int("k", -1);
        var dims = (long[])d.Clone();
        dims[axis] = k;
        foreach (var o in op.Outputs) SetShape(o, dims);
    }

    private void ControlFlow(Operator op, NodeInfo info)
    {
        if (op.Attributes is not ControlFlowAttributes cf) return;
        var bodies = cf.BodySubgraphs.Select(i => _scopes[i]).ToList();
        if (info.Node.OpType == "Loop" && bodies.Count == 1)
        {
            var body = bodies[0].Subgraph;
            // Body inputs: iteration number, condition, then the loop-carried values.
            for (var i = 0; i < body.Inputs.Count; i++)
            {
                var bi = body.Inputs[i];
                if (!bi.Shape.IsUnknownRank && bi.Type != DataType.Unknown) continue;
                if (i == 0) { SetType(bi, DataType.Int64); bi.Shape = Shape.Scalar; }
                else if (i == 1) { SetType(bi, DataType.Bool); bi.Shape = Shape.Scalar; }
                else if (op.Input(i) is { } init) { SetType(bi, init.Type); bi.Shape = init.Shape; }
            }
        }
        foreach (var b in bodies) InferSubgraph(b);
        var first = bodies[0].Subgraph;
        switch (info.Node.OpType)
        {
            case "If":
                for (var i = 0; i < op.Outputs.Count && i < first.Outputs.Count; i++)
                {
                    var thenOut = first.Outputs[i];
                    var elseOut = bodies.Count > 1 && i < bodies[1].Subgraph.Outputs.Count ? bodies[1].Subgraph.Outputs[i] : null;
                    SetType(op.Outputs[i], thenOut.Type);
                    op.Outputs[i].Shape = elseOut is null || elseOut.Shape.Equals(thenOut.Shape) ? thenOut.Shape
                        : thenOut.Shape.Rank == elseOut.Shape.Rank && !thenOut.Shape.IsUnknownRank && !elseOut.Shape.IsUnknownRank
                            ? Make([.. thenOut.Shape.Dims.Select((d, k) => d == elseOut.Shape.Dims[k] ? d : -1)]) : Shape.UnknownRank;
                }
                break;
            case "Loop":
                // Outputs: the final loop-carried values, then the scan outputs (stacked per iteration).
                var carried = Math.Max(0, info.Node.Input.Count - 2);
                for (var i = 0; i < op.Outputs.Count; i++)
                {
                    var bodyOut = i + 1 < first.Outputs.Count ? first.Outputs[i + 1] : null;
                    if (bodyOut is null) continue;
                    SetType(op.Outputs[i], bodyOut.Type);
                    var init = op.Input(i + 2);
                    if (init is not null && bodyOut.Shape.Equals(init.Shape) && i < carried) op.Outputs[i].Shape = init.Shape;
                }
                break;
        }
    }
}
