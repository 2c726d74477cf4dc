using System.Text;
using MesErpStreams.Streams.State;
using MesErpStreams.Streams.TestUtils;

namespace MesErpStreams.Streams.UnitTests;

public sealed class DriverProcessingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static Topology DedupeTopology(TimeSpan retention) => new TopologyBuilder()
        .AddSource("events", Serdes.String, Serdes.String, "events")
        .AddProcessor("dedupe", () => new DedupeProcessor("seen"), "events")
        .AddSink("out", "deduped", Serdes.String, Serdes.String, "dedupe")
        .AddStateStore(Stores.InMemory("seen", Serdes.String, Serdes.Boolean).WithRetention(retention, TimeSpan.FromMinutes(1)), "dedupe")
        .Build();

    private static Topology CountTopology() => new TopologyBuilder()
        .AddSource("events", Serdes.String, Serdes.String, "events")
        .AddProcessor("count", () => new CountingProcessor("counts"), "events")
        .AddSink("out", "counts", Serdes.String, Serdes.Int64, "count")
        .AddStateStore(Stores.InMemory("counts", Serdes.String, Serdes.Int64), "count")
        .Build();

    [Fact]
    public void Duplicate_event_is_forwarded_once()
    {
        using var driver = new TopologyTestDriver(DedupeTopology(TimeSpan.FromHours(1)));
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);
        var output = driver.CreateOutputTopic("deduped", Serdes.String, Serdes.String);

        input.PipeInput("wo-1", "ev-1", T0);
        input.PipeInput("wo-1", "ev-2", T0.AddSeconds(1));
        input.PipeInput("wo-1", "ev-1", T0.AddSeconds(2));

        output.ReadKeyValuesToList().Select(kv => kv.Value).Should().Equal("ev-1", "ev-2");
        driver.GetKeyValueStore<string, bool>("seen").ApproximateCount.Should().Be(2);
    }

    [Fact]
    public void Dedupe_entries_expire_by_stream_time_and_are_purged_with_changelog_tombstones()
    {
        using var driver = new TopologyTestDriver(DedupeTopology(TimeSpan.FromMinutes(10)));
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);
        var output = driver.CreateOutputTopic("deduped", Serdes.String, Serdes.String);
        var store = driver.GetKeyValueStore<string, bool>("seen");

        input.PipeInput("k", "ev-1", T0);
        input.PipeInput("k", "ev-2", T0.AddMinutes(11));

        store.TryGet("ev-1", out _).Should().BeFalse("ev-1 is older than the retention by stream time");
        input.PipeInput("k", "ev-1", T0.AddMinutes(12));
        output.ReadKeyValuesToList().Select(kv => kv.Value).Should().Equal("ev-1", "ev-2", "ev-1");

        input.PipeInput("k", "ev-3", T0.AddMinutes(30));
        store.All().Select(kv => kv.Key).Should().BeEquivalentTo(["ev-3"], "the purge punctuation removed expired entries");
        var changelog = driver.ReadAllRaw("test-app-seen-changelog");
        changelog.Where(r => r.Value is null).Select(r => Encoding.UTF8.GetString(r.Key!))
            .Should().Equal(["ev-1", "ev-1", "ev-2"], "each purge logs tombstones: ev-1 at minute 11, ev-1 again and ev-2 at minute 30");
    }

    [Fact]
    public void Failing_record_goes_to_the_dead_letter_topic_with_its_bytes_and_error_headers_and_leaves_no_trace()
    {
        using var driver = new TopologyTestDriver(CountTopology());
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);
        var output = driver.CreateOutputTopic("counts", Serdes.String, Serdes.Int64);

        input.PipeInput("a", "ok", T0);
        input.PipeInput("a", "boom", T0);
        input.PipeInput("a", "ok", T0);

        output.ReadKeyValuesToList().Should().Equal(KeyValuePair.Create("a", 1L), KeyValuePair.Create("a", 2L));
        driver.GetKeyValueStore<string, long>("counts").TryGet("a", out var count).Should().BeTrue();
        count.Should().Be(2, "the failed record's store write was undone");
        var dead = driver.ReadAllRaw("test-dlq").Should().ContainSingle().Subject;
        Encoding.UTF8.GetString(dead.Key!).Should().Be("a");
        Encoding.UTF8.GetString(dead.Value!).Should().Be("boom");
        dead.Header(DeadLetterHeaders.Topic).Should().Be("events");
        dead.Header(DeadLetterHeaders.Partition).Should().Be("0");
        dead.Header(DeadLetterHeaders.Offset).Should().Be("1");
        dead.Header(DeadLetterHeaders.Stage).Should().Be("process");
        dead.Header(DeadLetterHeaders.Node).Should().Be("count");
        dead.Header(DeadLetterHeaders.ExceptionClass).Should().Be(typeof(InvalidOperationException).FullName);
        dead.Header(DeadLetterHeaders.ExceptionMessage).Should().Be("boom value");
        dead.Header(DeadLetterHeaders.ExceptionStackTrace).Should().Contain(nameof(CountingProcessor));
    }

    [Fact]
    public void Undeserializable_record_is_dead_lettered_at_stage_deserialize()
    {
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.Int64, "events")
            .AddSink("out", "out", Serdes.String, Serdes.Int64, "events")
            .Build();
        using var driver = new TopologyTestDriver(topology);
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.Int64);

        input.PipeInput("a", 1);
        input.PipeRawInput([0x61], [1, 2, 3]);
        input.PipeInput("b", 2);

        driver.CreateOutputTopic("out", Serdes.String, Serdes.Int64).ReadKeyValuesToList()
            .Should().Equal(KeyValuePair.Create("a", 1L), KeyValuePair.Create("b", 2L));
        var dead = driver.ReadAllRaw("test-dlq").Should().ContainSingle().Subject;
        dead.Header(DeadLetterHeaders.Stage).Should().Be("deserialize");
        dead.Header(DeadLetterHeaders.Node).Should().Be("events");
        dead.Value.Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Oversized_output_is_dead_lettered_at_stage_produce_without_partial_output()
    {
        var options = new TopologyTestDriverOptions { DeadLetter = new DeadLetterOptions { Topic = "dlq", MaxRecordBytes = 2048 } };
        using var driver = new TopologyTestDriver(CountTopology(), options);
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);

        input.PipeInput("a", "huge");
        input.PipeInput("a", "ok");

        driver.CreateOutputTopic("counts", Serdes.String, Serdes.Int64).ReadKeyValuesToList()
            .Should().Equal(new[] { KeyValuePair.Create("a", 1L) });
        driver.ReadAllRaw("dlq").Should().ContainSingle().Which.Header(DeadLetterHeaders.Stage).Should().Be("produce");
    }

    [Fact]
    public void Fail_handler_throws_and_commits_nothing()
    {
        var options = new TopologyTestDriverOptions { DeadLetter = new DeadLetterOptions { ProcessingErrors = ErrorHandlerMode.Fail, Topic = "dlq" } };
        using var driver = new TopologyTestDriver(CountTopology(), options);
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);

        var act = () => input.PipeInput("a", "boom");

        act.Should().Throw<StreamsProcessingException>()
            .Where(e => e.Stage == ErrorStage.Process && e.Node == "count" && e.Origin!.Value.Offset == 0);
        driver.ReadAllRaw("counts").Should().BeEmpty();
        driver.ReadAllRaw("dlq").Should().BeEmpty();
        driver.GetKeyValueStore<string, long>("counts").TryGet("a", out _).Should().BeFalse();
    }

    [Fact]
    public void Async_serdes_are_used_for_sources_and_sinks()
    {
        var serde = new AsyncUtf8();
        var asyncString = Serdes.FromAsync<string>(serde, serde);
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, asyncString, "events")
            .AddProcessor("upper", () => new LambdaProcessor<string, string, string, string>((c, r) => c.Forward(r with { Value = r.Value.ToUpperInvariant() })), "events")
            .AddSink("out", "out", Serdes.String, asyncString, "upper")
            .Build();
        using var driver = new TopologyTestDriver(topology);

        driver.CreateInputTopic("events", Serdes.String, asyncString).PipeInput("k", "hello");

        driver.ReadAllRaw("out").Single().Value.Should().Equal(Encoding.UTF8.GetBytes("~HELLO"));
        driver.CreateOutputTopic("out", Serdes.String, asyncString).ReadRecord().Value.Should().Be("HELLO");
        serde.Calls.Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public void Forward_to_a_named_child_reaches_only_that_sink()
    {
        var topology = new TopologyBuilder()
            .AddSource("events", Serdes.String, Serdes.String, "events")
            .AddProcessor("route", () => new LambdaProcessor<string, string, string, string>((c, r) => c.Forward(r, r.Value.StartsWith('x') ? "xs" : "others")), "events")
            .AddSink("xs", "x-topic", Serdes.String, Serdes.String, "route")
            .AddSink("others", "other-topic", Serdes.String, Serdes.String, "route")
            .Build();
        using var driver = new TopologyTestDriver(topology);
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);

        input.PipeInput("1", "x1");
        input.PipeInput("2", "y1");

        driver.CreateOutputTopic("x-topic", Serdes.String, Serdes.String).ReadKeyValuesToList().Should().Equal(new[] { KeyValuePair.Create("1", "x1") });
        driver.CreateOutputTopic("other-topic", Serdes.String, Serdes.String).ReadKeyValuesToList().Should().Equal(new[] { KeyValuePair.Create("2", "y1") });
    }

    [Fact]
    public void Changelog_gets_the_last_write_per_key_of_each_commit()
    {
        using var driver = new TopologyTestDriver(CountTopology());
        var input = driver.CreateInputTopic("events", Serdes.String, Serdes.String);

        input.PipeInput("a", "1");
        input.PipeInput("a", "2");
        input.PipeInput("b", "3");

        var changelog = driver.CreateOutputTopic("test-app-counts-changelog", Serdes.String, Serdes.Int64).ReadKeyValuesToList();
        changelog.Should().Equal(KeyValuePair.Create("a", 1L), KeyValuePair.Create("a", 2L), KeyValuePair.Create("b", 1L));
    }
}
