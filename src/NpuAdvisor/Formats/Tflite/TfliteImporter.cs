using System.Runtime.InteropServices;
using System.Text;
using NpuAdvisor.Formats.Tflite.FlatBuffers;
using NpuAdvisor.Model;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// Reads a .tflite flatbuffer into the IR without copying constant data: tensor data are views over
/// the memory-mapped file (or the caller's bytes).
/// File identifier: "TFL3" is expected; a file without it is still accepted when its root table is a
/// schema-3 Model with at least one subgraph (old converters and hand-built files omit it), and
/// Properties["file_identifier"] records what the file carried.
/// Anything malformed raises <see cref="ModelFormatException"/> naming the field path and byte offset.
/// </summary>
public static class TfliteImporter
{
    public static Graph Load(string path)
    {
        var file = MappedFile.Open(path);
        try
        {
            return new TfliteModelReader(file.Head, file.Length, file.Slice).Read(path, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static Graph Load(ReadOnlyMemory<byte> bytes, string path = "") =>
        new TfliteModelReader(bytes, bytes.Length, (offset, length) => bytes.Slice((int)offset, length)).Read(path, null);
}

/// <summary>One parse of one model; holds what later tables refer back to (buffers, op codes).</summary>
internal sealed class TfliteModelReader
{
    private readonly FlatBuffer _fb;
    private readonly long _fileLength;
    private readonly Func<long, int, ReadOnlyMemory<byte>> _sliceFile;
    private ReadOnlyMemory<byte>[] _buffers = [];
    private (int Code, string? Custom, int Version)[] _opCodes = [];
    private int _subgraphCount;

    public TfliteModelReader(ReadOnlyMemory<byte> head, long fileLength, Func<long, int, ReadOnlyMemory<byte>> sliceFile)
    {
        _fb = new FlatBuffer(head);
        _fileLength = fileLength;
        _sliceFile = sliceFile;
    }

    public Graph Read(string path, IDisposable? owner)
    {
        var rootPath = FieldPath.Root("Model");
        var model = _fb.Root(rootPath);
        var identifier = _fb.Identifier ?? "";
        var version = model.GetUInt(S.Model.Version, "version");
        var subgraphs = model.GetVector(S.Model.Subgraphs, 4, "subgraphs");
        if (subgraphs.Count == 0) throw _fb.Error("model has no subgraphs", rootPath, "subgraphs", model.Position);
        if (identifier != S.FileIdentifier && version != S.SchemaVersion)
            throw _fb.Error($"not a TFLite model: file identifier '{Printable(identifier)}' is not '{S.FileIdentifier}' and schema version is {version}", rootPath, "version", 4);
        _subgraphCount = subgraphs.Count;

        ReadBuffers(model);
        ReadOperatorCodes(model);

        var graph = new Graph
        {
            Format = "tflite",
            Path = path,
            FileSize = _fileLength,
            Version = version,
            Description = model.GetString(S.Model.Description, "description") ?? "",
            Layout = TensorLayout.Nhwc,
            Owner = owner,
        };
        graph.Properties["file_identifier"] = Printable(identifier);
        graph.Properties["buffer_count"] = _buffers.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        graph.Properties["operator_codes"] = string.Join(", ", _opCodes.Select(c => SourceTypeOf(c.Code, c.Custom)));

        for (var i = 0; i < subgraphs.Count; i++)
            graph.Subgraphs.Add(ReadSubgraph(subgraphs.Table(i), i));

        ReadMetadata(model, graph);
        ReadSignatures(model, graph);
        foreach (var sg in graph.Subgraphs)
        {
            sg.Link();
            // Refused here, as the ONNX reader does, so every verb gets the typed error and not only `check`.
            sg.TopologicalOrder();
        }
        SubgraphCalls.Check(graph);
        SizeLimits.Check(graph);
        return graph;
    }

    private static string Printable(string s) =>
        s.Length > 0 && s.All(c => c is >= ' ' and <= '~') ? s : s.Length == 0 ? "(none)" : "(binary)";

    // ---- buffers and operator codes ----

    private void ReadBuffers(FbTable model)
    {
        var buffers = model.GetVector(S.Model.Buffers, 4, "buffers");
        _buffers = new ReadOnlyMemory<byte>[buffers.Count];
        for (var i = 0; i < buffers.Count; i++)
        {
            var b = buffers.Table(i);
            var data = b.GetVector(S.Buffer.Data, 1, "data");
            var offset = b.GetULong(S.Buffer.Offset, "offset");
            var size = b.GetULong(S.Buffer.Size, "size");
            if (data.Count > 0 || offset < S.Buffer.MinExternalOffset)
            {
                _buffers[i] = data.Bytes;
                continue;
            }
            if (size > int.MaxValue || offset > (ulong)_fileLength || size > (ulong)_fileLength - offset)
                throw _fb.Error($"external data of {size} bytes at file offset {offset} lies outside the {_fileLength}-byte file", b.Path, "offset", b.Position);
            _buffers[i] = _sliceFile((long)offset, (int)size);
        }
    }

    private void ReadOperatorCodes(FbTable model)
    {
        var codes = model.GetVector(S.Model.OperatorCodes, 4, "operator_codes");
        _opCodes = new (int, string?, int)[codes.Count];
        for (var i = 0; i < codes.Count; i++)
        {
            var c = codes.Table(i);
            var deprecated = c.GetSByte(S.OperatorCode.DeprecatedBuiltinCode, "deprecated_builtin_code");
            var builtin = c.GetInt(S.OperatorCode.BuiltinCode, "builtin_code");
            _opCodes[i] = (Math.Max(deprecated, builtin), c.GetString(S.OperatorCode.CustomCode, "custom_code"),
                c.GetInt(S.OperatorCode.Version, "version", S.OperatorCode.DefaultVersion));
        }
    }

    /// <summary>Builtin name of an operator code entry, as the manifest and reports spell it (CUSTOM:code for custom ops).</summary>
    internal static string SourceTypeOf(int code, string? custom) =>
        code == S.BuiltinOperator.CUSTOM ? "CUSTOM:" + (custom ?? "") : S.OperatorName(code);

    private ReadOnlyMemory<byte> BufferData(uint index, FbTable owner, string field)
    {
        if (index >= (uint)_buffers.Length)
            throw _fb.Error($"buffer index {index} is out of range (the model has {_buffers.Length} buffers)", owner.Path, field, owner.Position);
        return _buffers[index];
    }

    // ---- subgraphs ----

    private Subgraph ReadSubgraph(FbTable table, int index)
    {
        var sg = new Subgraph { Index = index, Name = table.GetString(S.SubGraph.Name, "name") ?? "" };
        var tensors = table.GetVector(S.SubGraph.Tensors, 4, "tensors");
        sg.Tensors.Capacity = tensors.Count;
        var rankless = new List<Tensor>();
        var anyHasRank = false;
        for (var i = 0; i < tensors.Count; i++)
        {
            var (tensor, hasRank) = ReadTensor(tensors.Table(i), i);
            sg.Tensors.Add(tensor);
            anyHasRank |= hasRank;
            if (!hasRank && tensor.Shape.Rank == 0) rankless.Add(tensor);
        }
        // Writers that record has_rank leave it false only for unranked tensors; older writers never set it and mean a scalar.
        if (anyHasRank)
            foreach (var t in rankless) t.Shape = Shape.UnknownRank;

        sg.Inputs.AddRange(TensorList(table.GetVector(S.SubGraph.Inputs, 4, "inputs"), sg, allowOmitted: false)!);
        sg.Outputs.AddRange(TensorList(table.GetVector(S.SubGraph.Outputs, 4, "outputs"), sg, allowOmitted: false)!);

        var operators = table.GetVector(S.SubGraph.Operators, 4, "operators");
        sg.Operators.Capacity = operators.Count;
        for (var i = 0; i < operators.Count; i++)
            sg.Operators.Add(ReadOperator(operators.Table(i), sg, i));
        return sg;
    }

    private static Tensor?[] TensorList(FbVector indices, Subgraph sg, bool allowOmitted)
    {
        var list = new Tensor?[indices.Count];
        for (var i = 0; i < list.Length; i++)
        {
            var t = indices.Int32(i);
            if (t == S.Operator.OmittedInput && allowOmitted) continue;
            if (t < 0 || t >= sg.Tensors.Count)
                throw indices.Error($"tensor index {t} is out of range (subgraph {sg.Index} has {sg.Tensors.Count} tensors)", i);
            list[i] = sg.Tensors[t];
        }
        return list;
    }

    // ---- tensors ----

    private (Tensor Tensor, bool HasRank) ReadTensor(FbTable t, int index)
    {
        var shape = ReadShape(t, S.Tensor.Shape, "shape")!;
        var signature = ReadShape(t, S.Tensor.ShapeSignature, "shape_signature");
        var type = S.DataTypeOf(t.GetSByte(S.Tensor.Type, "type"));
        var bufferIndex = t.GetUInt(S.Tensor.Buffer, "buffer");
        // Buffer 0 is the schema's empty sentinel: the interpreter reads it as "no data" before any range
        // check (InterpreterBuilder::ParseTensors), so a model with an empty buffers vector is valid.
        var data = bufferIndex == S.Buffer.EmptySentinel ? ReadOnlyMemory<byte>.Empty : BufferData(bufferIndex, t, "buffer");
        var quantization = t.GetTable(S.Tensor.Quantization, "quantization") is { } q ? ReadQuantization(q, shape) : Quantization.None;
        var tensor = new Tensor
        {
            Index = index,
            Name = t.GetString(S.Tensor.Name, "name") ?? "",
            Type = type,
            Shape = shape,
            ShapeSignature = signature,
            Quantization = quantization,
            Data = data,
            IsConstant = !data.IsEmpty,
            IsVariable = t.GetBool(S.Tensor.IsVariable, "is_variable"),
            Sparsity = t.GetTable(S.Tensor.Sparsity, "sparsity") is { } sp ? ReadSparsity(sp) : null,
            BufferIndex = (int)bufferIndex,
        };
        return (tensor, t.GetBool(S.Tensor.HasRank, "has_rank"));
    }

    private static Shape? ReadShape(FbTable t, int id, string name)
    {
        var v = t.GetVector(id, 4, name);
        if (!v.IsPresent) return id == S.Tensor.Shape ? Shape.Scalar : null;
        var raw = v.ToInt32Array();
        var dims = new long[raw.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            if (raw[i] < -1) throw v.Error($"dimension {raw[i]} is negative", i);
            dims[i] = raw[i];
        }
        return new Shape(ImmutableCollectionsMarshal.AsImmutableArray(dims));
    }

    private Quantization ReadQuantization(FbTable q, Shape shape)
    {
        var min = q.GetVector(S.QuantizationParameters.Min, 4, "min").ToFloatArray();
        var max = q.GetVector(S.QuantizationParameters.Max, 4, "max").ToFloatArray();
        var scaleVector = q.GetVector(S.QuantizationParameters.Scale, 4, "scale");
        var zeroPointVector = q.GetVector(S.QuantizationParameters.ZeroPoint, 8, "zero_point");
        var scales = scaleVector.ToFloatArray();
        var zeroPoints = zeroPointVector.ToInt64Array();
        var (detailsType, details) = q.GetUnion(S.QuantizationParameters.DetailsType, "details");
        if (details is { } d)
        {
            if (detailsType == S.QuantizationDetails.CustomQuantization) _ = d.GetVector(S.CustomQuantization.Custom, 1, "custom");
        }
        var axis = q.GetInt(S.QuantizationParameters.QuantizedDimension, "quantized_dimension");

        // The same consistency checks the TFLite interpreter makes before it accepts a model.
        if (scales.Length > 0 && zeroPoints.Length > 0 && scales.Length != zeroPoints.Length)
            throw zeroPointVector.Error($"{zeroPoints.Length} zero points for {scales.Length} scales", -1);
        if (scales.Length > 1 && !shape.IsUnknownRank)
        {
            if (axis < 0 || axis >= shape.Rank)
                throw _fb.Error($"quantized_dimension {axis} is outside the tensor's {shape.Rank} dimensions", q.Path, "quantized_dimension", q.Position);
            if (shape[axis] >= 0 && shape[axis] != scales.Length)
                throw scaleVector.Error($"{scales.Length} per-axis scales for dimension {axis} of size {shape[axis]}", -1);
        }

        if (scales.Length == 0 && zeroPoints.Length == 0 && min.Length == 0 && max.Length == 0 && detailsType == 0)
            return Quantization.None;
        return new Quantization(ImmutableCollectionsMarshal.AsImmutableArray(scales), ImmutableCollectionsMarshal.AsImmutableArray(zeroPoints), axis)
        {
            Min = ImmutableCollectionsMarshal.AsImmutableArray(min),
            Max = ImmutableCollectionsMarshal.AsImmutableArray(max),
            HasCustomDetails = detailsType != 0,
        };
    }

    private static SparsityInfo ReadSparsity(FbTable s)
    {
        var traversal = s.GetVector(S.SparsityParameters.TraversalOrder, 4, "traversal_order").ToInt32Array();
        var blockMap = s.GetVector(S.SparsityParameters.BlockMap, 4, "block_map").ToInt32Array();
        var dims = s.GetVector(S.SparsityParameters.DimMetadata, 4, "dim_metadata");
        var formats = new string[dims.Count];
        for (var i = 0; i < dims.Count; i++)
        {
            var dm = dims.Table(i);
            var format = dm.GetSByte(S.DimensionMetadata.Format, "format");
            formats[i] = format switch
            {
                S.DimensionType.DENSE => "DENSE",
                S.DimensionType.SPARSE_CSR => "SPARSE_CSR",
                _ => throw dm.Buffer.Error($"dimension format {format} is neither DENSE (0) nor SPARSE_CSR (1)", dm.Path, "format", dm.Position),
            };
            CheckIndexVector(dm, S.DimensionMetadata.ArraySegmentsType, "array_segments");
            CheckIndexVector(dm, S.DimensionMetadata.ArrayIndicesType, "array_indices");
        }
        return new SparsityInfo(traversal, blockMap, formats);
    }

    private static void CheckIndexVector(FbTable dm, int typeId, string name)
    {
        var (type, value) = dm.GetUnion(typeId, name);
        if (value is not { } v) return;
        var size = type switch
        {
            S.SparseIndexVector.Int32Vector => 4,
            S.SparseIndexVector.Uint16Vector => 2,
            S.SparseIndexVector.Uint8Vector => 1,
            _ => throw dm.Buffer.Error($"index vector type {type} is not one of Int32Vector, Uint16Vector, Uint8Vector", dm.Path, name + "_type", dm.Position),
        };
        _ = v.GetVector(S.IndexVector.Values, size, "values");
    }

    // ---- operators ----

    private Operator ReadOperator(FbTable o, Subgraph sg, int index)
    {
        var opcodeIndex = o.GetUInt(S.Operator.OpcodeIndex, "opcode_index");
        if (opcodeIndex >= (uint)_opCodes.Length)
            throw _fb.Error($"opcode_index {opcodeIndex} is out of range (the model has {_opCodes.Length} operator codes)", o.Path, "opcode_index", o.Position);
        var (code, custom, version) = _opCodes[opcodeIndex];

        var inputs = TensorList(o.GetVector(S.Operator.Inputs, 4, "inputs"), sg, allowOmitted: true);
        var outputs = TensorList(o.GetVector(S.Operator.Outputs, 4, "outputs"), sg, allowOmitted: false);
        var intermediates = TensorList(o.GetVector(S.Operator.Intermediates, 4, "intermediates"), sg, allowOmitted: false);
        var options = o.GetUnion(S.Operator.BuiltinOptionsType, "builtin_options");
        _ = o.GetUnion(S.Operator.BuiltinOptions2Type, "builtin_options_2");
        var customOptions = o.GetVector(S.Operator.CustomOptions, 1, "custom_options").Bytes;
        CheckLargeCustomOptions(o);

        var isCustom = code == S.BuiltinOperator.CUSTOM;
        var op = new Operator
        {
            Index = index,
            SubgraphIndex = sg.Index,
            Kind = isCustom ? OpKind.Custom : S.KindOf(code),
            SourceType = SourceTypeOf(code, custom),
            CustomCode = isCustom ? custom ?? "" : null,
            Version = version,
            Name = outputs.Length > 0 ? outputs[0]!.Name : "",
            Inputs = TfliteInputOrder.ToIr(code, inputs),
            Outputs = outputs!,
            Intermediates = intermediates!,
            CustomOptions = customOptions,
        };
        op.Attributes = new TfliteAttributeReader(o, op, code, options.Type, options.Value, _subgraphCount).Read();
        return op;
    }

    private void CheckLargeCustomOptions(FbTable o)
    {
        var offset = o.GetULong(S.Operator.LargeCustomOptionsOffset, "large_custom_options_offset");
        var size = o.GetULong(S.Operator.LargeCustomOptionsSize, "large_custom_options_size");
        if (offset >= S.Buffer.MinExternalOffset && (offset > (ulong)_fileLength || size > (ulong)_fileLength - offset))
            throw _fb.Error($"custom options of {size} bytes at file offset {offset} lie outside the {_fileLength}-byte file", o.Path, "large_custom_options_offset", o.Position);
    }

    // ---- metadata and signatures ----

    private void ReadMetadata(FbTable model, Graph graph)
    {
        var entries = model.GetVector(S.Model.Metadata, 4, "metadata");
        for (var i = 0; i < entries.Count; i++)
        {
            var m = entries.Table(i);
            var name = m.GetString(S.Metadata.Name, "name") ?? "";
            var data = BufferData(m.GetUInt(S.Metadata.Buffer, "buffer"), m, "buffer");
            graph.Metadata.Add(new MetadataEntry(name, data));
            if (name == "min_runtime_version" && AsciiText(data.Span) is { Length: > 0 } v)
                graph.Properties["min_runtime_version"] = v;
        }
        var legacy = model.GetVector(S.Model.MetadataBuffer, 4, "metadata_buffer");
        for (var i = 0; i < legacy.Count; i++)
            if ((uint)legacy.Int32(i) >= (uint)_buffers.Length)
                throw legacy.Error($"buffer index {legacy.Int32(i)} is out of range (the model has {_buffers.Length} buffers)", i);
    }

    /// <summary>Printable ASCII up to the first NUL (min_runtime_version is stored NUL-padded); null when the bytes are not text.</summary>
    private static string? AsciiText(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        if (end >= 0) bytes = bytes[..end];
        foreach (var b in bytes) if (b is < 0x20 or > 0x7E) return null;
        return Encoding.ASCII.GetString(bytes);
    }

    private void ReadSignatures(FbTable model, Graph graph)
    {
        var defs = model.GetVector(S.Model.SignatureDefs, 4, "signature_defs");
        for (var i = 0; i < defs.Count; i++)
        {
            var d = defs.Table(i);
            var sgIndex = d.GetUInt(S.SignatureDef.SubgraphIndex, "subgraph_index");
            if (sgIndex >= (uint)graph.Subgraphs.Count)
                throw _fb.Error($"subgraph_index {sgIndex} is out of range (the model has {graph.Subgraphs.Count} subgraphs)", d.Path, "subgraph_index", d.Position);
            var sg = graph.Subgraphs[(int)sgIndex];
            graph.Signatures.Add(new SignatureDef(d.GetString(S.SignatureDef.SignatureKey, "signature_key") ?? "", (int)sgIndex,
                TensorMaps(d.GetVector(S.SignatureDef.Inputs, 4, "inputs"), sg),
                TensorMaps(d.GetVector(S.SignatureDef.Outputs, 4, "outputs"), sg)));
        }
    }

    private static List<(string, int)> TensorMaps(FbVector maps, Subgraph sg)
    {
        var list = new List<(string, int)>(maps.Count);
        for (var i = 0; i < maps.Count; i++)
        {
            var m = maps.Table(i);
            var tensor = m.GetUInt(S.TensorMap.TensorIndex, "tensor_index");
            if (tensor >= (uint)sg.Tensors.Count)
                throw m.Buffer.Error($"tensor_index {tensor} is out of range (subgraph {sg.Index} has {sg.Tensors.Count} tensors)", m.Path, "tensor_index", m.Position);
            list.Add((m.GetString(S.TensorMap.Name, "name") ?? "", (int)tensor));
        }
        return list;
    }
}
