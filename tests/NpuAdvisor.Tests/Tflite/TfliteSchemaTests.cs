using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;

namespace NpuAdvisor.Tests.Tflite;

public class TfliteSchemaTests
{
    [Fact]
    public void Builtin_table_covers_0_to_209_and_names_unknown_codes()
    {
        S.BuiltinOperatorCount.Should().Be(210);
        S.OperatorName(0).Should().Be("ADD");
        S.OperatorName(S.BuiltinOperator.CUSTOM).Should().Be("CUSTOM");
        S.OperatorName(127).Should().Be("PLACEHOLDER_FOR_GREATER_OP_CODES");
        S.OperatorName(209).Should().Be("STABLEHLO_CASE");
        S.OperatorName(210).Should().Be("UNKNOWN(210)");
        S.OperatorName(-3).Should().Be("UNKNOWN(-3)");
        S.KindOf(210).Should().Be(OpKind.Unknown);
        S.KindOf(S.BuiltinOperator.SVDF).Should().Be(OpKind.Unknown);
    }

    [Fact]
    public void Op_kinds_agree_with_the_IR_report_names()
    {
        var multi = new HashSet<int> { S.BuiltinOperator.NON_MAX_SUPPRESSION_V4, S.BuiltinOperator.NON_MAX_SUPPRESSION_V5, S.BuiltinOperator.SELECT_V2 };
        for (var code = 0; code < S.BuiltinOperatorCount; code++)
        {
            var kind = S.KindOf(code);
            if (kind is OpKind.Unknown || multi.Contains(code)) continue;
            OpKindNames.Of(kind).Should().Be(S.OperatorName(code), $"code {code}");
            S.TryGetBuiltinCode(kind, out var back).Should().BeTrue();
            back.Should().Be(code);
        }
        // Every IR kind spelled like a builtin maps from that builtin.
        foreach (var kind in Enum.GetValues<OpKind>())
            if (S.TryGetBuiltinCode(OpKindNames.Of(kind), out var code))
                S.KindOf(code).Should().Be(kind, OpKindNames.Of(kind));
    }

    [Fact]
    public void Tensor_types_round_trip()
    {
        for (sbyte t = 0; t <= S.TensorType.BFLOAT16; t++)
        {
            var type = S.DataTypeOf(t);
            type.Should().NotBe(DataType.Unknown);
            S.TryGetTensorType(type, out var back).Should().BeTrue();
            back.Should().Be(t);
        }
        S.DataTypeOf(S.TensorType.INT4).Should().Be(DataType.Int4);
        S.DataTypeOf(19).Should().Be(DataType.Unknown);
        S.TryGetTensorType(DataType.Unknown, out _).Should().BeFalse();
    }

    [Fact]
    public void Activations_round_trip_and_field_ids_follow_the_schema()
    {
        for (sbyte a = 0; a <= S.ActivationFunctionType.SIGN_BIT; a++)
            S.ActivationFunctionTypeOf(S.FusedActivationOf(a)!.Value).Should().Be(a);
        S.FusedActivationOf(6).Should().BeNull();
        S.VTableEntry(S.Operator.BuiltinOptions).Should().Be(12);
        S.BuiltinOptions.RightShiftOptions.Should().Be(126);
        S.BuiltinOptions2.StablehloCaseOptions.Should().Be(23);
    }

    [Fact]
    public void Transpose_conv_and_split_inputs_are_reordered_data_first_and_back()
    {
        var names = Enumerable.Range(0, 4).Select(i => new Tensor { Index = i, Name = "t" + i, Type = DataType.Int8, Shape = Shape.Scalar }).ToArray();
        Tensor?[] tconv = [names[0], names[1], names[2], names[3]]; // output_shape, weights, input, bias
        var ir = TfliteInputOrder.ToIr(S.BuiltinOperator.TRANSPOSE_CONV, tconv);
        ir.Should().Equal(names[2], names[1], names[3], names[0]);
        TfliteInputOrder.FromIr(S.BuiltinOperator.TRANSPOSE_CONV, ir).Should().Equal(tconv);

        Tensor?[] noBias = [names[0], names[1], names[2]];
        ir = TfliteInputOrder.ToIr(S.BuiltinOperator.TRANSPOSE_CONV, noBias);
        ir.Should().Equal(names[2], names[1], null, names[0]);
        TfliteInputOrder.FromIr(S.BuiltinOperator.TRANSPOSE_CONV, ir).Should().Equal(noBias);

        Tensor?[] split = [names[0], names[1]]; // axis, input
        TfliteInputOrder.ToIr(S.BuiltinOperator.SPLIT, split).Should().Equal(names[1], names[0]);
        TfliteInputOrder.FromIr(S.BuiltinOperator.SPLIT, TfliteInputOrder.ToIr(S.BuiltinOperator.SPLIT, split)).Should().Equal(split);
    }
}
