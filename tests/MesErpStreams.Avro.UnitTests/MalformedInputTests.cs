using System.Diagnostics;

namespace MesErpStreams.Avro.UnitTests;

public class MalformedInputTests
{
    private static Action Decoding(string schema, string hex) => () => GenericDatum.Decode(Schema.Parse(schema), Convert.FromHexString(hex));

    [Theory]
    [InlineData("\"long\"", "", "*end of data*")]
    [InlineData("\"long\"", "FF", "*end of data*")]
    [InlineData("\"int\"", "FFFFFFFF7F", "*overflows a 32-bit int*")]
    [InlineData("\"int\"", "FFFFFFFFFF01", "*longer than 5 bytes*")]
    [InlineData("\"long\"", "FFFFFFFFFFFFFFFFFF7F", "*overflows a 64-bit long*")]
    [InlineData("\"long\"", "FFFFFFFFFFFFFFFFFFFF01", "*longer than 10 bytes*")]
    [InlineData("\"double\"", "000000", "*end of data*")]
    [InlineData("\"boolean\"", "02", "*Invalid boolean*")]
    [InlineData("\"string\"", "01", "*Negative length*")]
    [InlineData("\"bytes\"", "0A0102", "*exceeds the 2 bytes remaining*")]
    [InlineData("\"string\"", "FEFFFFFFFFFFFFFFFF01", "*exceeds*")]
    [InlineData("\"string\"", "04C328", "*Invalid UTF-8*")]
    [InlineData("\"string\"", "06EDA080", "*Invalid UTF-8*")]
    [InlineData("[\"null\",\"int\"]", "04", "*Union branch index 2*out of range*")]
    [InlineData("[\"null\",\"int\"]", "01", "*Union branch index -1*out of range*")]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", "02", "*Enum index 1*out of range*")]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}", "010203", "*end of data*")]
    [InlineData("{\"type\":\"array\",\"items\":\"long\"}", "FEFFFFFFFFFFFFFFFF01", "*Block count*exceeds*")]
    [InlineData("{\"type\":\"array\",\"items\":\"long\"}", "0120", "*Block byte size*")]
    [InlineData("{\"type\":\"map\",\"values\":\"long\"}", "FEFFFFFF0F", "*Block count*exceeds*")]
    [InlineData("{\"type\":\"array\",\"items\":\"null\"}", "FEFFFFFFFFFFFFFFFF01", "*zero-byte encoding*")]
    [InlineData("\"int\"", "0200", "*trailing byte*")]
    public void Malformed_data_raises_a_decode_exception(string schema, string hex, string message)
    {
        Decoding(schema, hex).Should().Throw<AvroDecodeException>().WithMessage(message);
    }

    [Fact]
    public void Unbounded_recursion_in_data_is_stopped_by_the_nesting_limit()
    {
        const string schema = """{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""";
        var data = Enumerable.Repeat((byte)0x02, 100_000).Append((byte)0x00).ToArray();

        var act = () => GenericDatum.Decode(Schema.Parse(schema), data);

        act.Should().Throw<AvroDecodeException>().WithMessage("*deeper than 256*");
    }

    [Fact]
    public void Nested_arrays_beyond_the_nesting_limit_are_rejected_by_typed_codecs_too()
    {
        var schema = Schema.Parse("""{"type":"record","name":"T","fields":[{"name":"children","type":{"type":"array","items":"T"}}]}""");
        var data = Enumerable.Repeat((byte)0x02, 10_000).ToArray();

        var act = () => AvroCodec.For<Tree>(schema).Decode(data);

        act.Should().Throw<AvroDecodeException>().WithMessage("*deeper than*");
    }

    public sealed record Tree(IReadOnlyList<Tree> Children);

    [Fact]
    public void Huge_declared_lengths_fail_fast_without_allocating()
    {
        var schema = Schema.Parse("""{"type":"array","items":{"type":"array","items":"string"}}""");
        var data = Convert.FromHexString("02" + "FEFFFFFFFFFFFFFFFF01");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();

        var act = () => GenericDatum.Decode(schema, data);

        act.Should().Throw<AvroDecodeException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void Random_garbage_never_escapes_as_anything_but_a_decode_exception()
    {
        var schema = Schema.Parse("""
            {"type":"record","name":"R","fields":[
              {"name":"a","type":["null","string",{"type":"array","items":["int","R"]}]},
              {"name":"b","type":{"type":"map","values":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}}},
              {"name":"c","type":{"type":"enum","name":"E","symbols":["X","Y"]}},
              {"name":"d","type":{"type":"string","logicalType":"uuid"}},
              {"name":"e","type":{"type":"int","logicalType":"date"}},
              {"name":"f","type":{"type":"fixed","name":"F","size":3}}]}
            """);
        var rng = new Random(99);
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[rng.Next(0, 40)];
            rng.NextBytes(data);
            try
            {
                GenericDatum.Decode(schema, data);
            }
            catch (AvroDecodeException)
            {
                // expected for nearly all inputs
            }
        }
    }
}

public class CyclicGraphTests
{
    public sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    [Fact]
    public void Encoding_a_cyclic_object_graph_fails_instead_of_overflowing_the_stack()
    {
        var codec = AvroCodec.For<Node>(Schema.Parse("""{"type":"record","name":"Node","fields":[{"name":"name","type":"string"},{"name":"next","type":["null","Node"]}]}"""));
        var node = new Node { Name = "a" };
        node.Next = node;

        var act = () => codec.Encode(node);

        act.Should().Throw<AvroEncodeException>().WithMessage("*cyclic*");
        codec.Decode(codec.Encode(new Node { Name = "x", Next = new Node { Name = "y" } })).Next!.Name.Should().Be("y");
    }
}
