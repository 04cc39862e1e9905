using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

internal sealed partial class OnnxShapeInference
{
    /// <summary>Spatial geometry shared by Conv, ConvTranspose and pooling: per spatial axis.</summary>
    private sealed record Window(long[] Kernel, long[] Strides, long[] Dilations, long[] PadsBegin, long[] PadsEnd, string AutoPad);

    private static Window ReadWindow(NodeInfo info, Operator op, long[]? kernelFromWeights, int spatial, bool dilations = true)
    {
        var a = info.Attrs;
        var kernel = a.Ints("kernel_shape") ?? kernelFromWeights
            ?? throw new ModelFormatException($"{info.Node.OpType} '{op.Name}' has no kernel_shape and no weight shape", info.Field);
        if (spatial < 0) spatial = kernel.Length;
        var strides = a.Ints("strides") ?? [.. Enumerable.Repeat(1L, spatial)];
        var dil = (dilations ? a.Ints("dilations") : null) ?? [.. Enumerable.Repeat(1L, spatial)];
        var pads = a.Ints("pads") ?? new long[spatial * 2];
        var autoPad = a.String("auto_pad", "NOTSET");
        if (kernel.Length != spatial || strides.Length != spatial || dil.Length != spatial || pads.Length != spatial * 2)
            throw new ModelFormatException($"{info.Node.OpType} '{op.Name}': kernel_shape/strides/dilations/pads do not match {spatial} spatial axes", info.Field);
        if (kernel.Any(k => k < 1) || strides.Any(s => s < 1) || dil.Any(d => d < 1) || pads.Any(p => p < 0))
            throw new ModelFormatException($"{info.Node.OpType} '{op.Name}': kernel {string.Join("×", kernel)} strides {string.Join(",", strides)} dilations {string.Join(",", dil)} pads {string.Join(",", pads)} are not valid", info.Field);
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
            throw new ModelFormatException($"{info.Node.OpType} '{op.Name}' has auto_pad '{autoPad}'", info.Field);
        if (kernel.Any(k => k > int.MaxValue) || strides.Any(s => s > int.MaxValue) || dil.Any(d => d > int.MaxValue) || pads.Any(p => p > int.MaxValue))
            throw new ModelFormatException($"{info.Node.OpType} '{op.Name}': window values exceed 32 bits", info.Field);
        return new Window(kernel, strides, dil, pads[..spatial], pads[spatial..], autoPad);
    }

    /// <summary>Output size of one spatial axis; fills the effective pads for SAME. -1 when the input size is unknown.</summary>
    private static long SpatialOut(Window w, int i, long input, bool ceil, NodeInfo info, Operator op, long[] padsBegin, long[] padsEnd)
    {
        var effective = checked((w.Kernel[i] - 1) * w.Dilations[i] + 1);
        if (w.AutoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            if (input < 0) { padsBegin[i] = padsEnd[i] = -1; return -1; }
            var output = (input + w.Strides[i] - 1) / w.Strides[i];
            var total = Math.Max(0, checked((output - 1) * w.Strides[i] + effective - input));
            padsBegin[i] = w.AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            padsEnd[i] = total - padsBegin[i];
            return output;
        }
        if (w.AutoPad == "VALID") { padsBegin[i] = padsEnd[i] = 0; }
        else { padsBegin[i] = w.PadsBegin[i]; padsEnd[i] = w.PadsEnd[i]; }
        if (input < 0) return -1;
        var span = checked(input + padsBegin[i] + padsEnd[i] - effective);
        if (span < 0)
            throw new ModelFormatException($"{info.Node.OpType} '{op.Name}': window {effective} is larger than the padded input {input + padsBegin[i] + padsEnd[i]}", info.Field);
        var outSize = (ceil ? (span + w.Strides[i] - 1) / w.Strides[i] : span / w.Strides[i]) + 1;
        // With ceil_mode the last window must start inside the input or its leading padding.
        if (ceil && (outSize - 1) * w.Strides[i] >= input + padsBegin[i]) outSize--;
        return outSize;
    }

