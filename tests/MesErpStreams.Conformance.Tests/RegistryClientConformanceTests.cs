using System.Net;
using System.Text.Json.Nodes;
using CSR = Confluent.SchemaRegistry;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// Confluent's <c>CachedSchemaRegistryClient</c> 2.15.1 (the version of the Confluent.Kafka in use) against the embedded
/// registry: every call the client and its serdes make, with the answers a Confluent registry gives.
/// </summary>
public sealed class RegistryClientConformanceTests(PlatformFixture fx) : IClassFixture<PlatformFixture>
{
    private const string V1 = """{"type":"record","name":"Reading","namespace":"com.meserp.conformance","fields":[{"name":"value","type":"long"}]}""";
    private const string V2 = """{"type":"record","name":"Reading","namespace":"com.meserp.conformance","fields":[{"name":"value","type":"long"},{"name":"unit","type":"string","default":"PC"}]}""";
    private const string Breaking = """{"type":"record","name":"Reading","namespace":"com.meserp.conformance","fields":[{"name":"value","type":"string"}]}""";

    private static CSR.Schema Avro(string json) => new(json, CSR.SchemaType.Avro);

    [Fact]
    public async Task Register_lookup_get_by_id_and_by_guid_latest_and_specific_versions_and_subjects()
    {
        var subject = PlatformFixture.UniqueSubject("register");
        var client = fx.Confluent;

        var id1 = await client.RegisterSchemaAsync(subject, Avro(V1));
        var registered2 = await client.RegisterSchemaWithResponseAsync(subject, Avro(V2), normalize: false);
        (await client.RegisterSchemaAsync(subject, Avro(V1))).Should().Be(id1, "registering a registered schema answers its id");

        registered2.Id.Should().NotBe(id1);
        registered2.Version.Should().Be(2);
        Guid.TryParse(registered2.Guid, out _).Should().BeTrue($"the register response carries a guid ({registered2.Guid})");

        var lookup = await client.LookupSchemaAsync(subject, Avro(V1), ignoreDeletedSchemas: true, normalize: false);
        lookup.Id.Should().Be(id1);
        lookup.Version.Should().Be(1);

        (await client.GetSchemaAsync(id1)).SchemaString.Should().Be(V1);
        (await client.GetSchemaBySubjectAndIdAsync(subject, registered2.Id)).SchemaString.Should().Be(V2);
        (await client.GetSchemaByGuidAsync(registered2.Guid)).SchemaString.Should().Be(V2);

        var latest = await client.GetLatestSchemaAsync(subject);
        (latest.Version, latest.Id, latest.SchemaString, latest.Guid).Should().Be((2, registered2.Id, V2, registered2.Guid));
        var first = await client.GetRegisteredSchemaAsync(subject, 1, ignoreDeletedSchemas: true);
        (first.Version, first.Id, first.SchemaString).Should().Be((1, id1, V1));
        Guid.TryParse(first.Guid, out _).Should().BeTrue();

        (await client.GetSubjectVersionsAsync(subject)).Should().Equal(1, 2);
        (await client.GetAllSubjectsAsync()).Should().Contain(subject).And.Contain("mes.events.production-confirmations-value");
    }

