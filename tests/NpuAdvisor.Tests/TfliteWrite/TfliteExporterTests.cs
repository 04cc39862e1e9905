using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.TfliteWrite;

/// <summary>Checks the exporter's bytes with the hand decoder (field ids from schema.fbs, written out here on purpose).</summary>
public class TfliteExporterTests
{
    // Field ids as declared in schema.fbs, independent of TfliteSchema.
    private const int ModelVersion = 0, ModelOpcodes = 1, ModelSubgraphs = 2, ModelDescription = 3, ModelBuffers = 4, ModelMetadata = 6, ModelSignatures = 7;
    private const int SgTensors = 0, SgInputs = 1, SgOutputs = 2, SgOperators = 3, SgName = 4;
    private const int TShape = 0, TType = 1, TBuffer = 2, TName = 3, TQuant = 4, TIsVariable = 5, TShapeSignature = 7, THasRank = 8;
    private const int QScale = 2, QZeroPoint = 3, QDim = 6, QMin = 0, QMax = 1;
    private const int OpOpcode = 0, OpInputs = 1, OpOutputs = 2, OpOptionsType = 3, OpOptions = 4, OpIntermediates = 8;
    private const int CodeDeprecated = 0, CodeCustom = 1, CodeVersion = 2, CodeBuiltin = 3;

    private static (Graph Graph, FbTestReader Reader) Sample()
    {
        var b = new GraphBuilder(seed: 7) { Description = "exporter test" };
        var x = b.Input("input", 1, 16, 16, 3);
        var c = b.Conv2D(x, 8, 5, 5, stride: 3, name: "conv", perChannel: true, activation: FusedActivation.Relu6);
        var d = b.DepthwiseConv2D(c, 3, 3, stride: 2, padding: PaddingKind.Valid, name: "dw", perChannel: true);
        var t = b.TransposeConv(d, 4, 3, 2, name: "up");
        var m = b.Mean(t, [1, 2], keepDims: false, name: "mean");
        var f = b.FullyConnected(m, 10, name: "fc");
        var s = b.Softmax(f, "prob");
        b.Output(s);
        var g = b.Build();
        return (g, new FbTestReader(TfliteExporter.Write(g)));
    }

    private static int MainSg(FbTestReader r) => r.Tables(r.Root, ModelSubgraphs)[0];

    private static int TensorNamed(FbTestReader r, string name) =>
        Array.FindIndex(r.Tables(MainSg(r), SgTensors), t => r.Str(t, TName) == name);

    [Fact]
    public void Model_header_version_description_and_buffer_sentinel()
    {
        var (_, r) = Sample();
        r.Identifier.Should().Be("TFL3");
        r.Int(r.Root, ModelVersion).Should().Be(3);
        r.Str(r.Root, ModelDescription).Should().Be("exporter test");
        var buffers = r.Tables(r.Root, ModelBuffers);
        r.Has(buffers[0], 0).Should().BeFalse("buffer 0 is the empty sentinel");
        r.Tables(r.Root, ModelSubgraphs).Should().HaveCount(1);
        (r.Bytes.Length % 16).Should().Be(0);
    }

    [Fact]
    public void Constant_data_is_inline_16_aligned_and_byte_exact()
    {
        var (g, r) = Sample();
        var tensors = r.Tables(MainSg(r), SgTensors);
        var buffers = r.Tables(r.Root, ModelBuffers);
        var constants = 0;
        for (var i = 0; i < g.Main.Tensors.Count; i++)
        {
            var t = g.Main.Tensors[i];
            var buffer = r.Int(tensors[i], TBuffer);
            if (t.Data.IsEmpty) { buffer.Should().Be(0, t.Name); continue; }
            constants++;
            buffer.Should().BeGreaterThan(0);
            var (start, count) = r.Vector(buffers[buffer], 0);
            (start % 16).Should().Be(0, $"{t.Name} data must be 16-byte aligned");
            count.Should().Be(t.Data.Length);
            r.ByteVector(buffers[buffer], 0).Should().Equal(t.Data.ToArray(), t.Name);
        }
        constants.Should().BeGreaterThan(8);
    }