    private static Padding2D Padding(Window w, long[] begin, long[] end)
    {
        var n = begin.Length;
        if (begin.Any(p => p < 0) || end.Any(p => p < 0))
            return new Padding2D(w.AutoPad == "VALID" ? PaddingKind.Valid : PaddingKind.Same, 0, 0, 0, 0);
        int top = n >= 2 ? (int)begin[n - 2] : 0, bottom = n >= 2 ? (int)end[n - 2] : 0;
        int left = n >= 1 ? (int)begin[n - 1] : 0, right = n >= 1 ? (int)end[n - 1] : 0;
        var kind = w.AutoPad switch
        {
            "SAME_UPPER" or "SAME_LOWER" => PaddingKind.Same,
            "VALID" => PaddingKind.Valid,
            _ => begin.All(p => p == 0) && end.All(p => p == 0) ? PaddingKind.Valid : PaddingKind.Explicit,
        };
        return new Padding2D(kind, top, bottom, left, right);
    }

    private static (int H, int W) LastTwo(long[] v, long fallback = 1) =>
        ((int)(v.Length >= 2 ? v[^2] : fallback), (int)(v.Length >= 1 ? v[^1] : fallback));

    private void Conv(Operator op, NodeInfo info)
    {
        var type = info.Node.OpType;
        var wIndex = type == "QLinearConv" ? 3 : 1;
        var x = op.Input(0);
        var w = op.Input(wIndex);
        var y = op.Output(0);
        SetType(y, type switch
        {
            "ConvInteger" => DataType.Int32,
            "QLinearConv" => op.Input(7)?.Type is { } zt and not DataType.Unknown ? zt : DataType.UInt8,
            _ => x?.Type ?? DataType.Unknown,
        });
        var xd = Dims(x);
        var wd = Dims(w);
        if (wd is not null && wd.Length < 3) throw new ModelFormatException($"{type} '{op.Name}' weights have rank {wd.Length}", info.Field);
        var spatial = wd is not null ? wd.Length - 2 : xd is not null ? xd.Length - 2 : -1;
        var win = ReadWindow(info, op, wd?[2..], spatial);
        spatial = win.Kernel.Length;
        if (xd is not null && xd.Length != spatial + 2) throw new ModelFormatException($"{type} '{op.Name}': input rank {xd.Length} does not match a {spatial}-D kernel", info.Field);
        if (wd is not null && wd[2..].Where((k, i) => k >= 0 && k != win.Kernel[i]).Any())
            throw new ModelFormatException($"{type} '{op.Name}': kernel_shape [{string.Join(",", win.Kernel)}] does not match weights [{string.Join(",", wd)}]", info.Field);
        var group = info.Attrs.Int("group", 1);
        if (group < 1 || group > int.MaxValue) throw new ModelFormatException($"{type} '{op.Name}' has group {group}", info.Field);
        var cIn = xd?[1] ?? (wd is not null && wd[1] >= 0 ? wd[1] * group : -1);
        var cOut = wd?[0] ?? -1;
        if (cIn >= 0 && wd is not null && wd[1] >= 0 && cIn != wd[1] * group)
            throw new ModelFormatException($"{type} '{op.Name}': input has {cIn} channels but weights expect {wd[1]}×{group} groups", info.Field);
        if (cOut >= 0 && cOut % group != 0) throw new ModelFormatException($"{type} '{op.Name}': {cOut} output channels do not divide into {group} groups", info.Field);

        var begin = new long[spatial];
        var end = new long[spatial];
        var outDims = new long[spatial + 2];
        outDims[0] = xd?[0] ?? -1;
        outDims[1] = cOut;
        for (var i = 0; i < spatial; i++)
            outDims[i + 2] = SpatialOut(win, i, xd?[i + 2] ?? -1, false, info, op, begin, end);
        if (y is not null)
        {
            var names = new string?[spatial + 2];
            if (x is not null && !x.Shape.IsUnknownRank) names[0] = NamesOf(x.Shape)[0];
            SetShape(y, outDims, names);
        }

        var depthwise = group > 1 && group == cIn && group == cOut;
        op.Kind = depthwise ? OpKind.DepthwiseConv2D : spatial == 3 ? OpKind.Conv3D : OpKind.Conv2D;
        var (kh, kw) = LastTwo(win.Kernel);
        var (sh, sw) = LastTwo(win.Strides);
        var (dh, dw) = LastTwo(win.Dilations);
        op.Attributes = new ConvAttributes(kh, kw, sh, sw, dh, dw, Padding(win, begin, end), FusedActivation.None,
            DepthMultiplier: 1, Groups: depthwise ? 1 : (int)group);

        // IR order is [data, weights, bias]; the quantization parameters follow so dependencies stay visible.
        if (type == "QLinearConv")
            op.Inputs = [op.Input(0), op.Input(3), op.Input(8), op.Input(1), op.Input(2), op.Input(4), op.Input(5), op.Input(6), op.Input(7), .. op.Inputs.Skip(9)];
        else if (type == "ConvInteger")
            op.Inputs = [op.Input(0), op.Input(1), null, op.Input(2), op.Input(3), .. op.Inputs.Skip(4)];
    }

