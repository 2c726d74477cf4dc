using System.Buffers.Binary;
using System.Reflection;
using Confluent.Kafka;
using MesErpStreams.Avro;
using MesErpStreams.Contracts;
using MesErpStreams.SchemaRegistry.Serdes;
using CSR = Confluent.SchemaRegistry;
using CSerdes = Confluent.SchemaRegistry.Serdes;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// Our serdes and Confluent's AvroSerializer/AvroDeserializer 2.15.1 on the same registry, both directions, for every
/// topic schema in <c>schemas/</c>: Confluent's deserializer (GenericRecord and the specific class Avro.CodeGen
/// generates) decodes what our serializer writes, and our deserializers (typed and generic) decode what Confluent's
/// serializer writes (GenericRecord and specific), each time to the very datum Apache's writer encodes to the same bytes.
/// </summary>
public sealed class SerdeInteropTests(PlatformFixture fx) : IClassFixture<PlatformFixture>
{
    private const int ValuesPerSchema = 40;

    public static TheoryData<string> TopicSchemaFiles() => new(ContractSchemas.TopicSchemas.Select(s => s.File));

    [Theory]
    [MemberData(nameof(TopicSchemaFiles))]
    public async Task Confluents_deserializers_decode_what_our_serializer_writes(string file)
    {
        var (topic, context, apacheSchema, contract, specificType) = Describe(file);
        var ours = Ours(nameof(SerializeWithOurs), contract);
        var generic = new CSerdes.AvroDeserializer<global::Avro.Generic.GenericRecord>(fx.Confluent);
        var specific = Confluent(typeof(CSerdes.AvroDeserializer<>), specificType);
        var data = new ApacheRandomData(new Random(file.Length * 7919));
        var registeredId = (await fx.Platform.Client.GetLatestSchemaAsync(topic + "-value")).Id;
        for (var i = 0; i < ValuesPerSchema; i++)
        {
            var apache = ApacheCodec.WriteGeneric(apacheSchema, data.Next(apacheSchema));
            var wire = await ours(apache, context);

            wire[0].Should().Be(0, "magic byte");
            BinaryPrimitives.ReadInt32BigEndian(wire.AsSpan(1, 4)).Should().Be(registeredId);
            Convert.ToHexString(wire.AsSpan(5)).Should().Be(Convert.ToHexString(apache), "our serializer writes the datum's Avro bytes");

            var record = await generic.DeserializeAsync(wire, isNull: false, context);
            Convert.ToHexString(ApacheCodec.WriteGeneric(apacheSchema, record)).Should().Be(Convert.ToHexString(apache), $"{file} value {i}: GenericRecord");
            var instance = await Deserialize(specific, wire, context);
            instance.GetType().Should().Be(specificType);
            Convert.ToHexString(ApacheCodec.WriteSpecific(apacheSchema, instance)).Should().Be(Convert.ToHexString(apache), $"{file} value {i}: specific record");
        }
    }

    [Theory]
    [MemberData(nameof(TopicSchemaFiles))]
    public async Task Our_deserializers_decode_what_Confluents_serializer_writes(string file)
    {
        var (_, context, apacheSchema, contract, specificType) = Describe(file);
        var typed = Ours(nameof(DecodeWithOurs), contract);
        var ourGeneric = new GenericAvroDeserializer(fx.Platform.Client);
        var ourSchema = ContractSchemas.Get(file);
        // Auto-registration on (Confluent's default): the serializer registers Apache's rendering of the schema, which
        // the registry finds to be the registered schema (or a compatible new version).
        var generic = new CSerdes.AvroSerializer<global::Avro.Generic.GenericRecord>(fx.Confluent);
        var specific = Confluent(typeof(CSerdes.AvroSerializer<>), specificType);
        var data = new ApacheRandomData(new Random(file.Length * 104729));
        for (var i = 0; i < ValuesPerSchema; i++)
        {
            var record = (global::Avro.Generic.GenericRecord)data.Next(apacheSchema)!;
            var apache = ApacheCodec.WriteGeneric(apacheSchema, record);
            var fromGeneric = await generic.SerializeAsync(record, context);
            var fromSpecific = await Serialize(specific, ApacheCodec.ReadSpecific(apacheSchema, apache), context);

            foreach (var (wire, by) in new[] { (fromGeneric, "GenericRecord"), (fromSpecific, "specific record") })
            {
                Convert.ToHexString(wire.AsSpan(5)).Should().Be(Convert.ToHexString(apache), $"Confluent's serializer ({by}) writes the datum's bytes");
                Convert.ToHexString(await typed(wire, context)).Should().Be(Convert.ToHexString(apache), $"{file} value {i}: our typed deserializer, written from a {by}");
                var ours = await ourGeneric.DeserializeAsync(wire, isNull: false, context);
                Convert.ToHexString(GenericDatum.Encode(ourSchema, ours)).Should().Be(Convert.ToHexString(apache), $"{file} value {i}: our generic deserializer, written from a {by}");
            }
        }
    }

