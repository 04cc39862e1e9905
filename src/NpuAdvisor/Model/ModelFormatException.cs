namespace NpuAdvisor.Model;

/// <summary>
/// The one error a malformed or unreadable model raises. <see cref="Field"/> names what was being
/// read (e.g. "Model.subgraphs[0].tensors[12].shape") and <see cref="Offset"/> the byte offset, where known.
/// </summary>
public sealed class ModelFormatException : Exception
{
    public string Field { get; }
    public long Offset { get; }

    public ModelFormatException(string message, string field = "", long offset = -1, Exception? inner = null)
        : base(Compose(message, field, offset), inner)
    {
        Field = field;
        Offset = offset;
    }

    private static string Compose(string message, string field, long offset)
    {
        var where = (field.Length > 0, offset >= 0) switch
        {
            (true, true) => $" (at {field}, byte offset {offset})",
            (true, false) => $" (at {field})",
            (false, true) => $" (at byte offset {offset})",
            _ => "",
        };
        return message + where;
    }
}
