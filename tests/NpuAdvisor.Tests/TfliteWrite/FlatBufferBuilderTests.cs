using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using Xunit;

namespace NpuAdvisor.Tests.TfliteWrite;

public class FlatBufferBuilderTests
{
    [Fact]
    public void One_int_table_has_the_bytes_worked_out_by_hand()
    {
        var b = new FlatBufferBuilder();
        b.StartTable(1);
        b.AddInt(0, 7);
        var t = b.EndTable();
        b.Finish(t);

        // root uoffset 12 | 2 bytes padding | vtable {size 6, table 8, field0 at +4} | soffset 6 | 7
        b.ToArray().Should().Equal(
            0x0C, 0, 0, 0,
            0, 0,
            6, 0, 8, 0, 4, 0,
            6, 0, 0, 0,
            7, 0, 0, 0);
    }

    [Fact]
    public void Strings_vectors_nested_tables_unions_and_identifier_decode_by_hand()
    {
        var b = new FlatBufferBuilder(initialCapacity: 16);
        var name = b.CreateString("stem/conv5x5_s3");
        var ints = b.CreateIntVector([1, 96, 96, -3]);
        var longs = b.CreateLongVector([long.MinValue, 5]);
        var floats = b.CreateFloatVector([0.5f, -0.25f]);
        b.StartTable(2);
        b.AddInt(1, 42);
        var inner = b.EndTable();
        var innerVec = b.CreateOffsetVector([inner, inner]);
        b.StartTable(9);
        b.AddOffset(0, name);
        b.AddOffset(1, ints);
        b.AddOffset(2, longs);
        b.AddOffset(3, floats);
        b.AddUnion(4, 7, inner);
        b.AddOffset(6, innerVec);
        b.AddByte(7, 200);
        b.AddLong(8, -9);
        var root = b.EndTable();
        b.Finish(root, "TFL3");

        var r = new FbTestReader(b.ToArray());
        r.Identifier.Should().Be("TFL3");
        var m = r.Root;
        r.Str(m, 0).Should().Be("stem/conv5x5_s3");
        r.Ints(m, 1).Should().Equal(1, 96, 96, -3);
        r.Longs(m, 2).Should().Equal(long.MinValue, 5);
        r.Floats(m, 3).Should().Equal(0.5f, -0.25f);
        r.Byte(m, 4).Should().Be(7, "union type sits in its own slot");
        r.Int(r.Table(m, 5), 1).Should().Be(42, "union value sits in the next slot");
        r.Has(r.Table(m, 5), 0).Should().BeFalse();
        r.Tables(m, 6).Should().HaveCount(2).And.OnlyContain(p => p == r.Table(m, 5));
        r.Byte(m, 7).Should().Be(200);
        r.Long(m, 8).Should().Be(-9);
        (r.Field(m, 8) % 8).Should().Be(0, "8-byte scalars are 8-aligned");
        (r.Vector(m, 2).Start % 8).Should().Be(0, "long vectors are 8-aligned");
        (r.Bytes.Length % 8).Should().Be(0, "finished size is a multiple of the largest alignment");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(33)]
    public void Byte_vectors_asked_for_16_alignment_start_on_16_bytes_from_the_file_start(int before)
    {
        var b = new FlatBufferBuilder();
        var data = Enumerable.Range(0, 21).Select(i => (byte)i).ToArray();
        var filler = b.CreateByteVector(new byte[before]);
        var vec = b.CreateByteVector(data, alignment: 16);
        var label = b.CreateString(new string('x', before % 5));
        b.StartTable(3);
        b.AddOffset(0, vec);
        b.AddOffset(1, filler);
        b.AddOffset(2, label);
        b.Finish(b.EndTable());

        var r = new FbTestReader(b.ToArray());
        var (start, count) = r.Vector(r.Root, 0);
        (start % 16).Should().Be(0);
        count.Should().Be(21);
        r.ByteVector(r.Root, 0).Should().Equal(data);
        r.ByteVector(r.Root, 1).Should().HaveCount(before);
        (r.Bytes.Length % 16).Should().Be(0);
    }

