using System.Net.Http.Headers;
using MesErpStreams.Sink.Erp;
using MesErpStreams.Sink.Erp.Internal;

namespace MesErpStreams.Sink.UnitTests;

public sealed class OutcomeClassifierTests
{
    [Theory]
    [InlineData(201, false, ErpOutcomeKind.Posted)]
    [InlineData(200, true, ErpOutcomeKind.Duplicate)]
    [InlineData(200, false, ErpOutcomeKind.Posted)]
    public void Success_answers_with_a_document_are_posted_or_duplicate(int status, bool duplicate, ErpOutcomeKind expected)
    {
        var o = OutcomeClassifier.FromResponse(status, "CF00000001", duplicate, null, null);
        o.Kind.Should().Be(expected);
        o.DocumentNumber.Should().Be("CF00000001");
        o.IsSuccess.Should().BeTrue();
    }

    [Fact]
    public void Success_without_document_number_is_transient_so_the_idempotent_retry_finds_it()
    {
        OutcomeClassifier.FromResponse(201, null, false, null, null).Kind.Should().Be(ErpOutcomeKind.TransientFailure);
    }

    [Theory]
    [InlineData(400, "validation")]
    [InlineData(404, "validation")]
    [InlineData(422, "validation")]
    [InlineData(409, "conflict")]
    public void Client_errors_are_permanent(int status, string failureClass)
    {
        var o = OutcomeClassifier.FromResponse(status, null, false, "bad quantity", null);
        o.Kind.Should().Be(ErpOutcomeKind.PermanentFailure);
        o.FailureClass.Should().Be(failureClass);
        o.Message.Should().Be("bad quantity");
        o.ErpUnavailable.Should().BeFalse();
    }

    [Theory]
    [InlineData(500, "server-error", true)]
    [InlineData(502, "server-error", true)]
    [InlineData(503, "server-error", true)]
    [InlineData(504, "server-error", true)]
    [InlineData(429, "throttled", false)]
    [InlineData(408, "timeout", true)]
    [InlineData(423, "locked", false)]
    [InlineData(401, "auth", true)]
    [InlineData(403, "auth", true)]
    public void Server_errors_throttling_timeouts_auth_and_locks_are_transient_and_only_a_lock_is_the_postings_own(int status, string failureClass, bool erpDown)
    {
        var o = OutcomeClassifier.FromResponse(status, null, false, null, TimeSpan.FromSeconds(2));
        o.Kind.Should().Be(ErpOutcomeKind.TransientFailure);
        o.FailureClass.Should().Be(failureClass);
        o.ErpUnavailable.Should().Be(erpDown);
        o.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Timeouts_and_refused_connections_are_transient_and_count_as_erp_down()
    {
        var t = OutcomeClassifier.FromException(new TimeoutException(), timedOut: true);
        t.Kind.Should().Be(ErpOutcomeKind.TransientFailure);
        t.FailureClass.Should().Be("timeout");
        t.ErpUnavailable.Should().BeTrue();

        var c = OutcomeClassifier.FromException(new HttpRequestException(HttpRequestError.ConnectionError, "refused"), timedOut: false);
        c.FailureClass.Should().Be("connection");
        c.Message.Should().Contain("refused");
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_a_date()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        OutcomeClassifier.RetryAfter(seconds, now).Should().Be(TimeSpan.FromSeconds(7));

        using var date = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(30));
        OutcomeClassifier.RetryAfter(date, now).Should().Be(TimeSpan.FromSeconds(30));

        using var none = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        OutcomeClassifier.RetryAfter(none, now).Should().BeNull();
    }
}
