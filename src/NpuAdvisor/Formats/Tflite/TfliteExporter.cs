using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NpuAdvisor.Model;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// Writes an IR <see cref="Graph"/> as a TFLite schema-v3 flatbuffer. The output depends only on the
/// graph (same graph → same bytes). What the IR does not keep (sparsity index arrays, MIRROR_PAD mode,
/// GATHER batch_dims, custom quantization details…) cannot be written back; custom options are written
/// when <see cref="Operator.CustomOptions"/> carries them. A graph TFLite cannot express
/// (NCHW layout, explicit conv padding, kinds without a builtin) raises <see cref="ModelFormatException"/>
/// naming the field.
/// </summary>
public static class TfliteExporter
{
    public static byte[] Write(Graph graph) => Build(graph).ToArray();

    public static void Write(Graph graph, Stream stream) => stream.Write(Build(graph).Written);

    public static void Write(Graph graph, IBufferWriter<byte> writer) => writer.Write(Build(graph).Written);

    private static FlatBufferBuilder Build(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new ModelWriter(graph).Run();
    }

    internal static ModelFormatException Fail(string message, string field) => new(message, field);

    /// <summary>TFLite shape/index vectors are int32.</summary>
    internal static int ToInt32(long value, string field) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value
            : throw Fail($"{value.ToString(CultureInfo.InvariantCulture)} does not fit TFLite's int32", field);

    internal static int[] Indices(IReadOnlyList<Tensor?> tensors, Dictionary<Tensor, int> indexOf, string field)
    {
        var result = new int[tensors.Count];
        for (var i = 0; i < result.Length; i++)
        {
            if (tensors[i] is not { } t) { result[i] = S.Operator.OmittedInput; continue; }
            result[i] = indexOf.TryGetValue(t, out var index) ? index
                : throw Fail($"tensor '{t.Name}' is not in its subgraph's tensor list", $"{field}[{i}]");
        }
        return result;
    }

    private sealed class ModelWriter(Graph graph)
    {
        private readonly FlatBufferBuilder _fb = new(EstimateSize(graph)) { DeduplicateVtables = true };
        private readonly List<ReadOnlyMemory<byte>> _buffers = [ReadOnlyMemory<byte>.Empty];
        private readonly Dictionary<MemoryIdentity, int> _bufferOf = [];
        private readonly List<(int Code, string? Custom, int Version)> _codes = [];
        private readonly Dictionary<(int, string?, int), int> _codeIndex = [];

        private static int EstimateSize(Graph g)
        {
            long bytes = 4096;
            foreach (var sg in g.Subgraphs)
                foreach (var t in sg.Tensors)
                    bytes += t.Data.Length + 16 + 96 + t.Name.Length;
            foreach (var m in g.Metadata) bytes += m.Data.Length + 32;
            return (int)Math.Min(bytes, FlatBufferBuilder.MaxSize);
        }