    [Fact]
    public async Task Latest_with_metadata_is_the_latest_version_and_a_metadata_filter_no_schema_carries_is_not_found()
    {
        var subject = PlatformFixture.UniqueSubject("metadata");
        await fx.Confluent.RegisterSchemaAsync(subject, Avro(V1));
        var id2 = await fx.Confluent.RegisterSchemaAsync(subject, Avro(V2));

        var latest = await fx.Confluent.GetLatestWithMetadataAsync(subject, new Dictionary<string, string>(), ignoreDeletedSchemas: true);
        (latest.Version, latest.Id).Should().Be((2, id2));

        var act = () => fx.Confluent.GetLatestWithMetadataAsync(subject, new Dictionary<string, string> { ["owner"] = "plant-1000" }, ignoreDeletedSchemas: true);
        (await act.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.ErrorCode.Should().Be(40403);
        var unknown = () => fx.Confluent.GetLatestWithMetadataAsync("no-such-subject-value", new Dictionary<string, string>(), ignoreDeletedSchemas: true);
        (await unknown.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.ErrorCode.Should().Be(40401);
    }

    [Fact]
    public async Task Compatibility_test_against_the_latest_version_follows_the_subject_level()
    {
        var subject = PlatformFixture.UniqueSubject("compat");
        await fx.Confluent.RegisterSchemaAsync(subject, Avro(V1));

        (await fx.Confluent.IsCompatibleAsync(subject, Avro(V2))).Should().BeTrue();
        (await fx.Confluent.IsCompatibleAsync(subject, Avro(Breaking))).Should().BeFalse();
        var register = () => fx.Confluent.RegisterSchemaAsync(subject, Avro(Breaking));
        (await register.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.Status.Should().Be(HttpStatusCode.Conflict);

        await fx.Confluent.UpdateCompatibilityAsync(CSR.Compatibility.None, subject);
        (await fx.Confluent.IsCompatibleAsync(subject, Avro(Breaking))).Should().BeTrue("level NONE accepts anything");
    }

    [Fact]
    public async Task Config_is_read_and_set_at_global_and_subject_level()
    {
        var subject = PlatformFixture.UniqueSubject("config");
        await fx.Confluent.RegisterSchemaAsync(subject, Avro(V1));
        var global = await fx.Confluent.GetCompatibilityAsync();
        global.Should().Be(CSR.Compatibility.Backward, "Confluent's default");

        // Without a subject level Confluent answers 40408, unless defaultToGlobal asks for the global level.
        var unset = () => fx.Confluent.GetCompatibilityAsync(subject);
        (await unset.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.ErrorCode.Should().Be(40408);
        var viaGlobal = JsonNode.Parse(await fx.Http.GetStringAsync($"config/{Uri.EscapeDataString(subject)}?defaultToGlobal=true"))!;
        viaGlobal["compatibilityLevel"]!.GetValue<string>().Should().Be("BACKWARD");

        (await fx.Confluent.UpdateCompatibilityAsync(CSR.Compatibility.ForwardTransitive, subject)).Should().Be(CSR.Compatibility.ForwardTransitive);
        (await fx.Confluent.GetCompatibilityAsync(subject)).Should().Be(CSR.Compatibility.ForwardTransitive);
        (await fx.Confluent.GetCompatibilityAsync()).Should().Be(CSR.Compatibility.Backward, "a subject level leaves the global level alone");

        try
        {
            (await fx.Confluent.UpdateCompatibilityAsync(CSR.Compatibility.Full)).Should().Be(CSR.Compatibility.Full);
            (await fx.Confluent.GetCompatibilityAsync()).Should().Be(CSR.Compatibility.Full);
            (await fx.Confluent.GetCompatibilityAsync(subject)).Should().Be(CSR.Compatibility.ForwardTransitive, "the subject level wins");
        }
        finally
        {
            await fx.Confluent.UpdateCompatibilityAsync(CSR.Compatibility.Backward);
        }
    }

    [Fact]
    public async Task References_rule_sets_and_metadata_are_refused_with_Confluents_error_codes()
    {
        var subject = PlatformFixture.UniqueSubject("unsupported");
        var withReference = new CSR.Schema(V1, [new CSR.SchemaReference("com.meserp.common.Quantity", "quantity-value", 1)], CSR.SchemaType.Avro);
        var reference = () => fx.Confluent.RegisterSchemaAsync(subject, withReference);
        (await reference.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.ErrorCode.Should().Be(42201);

        var ruleSet = new CSR.RuleSet([], [new CSR.Rule("checkValue", CSR.RuleKind.Condition, CSR.RuleMode.Write, "CEL", null, null, "message.value > 0", null, null, false)]);
        var withRules = new CSR.Schema(V1, [], CSR.SchemaType.Avro, null, ruleSet);
        var rules = () => fx.Confluent.RegisterSchemaAsync(subject, withRules);
        (await rules.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.ErrorCode.Should().Be(42210);

        var metadata = new CSR.Metadata(null, new Dictionary<string, string> { ["owner"] = "plant-1000" }, null);
        var withMetadata = new CSR.Schema(V1, [], CSR.SchemaType.Avro, metadata, null);
        var meta = () => fx.Confluent.RegisterSchemaAsync(subject, withMetadata);
        (await meta.Should().ThrowAsync<CSR.SchemaRegistryException>()).Which.ErrorCode.Should().Be(42201);

        (await fx.Http.GetAsync($"subjects/{Uri.EscapeDataString(subject)}/versions")).StatusCode.Should().Be(HttpStatusCode.NotFound, "nothing was registered");
    }

    [Fact]
    public async Task Schema_responses_carry_the_same_guid_everywhere_and_an_unknown_guid_is_40403()
    {
        var subject = PlatformFixture.UniqueSubject("guid");
        var registered = JsonNode.Parse(await (await fx.Http.PostAsync($"subjects/{Uri.EscapeDataString(subject)}/versions",
            new StringContent(new JsonObject { ["schema"] = V1 }.ToJsonString(), System.Text.Encoding.UTF8, "application/vnd.schemaregistry.v1+json"))).Content.ReadAsStringAsync())!.AsObject();
        registered.Select(p => p.Key).Should().BeEquivalentTo(["id", "version", "guid", "schema"], "the register response of a current Confluent registry for an AVRO schema without references, metadata or rules");
        var guid = registered["guid"]!.GetValue<string>();
        var id = registered["id"]!.GetValue<int>();

        JsonNode.Parse(await fx.Http.GetStringAsync($"schemas/ids/{id}"))!["guid"]!.GetValue<string>().Should().Be(guid);
        JsonNode.Parse(await fx.Http.GetStringAsync($"subjects/{Uri.EscapeDataString(subject)}/versions/latest"))!["guid"]!.GetValue<string>().Should().Be(guid);
        var byGuid = JsonNode.Parse(await fx.Http.GetStringAsync($"schemas/guids/{guid}"))!;
        byGuid["schema"]!.GetValue<string>().Should().Be(V1);

        using var unknown = await fx.Http.GetAsync($"schemas/guids/{Guid.NewGuid()}");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error_code"]!.GetValue<int>().Should().Be(40403);
    }
}
