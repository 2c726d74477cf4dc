using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MesErpStreams.Avro;
using MesErpStreams.Avro.Compatibility;

namespace MesErpStreams.SchemaRegistry.UnitTests;

/// <summary>The client against the embedded server: the Confluent REST API round trip, both sides.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryApiTests(RegistryFixture fixture)
{
    private CachedSchemaRegistryClient Client => fixture.Client;

    [Fact]
    public async Task Registering_the_same_schema_twice_returns_the_same_id_and_version()
    {
        var subject = RegistryFixture.Subject();
        var id1 = await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        var id2 = await Client.RegisterSchemaAsync(subject, TestSchemas.V1.Replace(" ", "", StringComparison.Ordinal));
        id2.Should().Be(id1);
        (await Client.GetVersionsAsync(subject)).Should().Equal(1);
    }

    [Fact]
    public async Task Compatible_change_becomes_version_2_with_a_new_id()
    {
        var subject = RegistryFixture.Subject();
        var id1 = await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        var id2 = await Client.RegisterSchemaAsync(subject, TestSchemas.V2);
        id2.Should().NotBe(id1);
        (await Client.GetVersionsAsync(subject)).Should().Equal(1, 2);
        var latest = await Client.GetLatestSchemaAsync(subject);
        latest.Should().Be(new RegisteredSchema(subject, id2, 2, Schema.Parse(TestSchemas.V2).ToJson()));
        (await Client.GetSchemaAsync(subject, 1)).Id.Should().Be(id1);
        Schema.Parse(await Client.GetSchemaAsync(id1)).ToCanonicalForm().Should().Be(Schema.Parse(TestSchemas.V1).ToCanonicalForm());
    }

    [Fact]
    public async Task Same_schema_under_two_subjects_has_one_id()
    {
        var a = await Client.RegisterSchemaAsync(RegistryFixture.Subject("a"), TestSchemas.V1 + " ");
        var b = await Client.RegisterSchemaAsync(RegistryFixture.Subject("b"), TestSchemas.V1 + "  ");
        b.Should().Be(a);
    }

    [Fact]
    public async Task Lookup_finds_the_version_of_a_registered_schema()
    {
        var subject = RegistryFixture.Subject();
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        var id = await Client.RegisterSchemaAsync(subject, TestSchemas.V2);
        var found = await Client.LookupSchemaAsync(subject, TestSchemas.V2);
        found.Id.Should().Be(id);
        found.Version.Should().Be(2);
    }

    [Fact]
    public async Task Unknown_subject_version_schema_and_id_have_their_confluent_error_codes()
    {
        var subject = RegistryFixture.Subject();
        (await Catch(() => Client.LookupSchemaAsync(subject, TestSchemas.V1))).ErrorCode.Should().Be(40401);
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        (await Catch(() => Client.LookupSchemaAsync(subject, TestSchemas.V2))).ErrorCode.Should().Be(40403);
        (await Catch(() => Client.GetSchemaAsync(subject, 7))).ErrorCode.Should().Be(40402);
        var e = await Catch(() => Client.GetSchemaAsync(987654));
        e.ErrorCode.Should().Be(40403);
        e.StatusCode.Should().Be(404);
    }

    [Fact]
    public async Task Invalid_schema_is_422_with_42201()
    {
        var e = await Catch(() => Client.RegisterSchemaAsync(RegistryFixture.Subject(), """{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}"""));
        e.StatusCode.Should().Be(422);
        e.ErrorCode.Should().Be(42201);
        e.Message.Should().Contain("nope");
    }

    [Fact]
    public async Task Incompatible_change_is_refused_with_409_naming_the_field()
    {
        var subject = RegistryFixture.Subject();
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        var e = await Catch(() => Client.RegisterSchemaAsync(subject, TestSchemas.V1PlusRequiredShift));
        e.StatusCode.Should().Be(409);
        e.ErrorCode.Should().Be(409);
        e.Message.Should().Contain("shift");
        (await Client.GetVersionsAsync(subject)).Should().Equal(1);
    }

    [Fact]
    public async Task Compatibility_test_reports_messages_without_registering()
    {
        var subject = RegistryFixture.Subject();
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        var bad = await Client.TestCompatibilityAsync(subject, TestSchemas.V1PlusRequiredShift);
        bad.IsCompatible.Should().BeFalse();
        bad.Messages.Should().Contain(m => m.Contains("shift", StringComparison.Ordinal));
        (await Client.TestCompatibilityAsync(subject, TestSchemas.V2, version: 1)).IsCompatible.Should().BeTrue();
        (await Client.GetVersionsAsync(subject)).Should().Equal(1);
    }

    [Fact]
    public async Task Subject_level_overrides_global_and_NONE_accepts_anything()
    {
        var subject = RegistryFixture.Subject();
        (await Client.GetCompatibilityAsync(subject, defaultToGlobal: false)).Should().BeNull();
        (await Client.GetCompatibilityAsync(subject)).Should().Be(await Client.GetCompatibilityAsync(null));
        await Client.SetCompatibilityAsync(subject, CompatibilityLevel.None);
        (await Client.GetCompatibilityAsync(subject, defaultToGlobal: false)).Should().Be(CompatibilityLevel.None);
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1PlusRequiredShift);
        (await Client.GetVersionsAsync(subject)).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Forward_level_refuses_removing_a_field_the_old_reader_needs()
    {
        var subject = RegistryFixture.Subject();
        await Client.SetCompatibilityAsync(subject, CompatibilityLevel.Forward);
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1PlusRequiredShift);
        var e = await Catch(() => Client.RegisterSchemaAsync(subject, TestSchemas.V1));
        e.StatusCode.Should().Be(409);
        e.Message.Should().Contain("shift").And.Contain("FORWARD");
    }

    [Fact]
    public async Task Subjects_are_listed_and_soft_deleted()
    {
        var subject = RegistryFixture.Subject();
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        (await Client.GetSubjectsAsync()).Should().Contain(subject);
        (await Client.DeleteSubjectAsync(subject)).Should().Equal(1);
        (await Client.GetSubjectsAsync()).Should().NotContain(subject);
        (await Catch(() => Client.GetVersionsAsync(subject))).ErrorCode.Should().Be(40401);
        await Client.RegisterSchemaAsync(subject, TestSchemas.V1PlusRequiredShift);
        (await Client.GetVersionsAsync(subject)).Should().Equal(2);
    }

    [Fact]
    public async Task Errors_use_the_confluent_body_and_media_type()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(fixture.Url + "/subjects/" + RegistryFixture.Subject() + "/versions"));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.schemaregistry.v1+json");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["error_code"]!.GetValue<int>().Should().Be(40401);
        body["message"]!.GetValue<string>().Should().Contain("not found");
    }

    [Fact]
    public async Task Raw_schema_endpoints_serve_the_schema_text()
    {
        var subject = RegistryFixture.Subject();
        var id = await Client.RegisterSchemaAsync(subject, TestSchemas.V1);
        using var http = new HttpClient();
        var byVersion = await http.GetStringAsync(new Uri($"{fixture.Url}/subjects/{subject}/versions/latest/schema"));
        Schema.Parse(byVersion).ToCanonicalForm().Should().Be(Schema.Parse(TestSchemas.V1).ToCanonicalForm());
        var uses = JsonNode.Parse(await http.GetStringAsync(new Uri($"{fixture.Url}/schemas/ids/{id}/versions")))!.AsArray();
        uses.Should().Contain(n => n!["subject"]!.GetValue<string>() == subject);
        using var content = new StringContent("""{"compatibility":"SIDEWAYS"}""", Encoding.UTF8, "application/json");
        var bad = await http.PutAsync(new Uri($"{fixture.Url}/config/{subject}"), content);
        ((int)bad.StatusCode).Should().Be(422);
        JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error_code"]!.GetValue<int>().Should().Be(42203);
    }

    private static async Task<SchemaRegistryException> Catch(Func<Task> act) =>
        (await act.Should().ThrowAsync<SchemaRegistryException>()).Which;
}