    private void ConvTranspose(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var w = op.Input(1);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var xd = Dims(x);
        var wd = Dims(w);
        if (wd is not null && wd.Length < 3) throw new ModelFormatException($"ConvTranspose '{op.Name}' weights have rank {wd.Length}", info.Field);
        var spatial = wd is not null ? wd.Length - 2 : xd is not null ? xd.Length - 2 : -1;
        var win = ReadWindow(info, op, wd?[2..], spatial);
        spatial = win.Kernel.Length;
        if (xd is not null && xd.Length != spatial + 2) throw new ModelFormatException($"ConvTranspose '{op.Name}': input rank {xd.Length} does not match a {spatial}-D kernel", info.Field);
        var group = info.Attrs.Int("group", 1);
        if (group < 1 || group > int.MaxValue) throw new ModelFormatException($"ConvTranspose '{op.Name}' has group {group}", info.Field);
        var outPad = info.Attrs.Ints("output_padding") ?? new long[spatial];
        var outShape = info.Attrs.Ints("output_shape");
        if (outPad.Length != spatial || outPad.Any(p => p < 0)) throw new ModelFormatException($"ConvTranspose '{op.Name}' output_padding is not valid", info.Field);
        if (xd is not null && wd is not null && xd[1] >= 0 && wd[0] >= 0 && xd[1] != wd[0])
            throw new ModelFormatException($"ConvTranspose '{op.Name}': input has {xd[1]} channels, weights {wd[0]}", info.Field);

        var dims = new long[spatial + 2];
        dims[0] = xd?[0] ?? -1;
        dims[1] = wd is not null && wd[1] >= 0 ? checked(wd[1] * group) : -1;
        var begin = new long[spatial];
        var end = new long[spatial];
        for (var i = 0; i < spatial; i++)
        {
            var input = xd?[i + 2] ?? -1;
            var effective = checked((win.Kernel[i] - 1) * win.Dilations[i] + 1);
            var full = input < 0 ? -1 : checked(win.Strides[i] * (input - 1) + outPad[i] + effective);
            if (outShape is not null)
            {
                if (outShape.Length < spatial) throw new ModelFormatException($"ConvTranspose '{op.Name}' output_shape has {outShape.Length} values", info.Field);
                dims[i + 2] = outShape[^(spatial - i)];
                var total = full < 0 ? -1 : full - dims[i + 2];
                begin[i] = total < 0 ? 0 : win.AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                end[i] = total < 0 ? 0 : total - begin[i];
            }
            else if (win.AutoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                dims[i + 2] = input < 0 ? -1 : checked(input * win.Strides[i]);
                var total = full < 0 ? -1 : Math.Max(0, full - dims[i + 2]);
                begin[i] = total < 0 ? -1 : win.AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                end[i] = total < 0 ? -1 : total - begin[i];
            }
            else
            {
                begin[i] = win.AutoPad == "VALID" ? 0 : win.PadsBegin[i];
                end[i] = win.AutoPad == "VALID" ? 0 : win.PadsEnd[i];
                dims[i + 2] = full < 0 ? -1 : full - begin[i] - end[i];
                if (full >= 0 && dims[i + 2] < 1) throw new ModelFormatException($"ConvTranspose '{op.Name}': pads leave no output", info.Field);
            }
        }
        if (y is not null)
        {
            var names = new string?[spatial + 2];
            if (x is not null && !x.Shape.IsUnknownRank) names[0] = NamesOf(x.Shape)[0];
            SetShape(y, dims, names);
        }
        op.Kind = OpKind.TransposeConv;
        var (kh, kw) = LastTwo(win.Kernel);
        var (sh, sw) = LastTwo(win.Strides);
        var (dh, dw) = LastTwo(win.Dilations);
        op.Attributes = new ConvAttributes(kh, kw, sh, sw, dh, dw, Padding(win, begin, end), FusedActivation.None, 1, (int)group);
    }

