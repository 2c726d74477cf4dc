namespace MesErpStreams.Avro.UnitTests;

public class SchemaParsingTests
{
    [Theory]
    [InlineData("\"null\"", SchemaType.Null)]
    [InlineData("\"boolean\"", SchemaType.Boolean)]
    [InlineData("\"int\"", SchemaType.Int)]
    [InlineData("\"long\"", SchemaType.Long)]
    [InlineData("\"float\"", SchemaType.Float)]
    [InlineData("\"double\"", SchemaType.Double)]
    [InlineData("\"bytes\"", SchemaType.Bytes)]
    [InlineData("{\"type\":\"string\"}", SchemaType.String)]
    [InlineData("{\"type\":\"array\",\"items\":\"int\"}", SchemaType.Array)]
    [InlineData("{\"type\":\"map\",\"values\":\"int\"}", SchemaType.Map)]
    [InlineData("[\"null\",\"int\"]", SchemaType.Union)]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}", SchemaType.Fixed)]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", SchemaType.Enum)]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}", SchemaType.Record)]
    [InlineData("{\"type\":\"error\",\"name\":\"R\",\"fields\":[]}", SchemaType.Record)]
    public void Every_schema_type_parses(string json, SchemaType expected)
    {
        Schema.Parse(json).Type.Should().Be(expected);
    }

    [Fact]
    public void Nested_named_types_inherit_the_enclosing_namespace_unless_they_declare_one()
    {
        var schema = (RecordSchema)Schema.Parse("""
            {"type":"record","name":"Outer","namespace":"a.b","fields":[
              {"name":"inherits","type":{"type":"enum","name":"E","symbols":["X"]}},
              {"name":"own","type":{"type":"fixed","name":"F","namespace":"c","size":1}},
              {"name":"dotted","type":{"type":"fixed","name":"d.G","namespace":"ignored","size":1}},
              {"name":"nullNs","type":{"type":"fixed","name":"H","namespace":"","size":1}},
              {"name":"refShort","type":"E"},
              {"name":"refFull","type":"c.F"}]}
            """);

        ((NamedSchema)schema.Fields[0].Schema).FullName.Should().Be("a.b.E");
        ((NamedSchema)schema.Fields[1].Schema).FullName.Should().Be("c.F");
        ((NamedSchema)schema.Fields[2].Schema).FullName.Should().Be("d.G");
        ((NamedSchema)schema.Fields[3].Schema).FullName.Should().Be("H");
        schema.Fields[4].Schema.Should().BeSameAs(schema.Fields[0].Schema);
        schema.Fields[5].Schema.Should().BeSameAs(schema.Fields[1].Schema);
    }

    [Fact]
    public void Recursive_record_refers_to_itself()
    {
        var schema = (RecordSchema)Schema.Parse("""
            {"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"]}]}
            """);

        ((UnionSchema)schema.Fields[1].Schema).Branches[1].Should().BeSameAs(schema);
        schema.ToCanonicalForm().Should().Be("""{"name":"Node","type":"record","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"]}]}""");
    }

    [Theory]
    [InlineData("not json", "*not valid JSON*")]
    [InlineData("\"nope\"", "*Undefined type name 'nope'*")]
    [InlineData("{\"type\":\"record\",\"name\":\"1R\",\"fields\":[]}", "*Invalid name '1R'*")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\"}", "*'fields'*")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"a\",\"type\":\"int\"}]}", "*duplicate field 'a'*")]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}", "*duplicate symbol 'A'*")]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"B\"}", "*default*not one of its symbols*")]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\",\"size\":-1}", "*size*")]
    [InlineData("[\"int\",\"int\"]", "*duplicate type*")]
    [InlineData("[\"int\",[\"null\"]]", "*may not immediately contain another union*")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}", "*Invalid default for field 'a'*")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":[\"null\",\"int\"],\"default\":1}]}", "*Invalid default for field 'a'*")]
    [InlineData("[{\"type\":\"fixed\",\"name\":\"F\",\"size\":1},{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}]", "*defined twice*")]
    [InlineData("{\"type\":\"array\"}", "*'items'*")]
    [InlineData("{\"type\":\"record\",\"name\":\"int\",\"fields\":[]}", "*primitive name 'int'*")]
    public void Invalid_schemas_are_rejected_with_a_clear_message(string json, string message)
    {
        var act = () => Schema.Parse(json);

        act.Should().Throw<AvroSchemaParseException>().WithMessage(message);
    }

    [Theory]
    [InlineData("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}", "decimal")]
    [InlineData("{\"type\":\"fixed\",\"name\":\"D\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18}", "decimal")]
    [InlineData("{\"type\":\"string\",\"logicalType\":\"uuid\"}", "uuid")]
    [InlineData("{\"type\":\"int\",\"logicalType\":\"date\"}", "date")]
    [InlineData("{\"type\":\"int\",\"logicalType\":\"time-millis\"}", "time-millis")]
    [InlineData("{\"type\":\"long\",\"logicalType\":\"time-micros\"}", "time-micros")]
    [InlineData("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}", "timestamp-millis")]
    [InlineData("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}", "timestamp-micros")]
    [InlineData("{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}", "local-timestamp-millis")]
    [InlineData("{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}", "local-timestamp-micros")]
    [InlineData("{\"type\":\"int\",\"logicalType\":\"timestamp-millis\"}", null)]
    [InlineData("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":3}", null)]
    [InlineData("{\"type\":\"fixed\",\"name\":\"D\",\"size\":2,\"logicalType\":\"decimal\",\"precision\":5}", null)]
    [InlineData("{\"type\":\"string\",\"logicalType\":\"made-up\"}", null)]
    public void Logical_types_apply_only_to_their_base_types_and_invalid_ones_are_ignored(string json, string? logical)
    {
        var schema = Schema.Parse(json);

        schema.LogicalTypeName.Should().Be(logical);
        if (logical is null)
        {
            schema.Properties.Should().ContainKey("logicalType", "an ignored logical type is kept as a property");
        }
    }

    [Fact]
    public void Decimal_exposes_precision_and_scale()
    {
        var schema = Schema.Parse("""{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}""");

        (schema.Precision, schema.Scale).Should().Be((18, 6));
    }

    [Fact]
    public void Full_json_round_trips_docs_defaults_aliases_and_properties()
    {
        const string json = """
            {"type":"record","name":"R","namespace":"n","doc":"record doc","aliases":["old.R"],"custom":{"k":1},"fields":[
              {"name":"a","type":{"type":"long","logicalType":"timestamp-millis"},"doc":"field doc","default":5,"aliases":["x"],"order":"descending","x-pii":true},
              {"name":"b","type":{"type":"enum","name":"E","namespace":"other","symbols":["A","B"],"default":"A"}},
              {"name":"c","type":["null",{"type":"fixed","name":"F","size":2}],"default":null},
              {"name":"d","type":"other.E"}]}
            """;
        var schema = (RecordSchema)Schema.Parse(json);

        var reparsed = (RecordSchema)Schema.Parse(schema.ToJson());

        reparsed.ToJson().Should().Be(schema.ToJson());
        reparsed.ToCanonicalForm().Should().Be(schema.ToCanonicalForm());
        reparsed.Doc.Should().Be("record doc");
        reparsed.Aliases.Should().Equal("old.R");
        reparsed.Properties["custom"].Should().Be("""{"k":1}""");
        reparsed.Fields[0].Doc.Should().Be("field doc");
        reparsed.Fields[0].DefaultJson.Should().Be("5");
        reparsed.Fields[0].Aliases.Should().Equal("x");
        reparsed.Fields[0].Order.Should().Be("descending");
        reparsed.Fields[0].Properties["x-pii"].Should().Be("true");
        reparsed.Fields[0].Schema.LogicalTypeName.Should().Be("timestamp-millis");
        ((EnumSchema)reparsed.Fields[1].Schema).Default.Should().Be("A");
        ((NamedSchema)reparsed.Fields[2].Schema.As<UnionSchema>().Branches[1]).FullName.Should().Be("n.F");
    }

    [Fact]
    public void Canonical_form_strips_attributes_orders_keys_and_uses_full_names()
    {
        var schema = Schema.Parse("""
            {"namespace":"x.y","doc":"d","type":"record","name":"R","aliases":["Q"],"fields":[
              {"type":{"type":"int","logicalType":"date"},"name":"a","default":1,"doc":"z"},
              {"name":"b","type":{"symbols":["S"],"type":"enum","name":"E"}},
              {"name":"c","type":{"size":16,"type":"fixed","name":"q.F"}},
              {"name":"d","type":{"values":"E","type":"map"}},
              {"name":"e","type":{"items":{"type":"string"},"type":"array"}}]}
            """);

        schema.ToCanonicalForm().Should().Be(
            """{"name":"x.y.R","type":"record","fields":[{"name":"a","type":"int"},{"name":"b","type":{"name":"x.y.E","type":"enum","symbols":["S"]}},{"name":"c","type":{"name":"q.F","type":"fixed","size":16}},{"name":"d","type":{"type":"map","values":"x.y.E"}},{"name":"e","type":{"type":"array","items":"string"}}]}""");
    }

    [Fact]
    public void Error_types_keep_their_type_in_the_canonical_form()
    {
        Schema.Parse("""{"type":"error","name":"Failure","fields":[]}""").ToCanonicalForm().Should().Be("""{"name":"Failure","type":"error","fields":[]}""");
    }

    [Theory]
    [InlineData("\"null\"", 7195948357588979594L)]
    [InlineData("{\"type\":\"null\"}", 7195948357588979594L)]
    public void Fingerprint_matches_the_specification_test_vector(string json, long expected)
    {
        Schema.Parse(json).Fingerprint64().Should().Be(expected);
    }

    [Fact]
    public void Equal_canonical_forms_have_equal_fingerprints_and_different_ones_differ()
    {
        var a = Schema.Parse("""{"type":"record","name":"R","doc":"one","fields":[{"name":"a","type":"int"}]}""");
        var b = Schema.Parse("""{"type":"record","name":"R","doc":"two","fields":[{"name":"a","type":"int","default":3}]}""");
        var c = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""");

        a.Fingerprint64().Should().Be(b.Fingerprint64());
        a.Fingerprint64().Should().NotBe(c.Fingerprint64());
    }
}
