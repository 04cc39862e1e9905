using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// ONNX Runtime's contrib QOperator ops (domain com.microsoft, written by its quantizer in QOperator format):
/// the integer twin of an ai.onnx op with its scales and zero points as extra inputs. Inputs are reordered data
/// first (as for QLinearConv), then the ai.onnx op's inference runs. Operand order per ONNX Runtime's
/// docs/ContribOperators.md.
/// </summary>
internal sealed partial class OnnxShapeInference
{
    private void InferContrib(Operator op, NodeInfo info)
    {
        var x = op.Input(0);
        switch (info.Node.OpType)
        {
            case "QLinearAdd" or "QLinearMul":
                // [A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp] → [A, B, A_scale, A_zp, B_scale, B_zp, C_scale, C_zp]
                op.Inputs = [op.Input(0), op.Input(3), op.Input(1), op.Input(2), op.Input(4), op.Input(5), op.Input(6), op.Input(7)];
                Broadcast(op, info, [op.Input(0), op.Input(1)], x?.Type ?? DataType.Unknown);
                op.Attributes = new ElementwiseAttributes(FusedActivation.None);
                break;
            case "QLinearConcat":
            {
                // [Y_scale, Y_zp, (X, X_scale, X_zp)…] → [X…, Y_scale, Y_zp, (X_scale, X_zp)…]
                var n = Math.Max(0, (op.Inputs.Count - 2) / 3);
                var data = Enumerable.Range(0, n).Select(i => op.Input(2 + 3 * i)).ToList();
                var parameters = new List<Tensor?> { op.Input(0), op.Input(1) };
                for (var i = 0; i < n; i++) parameters.AddRange([op.Input(3 + 3 * i), op.Input(4 + 3 * i)]);
                op.Inputs = data;
                Concat(op, info);
                op.Inputs = [.. data, .. parameters];
                break;
            }
            case "QLinearGlobalAveragePool" when info.Attrs.Int("channels_last", 0) == 0:
                GlobalPool(op);
                break;
            case "QLinearAveragePool" when info.Attrs.Int("channels_last", 0) == 0:
                Pool(op, info);
                break;
            case "QLinearSigmoid":
                SameAs(op.Output(0), x);
                break;
            case "QLinearLeakyRelu":
                SameAs(op.Output(0), x);
                op.Attributes = new LeakyReluAttributes(info.Attrs.Float("alpha", 0.01f));
                break;
            default:
                // Channels-last pools and contrib ops not read here stay unknown, so no rule mistakes them for their NCHW twin.
                op.Kind = OpKind.Unknown;
                break;
        }
    }
}
