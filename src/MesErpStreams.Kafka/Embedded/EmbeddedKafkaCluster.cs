using System.Runtime.InteropServices;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded.Internal;

namespace MesErpStreams.Kafka.Embedded;

/// <summary>
/// A Kafka-protocol cluster on loopback for development and tests: librdkafka's mock cluster, started on a
/// librdkafka handle this type creates itself (P/Invoke into the same native library Confluent.Kafka uses).
/// </summary>
/// <remarks>
/// Real clients talk to it over TCP with the real wire protocol: produce, fetch, consumer groups, idempotent and
/// transactional producers work. Its limits (see README): no CreateTopics/DescribeConfigs/group-listing admin
/// APIs (topics are created with <see cref="CreateTopic"/>), no log compaction, memory only, and each partition
/// keeps only its newest 5 MiB or 100,000 messages. Production runs on a real Kafka cluster.
/// </remarks>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private readonly object _gate = new();
    private readonly List<PortForwarder> _forwarders = [];
    private IntPtr _rk;
    private IntPtr _cluster;

    private EmbeddedKafkaCluster(EmbeddedKafkaClusterOptions options)
    {
        Options = options;
        var errstr = new byte[512];
        var conf = NativeMethods.rd_kafka_conf_new();
        SetConf(conf, "log_level", options.LogLevel.ToString(System.Globalization.CultureInfo.InvariantCulture), errstr);
        SetConf(conf, "client.id", "meserp-embedded-cluster", errstr);
        _rk = NativeMethods.rd_kafka_new(NativeMethods.ProducerType, conf, errstr, (nuint)errstr.Length);
        if (_rk == IntPtr.Zero)
        {
            NativeMethods.rd_kafka_conf_destroy(conf);
            throw new EmbeddedKafkaException("rd_kafka_new failed: " + ErrorText(errstr));
        }

        _cluster = NativeMethods.rd_kafka_mock_cluster_new(_rk, options.BrokerCount);
        if (_cluster == IntPtr.Zero)
        {
            NativeMethods.rd_kafka_destroy(_rk);
            _rk = IntPtr.Zero;
            throw new EmbeddedKafkaException("rd_kafka_mock_cluster_new failed (see librdkafka log on stderr).");
        }

        NativeMethods.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, options.GroupInitialRebalanceDelayMs);
        BootstrapServers = Marshal.PtrToStringUTF8(NativeMethods.rd_kafka_mock_cluster_bootstraps(_cluster))
            ?? throw new EmbeddedKafkaException("mock cluster returned no bootstrap servers");
        if (options.PortBase is not null || options.ProxyConnections)
        {
            try
            {
                BootstrapServers = ExposeThroughRelays(options.PortBase);
            }
            catch
            {
                Dispose();
                throw;
            }
        }
    }

    /// <summary>The settings the cluster was started with.</summary>
    public EmbeddedKafkaClusterOptions Options { get; }

    /// <summary>Comma-separated <c>host:port</c> list of the brokers, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; private set; }

    /// <summary>Broker ids, 1..<see cref="EmbeddedKafkaClusterOptions.BrokerCount"/>.</summary>
    public IReadOnlyList<int> BrokerIds => Enumerable.Range(1, Options.BrokerCount).ToArray();

    /// <summary>Version string of the native librdkafka serving the cluster.</summary>
    public static string NativeVersion => Marshal.PtrToStringUTF8(NativeMethods.rd_kafka_version_str()) ?? "unknown";

    /// <summary>Starts a cluster.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="EmbeddedKafkaException">
    /// The native cluster could not be started, or the process did not load the librdkafka build <c>make setup</c>
    /// makes (<see cref="Native.NativeLibrdkafka.ExpectedBuildId"/>): the message names the file and its version.
    /// </exception>
    public static EmbeddedKafkaCluster Start(EmbeddedKafkaClusterOptions? options = null)
    {
        options ??= new EmbeddedKafkaClusterOptions();
        options.Validate();
        try
        {
            // The mock cluster's behaviour is part of what the tests prove; an official package's copy would serve
            // a different broker, or two copies would run side by side.
            Native.NativeLibrdkafka.EnsureExpectedBuild();
        }
        catch (InvalidOperationException e)
        {
            throw new EmbeddedKafkaException("embedded cluster: " + e.Message, e);
        }

        return new EmbeddedKafkaCluster(options);
    }

    /// <summary>Creates a topic. Fails if it exists already.</summary>
    /// <param name="name">Topic name.</param>
    /// <param name="partitions">Partition count (≥ 1).</param>
    /// <param name="replicationFactor">Replication factor (1..broker count).</param>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (replicationFactor < 1 || replicationFactor > Options.BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor,
                $"replication factor must be between 1 and the broker count ({Options.BrokerCount}).");
        }

        Check(NativeMethods.rd_kafka_mock_topic_create(Handle(), name, partitions, replicationFactor), $"create topic '{name}'");
    }

    /// <summary>
    /// Takes a broker down: its connections are closed and it stops answering until <see cref="SetBrokerUp"/>. With
    /// relays (<see cref="EmbeddedKafkaClusterOptions.ProxyConnections"/> or a port base) the relay cuts and refuses
    /// connections and the broker stays in metadata, as a crashed broker does until the controller notices; without,
    /// the mock takes the broker out of metadata and re-binds its port.
    /// </summary>
    public void SetBrokerDown(int brokerId)
    {
        var id = ValidBroker(brokerId);
        if (_forwarders.Count > 0)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            _forwarders[id - 1].Down();
            return;
        }

        Check(NativeMethods.rd_kafka_mock_broker_set_down(Handle(), id), $"set broker {brokerId} down");
    }

    /// <summary>Brings a broker taken down with <see cref="SetBrokerDown"/> back.</summary>
    public void SetBrokerUp(int brokerId)
    {
        var id = ValidBroker(brokerId);
        if (_forwarders.Count > 0)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            _forwarders[id - 1].Up();
            return;
        }

        Check(NativeMethods.rd_kafka_mock_broker_set_up(Handle(), id), $"set broker {brokerId} up");
    }

    /// <summary>Adds a round-trip delay to every response of a broker (zero removes it).</summary>
    public void SetRoundTripTime(int brokerId, TimeSpan rtt) =>
        Check(NativeMethods.rd_kafka_mock_broker_set_rtt(Handle(), ValidBroker(brokerId), checked((int)rtt.TotalMilliseconds)), $"set rtt of broker {brokerId}");

    /// <summary>Moves the leadership of a partition to a broker.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(NativeMethods.rd_kafka_mock_partition_set_leader(Handle(), topic, partition, ValidBroker(brokerId)), $"set leader of {topic}[{partition}]");

    /// <summary>Makes a broker the group or transaction coordinator for a key.</summary>
    /// <param name="keyType"><c>"group"</c> or <c>"transaction"</c>.</param>
    /// <param name="key">Group id or transactional id.</param>
    /// <param name="brokerId">Broker to coordinate.</param>
    public void SetCoordinator(string keyType, string key, int brokerId) =>
        Check(NativeMethods.rd_kafka_mock_coordinator_set(Handle(), keyType, key, ValidBroker(brokerId)), $"set {keyType} coordinator for '{key}'");

    /// <summary>
    /// Makes the next requests of an API fail with the given errors, one error per request, in order, on any broker.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey api, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = Array.ConvertAll(errors, e => (int)e);
        NativeMethods.rd_kafka_mock_push_request_errors_array(Handle(), (short)api, (nuint)codes.Length, codes);
    }

    /// <summary>Drops errors pushed with <see cref="PushRequestErrors"/> that were not used yet.</summary>
    public void ClearRequestErrors(KafkaApiKey api) => NativeMethods.rd_kafka_mock_clear_request_errors(Handle(), (short)api);

    /// <summary>Stops the cluster and frees its memory. Clients still connected see their connections closed.</summary>
    public void Dispose()
    {
        IntPtr cluster, rk;
        lock (_gate)
        {
            cluster = _cluster;
            rk = _rk;
            _cluster = IntPtr.Zero;
            _rk = IntPtr.Zero;
        }

        foreach (var f in _forwarders)
        {
            f.Dispose();
        }

        if (cluster != IntPtr.Zero)
        {
            NativeMethods.rd_kafka_mock_cluster_destroy(cluster);
        }

        if (rk != IntPtr.Zero)
        {
            NativeMethods.rd_kafka_destroy(rk);
        }
    }

    private string ExposeThroughRelays(int? portBase)
    {
        // The mock binds ephemeral loopback ports and offers no way to choose them. A relay in front of each broker
        // (on a fixed port when a port base is given) forwards to it, and the broker advertises the relay's port in
        // metadata so clients stay on it.
        var upstream = BootstrapServers.Split(',');
        var advertised = new string[upstream.Length];
        for (var i = 0; i < upstream.Length; i++)
        {
            var target = upstream[i];
            var port = int.Parse(target[(target.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var relay = PortForwarder.Start(portBase is { } b ? b + i : 0, port);
            _forwarders.Add(relay);
            NativeMethods.rd_kafka_mock_broker_set_host_port(_cluster, i + 1, "127.0.0.1", relay.Port);
            advertised[i] = $"127.0.0.1:{relay.Port}";
        }

        return string.Join(',', advertised);
    }

    private IntPtr Handle()
    {
        var h = _cluster;
        ObjectDisposedException.ThrowIf(h == IntPtr.Zero, this);
        return h;
    }

    private int ValidBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > Options.BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"broker ids are 1..{Options.BrokerCount}.");
        }

        return brokerId;
    }

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new EmbeddedKafkaException($"{what} failed: {NativeMethods.ErrorString(err)}", err);
        }
    }

    private static void SetConf(IntPtr conf, string name, string value, byte[] errstr)
    {
        if (NativeMethods.rd_kafka_conf_set(conf, name, value, errstr, (nuint)errstr.Length) != NativeMethods.ConfOk)
        {
            NativeMethods.rd_kafka_conf_destroy(conf);
            throw new EmbeddedKafkaException($"setting {name}: {ErrorText(errstr)}");
        }
    }

    private static string ErrorText(byte[] errstr)
    {
        var n = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, n < 0 ? errstr.Length : n);
    }
}
