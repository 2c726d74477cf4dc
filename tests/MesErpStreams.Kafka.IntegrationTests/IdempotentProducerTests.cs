using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.Kafka.IntegrationTests;

/// <summary>
/// The embedded cluster keeps an idempotent producer's promise: what it acknowledges is stored, once. Its own cluster:
/// the faults (a broker cut, produce errors) would hit the collection's other tests.
/// </summary>
public sealed class IdempotentProducerTests
{
    [Fact]
    public void A_record_acknowledged_to_an_idempotent_producer_during_produce_errors_and_a_broker_outage_is_on_its_topic_once()
    {
        // What broke (issue 25): the mock checked sequences only for transactional producers. A work order produced while
        // produce errors were injected was acknowledged (the batch after it succeeded) but never stored, and its order's
        // events waited for it in the processor's pending store to the end of the fault suite's run.
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 2, ProxyConnections = true });
        cluster.CreateTopic("idempotent", partitions: 4, replicationFactor: 2);
        var acknowledged = new ConcurrentDictionary<string, Offset>(StringComparer.Ordinal);
        var failed = new ConcurrentQueue<string>();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5,
               }).Build())
        {
            var clock = Stopwatch.StartNew();
            var n = 0;
            for (var cycle = 0; cycle < 3; cycle++)
            {
                // Each cycle: records flow, broker 1 is cut for 1.5 s, and just before it is back five produce
                // requests fail retriably, the faults of the fault suite's schedule around the lost work order.
                var start = clock.Elapsed;
                var down = false;
                var injected = false;
                while (clock.Elapsed - start < TimeSpan.FromSeconds(2.5))
                {
                    var at = clock.Elapsed - start;
                    if (!down && at > TimeSpan.FromSeconds(0.5))
                    {
                        cluster.SetBrokerDown(1);
                        down = true;
                    }

                    if (!injected && at > TimeSpan.FromSeconds(1.95))
                    {
                        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas,
                            ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut);
                        cluster.SetBrokerUp(1);
                        injected = true;
                    }

                    var key = "k" + n++;
                    producer.Produce("idempotent", new Message<string, string> { Key = key, Value = "v" }, d =>
                    {
                        if (d.Error.IsError)
                        {
                            failed.Enqueue($"{d.Message.Key}: {d.Error.Reason}");
                        }
                        else
                        {
                            acknowledged[d.Message.Key] = d.Offset;
                        }
                    });
                    Thread.Sleep(1);
                }
            }

            producer.Flush(TimeSpan.FromSeconds(60)).Should().Be(0, "every record gets its delivery report");
        }

        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        TopicReading.ReadToEnd(cluster.BootstrapServers, "idempotent", 4, IsolationLevel.ReadUncommitted, TimeSpan.FromSeconds(60), r =>
        {
            var key = Encoding.UTF8.GetString(r.Message.Key);
            stored[key] = stored.GetValueOrDefault(key) + 1;
        }).Should().BeTrue("the topic is read to its end");

        failed.Should().BeEmpty("the faults are retriable: an idempotent producer rides them out");
        acknowledged.Should().NotBeEmpty();
        acknowledged.Where(kv => !stored.ContainsKey(kv.Key)).Select(kv => $"{kv.Key} (acknowledged at offset {kv.Value})")
            .Should().BeEmpty("an acknowledged record must be stored");
        stored.Where(kv => kv.Value > 1).Select(kv => kv.Key).Should().BeEmpty("an idempotent producer's retries are not stored twice");
    }
}