        public FlatBufferBuilder Run()
        {
            if (graph.Layout != TensorLayout.Nhwc)
                throw Fail($"TFLite holds NHWC graphs; this one is {graph.Layout}", "Model");

            // Plan every index first, then write leaves before the tables that point at them.
            var plans = graph.Subgraphs.Select(Plan).ToArray();
            var metadataBuffers = graph.Metadata.Select(m => AddBuffer(m.Data, shareable: false)).ToArray();
            var dataBytes = _buffers.Sum(b => (long)b.Length);
            if (dataBytes > FlatBufferBuilder.MaxSize)
                throw Fail($"{dataBytes} bytes of constant data exceed the 2 GiB a FlatBuffer can address (buffers outside the flatbuffer are not written)", "buffers");

            var buffers = WriteBuffers();
            var subgraphs = new int[plans.Length];
            for (var s = 0; s < subgraphs.Length; s++)
                subgraphs[s] = WriteSubgraph(plans[s]);
            var codes = WriteOperatorCodes();
            var metadata = WriteMetadata(metadataBuffers);
            var signatures = WriteSignatures();
            var description = graph.Description.Length > 0 ? _fb.CreateString(graph.Description) : 0;

            var codesVec = _fb.CreateOffsetVector(codes);
            var subgraphsVec = _fb.CreateOffsetVector(subgraphs);
            var buffersVec = _fb.CreateOffsetVector(buffers);
            var metadataVec = metadata.Length > 0 ? _fb.CreateOffsetVector(metadata) : 0;
            var signaturesVec = signatures.Length > 0 ? _fb.CreateOffsetVector(signatures) : 0;

            _fb.StartTable(S.Model.SignatureDefs + 1);
            _fb.AddUInt(S.Model.Version, S.SchemaVersion);
            _fb.AddOffset(S.Model.OperatorCodes, codesVec);
            _fb.AddOffset(S.Model.Subgraphs, subgraphsVec);
            _fb.AddOffset(S.Model.Description, description);
            _fb.AddOffset(S.Model.Buffers, buffersVec);
            _fb.AddOffset(S.Model.Metadata, metadataVec);
            _fb.AddOffset(S.Model.SignatureDefs, signaturesVec);
            _fb.Finish(_fb.EndTable(), S.FileIdentifier);
            return _fb;
        }

        // ---- buffers ---------------------------------------------------------------------------

        /// <summary>Tensor indices, the tensors the file needs beyond the IR's (TRANSPOSE_CONV output shapes), buffers and opcodes of one subgraph.</summary>
        private sealed record SubgraphPlan(Subgraph Source, int Index, List<Tensor> Tensors, Dictionary<Tensor, int> IndexOf,
            int[] Buffers, int[] Opcodes, TransposeConvInputs TransposeConvs);

        private SubgraphPlan Plan(Subgraph sg, int s)
        {
            var indexOf = new Dictionary<Tensor, int>(sg.Tensors.Count, ReferenceEqualityComparer.Instance);
            for (var i = 0; i < sg.Tensors.Count; i++)
                if (!indexOf.TryAdd(sg.Tensors[i], i))
                    throw Fail($"tensor '{sg.Tensors[i].Name}' is listed twice", $"subgraphs[{s}].tensors[{i}]");
            var tensors = new List<Tensor>(sg.Tensors);
            var transposeConvs = new TransposeConvInputs(sg, s, tensors, indexOf);
            var buffers = new int[tensors.Count];
            for (var i = 0; i < buffers.Length; i++)
                buffers[i] = tensors[i].Data.IsEmpty ? 0 : AddBuffer(tensors[i].Data, shareable: true);
            return new SubgraphPlan(sg, s, tensors, indexOf, buffers, PlanOpcodes(sg, s), transposeConvs);
        }

        /// <summary>Tensors whose data is the same view of the same memory (a buffer the source shared) share one buffer again.</summary>
        private int AddBuffer(ReadOnlyMemory<byte> data, bool shareable)
        {
            var id = shareable ? MemoryIdentity.Of(data) : null;
            if (id is not null && _bufferOf.TryGetValue(id.Value, out var existing)) return existing;
            _buffers.Add(data);
            if (id is not null) _bufferOf[id.Value] = _buffers.Count - 1;
            return _buffers.Count - 1;
        }

        private int[] WriteBuffers()
        {
            // Written last-to-first so the data lands in the file in buffer order.
            var tables = new int[_buffers.Count];
            var data = new int[_buffers.Count];
            for (var i = _buffers.Count - 1; i >= 1; i--)
                data[i] = _fb.CreateByteVector(_buffers[i].Span, S.Buffer.DataAlignment);
            for (var i = _buffers.Count - 1; i >= 0; i--)
            {
                _fb.StartTable(S.Buffer.Size + 1);
                _fb.AddOffset(S.Buffer.Data, data[i]);
                tables[i] = _fb.EndTable();
            }
            return tables;
        }

        // ---- operator codes --------------------------------------------------------------------

