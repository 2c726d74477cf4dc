namespace MesErpStreams.Streams.UnitTests;

public sealed class TopologyTests
{
    [Fact]
    public void Description_lists_sources_processors_sinks_stores_and_global_tables()
    {
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "in-a", "in-b")
            .AddProcessor("count", () => new CountingProcessor("counts"), "events")
            .AddSink("out", "counts-out", Serdes.String, Serdes.Int64, "count")
            .AddStateStore(State.Stores.Persistent("counts", Serdes.String, Serdes.Int64).WithRetention(TimeSpan.FromHours(1)), "count")
            .AddGlobalTable("materials", "master", Serdes.String, Serdes.String)
            .Build();

        var text = topology.Describe();

        text.Should().Contain("Source: events (topics: [in-a, in-b]) --> count")
            .And.Contain("Processor: count (stores: [counts]) --> out <-- events")
            .And.Contain("Sink: out (topic: counts-out) <-- count")
            .And.Contain("Store: counts (persistent, changelog, retention 01:00:00")
            .And.Contain("Global table: materials (topic: master)");
        topology.ChangelogTopics("app").Should().Equal("app-counts-changelog");
        topology.SourceTopics.Should().Equal("in-a", "in-b");
    }

    [Fact]
    public void Child_whose_input_types_differ_from_the_parent_output_is_rejected()
    {
        var builder = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "in")
            .AddSink("out", "out", Serdes.String, Serdes.Int64, "events");

        var act = () => builder.Build();

        act.Should().Throw<TopologyException>().WithMessage("*'out' takes <String, Int64> but parent 'events' emits <String, String>*");
    }

    [Fact]
    public void Unknown_parent_and_duplicate_names_are_rejected()
    {
        var unknown = () => new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "in")
            .AddSink("out", "out", Serdes.String, Serdes.String, "nope")
            .Build();
        var duplicate = () => new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "in")
            .AddSource("events", Serdes.String, Serdes.String, "in2");
        var sameTopic = () => new TopologyBuilder()
            .AddSource("a", Serdes.String, Serdes.String, "in")
            .AddSource("b", Serdes.String, Serdes.String, "in");

        unknown.Should().Throw<TopologyException>().WithMessage("*unknown parent 'nope'*");
        duplicate.Should().Throw<TopologyException>().WithMessage("*already exists*");
        sameTopic.Should().Throw<TopologyException>().WithMessage("*already read by source 'a'*");
    }

    [Fact]
    public void Store_connected_to_a_non_processor_is_rejected()
    {
        var act = () => new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "in")
            .AddStateStore(State.Stores.InMemory("s", Serdes.String, Serdes.String), "events")
            .Build();

        act.Should().Throw<TopologyException>().WithMessage("*'events', which is not a processor*");
    }

    [Fact]
    public void Stores_require_synchronous_serdes()
    {
        var asyncOnly = Serdes.FromAsync<string>(null, new AsyncUtf8());

        var act = () => State.Stores.InMemory("s", Serdes.String, asyncOnly);

        act.Should().Throw<ArgumentException>().WithMessage("*synchronous*");
    }
}
