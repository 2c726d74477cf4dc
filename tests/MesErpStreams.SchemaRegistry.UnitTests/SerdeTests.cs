using System.Buffers.Binary;
using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.SchemaRegistry.UnitTests;

/// <summary>Avro serdes in the Confluent wire format against the embedded registry.</summary>
[Collection(RegistryCollection.Name)]
public sealed class SerdeTests(RegistryFixture fixture)
{
    private static readonly AvroSerializerConfig AutoRegister = new() { AutoRegisterSchemas = true };

    [Fact]
    public async Task Serialized_value_is_magic_byte_big_endian_id_and_avro_body()
    {
        var topic = Topic();
        var value = new ReadingV1 { Id = "r-1", Quantity = 12.5m };
        var serializer = new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1), AutoRegister);
        var bytes = await serializer.SerializeAsync(value, Ctx(topic));
        var id = (await fixture.Client.LookupSchemaAsync(topic + "-value", TestSchemas.V1)).Id;
        bytes[0].Should().Be(0);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)).Should().Be(id);
        bytes.AsSpan(5).ToArray().Should().Equal(AvroCodec.For<ReadingV1>(Schema.Parse(TestSchemas.V1)).Encode(value));
    }

    [Fact]
    public async Task Contract_round_trips_through_serializer_and_deserializer()
    {
        var topic = Topic();
        var value = new ProductionConfirmation
        {
            EventId = Guid.NewGuid(), Plant = "1000", SourceSystem = "mes", OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
            Sequence = 7, WorkOrder = "1000123", Operation = "0010", WorkCenter = "WC1",
            YieldQuantity = new Contracts.Common.Quantity { Value = 5.000001m, Unit = "PC" }, FinalConfirmation = false,
        };
        var bytes = await new AvroSerializer<ProductionConfirmation>(fixture.Client, ProductionConfirmation.Schema, AutoRegister).SerializeAsync(value, Ctx(topic));
        var back = await new AvroDeserializer<ProductionConfirmation>(fixture.Client, ProductionConfirmation.Schema).DeserializeAsync(bytes, false, Ctx(topic));
        back.Should().BeEquivalentTo(value);
    }

    [Fact]
    public async Task New_reader_reads_old_writer_with_the_default_for_the_added_field()
    {
        var topic = Topic();
        var bytes = await new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1), AutoRegister)
            .SerializeAsync(new ReadingV1 { Id = "old", Quantity = 1m }, Ctx(topic));
        var back = await new AvroDeserializer<ReadingV2>(fixture.Client, Schema.Parse(TestSchemas.V2)).DeserializeAsync(bytes, false, Ctx(topic));
        back.Should().Be(new ReadingV2 { Id = "old", Quantity = 1m, Unit = null });
    }

    [Fact]
    public async Task Old_reader_reads_new_writer_ignoring_the_added_field()
    {
        var topic = Topic();
        await fixture.Client.RegisterSchemaAsync(topic + "-value", TestSchemas.V1);
        var bytes = await new AvroSerializer<ReadingV2>(fixture.Client, Schema.Parse(TestSchemas.V2), AutoRegister)
            .SerializeAsync(new ReadingV2 { Id = "new", Quantity = 2m, Unit = "KG" }, Ctx(topic));
        var back = await new AvroDeserializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1)).DeserializeAsync(bytes, false, Ctx(topic));
        back.Should().Be(new ReadingV1 { Id = "new", Quantity = 2m });
    }

    [Fact]
    public async Task Without_auto_registration_an_unregistered_schema_fails_naming_topic_and_subject()
    {
        var topic = Topic();
        var serializer = new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1));
        var e = (await FluentActions.Awaiting(() => serializer.SerializeAsync(new ReadingV1 { Id = "x", Quantity = 1m }, Ctx(topic)))
            .Should().ThrowAsync<AvroSerdeException>()).Which;
        e.Message.Should().Contain(topic).And.Contain("not registered").And.Contain(topic + "-value");
        e.Topic.Should().Be(topic);
    }

    [Fact]
    public async Task Use_latest_version_writes_with_the_latest_registered_schema()
    {
        var topic = Topic();
        await fixture.Client.RegisterSchemaAsync(topic + "-value", TestSchemas.V1);
        var v2 = await fixture.Client.RegisterSchemaAsync(topic + "-value", TestSchemas.V2);
        var bytes = await new AvroSerializer<ReadingV2>(fixture.Client, Schema.Parse(TestSchemas.V2), new AvroSerializerConfig { UseLatestVersion = true })
            .SerializeAsync(new ReadingV2 { Id = "l", Quantity = 3m, Unit = "M" }, Ctx(topic));
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)).Should().Be(v2);
    }

    [Fact]
    public async Task Record_name_strategy_registers_under_the_record_full_name()
    {
        var serializer = new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1),
            new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.TopicRecord });
        var topic = Topic();
        await serializer.SerializeAsync(new ReadingV1 { Id = "x", Quantity = 1m }, Ctx(topic));
        (await fixture.Client.GetSubjectsAsync()).Should().Contain(topic + "-test.Reading");
    }

    [Fact]
    public async Task Unknown_magic_byte_is_reported_with_the_topic()
    {
        var e = await DeserializeFails(new byte[] { 0x7B, 0, 0, 0, 1, 2 });
        e.Message.Should().Contain("magic byte 0x7B").And.Contain("topic 'orders'");
    }

    [Fact]
    public async Task Payload_shorter_than_the_header_is_reported_as_truncated()
    {
        var e = await DeserializeFails(new byte[] { 0, 0, 1 });
        e.Message.Should().Contain("truncated payload: 3 bytes");
    }

    [Fact]
    public async Task Unknown_schema_id_is_reported_with_the_id()
    {
        var e = await DeserializeFails(new byte[] { 0, 0x3B, 0x9A, 0xC9, 0xFF, 2 });
        e.SchemaId.Should().Be(0x3B9AC9FF);
        e.Message.Should().Contain("unknown schema id 999999999").And.Contain("orders");
    }

    [Fact]
    public async Task Truncated_avro_body_is_reported_with_the_schema_id()
    {
        var topic = Topic();
        var bytes = await new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1), AutoRegister)
            .SerializeAsync(new ReadingV1 { Id = "a-long-enough-id", Quantity = 1m }, Ctx(topic));
        var e = (await FluentActions.Awaiting(() => new AvroDeserializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1))
            .DeserializeAsync(bytes.AsMemory(0, 9), false, Ctx(topic))).Should().ThrowAsync<AvroSerdeException>()).Which;
        e.Message.Should().Contain("truncated or corrupt").And.Contain($"schema id {e.SchemaId}").And.Contain(topic);
    }

    [Fact]
    public async Task Writer_lacking_a_field_the_reader_requires_is_reported_as_incompatible()
    {
        var topic = Topic();
        var bytes = await new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1), AutoRegister)
            .SerializeAsync(new ReadingV1 { Id = "a", Quantity = 1m }, Ctx(topic));
        var e = (await FluentActions.Awaiting(() => new AvroDeserializer<ReadingWithShift>(fixture.Client, Schema.Parse(TestSchemas.V1PlusRequiredShift))
            .DeserializeAsync(bytes, false, Ctx(topic))).Should().ThrowAsync<AvroSerdeException>()).Which;
        e.Message.Should().Contain("incompatible schemas").And.Contain("shift");
    }

    [Fact]
    public async Task Null_is_a_tombstone_both_ways()
    {
        var serializer = new AvroSerializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1), AutoRegister);
        (await serializer.SerializeAsync(null!, Ctx(Topic()))).Should().BeNull();
        (await new AvroDeserializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1)).DeserializeAsync(default, true, Ctx(Topic()))).Should().BeNull();
    }

    [Fact]
    public async Task Generic_serde_round_trips_and_reads_typed_output()
    {
        var topic = Topic();
        var typed = await new AvroSerializer<ReadingV2>(fixture.Client, Schema.Parse(TestSchemas.V2), AutoRegister)
            .SerializeAsync(new ReadingV2 { Id = "g", Quantity = 0.25m, Unit = "L" }, Ctx(topic));
        var record = await new GenericAvroDeserializer(fixture.Client).DeserializeAsync(typed, false, Ctx(topic));
        record["id"].Should().Be("g");
        record["unit"].Should().Be("L");
        var again = await new GenericAvroSerializer(fixture.Client).SerializeAsync(record, Ctx(topic));
        again.Should().Equal(typed);
    }

    private async Task<AvroSerdeException> DeserializeFails(byte[] payload) =>
        (await FluentActions.Awaiting(() => new AvroDeserializer<ReadingV1>(fixture.Client, Schema.Parse(TestSchemas.V1))
            .DeserializeAsync(payload, false, Ctx("orders"))).Should().ThrowAsync<AvroSerdeException>()).Which;

    private static string Topic() => "t-" + Guid.NewGuid().ToString("N")[..12];

    private static SerializationContext Ctx(string topic) => new(MessageComponentType.Value, topic);
}