        private int[] PlanOpcodes(Subgraph sg, int s)
        {
            var result = new int[sg.Operators.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var op = sg.Operators[i];
                var field = $"subgraphs[{s}].operators[{i}]";
                var code = BuiltinCodeOf(op, field);
                string? custom = null;
                if (code == S.BuiltinOperator.CUSTOM)
                    custom = op.CustomCode ?? throw Fail($"custom operator '{op.Name}' has no custom code", field);
                var key = (code, custom, Math.Max(1, op.Version));
                if (!_codeIndex.TryGetValue(key, out var index))
                {
                    index = _codes.Count;
                    _codes.Add(key);
                    _codeIndex[key] = index;
                }
                result[i] = index;
            }
            return result;
        }

        /// <summary>The source's own spelling wins when it names a builtin of the same kind (SELECT_V2, NON_MAX_SUPPRESSION_V5…).</summary>
        private static int BuiltinCodeOf(Operator op, string field)
        {
            if (op.Kind == OpKind.Custom) return S.BuiltinOperator.CUSTOM;
            if (S.TryGetBuiltinCode(op.SourceType, out var named) && (op.Kind == OpKind.Unknown || S.KindOf(named) == op.Kind))
                return named;
            if (op.Kind == OpKind.Unknown)
            {
                const string prefix = "UNKNOWN(";
                if (op.SourceType.StartsWith(prefix, StringComparison.Ordinal) && op.SourceType.EndsWith(')')
                    && int.TryParse(op.SourceType.AsSpan(prefix.Length, op.SourceType.Length - prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
                    return raw;
                throw Fail($"operator '{op.Name}' of unknown type '{op.SourceType}' has no TFLite builtin code", field);
            }
            return S.TryGetBuiltinCode(op.Kind, out var code) ? code
                : throw Fail($"{OpKindNames.Of(op.Kind)} ('{op.Name}') has no TFLite builtin operator", field);
        }

        private int[] WriteOperatorCodes()
        {
            var result = new int[_codes.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var (code, custom, version) = _codes[i];
                var customOffset = custom is null ? 0 : _fb.CreateString(custom);
                _fb.StartTable(S.OperatorCode.BuiltinCode + 1);
                _fb.AddSByte(S.OperatorCode.DeprecatedBuiltinCode, (sbyte)Math.Min(code, S.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES));
                _fb.AddOffset(S.OperatorCode.CustomCode, customOffset);
                _fb.AddInt(S.OperatorCode.Version, version, S.OperatorCode.DefaultVersion);
                _fb.AddInt(S.OperatorCode.BuiltinCode, code);
                result[i] = _fb.EndTable();
            }
            return result;
        }

        // ---- subgraphs ---------------------------------------------------------------------------

        private int WriteSubgraph(SubgraphPlan plan)
        {
            var sg = plan.Source;
            var at = $"subgraphs[{plan.Index}]";
            var operators = new int[sg.Operators.Count];
            for (var i = 0; i < operators.Length; i++)
                operators[i] = WriteOperator(plan, sg.Operators[i], $"{at}.operators[{i}]", plan.Opcodes[i]);

            var tensors = new int[plan.Tensors.Count];
            for (var i = 0; i < tensors.Length; i++)
                tensors[i] = WriteTensor(plan.Tensors[i], $"{at}.tensors[{i}]", plan.Buffers[i]);

            var tensorsVec = _fb.CreateOffsetVector(tensors);
            var inputs = _fb.CreateIntVector(Indices(sg.Inputs, plan.IndexOf, $"{at}.inputs"));
            var outputs = _fb.CreateIntVector(Indices(sg.Outputs, plan.IndexOf, $"{at}.outputs"));
            var operatorsVec = _fb.CreateOffsetVector(operators);
            var name = sg.Name.Length > 0 ? _fb.CreateString(sg.Name) : 0;
            _fb.StartTable(S.SubGraph.Name + 1);
            _fb.AddOffset(S.SubGraph.Tensors, tensorsVec);
            _fb.AddOffset(S.SubGraph.Inputs, inputs);
            _fb.AddOffset(S.SubGraph.Outputs, outputs);
            _fb.AddOffset(S.SubGraph.Operators, operatorsVec);
            _fb.AddOffset(S.SubGraph.Name, name);
            return _fb.EndTable();
        }

        private int WriteTensor(Tensor t, string field, int buffer)
        {
            if (!S.TryGetTensorType(t.Type, out var type))
                throw Fail($"tensor '{t.Name}' has type {t.Type.Name()}, which TFLite cannot store", field + ".type");
            if (t.Sparsity is not null)
                throw Fail($"sparse tensor '{t.Name}' cannot be written: the IR keeps the sparsity layout but not its index arrays", field + ".sparsity");

            var name = _fb.CreateString(t.Name);
            var shape = _fb.CreateIntVector(Dims(t.Shape, field + ".shape"));
            var signature = t.ShapeSignature is { } sig && !sig.Equals(t.Shape)
                ? _fb.CreateIntVector(Dims(sig, field + ".shape_signature")) : 0;
            var quantization = WriteQuantization(t.Quantization);

            _fb.StartTable(S.Tensor.HasRank + 1);
            _fb.AddOffset(S.Tensor.Shape, shape);
            _fb.AddSByte(S.Tensor.Type, type);
            _fb.AddUInt(S.Tensor.Buffer, (uint)buffer);
            _fb.AddOffset(S.Tensor.Name, name);
            _fb.AddOffset(S.Tensor.Quantization, quantization);
            _fb.AddBool(S.Tensor.IsVariable, t.IsVariable);
            _fb.AddOffset(S.Tensor.ShapeSignature, signature);
            // Set on every ranked tensor, as current converters do: the importer reads an empty shape
            // without has_rank as unknown rank only when other tensors of the subgraph carry the flag.
            _fb.AddBool(S.Tensor.HasRank, !t.Shape.IsUnknownRank);
            return _fb.EndTable();
        }

        private static int[] Dims(Shape shape, string field)
        {
            if (shape.IsUnknownRank) return [];
            var dims = new int[shape.Rank];
            for (var i = 0; i < dims.Length; i++) dims[i] = ToInt32(shape.Dims[i], $"{field}[{i}]");
            return dims;
        }

        private int WriteQuantization(Quantization q)
        {
            if (q.Scales.IsEmpty && q.ZeroPoints.IsEmpty && q.Min.IsEmpty && q.Max.IsEmpty) return 0;
            var min = q.Min.IsEmpty ? 0 : _fb.CreateFloatVector(q.Min.AsSpan());
            var max = q.Max.IsEmpty ? 0 : _fb.CreateFloatVector(q.Max.AsSpan());
            var scale = q.Scales.IsEmpty ? 0 : _fb.CreateFloatVector(q.Scales.AsSpan());
            var zeroPoint = q.ZeroPoints.IsEmpty ? 0 : _fb.CreateLongVector(q.ZeroPoints.AsSpan());
            _fb.StartTable(S.QuantizationParameters.QuantizedDimension + 1);
            _fb.AddOffset(S.QuantizationParameters.Min, min);
            _fb.AddOffset(S.QuantizationParameters.Max, max);
            _fb.AddOffset(S.QuantizationParameters.Scale, scale);
            _fb.AddOffset(S.QuantizationParameters.ZeroPoint, zeroPoint);
            _fb.AddInt(S.QuantizationParameters.QuantizedDimension, q.Axis);
            return _fb.EndTable();
        }

        private int WriteOperator(SubgraphPlan plan, Operator op, string field, int opcode)
        {
            var code = _codes[opcode].Code;
            var tfliteInputs = TfliteInputOrder.FromIr(code, plan.TransposeConvs.IrInputs(op));
            var inputs = _fb.CreateIntVector(Indices(tfliteInputs, plan.IndexOf, field + ".inputs"));
            var outputs = _fb.CreateIntVector(Indices(op.Outputs, plan.IndexOf, field + ".outputs"));
            var (optionsType, options) = TfliteOptionsWriter.Write(_fb, op, code, field);
            var intermediates = op.Intermediates.Count > 0 ? _fb.CreateIntVector(Indices(op.Intermediates, plan.IndexOf, field + ".intermediates")) : 0;
            var customOptions = op.CustomOptions.IsEmpty ? 0 : _fb.CreateByteVector(op.CustomOptions.Span);

            _fb.StartTable(S.Operator.BuiltinOptions2 + 1);
            _fb.AddUInt(S.Operator.OpcodeIndex, (uint)opcode);
            _fb.AddOffset(S.Operator.Inputs, inputs);
            _fb.AddOffset(S.Operator.Outputs, outputs);
            _fb.AddUnion(S.Operator.BuiltinOptionsType, optionsType, options);
            _fb.AddOffset(S.Operator.CustomOptions, customOptions); // format FLEXBUFFERS is the default
            _fb.AddOffset(S.Operator.Intermediates, intermediates);
            return _fb.EndTable();
        }

        // ---- model-level tables ------------------------------------------------------------------

        private int[] WriteMetadata(int[] buffers)
        {
            var result = new int[graph.Metadata.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var name = _fb.CreateString(graph.Metadata[i].Name);
                _fb.StartTable(S.Metadata.Buffer + 1);
                _fb.AddOffset(S.Metadata.Name, name);
                _fb.AddUInt(S.Metadata.Buffer, (uint)buffers[i]);
                result[i] = _fb.EndTable();
            }
            return result;
        }

        private int[] WriteSignatures()
        {
            var result = new int[graph.Signatures.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var sig = graph.Signatures[i];
                var field = $"signature_defs[{i}]";
                if (sig.SubgraphIndex < 0 || sig.SubgraphIndex >= graph.Subgraphs.Count)
                    throw Fail($"signature '{sig.Key}' names subgraph {sig.SubgraphIndex} of {graph.Subgraphs.Count}", field + ".subgraph_index");
                var inputs = _fb.CreateOffsetVector(TensorMaps(sig.Inputs, field + ".inputs"));
                var outputs = _fb.CreateOffsetVector(TensorMaps(sig.Outputs, field + ".outputs"));
                var key = _fb.CreateString(sig.Key);
                _fb.StartTable(S.SignatureDef.SubgraphIndex + 1);
                _fb.AddOffset(S.SignatureDef.Inputs, inputs);
                _fb.AddOffset(S.SignatureDef.Outputs, outputs);
                _fb.AddOffset(S.SignatureDef.SignatureKey, key);
                _fb.AddUInt(S.SignatureDef.SubgraphIndex, (uint)sig.SubgraphIndex);
                result[i] = _fb.EndTable();
            }
            return result;
        }

        private int[] TensorMaps(IReadOnlyList<(string Name, int Tensor)> entries, string field)
        {
            var result = new int[entries.Count];
            for (var i = 0; i < result.Length; i++)
            {
                if (entries[i].Tensor < 0) throw Fail($"signature tensor index {entries[i].Tensor} is negative", $"{field}[{i}]");
                var name = _fb.CreateString(entries[i].Name);
                _fb.StartTable(S.TensorMap.TensorIndex + 1);
                _fb.AddOffset(S.TensorMap.Name, name);
                _fb.AddUInt(S.TensorMap.TensorIndex, (uint)entries[i].Tensor);
                result[i] = _fb.EndTable();
            }
            return result;
        }
    }

    /// <summary>Which memory a data view covers: the same array/manager, start and length.</summary>
    private readonly record struct MemoryIdentity(object Owner, int Start, int Length) : IEquatable<MemoryIdentity>
    {
        public static MemoryIdentity? Of(ReadOnlyMemory<byte> data)
        {
            if (MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null)
                return new MemoryIdentity(segment.Array, segment.Offset, segment.Count);
            if (MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(data, out var manager, out var start, out var length))
                return new MemoryIdentity(manager, start, length);
            return null;
        }

        public bool Equals(MemoryIdentity other) => ReferenceEquals(Owner, other.Owner) && Start == other.Start && Length == other.Length;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Owner), Start, Length);
    }
}