    private static void Pool(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var xd = Dims(x);
        var win = ReadWindow(info, op, null, xd is null ? -1 : xd.Length - 2, dilations: info.Node.OpType == "MaxPool" && info.Opset >= 10);
        var spatial = win.Kernel.Length;
        if (xd is not null && xd.Length != spatial + 2) throw new ModelFormatException($"{info.Node.OpType} '{op.Name}': input rank {xd.Length} does not match a {spatial}-D kernel", info.Field);
        var ceil = info.Opset >= 10 && info.Attrs.Int("ceil_mode", 0) != 0;
        var begin = new long[spatial];
        var end = new long[spatial];
        var dims = new long[spatial + 2];
        dims[0] = xd?[0] ?? -1;
        dims[1] = xd?[1] ?? -1;
        for (var i = 0; i < spatial; i++) dims[i + 2] = SpatialOut(win, i, xd?[i + 2] ?? -1, ceil, info, op, begin, end);
        var names = new string?[spatial + 2];
        if (x is not null && !x.Shape.IsUnknownRank) { names[0] = NamesOf(x.Shape)[0]; names[1] = NamesOf(x.Shape)[1]; }
        SetShape(y, dims, names);
        if (op.Output(1) is { } indices) { SetType(indices, DataType.Int64); SetShape(indices, dims, names); }
        var (fh, fw) = LastTwo(win.Kernel);
        var (sh, sw) = LastTwo(win.Strides);
        op.Attributes = new PoolAttributes(fh, fw, sh, sw, Padding(win, begin, end), FusedActivation.None);
    }