    [Fact]
    public void Tensors_carry_shape_type_name_and_per_axis_quantization()
    {
        var (g, r) = Sample();
        var tensors = r.Tables(MainSg(r), SgTensors);
        tensors.Should().HaveCount(g.Main.Tensors.Count + 1, "TRANSPOSE_CONV gets an output_shape constant");
        var w = g.Main.Tensors.First(t => t.Name == "dw/weights");
        var tw = tensors[TensorNamed(r, "dw/weights")];
        r.Ints(tw, TShape).Should().Equal(1, 3, 3, 8);
        r.Byte(tw, TType).Should().Be(9, "INT8");
        var q = r.Table(tw, TQuant);
        r.Floats(q, QScale).Should().Equal(w.Quantization.Scales);
        r.Longs(q, QZeroPoint).Should().Equal(Enumerable.Repeat(0L, 8));
        r.Int(q, QDim).Should().Be(3, "depthwise weights are quantized along dim 3");

        var bias = tensors[TensorNamed(r, "conv/bias")];
        r.Byte(bias, TType).Should().Be(2, "INT32");
        r.Floats(r.Table(bias, TQuant), QScale).Should().HaveCount(8);

        var input = tensors[TensorNamed(r, "input")];
        r.Ints(input, TShape).Should().Equal(1, 16, 16, 3);
        r.Floats(r.Table(input, TQuant), QScale).Should().Equal(1f / 32);
        r.Has(input, TShapeSignature).Should().BeFalse("no signature when it equals the shape");
        r.Has(input, TIsVariable).Should().BeFalse();

        r.Ints(MainSg(r), SgInputs).Should().Equal(TensorNamed(r, "input"));
        r.Ints(MainSg(r), SgOutputs).Should().Equal(TensorNamed(r, "prob"));
        r.Str(MainSg(r), SgName).Should().Be("main");
    }

    [Fact]
    public void Operator_codes_use_both_code_fields_and_are_shared()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        var y = b.Unary(OpKind.Relu, x, "r1");
        var z = b.Unary(OpKind.Relu, y, "r2");
        var gelu = b.Unary(OpKind.Gelu, z, "gelu");
        var custom = b.Custom("MyOp", gelu, [1, 4, 4, 8], "custom");
        b.Output(custom);
        var r = new FbTestReader(TfliteExporter.Write(b.Build()));

