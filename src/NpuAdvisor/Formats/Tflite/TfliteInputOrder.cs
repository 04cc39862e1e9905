using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// The IR puts an op's data input first. TFLite does not for two builtins, so their inputs are
/// permuted on import and back on export:
/// TRANSPOSE_CONV [output_shape, weights, input, bias?] ↔ IR [input, weights, bias (null when absent), output_shape];
/// SPLIT [axis, input] ↔ IR [input, axis].
/// The output_shape operand is kept (last) so nothing of the file is lost.
/// </summary>
public static class TfliteInputOrder
{
    public static IReadOnlyList<Tensor?> ToIr(int builtinCode, IReadOnlyList<Tensor?> tflite) => builtinCode switch
    {
        TfliteSchema.BuiltinOperator.TRANSPOSE_CONV when tflite.Count >= 3 =>
            [tflite[2], tflite[1], tflite.Count >= 4 ? tflite[3] : null, tflite[0], .. tflite.Skip(4)],
        TfliteSchema.BuiltinOperator.SPLIT when tflite.Count >= 2 => [tflite[1], tflite[0], .. tflite.Skip(2)],
        _ => tflite,
    };

    /// <summary>Inverse of <see cref="ToIr"/>; a TRANSPOSE_CONV without bias gets back its three TFLite inputs.</summary>
    public static IReadOnlyList<Tensor?> FromIr(int builtinCode, IReadOnlyList<Tensor?> ir) => builtinCode switch
    {
        TfliteSchema.BuiltinOperator.TRANSPOSE_CONV when ir.Count >= 4 && ir[2] is null && ir.Count == 4 => [ir[3], ir[1], ir[0]],
        TfliteSchema.BuiltinOperator.TRANSPOSE_CONV when ir.Count >= 4 => [ir[3], ir[1], ir[0], ir[2], .. ir.Skip(4)],
        TfliteSchema.BuiltinOperator.SPLIT when ir.Count >= 2 => [ir[1], ir[0], .. ir.Skip(2)],
        _ => ir,
    };
}
