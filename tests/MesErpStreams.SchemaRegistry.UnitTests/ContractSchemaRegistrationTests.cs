using MesErpStreams.Contracts.Erp;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.SchemaRegistry.UnitTests;

[Collection(RegistryCollection.Name)]
public sealed class ContractSchemaRegistrationTests(RegistryFixture fixture)
{
    [Fact]
    public async Task Every_contract_schema_is_registered_under_its_topic_subjects_idempotently()
    {
        var first = await ContractSchemaRegistration.RegisterAllAsync(fixture.Client, SubjectNameStrategy.TopicRecord);
        var again = await ContractSchemaRegistration.RegisterAllAsync(fixture.Client, SubjectNameStrategy.TopicRecord);
        again.Should().BeEquivalentTo(first);
        first.Should().HaveCount(12);
        first.Should().Contain(r => r.Subject == "erp.posting-commands.retry-2-com.meserp.erp.ErpPostingCommand");
        first.Where(r => r.Subject.StartsWith("erp.posting-commands", StringComparison.Ordinal)).Select(r => r.Id).Distinct().Should().ContainSingle();
        (await fixture.Client.LookupSchemaAsync("erp.posting-results-com.meserp.erp.PostingResult", PostingResult.Schema.ToJson())).Version.Should().Be(1);
    }
}