        var codes = r.Tables(r.Root, ModelOpcodes);
        codes.Should().HaveCount(3, "both RELUs share one operator code");
        r.Byte(codes[0], CodeDeprecated).Should().Be(19);
        r.Int(codes[0], CodeBuiltin).Should().Be(19);
        r.Byte(codes[1], CodeDeprecated).Should().Be(127, "codes above 127 keep the placeholder in the byte field");
        r.Int(codes[1], CodeBuiltin).Should().Be(150, "GELU");
        r.Int(codes[2], CodeBuiltin).Should().Be(32, "CUSTOM");
        r.Str(codes[2], CodeCustom).Should().Be("MyOp");
        r.Has(codes[0], CodeVersion).Should().BeFalse("version 1 is the default");
        r.Tables(MainSg(r), SgOperators).Select(o => r.Int(o, OpOpcode)).Should().Equal(0, 0, 1, 2);
    }

    [Fact]
    public void Conv_depthwise_and_pool_options_come_from_the_attributes()
    {
        var (_, r) = Sample();
        var ops = r.Tables(MainSg(r), SgOperators);
        var conv = ops[0];
        r.Byte(conv, OpOptionsType).Should().Be(1, "Conv2DOptions");
        var co = r.Table(conv, OpOptions);
        r.Byte(co, 0).Should().Be(0, "SAME");
        r.Int(co, 1).Should().Be(3);
        r.Int(co, 2).Should().Be(3);
        r.Byte(co, 3).Should().Be(3, "RELU6");
        r.Has(co, 4).Should().BeFalse("dilation 1 is the default");

        var dw = ops[1];
        r.Byte(dw, OpOptionsType).Should().Be(2, "DepthwiseConv2DOptions");
        var dwo = r.Table(dw, OpOptions);
        r.Byte(dwo, 0).Should().Be(1, "VALID");
        r.Int(dwo, 1).Should().Be(2);
        r.Int(dwo, 3).Should().Be(1, "depth_multiplier");

        var mean = ops[3];
        r.Byte(mean, OpOptionsType).Should().Be(27, "ReducerOptions");
        r.Has(r.Table(mean, OpOptions), 0).Should().BeFalse("keep_dims false is the default");
        r.Byte(ops[5], OpOptionsType).Should().Be(9, "SoftmaxOptions");
        r.Float(r.Table(ops[5], OpOptions), 0).Should().Be(1f);
        r.Byte(ops[4], OpOptionsType).Should().Be(8, "FullyConnectedOptions");
    }

    [Fact]
    public void Transpose_conv_inputs_are_reordered_to_output_shape_weights_input_bias()
    {
        var (g, r) = Sample();
        var op = g.Main.Operators[2];
        var ops = r.Tables(MainSg(r), SgOperators);
        var inputs = r.Ints(ops[2], OpInputs);
        inputs.Should().HaveCount(4);
        inputs[1].Should().Be(g.Main.Tensors.IndexOf(op.Inputs[1]!), "weights");
        inputs[2].Should().Be(g.Main.Tensors.IndexOf(op.Inputs[0]!), "data input");
        inputs[3].Should().Be(g.Main.Tensors.IndexOf(op.Inputs[2]!), "bias");
        var shapeTensor = r.Tables(MainSg(r), SgTensors)[inputs[0]];
        r.Str(shapeTensor, TName).Should().Be("up/output_shape");
        r.Byte(shapeTensor, TType).Should().Be(2, "INT32");
        var data = r.ByteVector(r.Tables(r.Root, ModelBuffers)[r.Int(shapeTensor, TBuffer)], 0);
        Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(i * 4)))
            .Should().Equal(op.Outputs[0].Shape.Dims.Select(d => (int)d));
        var o = r.Table(ops[2], OpOptions);
        r.Byte(ops[2], OpOptionsType).Should().Be(49, "TransposeConvOptions");
        r.Int(o, 1).Should().Be(2);
        r.Int(o, 2).Should().Be(2);
    }

    [Fact]
    public void An_existing_constant_with_the_output_shape_is_reused()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        var y = b.TransposeConv(x, 2, 3, 2, name: "up");
        var shape = b.Int32Constant("kept_shape", 1, 8, 8, 2);
        b.Output(y);
        var g = b.Build();
        var r = new FbTestReader(TfliteExporter.Write(g));
        r.Tables(MainSg(r), SgTensors).Should().HaveCount(g.Main.Tensors.Count);
        r.Ints(r.Tables(MainSg(r), SgOperators)[0], OpInputs)[0].Should().Be(shape.Index);
    }

    [Fact]
    public void Omitted_inputs_signatures_shape_signature_variables_min_max_metadata_and_intermediates()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8);
        var state = b.Tensor("state", DataType.Int16, new Shape(1, 8), Quantization.PerTensor(1f / 2048, 0));
        state.IsVariable = true;
        x.ShapeSignature = new Shape(-1, 8);
        x.Quantization = new Quantization(ImmutableArray.Create(0.5f), ImmutableArray.Create(3L), 0) { Min = [-1f], Max = [2f] };
        var inter = b.Activation("inter", 1, 8);
        var y = b.Activation("y", 1, 8);
        var op = b.Op(OpKind.Add, [x, state], [y], new ElementwiseAttributes(FusedActivation.Relu));
        var fc = b.Activation("fc_out", 1, 8);
        var w = b.Weights("w", [8, 8]);
        b.Op(OpKind.FullyConnected, [y, w, null], [fc], new FullyConnectedAttributes(FusedActivation.None, KeepNumDims: true));
        b.Output(fc);
        var g = b.Build();
        g.Metadata.Add(new MetadataEntry("min_runtime_version", "1.14.0\0\0\0\0\0\0\0\0\0\0"u8.ToArray()));
        g.Signatures.Add(new SignatureDef("serving_default", 0, [("in", x.Index)], [("out", fc.Index)]));
        _ = op; _ = inter;
        var r = new FbTestReader(TfliteExporter.Write(g));

        var tensors = r.Tables(MainSg(r), SgTensors);
        r.Ints(tensors[x.Index], TShapeSignature).Should().Equal(-1, 8);
        r.Byte(tensors[state.Index], TIsVariable).Should().Be(1);
        var q = r.Table(tensors[x.Index], TQuant);
        r.Floats(q, QMin).Should().Equal(-1f);
        r.Floats(q, QMax).Should().Equal(2f);
        r.Longs(q, QZeroPoint).Should().Equal(3L);

        var ops = r.Tables(MainSg(r), SgOperators);
        r.Byte(ops[0], OpOptionsType).Should().Be(11, "AddOptions");
        r.Byte(r.Table(ops[0], OpOptions), 0).Should().Be(1, "RELU");
        r.Ints(ops[1], OpInputs).Should().Equal(y.Index, w.Index, -1);
        r.Byte(r.Table(ops[1], OpOptions), 2).Should().Be(1, "keep_num_dims");
        r.Has(ops[0], OpIntermediates).Should().BeFalse();

        var meta = r.Tables(r.Root, ModelMetadata);
        meta.Should().HaveCount(1);
        r.Str(meta[0], 0).Should().Be("min_runtime_version");
        r.ByteVector(r.Tables(r.Root, ModelBuffers)[r.Int(meta[0], 1)], 0).Should().Equal(g.Metadata[0].Data.ToArray());

        var sig = r.Tables(r.Root, ModelSignatures).Single();
        r.Str(sig, 2).Should().Be("serving_default");
        var input = r.Tables(sig, 0).Single();
        r.Str(input, 0).Should().Be("in");
        r.Int(input, 1).Should().Be(x.Index);
    }

    [Fact]
    public void Scalars_say_they_have_rank()
    {
        var b = new GraphBuilder();
        var x = b.Tensor("scalar", DataType.Float32, Shape.Scalar, data: new byte[4]);
        var u = b.Tensor("unranked", DataType.Float32, Shape.UnknownRank);
        var r = new FbTestReader(TfliteExporter.Write(b.Build()));
        var tensors = r.Tables(MainSg(r), SgTensors);
        r.Byte(tensors[x.Index], THasRank).Should().Be(1);
        r.Has(tensors[u.Index], THasRank).Should().BeFalse();
        r.Ints(tensors[u.Index], TShape).Should().BeEmpty();
    }

    [Fact]
    public void Tensors_sharing_one_data_view_share_one_buffer()
    {
        var b = new GraphBuilder();
        var data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var a = b.Constant("a", DataType.Int8, [8], data);
        var c = b.Constant("c", DataType.Int8, [8], data);
        var d = b.Constant("d", DataType.Int8, [8], data.ToArray());
        var r = new FbTestReader(TfliteExporter.Write(b.Build()));
        var tensors = r.Tables(MainSg(r), SgTensors);
        r.Int(tensors[a.Index], TBuffer).Should().Be(r.Int(tensors[c.Index], TBuffer));
        r.Int(tensors[d.Index], TBuffer).Should().NotBe(r.Int(tensors[a.Index], TBuffer), "equal bytes in other memory are not merged");
        r.Tables(r.Root, ModelBuffers).Should().HaveCount(3);
    }

    [Fact]
    public void Output_is_deterministic_and_the_same_through_every_entry_point()
    {
        var first = TfliteExporter.Write(Sample().Graph);
        first.Should().Equal(TfliteExporter.Write(Sample().Graph));
        using var stream = new MemoryStream();
        TfliteExporter.Write(Sample().Graph, stream);
        stream.ToArray().Should().Equal(first);
        var writer = new ArrayBufferWriter<byte>();
        TfliteExporter.Write(Sample().Graph, writer);
        writer.WrittenSpan.ToArray().Should().Equal(first);
    }

    [Fact]
    public void Graphs_tflite_cannot_express_are_refused_with_the_field()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        b.Conv2D(x, 4, 3, 3, name: "c");
        var conv = b.Main.Operators[0];
        conv.Attributes = ((ConvAttributes)conv.Attributes!) with { Padding = new Padding2D(PaddingKind.Explicit, 1, 0, 1, 0) };
        var act = () => TfliteExporter.Write(b.Build());
        act.Should().Throw<ModelFormatException>().Where(e => e.Field == "subgraphs[0].operators[0].builtin_options.padding")
            .WithMessage("*explicit padding 1,0,1,0*");

        var b2 = new GraphBuilder();
        var x2 = b2.Input("x", 1, 8, 8, 4);
        b2.Op(OpKind.Clip, [x2], [b2.Activation("y", 1, 8, 8, 4)], new ClipAttributes(0, 6));
        var act2 = () => TfliteExporter.Write(b2.Build());
        act2.Should().Throw<ModelFormatException>().Where(e => e.Field == "subgraphs[0].operators[0]").WithMessage("*CLIP*");

        var b3 = new GraphBuilder();
        var x3 = b3.Input("x", 1, 8, 8, 4);
        var stray = new Tensor { Index = 99, Name = "stray", Type = DataType.Int8, Shape = new Shape(1, 8, 8, 4) };
        b3.Op(OpKind.Relu, [x3], [stray]);
        var act3 = () => TfliteExporter.Write(b3.Build());
        act3.Should().Throw<ModelFormatException>().Where(e => e.Field == "subgraphs[0].operators[0].outputs[0]");

        var b4 = new GraphBuilder();
        b4.Tensor("huge", DataType.Int8, new Shape(1L << 33));
        var act4 = () => TfliteExporter.Write(b4.Build());
        act4.Should().Throw<ModelFormatException>().Where(e => e.Field == "subgraphs[0].tensors[0].shape[0]");

        var nchw = new Graph { Format = "onnx", Layout = TensorLayout.Nchw };
        nchw.Subgraphs.Add(new Subgraph { Index = 0 });
        var act5 = () => TfliteExporter.Write(nchw);
        act5.Should().Throw<ModelFormatException>().WithMessage("*NHWC*");
    }

    [Fact]
    public void Source_spelling_raw_codes_and_custom_options_are_kept()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8);
        var cond = b.Tensor("cond", DataType.Bool, new Shape(1, 8));
        var y = b.Activation("y", 1, 8);
        var z = b.Activation("z", 1, 8);
        var w = b.Activation("w", 1, 8);
        var v = b.Activation("v", 1, 8);
        Operator Add(OpKind kind, string source, Tensor?[] ins, Tensor output, string? custom = null, byte[]? options = null)
        {
            var op = new Operator
            {
                Index = b.Main.Operators.Count, SubgraphIndex = 0, Kind = kind, SourceType = source, CustomCode = custom,
                Name = output.Name, Inputs = ins, Outputs = [output], CustomOptions = options ?? default,
            };
            b.Main.Operators.Add(op);
            return op;
        }
        Add(OpKind.Select, "SELECT_V2", [cond, x, x], y);
        Add(OpKind.Unknown, "UNKNOWN(250)", [y], z);
        Add(OpKind.Unknown, "HASHTABLE_LOOKUP", [z], w);
        Add(OpKind.Custom, "CUSTOM:edgetpu-custom-op", [w], v, "edgetpu-custom-op", [9, 8, 7, 6, 5]);
        b.Output(v);
        var r = new FbTestReader(TfliteExporter.Write(b.Build()));

        var codes = r.Tables(r.Root, ModelOpcodes);
        codes.Select(c => r.Int(c, CodeBuiltin)).Should().Equal(123, 250, 10, 32);
        codes.Select(c => (int)r.Byte(c, CodeDeprecated)).Should().Equal(123, 127, 10, 32);
        var ops = r.Tables(MainSg(r), SgOperators);
        r.ByteVector(ops[3], 5).Should().Equal(9, 8, 7, 6, 5);
        r.Has(ops[0], 5).Should().BeFalse();
    }

    [Fact]
    public void Unknown_source_spelling_is_refused()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8);
        var y = b.Activation("y", 1, 8);
        b.Main.Operators.Add(new Operator { Index = 0, SubgraphIndex = 0, Kind = OpKind.Unknown, SourceType = "MysteryOp", Name = "y", Inputs = [x], Outputs = [y] });
        var act = () => TfliteExporter.Write(b.Build());
        act.Should().Throw<ModelFormatException>().WithMessage("*'MysteryOp'*").Where(e => e.Field == "subgraphs[0].operators[0]");
    }

    [Fact]
    public void Transpose_conv_without_bias_has_three_inputs_and_split_takes_its_axis_first()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        var up = b.TransposeConv(x, 2, 3, 2, name: "up");
        var tconv = b.Main.Operators[0];
        tconv.Inputs = [x, tconv.Inputs[1], null];
        var parts = b.Split(up, 2, axis: 3, name: "split");
        b.Output(parts[0]);
        var g = b.Build();
        var r = new FbTestReader(TfliteExporter.Write(g));
        var ops = r.Tables(MainSg(r), SgOperators);
        var tc = r.Ints(ops[0], OpInputs);
        tc.Should().HaveCount(3);
        tc.Skip(1).Should().Equal(tconv.Inputs[1]!.Index, x.Index);
        var split = g.Main.Operators[1];
        r.Ints(ops[1], OpInputs).Should().Equal(split.Inputs[1]!.Index, split.Inputs[0]!.Index);
        r.Int(r.Table(ops[1], OpOptions), 0).Should().Be(2, "num_splits");
    }
}
