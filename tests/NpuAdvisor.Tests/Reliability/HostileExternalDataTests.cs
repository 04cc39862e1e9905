using System.Diagnostics;
using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;
using NpuAdvisor.Tests.Cli;
using NpuAdvisor.Tests.Onnx;
using Xunit;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// ONNX external data names a file by a path the model chooses: it may only read a regular file inside the model's
/// folder, whatever `..`, absolute paths, symbolic links (to files, folders or each other) and special files say.
/// </summary>
public sealed class HostileExternalDataTests : IDisposable
{
    private const string Field = "ModelProto.graph.initializer[0].external_data";
    private readonly string _root = Directory.CreateTempSubdirectory("npu-hostile-ext-").FullName;
    private string ModelDir => Path.Combine(_root, "model");

    public HostileExternalDataTests()
    {
        Directory.CreateDirectory(ModelDir);
        File.WriteAllBytes(Path.Combine(_root, "secret.bin"), new byte[16]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string location, long[] dims)
    {
        var w = new TensorProto { Name = "w", DataType = 1, Dims = { dims }, DataLocation = TensorProto.Types.DataLocation.External };
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        var m = new OnnxModel().Input("x", dims).Output("y");
        m.Init(w);
        m.Node("Add", ["x", "w"], ["y"]);
        var path = Path.Combine(ModelDir, "model.onnx");
        File.WriteAllBytes(path, m.Bytes());
        return path;
    }

    private static string Refusal(string path)
    {
        var act = () => OnnxImporter.Load(path);
        return act.Should().Throw<ModelFormatException>().Which.Message;
    }

    [Theory]
    [InlineData("../secret.bin")]
    [InlineData("sub/../../secret.bin")]
    [InlineData("./../model/../../secret.bin")]
    public void Dot_dot_paths_out_of_the_folder_are_refused(string location) =>
        Refusal(Write(location, [2, 2])).Should().Be($"external data location '{location}' resolves outside the model folder (at {Field})");

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("C:secret.bin")]
    public void Absolute_paths_are_refused(string location) =>
        Refusal(Write(location, [2, 2])).Should().Be($"external data location '{location}' is absolute; only paths relative to the model folder are allowed (at {Field})");

    [Fact]
    public void A_symlink_to_a_file_outside_is_refused()
    {
        var path = Write("w.bin", [2, 2]);
        File.CreateSymbolicLink(Path.Combine(ModelDir, "w.bin"), Path.Combine(_root, "secret.bin"));
        Refusal(path).Should().Be($"external data location 'w.bin' resolves outside the model folder (at {Field})");
    }

    [Fact]
    public void A_symlinked_folder_leading_outside_is_refused()
    {
        var path = Write("weights/secret.bin", [2, 2]);
        Directory.CreateSymbolicLink(Path.Combine(ModelDir, "weights"), _root);
        Refusal(path).Should().Be($"external data location 'weights/secret.bin' resolves outside the model folder (at {Field})");
    }

    [Fact]
    public void A_symlink_to_a_file_inside_is_read()
    {
        var path = Write("w.bin", [2, 2]);
        Directory.CreateDirectory(Path.Combine(ModelDir, "data"));
        File.WriteAllBytes(Path.Combine(ModelDir, "data", "real.bin"), new byte[16]);
        File.CreateSymbolicLink(Path.Combine(ModelDir, "w.bin"), Path.Combine(ModelDir, "data", "real.bin"));
        using var g = OnnxImporter.Load(path);
        g.Main.Tensors.Single(t => t.Name == "w").Data.Length.Should().Be(16);
    }

    [Fact]
    public void A_symlink_loop_is_refused_not_followed_forever()
    {
        var path = Write("a.bin", [2, 2]);
        File.CreateSymbolicLink(Path.Combine(ModelDir, "a.bin"), Path.Combine(ModelDir, "b.bin"));
        File.CreateSymbolicLink(Path.Combine(ModelDir, "b.bin"), Path.Combine(ModelDir, "a.bin"));
        Refusal(path).Should().Be($"too many symbolic links resolving '{Path.Combine(ModelDir, "a.bin")}'");
    }

    [Fact]
    public void A_fifo_beside_the_model_is_never_opened()
    {
        // Opening a FIFO for reading blocks until a writer comes: a zero-size tensor once read it, and hung.
        Mkfifo(Path.Combine(ModelDir, "pipe"));
        var sw = Stopwatch.StartNew();
        using (var g = OnnxImporter.Load(Write("pipe", [0, 2])))
            g.Main.Tensors.Single(t => t.Name == "w").Data.IsEmpty.Should().BeTrue();
        Refusal(Write("pipe", [2, 2])).Should().Be($"external data length 0 does not match the tensor's 16 bytes (at {Field})");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void The_cli_names_the_refused_location_on_one_escaped_error_line()
    {
        var path = Write("../\u001b]8;;x\u001b\\secret.bin", [2, 2]);
        var run = CliRunner.Run("check", path);
        run.ExitCode.Should().Be(3);
        run.Err.Trim().Should().Be($"error: {path}: external data location '../\\x1B]8;;x\\x1B\\secret.bin' resolves outside the model folder (at {Field})");
    }

    private static void Mkfifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        p.ExitCode.Should().Be(0);
    }
}
