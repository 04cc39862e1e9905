using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Tests.Onnx.OnnxModel;

namespace NpuAdvisor.Tests.Onnx;

public sealed class OnnxExternalDataTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("npu-onnx-ext-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static TensorProto External(string location, long offset = -1, long length = -1)
    {
        var t = new TensorProto { Name = "w", DataType = 1, Dims = { 2, 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset >= 0) t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString() });
        if (length >= 0) t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString() });
        return t;
    }

    private string Write(TensorProto weights, string folder = "model")
    {
        var dir = Path.Combine(_root, folder);
        Directory.CreateDirectory(dir);
        var m = new OnnxModel().Input("x", 2, 2).Output("y");
        m.Init(weights);
        m.Node("Add", ["x", "w"], ["y"]);
        var path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, m.Bytes());
        return path;
    }

    private static byte[] Payload(int prefix) =>
        [.. new byte[prefix], .. new[] { 1f, 2f, 3f, 4f }.SelectMany(BitConverter.GetBytes)];

    [Fact]
    public void Reads_side_file_relative_to_the_model_with_offset()
    {
        var path = Write(External("weights/w.bin", offset: 8, length: 16));
        Directory.CreateDirectory(Path.Combine(_root, "model", "weights"));
        File.WriteAllBytes(Path.Combine(_root, "model", "weights", "w.bin"), Payload(8));
        using var g = OnnxImporter.Load(path);
        var w = g.Main.Tensors.Single(t => t.Name == "w");
        w.IsConstant.Should().BeTrue();
        BitConverter.ToSingle(w.Data.Span[12..]).Should().Be(4f);
    }

    [Theory]
    [InlineData("../outside.bin", "outside the model folder")]
    [InlineData("weights/../../outside.bin", "outside the model folder")]
    [InlineData("/etc/passwd", "absolute")]
    public void Locations_leaving_the_model_folder_are_refused(string location, string reason)
    {
        File.WriteAllBytes(Path.Combine(_root, "outside.bin"), Payload(0));
        var path = Write(External(location));
        ((Action)(() => OnnxImporter.Load(path))).Should().Throw<ModelFormatException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void Symlink_resolving_outside_is_refused()
    {
        File.WriteAllBytes(Path.Combine(_root, "outside.bin"), Payload(0));
        var path = Write(External("link.bin"));
        File.CreateSymbolicLink(Path.Combine(_root, "model", "link.bin"), Path.Combine(_root, "outside.bin"));
        ((Action)(() => OnnxImporter.Load(path))).Should().Throw<ModelFormatException>().WithMessage("*outside the model folder*");

        var dirPath = Write(External("sub/w.bin"), "model2");
        Directory.CreateSymbolicLink(Path.Combine(_root, "model2", "sub"), _root);
        File.WriteAllBytes(Path.Combine(_root, "w.bin"), Payload(0));
        ((Action)(() => OnnxImporter.Load(dirPath))).Should().Throw<ModelFormatException>().WithMessage("*outside the model folder*");
    }

    [Theory]
    [InlineData(0, 32)]
    [InlineData(20, -1)]
    [InlineData(100, 16)]
    [InlineData(0, 8)]
    public void Offset_and_length_are_checked_against_the_file(long offset, long length)
    {
        var path = Write(External("w.bin", offset, length));
        File.WriteAllBytes(Path.Combine(_root, "model", "w.bin"), Payload(8));
        ((Action)(() => OnnxImporter.Load(path))).Should().Throw<ModelFormatException>().WithMessage("*external data*");
    }

    [Fact]
    public void Missing_file_and_in_memory_models_are_refused()
    {
        var path = Write(External("missing.bin"));
        ((Action)(() => OnnxImporter.Load(path))).Should().Throw<ModelFormatException>().WithMessage("*missing.bin*");
        ((Action)(() => OnnxImporter.Load(File.ReadAllBytes(path), ""))).Should().Throw<ModelFormatException>().WithMessage("*not loaded from a folder*");
    }
}