    [Fact]
    public void Identical_vtables_are_shared_only_when_deduplication_is_on()
    {
        byte[] Build(bool dedup)
        {
            var b = new FlatBufferBuilder { DeduplicateVtables = dedup };
            var tables = new int[3];
            for (var i = 0; i < 3; i++)
            {
                // Two ints keep every table and its 8-byte vtable 4-aligned, so the layouts match exactly.
                b.StartTable(3);
                b.AddInt(0, i + 1);
                b.AddInt(1, -i - 1);
                tables[i] = b.EndTable();
            }
            var vec = b.CreateOffsetVector(tables);
            b.StartTable(1);
            b.AddOffset(0, vec);
            b.Finish(b.EndTable());
            return b.ToArray();
        }

        var shared = new FbTestReader(Build(true));
        var separate = new FbTestReader(Build(false));
        foreach (var r in new[] { shared, separate })
        {
            var ts = r.Tables(r.Root, 0);
            ts.Select(t => r.Int(t, 0)).Should().Equal(1, 2, 3);
            ts.Select(t => r.Int(t, 1)).Should().Equal(-1, -2, -3);
            r.Has(ts[0], 2).Should().BeFalse();
        }
        shared.Tables(shared.Root, 0).Select(shared.VTable).Distinct().Should().HaveCount(1);
        separate.Tables(separate.Root, 0).Select(separate.VTable).Distinct().Should().HaveCount(3);
        shared.Bytes.Length.Should().BeLessThan(separate.Bytes.Length);
    }

    [Fact]
    public void Defaults_are_left_out_unless_forced()
    {
        byte[] Build(bool force)
        {
            var b = new FlatBufferBuilder { ForceDefaults = force };
            b.StartTable(4);
            b.AddInt(0, 1, defaultValue: 1);
            b.AddBool(1, false);
            b.AddFloat(2, 0f);
            b.AddFloat(3, -0f);
            b.Finish(b.EndTable());
            return b.ToArray();
        }

        var plain = new FbTestReader(Build(false));
        plain.Has(plain.Root, 0).Should().BeFalse();
        plain.Has(plain.Root, 1).Should().BeFalse();
        plain.Has(plain.Root, 2).Should().BeFalse();
        plain.Has(plain.Root, 3).Should().BeTrue("-0.0 differs from the default 0.0 bit for bit");
        var forced = new FbTestReader(Build(true));
        forced.Int(forced.Root, 0).Should().Be(1);
        forced.Has(forced.Root, 1).Should().BeTrue();
    }

    [Fact]
    public void Same_calls_give_the_same_bytes_and_growth_keeps_content()
    {
        byte[] Build()
        {
            var b = new FlatBufferBuilder(initialCapacity: 16);
            var big = b.CreateByteVector(Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray(), 16);
            var s = b.CreateString("ünïcode ✓");
            b.StartTable(2);
            b.AddOffset(0, big);
            b.AddOffset(1, s);
            b.Finish(b.EndTable(), "ABCD");
            return b.ToArray();
        }

        var first = Build();
        first.Should().Equal(Build());
        var r = new FbTestReader(first);
        r.Str(r.Root, 1).Should().Be("ünïcode ✓");
        var data = r.ByteVector(r.Root, 0);
        data.Should().HaveCount(100_000);
        data[99_999].Should().Be(unchecked((byte)(99_999 * 7)));
    }

    [Fact]
    public void Misuse_is_refused()
    {
        var b = new FlatBufferBuilder();
        b.StartTable(1);
        b.Invoking(x => x.CreateString("nested")).Should().Throw<InvalidOperationException>();
        b.Invoking(x => x.AddInt(1, 5)).Should().Throw<ArgumentOutOfRangeException>();
        var t = b.EndTable();
        b.Invoking(x => x.EndTable()).Should().Throw<InvalidOperationException>();
        b.Invoking(x => x.AddInt(0, 5)).Should().Throw<InvalidOperationException>();
        b.Invoking(x => x.Finish(t, "TOOLONG")).Should().Throw<ArgumentException>();
        b.Finish(t);
        b.Invoking(x => x.CreateString("late")).Should().Throw<InvalidOperationException>();
    }
}
