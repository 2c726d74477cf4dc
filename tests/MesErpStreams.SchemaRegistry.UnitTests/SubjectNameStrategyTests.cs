namespace MesErpStreams.SchemaRegistry.UnitTests;

public sealed class SubjectNameStrategyTests
{
    [Theory]
    [InlineData(SubjectNameStrategy.Topic, false, "mes.events.scrap-reports-value")]
    [InlineData(SubjectNameStrategy.Topic, true, "mes.events.scrap-reports-key")]
    [InlineData(SubjectNameStrategy.Record, false, "com.meserp.mes.ScrapReport")]
    [InlineData(SubjectNameStrategy.TopicRecord, false, "mes.events.scrap-reports-com.meserp.mes.ScrapReport")]
    public void Subject_follows_the_confluent_strategy(SubjectNameStrategy strategy, bool isKey, string expected) =>
        SubjectNames.Get(strategy, "mes.events.scrap-reports", isKey, "com.meserp.mes.ScrapReport").Should().Be(expected);

    [Fact]
    public void Record_strategies_need_a_record_name() =>
        FluentActions.Invoking(() => SubjectNames.Get(SubjectNameStrategy.Record, "t", false, null)).Should().Throw<ArgumentException>();
}
