using FsCheck;
using FsCheck.Fluent;
using MesErpStreams.Contracts.Common;

namespace MesErpStreams.Lineage.UnitTests;

public sealed class TraceParentTests
{
    private const string Valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Valid_traceparent_is_parsed_into_its_fields()
    {
        TraceParent.TryParse(Valid, out var tp).Should().BeTrue();
        tp.Value.Should().Be(Valid);
        tp.TraceId.Should().Be("4bf92f3577b34da6a3ce929d0e0e4736");
        tp.ParentId.Should().Be("00f067aa0ba902b7");
        tp.Flags.Should().Be(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")] // no flags
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-")] // version 00 has exactly 55 characters
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")] // uppercase hex
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")] // all-zero trace id
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")] // all-zero parent id
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // version ff
    [InlineData("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // version not hex
    [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // wrong separator
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473x-00f067aa0ba902b7-01")] // trace id not hex
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01")] // parent id not hex
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x")] // flags not hex
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x")] // a later version's extra fields follow a dash
    [InlineData(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public void Malformed_traceparent_is_rejected(string? value)
    {
        TraceParent.TryParse(value, out var tp).Should().BeFalse();
        tp.IsValid.Should().BeFalse();
        var parse = () => TraceParent.Parse(value!);
        parse.Should().Throw<Exception>();
    }

    [Fact]
    public void Later_version_with_extra_fields_is_read_as_version_00()
    {
        TraceParent.TryParse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds", out var tp).Should().BeTrue();
        tp.Value.Should().Be(Valid);
    }

    [Fact]
    public void Child_keeps_trace_id_and_flags_and_gets_a_new_parent_id()
    {
        var parent = TraceParent.Parse(Valid);
        var child = parent.Child("OC-1");

        child.TraceId.Should().Be(parent.TraceId);
        child.Flags.Should().Be(parent.Flags);
        child.ParentId.Should().NotBe(parent.ParentId);
        TraceParent.TryParse(child.Value, out _).Should().BeTrue();
        TraceParent.SameTrace(child.Value, Valid).Should().BeTrue();
    }

    [Fact]
    public void Child_is_deterministic_per_hop_and_differs_between_hops()
    {
        var parent = TraceParent.Parse(Valid);
        parent.Child("result").Should().Be(parent.Child("result"));
        parent.Child("retry-1").ParentId.Should().NotBe(parent.Child("retry-2").ParentId);
        parent.Child("retry-1").Child("retry-2").ParentId.Should().NotBe(parent.Child("retry-2").ParentId);
    }

    [Fact]
    public void Unsampled_flags_are_kept_on_children()
    {
        TraceParent.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").Child("x").Flags.Should().Be(0);
    }

    [Fact]
    public void Event_root_is_derived_from_the_event_id()
    {
        var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        TraceParent.ForEvent(id).Should().Be(TraceParent.ForEvent(id));
        TraceParent.ForEvent(id).TraceId.Should().NotBe(TraceParent.ForEvent(Guid.NewGuid()).TraceId);
        TraceParent.ForEvent(id).Flags.Should().Be(1);
    }

    [Fact]
    public void ChildOf_an_invalid_parent_continues_the_events_root()
    {
        var id = Guid.NewGuid();
        var child = TraceParent.ChildOf("garbage", id, "OC-1");
        child.TraceId.Should().Be(TraceParent.ForEvent(id).TraceId);
        child.Should().Be(TraceParent.ForEvent(id).Child("OC-1"));
        TraceParent.ChildOf(Valid, id, "OC-1").TraceId.Should().Be("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    [Fact]
    public void SameTrace_is_false_for_different_or_invalid_values()
    {
        TraceParent.SameTrace(Valid, TraceParent.NewRoot().Value).Should().BeFalse();
        TraceParent.SameTrace(Valid, null).Should().BeFalse();
        TraceParent.SameTrace(Valid, Valid.ToUpperInvariant()).Should().BeFalse();
    }

    [Fact]
    public void Default_value_has_no_fields()
    {
        var d = default(TraceParent);
        d.IsValid.Should().BeFalse();
        d.ToString().Should().BeEmpty();
        var child = () => d.Child("x");
        child.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Every_generated_context_parses_and_children_stay_in_the_trace()
    {
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<Guid>(), ArbMap.Default.ArbFor<NonNull<string>>(), (id, hop) =>
        {
            var root = TraceParent.ForEvent(id);
            var child = root.Child(hop.Get);
            return TraceParent.TryParse(root.Value, out var r) && r == root
                && TraceParent.TryParse(child.Value, out var c) && c == child
                && child.TraceId == root.TraceId && child.ParentId != root.ParentId && child.Value!.Length == 55;
        }));
    }

    [Fact]
    public void Random_strings_never_parse_unless_well_formed()
    {
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), s =>
            !TraceParent.TryParse(s.Get, out var tp) || (tp.Value!.Length == 55 && TraceParent.Parse(tp.Value) == tp)));
    }

    [Fact]
    public void Long_hop_names_are_hashed_without_failing()
    {
        var parent = TraceParent.Parse(Valid);
        parent.Child(new string('é', 2000)).TraceId.Should().Be(parent.TraceId);
    }
}