    /// <summary>The schema file's first topic, a value context on it (with headers, as a producer passes), its Apache schema, contract record and generated class.</summary>
    private static (string Topic, SerializationContext Context, global::Avro.Schema Apache, Type Contract, Type Specific) Describe(string file)
    {
        var topic = ContractSchemas.TopicSchemas.Single(s => s.File == file).Topics[0];
        var fullName = ((NamedSchema)ContractSchemas.Get(file)).FullName;
        var contract = ContractCodecs.Types.Single(t => ((NamedSchema)ContractCodecs.SchemaOf(t)).FullName == fullName);
        return (topic, new SerializationContext(MessageComponentType.Value, topic, []), global::Avro.Schema.Parse(ContractSchemas.GetJson(file)),
            contract, ApacheSpecificTypes.For(fullName));
    }

    /// <summary><see cref="SerializeWithOurs{T}"/> or <see cref="DecodeWithOurs{T}"/> for a contract type known at run time.</summary>
    private Func<byte[], SerializationContext, Task<byte[]>> Ours(string method, Type contract) =>
        (Func<byte[], SerializationContext, Task<byte[]>>)typeof(SerdeInteropTests).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(contract).Invoke(this, null)!;

    /// <summary>
    /// Confluent's serializer or deserializer of a generated specific class (known at run time only), built with the
    /// constructor C# code calls: <c>AvroSerializer(client, AvroSerializerConfig = null, RuleRegistry = null)</c>,
    /// <c>AvroDeserializer(client, config = null)</c>. (The serializer's other constructor, taking the configuration
    /// as key/value pairs, fails every Serialize of a specific record with a NullReferenceException in 2.15.1.)
    /// </summary>
    private object Confluent(Type open, Type specificType)
    {
        var type = open.MakeGenericType(specificType);
        return open == typeof(CSerdes.AvroSerializer<>)
            ? type.GetConstructor([typeof(CSR.ISchemaRegistryClient), typeof(CSerdes.AvroSerializerConfig), typeof(CSR.RuleRegistry)])!.Invoke([fx.Confluent, null, null])
            : type.GetConstructor([typeof(CSR.ISchemaRegistryClient), typeof(IEnumerable<KeyValuePair<string, string>>)])!.Invoke([fx.Confluent, null]);
    }

    private static async Task<byte[]> Serialize(object serializer, object value, SerializationContext context) =>
        await (Task<byte[]>)serializer.GetType().GetMethod("SerializeAsync")!.Invoke(serializer, [value, context])!;

    private static async Task<object> Deserialize(object deserializer, byte[] wire, SerializationContext context)
    {
        var task = (Task)deserializer.GetType().GetMethod("DeserializeAsync")!.Invoke(deserializer, [new ReadOnlyMemory<byte>(wire), false, context])!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    /// <summary>Decodes Avro bytes into the contract record and serializes it with our serializer.</summary>
    private Func<byte[], SerializationContext, Task<byte[]>> SerializeWithOurs<T>()
        where T : IAvroContract<T>
    {
        var codec = AvroCodec.For<T>(T.Schema);
        var serializer = new AvroSerializer<T>(fx.Platform.Client, T.Schema);
        return (avro, context) => serializer.SerializeAsync(codec.Decode(avro), context);
    }

    /// <summary>Deserializes wire bytes with our typed deserializer and encodes the record again (plain Avro).</summary>
    private Func<byte[], SerializationContext, Task<byte[]>> DecodeWithOurs<T>()
        where T : IAvroContract<T>
    {
        var codec = AvroCodec.For<T>(T.Schema);
        var deserializer = new AvroDeserializer<T>(fx.Platform.Client, T.Schema);
        return async (wire, context) => codec.Encode(await deserializer.DeserializeAsync(wire, isNull: false, context));
    }
}