    private static void GlobalPool(Operator op)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var xd = Dims(x);
        if (xd is null || xd.Length < 3) { if (y is not null) y.Shape = Shape.UnknownRank; op.Attributes = new PoolAttributes(-1, -1, 1, 1, Padding2D.Valid, FusedActivation.None, IsGlobal: true); return; }
        var names = NamesOf(x!.Shape);
        SetShape(y, [xd[0], xd[1], .. Enumerable.Repeat(1L, xd.Length - 2)], [names[0], names[1], .. new string?[xd.Length - 2]]);
        var (h, w) = (xd.Length >= 4 ? xd[^2] : 1, xd[^1]);
        op.Attributes = new PoolAttributes((int)Math.Clamp(h, -1, int.MaxValue), (int)Math.Clamp(w, -1, int.MaxValue), 1, 1, Padding2D.Valid, FusedActivation.None, IsGlobal: true);
    }

    private static void Gemm(Operator op, NodeInfo info)
    {
        var a = op.Input(0);
        var b = op.Input(1);
        var y = op.Output(0);
        SetType(y, a?.Type ?? DataType.Unknown);
        var transA = info.Attrs.Int("transA", 0) != 0;
        var transB = info.Attrs.Int("transB", 0) != 0;
        var ad = Dims(a);
        var bd = Dims(b);
        if (ad is not null && ad.Length != 2 && info.Opset >= 7) throw new ModelFormatException($"Gemm '{op.Name}': A has rank {ad.Length}", info.Field);
        if (bd is not null && bd.Length != 2) throw new ModelFormatException($"Gemm '{op.Name}': B has rank {bd.Length}", info.Field);
        long m = ad is { Length: 2 } ? (transA ? ad[1] : ad[0]) : -1;
        long ka = ad is { Length: 2 } ? (transA ? ad[0] : ad[1]) : -1;
        long kb = bd is not null ? (transB ? bd[1] : bd[0]) : -1;
        long n = bd is not null ? (transB ? bd[0] : bd[1]) : -1;
        if (ka >= 0 && kb >= 0 && ka != kb) throw new ModelFormatException($"Gemm '{op.Name}': inner dimensions {ka} and {kb} differ", info.Field);
        var names = a is null || a.Shape.IsUnknownRank || a.Shape.Rank != 2 ? null : new[] { NamesOf(a.Shape)[transA ? 1 : 0], null };
        SetShape(y, [m, n], names);
        if (!transA && IsConstantLike(b) && bd is not null)
        {
            op.Kind = OpKind.FullyConnected;
            op.Attributes = new FullyConnectedAttributes(FusedActivation.None, KeepNumDims: false);
        }
        else
        {
            op.Kind = OpKind.BatchMatMul;
            op.Attributes = new BatchMatMulAttributes(transA, transB);
        }
    }

    private static void MatMul(Operator op, NodeInfo info)
    {
        var type = info.Node.OpType;
        var a = op.Input(0);
        var b = op.Input(type == "QLinearMatMul" ? 3 : 1);
        var y = op.Output(0);
        SetType(y, type switch
        {
            "MatMulInteger" => DataType.Int32,
            "QLinearMatMul" => op.Input(7)?.Type is { } zt and not DataType.Unknown ? zt : DataType.UInt8,
            _ => a?.Type ?? DataType.Unknown,
        });
        var ad = Dims(a);
        var bd = Dims(b);
        if (ad is not null && bd is not null && y is not null)
        {
            if (ad.Length == 0 || bd.Length == 0) throw new ModelFormatException($"{type} '{op.Name}' has a scalar operand", info.Field);
            var an = NamesOf(a!.Shape);
            var bn = NamesOf(b!.Shape);
            var a2 = ad.Length == 1 ? new long[] { 1, ad[0] } : ad;
            var b2 = bd.Length == 1 ? new long[] { bd[0], 1 } : bd;
            var an2 = ad.Length == 1 ? new string?[] { null, an[0] } : an;
            var bn2 = bd.Length == 1 ? new string?[] { bn[0], null } : bn;
            if (a2[^1] >= 0 && b2[^2] >= 0 && a2[^1] != b2[^2])
                throw new ModelFormatException($"{type} '{op.Name}': inner dimensions {a2[^1]} and {b2[^2]} differ", info.Field);
            var batchA = new Tensor { Index = -1, Name = "a", Type = DataType.Unknown, Shape = Make(a2[..^2], an2[..^2]) };
            var batchB = new Tensor { Index = -1, Name = "b", Type = DataType.Unknown, Shape = Make(b2[..^2], bn2[..^2]) };
            var tmp = new Tensor { Index = -1, Name = "batch", Type = DataType.Unknown, Shape = Shape.UnknownRank };
            var holder = new Operator { Index = -1, SubgraphIndex = -1, Kind = OpKind.BatchMatMul, SourceType = type, Name = op.Name, Inputs = [batchA, batchB], Outputs = [tmp] };
            Broadcast(holder, info, [batchA, batchB], DataType.Unknown);
            var dims = tmp.Shape.Dims.ToList();
            var names = NamesOf(tmp.Shape).ToList();
            if (ad.Length > 1) { dims.Add(a2[^2]); names.Add(an2[^2]); }
            if (bd.Length > 1) { dims.Add(b2[^1]); names.Add(bn2[^1]); }
            SetShape(y, [.. dims], [.. names]);
        }
        else if (y is not null) y.Shape = Shape.UnknownRank;

        if (IsConstantLike(b) && bd is { Length: 2 })
        {
            op.Kind = OpKind.FullyConnected;
            op.Attributes = new FullyConnectedAttributes(FusedActivation.None, KeepNumDims: ad is not { Length: 2 });
        }
        else
        {
            op.Kind = OpKind.BatchMatMul;
            op.Attributes = new BatchMatMulAttributes(false, false);
        }
        if (type == "QLinearMatMul")
            op.Inputs = [op.Input(0), op.Input(3), null, op.Input(1), op.Input(2), op.Input(4), op.Input(5), op.Input(6), op.Input(7), .. op.Inputs.Skip(8)];
        else if (type == "MatMulInteger")
            op.Inputs = [op.Input(0), op.Input(1), null, op.Input(2), op.Input(3), .. op.Inputs.Skip(4)];
    }

    private void Pad(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var mode = info.Attrs.String("mode", "constant");
        op.Kind = mode switch { "constant" => OpKind.Pad, "reflect" => OpKind.MirrorPad, _ => OpKind.Unknown };
        long[]? pads = info.Opset >= 11 ? KnownInts(op.Input(1)) : info.Attrs.Ints(info.Opset >= 2 ? "pads" : "paddings");
        var d = Dims(x);
        long[]? axes = null;
        if (info.Opset >= 18 && op.Input(3) is { } axesTensor)
        {
            axes = KnownInts(axesTensor);
            if (axes is null) pads = null;
        }
        if (d is null || pads is null)
        {
            op.Attributes = new PadAttributes(null, mode == "reflect");
            if (y is not null) y.Shape = d is null ? Shape.UnknownRank : Make([.. d.Select(_ => -1L)]);
            return;
        }
        axes ??= [.. Enumerable.Range(0, d.Length).Select(i => (long)i)];
        if (pads.Length != axes.Length * 2) throw new ModelFormatException($"Pad '{op.Name}' has {pads.Length} pads for {axes.Length} axes", info.Field);
        var pairs = new (long Before, long After)[d.Length];
        for (var k = 0; k < axes.Length; k++)
        {
            var axis = Axis(axes[k], d.Length, info, "axes");
            pairs[axis] = (pads[k], pads[k + axes.Length]);
        }
        op.Attributes = new PadAttributes(pairs, mode == "reflect");
        var dims = new long[d.Length];
        for (var i = 0; i < d.Length; i++)
        {
            dims[i] = d[i] < 0 ? -1 : checked(d[i] + pairs[i].Before + pairs[i].After);
            if (d[i] >= 0 && dims[i] < 0) throw new ModelFormatException($"Pad '{op.Name}' removes more than axis {i} holds", info.Field);
        }
        var names = NamesOf(x!.Shape).Select((n, i) => pairs[i] == (0, 0) ? n : null).ToArray();
        SetShape(y, dims, names);
    }

    private void Resize(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var mode = info.Attrs.String("mode", "nearest");
        var coord = info.Attrs.String("coordinate_transformation_mode", "half_pixel");
        op.Kind = mode switch { "nearest" => OpKind.ResizeNearestNeighbor, "linear" or "bilinear" => OpKind.ResizeBilinear, _ => OpKind.Unknown };

        double[]? scales = null;
        long[]? sizes = null;
        var known = true;
        if (info.Node.OpType == "Upsample" && info.Opset < 9) scales = info.Attrs.Floats("scales")?.Select(f => (double)f).ToArray();
        else if (info.Node.OpType == "Upsample" || info.Opset < 11) { scales = Floats(op.Input(1)); known = scales is not null; }
        else
        {
            if (op.Input(3) is { } sizesTensor && !(sizesTensor.Shape.ElementCount == 0)) { sizes = KnownInts(sizesTensor); known = sizes is not null; }
            else if (op.Input(2) is { } scalesTensor && !(scalesTensor.Shape.ElementCount == 0)) { scales = Floats(scalesTensor); known = scales is not null; }
            else known = false;
        }
        var d = Dims(x);
        long[]? dims = null;
        if (d is not null && known)
        {
            if (info.Opset >= 18 && info.Attrs.Ints("axes") is not null) dims = [.. d.Select(_ => -1L)];
            else if (sizes is not null)
            {
                if (sizes.Length != d.Length) throw new ModelFormatException($"{info.Node.OpType} '{op.Name}' has {sizes.Length} sizes for rank {d.Length}", info.Field);
                dims = sizes;
            }
            else if (scales is not null)
            {
                if (scales.Length != d.Length) throw new ModelFormatException($"{info.Node.OpType} '{op.Name}' has {scales.Length} scales for rank {d.Length}", info.Field);
                if (scales.Any(s => !(s > 0) || s > 1e6)) throw new ModelFormatException($"{info.Node.OpType} '{op.Name}' has scales [{string.Join(",", scales)}]", info.Field);
                dims = [.. d.Select((v, i) => v < 0 ? -1 : (long)Math.Floor(v * scales[i]))];
            }
        }
        if (y is not null)
        {
            if (dims is not null)
            {
                var n = NamesOf(x!.Shape).Select((nm, i) => dims[i] == d![i] || (dims[i] < 0 && scales is not null && scales[i] == 1) ? nm : null).ToArray();
                SetShape(y, dims, n);
            }
            else y.Shape = d is null ? Shape.UnknownRank : Make([.. d.Select(_ => -1L)]);
        }
        var outD = Dims(y);
        var (oh, ow) = outD is { Length: >= 4 } ? ((int)Math.Clamp(outD[2], -1, int.MaxValue), (int)Math.Clamp(outD[3], -1, int.MaxValue)) : (-1, -1);
        op.Attributes = new ResizeAttributes(mode == "nearest" ? ResizeMode.NearestNeighbor : ResizeMode.Bilinear,
            coord == "align_corners", coord is "half_pixel" or "pytorch_half_pixel" && info.Opset >= 11, oh, ow);
    }

    private void Reduce(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, x?.Type ?? DataType.Unknown);
        var keep = info.Attrs.Int("keepdims", 1) != 0;
        var fromInput = info.Node.OpType == "ReduceSum" ? 13 : 18;
        var axes = AxesOf(op, info, 1, fromInput);
        var noop = info.Attrs.Int("noop_with_empty_axes", 0) != 0;
        var d = Dims(x);
        if (axes is null || d is null)
        {
            op.Attributes = new ReduceAttributes(null, keep);
            if (y is not null) y.Shape = d is not null && keep ? Make([.. d.Select(_ => -1L)]) : Shape.UnknownRank;
            return;
        }
        if (axes.Length == 0 && noop) { op.Attributes = new ReduceAttributes([], keep); SameAs(y, x); return; }
        var set = axes.Length == 0 ? Enumerable.Range(0, d.Length).ToHashSet() : axes.Select(ax => Axis(ax, d.Length, info, "axes")).ToHashSet();
        op.Attributes = new ReduceAttributes(set.Order().ToArray(), keep);
        var n = NamesOf(x!.Shape);
        var dims = new List<long>();
        var names = new List<string?>();
        for (var i = 0; i < d.Length; i++)
        {
            if (!set.Contains(i)) { dims.Add(d[i]); names.Add(n[i]); }
            else if (keep) { dims.Add(1); names.Add(null); }
        }
        SetShape(y, [.. dims], [.. names]);
    }

    private static void ArgReduce(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        SetType(y, DataType.Int64);
        var axisAttr = info.Attrs.Int("axis", 0);
        var keep = info.Attrs.Int("keepdims", 1) != 0;
        op.Attributes = new AxisAttributes((int)Math.Clamp(axisAttr, int.MinValue, int.MaxValue));
        var d = Dims(x);
        if (d is null) { if (y is not null) y.Shape = Shape.UnknownRank; return; }
        var axis = Axis(axisAttr, d.Length, info);
        var n = NamesOf(x!.Shape);
        var dims = new List<long>();
        var names = new List<string?>();
        for (var i = 0; i < d.Length; i++)
        {
            if (i != axis) { dims.Add(d[i]); names.Add(n[i]); }
            else if (keep) { dims.Add(1); names.Add(null); }
        }
        SetShape(y, [.. dims], [.. names]);
    }
}
