using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Cli.IntegrationTests;

public sealed partial class EmbeddedCommandTests
{
    [Fact]
    public async Task Embedded_cluster_serves_every_catalog_topic_to_kcat_on_fixed_ports()
    {
        var portBase = FreePortRange(2);
        await using var meserp = MeserpProcess.Start("embedded", "--brokers", "2", "--port-base", portBase.ToString(), "--duration", "60s");
        await Eventually.TrueAsync(() => meserp.Stdout.Contains("bootstrap.servers=", StringComparison.Ordinal) || meserp.HasExited,
            TimeSpan.FromSeconds(30), "meserp embedded to print its bootstrap servers");
        meserp.HasExited.Should().BeFalse(meserp.Stderr);
        var bootstrap = BootstrapLine().Match(meserp.Stdout).Groups[1].Value;
        bootstrap.Should().Be($"127.0.0.1:{portBase},127.0.0.1:{portBase + 1}");

        var metadata = await KcatAsync("-b", bootstrap, "-L");

        foreach (var topic in TopicCatalog.Default.Topics)
        {
            metadata.Should().Contain($"topic \"{topic.Name}\" with {topic.Partitions} partitions", "kcat -L lists {0}", topic.Name);
        }

        metadata.Should().Contain($"broker 1 at 127.0.0.1:{portBase}").And.Contain($"broker 2 at 127.0.0.1:{portBase + 1}");

        meserp.Interrupt();
        await meserp.WaitForExitAsync(TimeSpan.FromSeconds(30));
        meserp.ExitCode.Should().Be(0, meserp.Stderr);
        meserp.Stdout.Should().Contain("stopping embedded cluster");
    }

    [Fact]
    public async Task Embedded_command_stops_by_itself_after_its_duration()
    {
        var (exit, stdout, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), "embedded", "--brokers", "1", "--duration", "1s");
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("bootstrap.servers=127.0.0.1:");
    }

    [Theory]
    [InlineData(new[] { "embedded", "--brokers", "0" }, "--brokers must be between 1 and 10")]
    [InlineData(new[] { "embedded", "--duration", "soon" }, "--duration: 'soon' is not a positive duration")]
    [InlineData(new[] { "embedded", "--port-base", "80" }, "--port-base must be between 1024 and 65525")]
    [InlineData(new[] { "embedded", "--no-such-flag" }, "--no-such-flag")]
    [InlineData(new[] { "topics", "apply", "--bootstrap-servers", "nohostport" }, "'nohostport' is not host:port")]
    [InlineData(new[] { "topics", "apply", "--bootstrap-servers", "a:1", "--kafka-property", "novalue" }, "--kafka-property: 'novalue' is not key=value")]
    public async Task Bad_flags_stop_the_program_at_start_with_a_message_naming_them(string[] args, string message)
    {
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), args);
        exit.Should().Be(2);
        stderr.Should().Contain(message);
    }

    [Fact]
    public async Task Topics_list_prints_the_catalog()
    {
        var (exit, stdout, _) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), "topics", "list");
        exit.Should().Be(0);
        foreach (var t in TopicCatalog.Default.Topics)
        {
            stdout.Should().Contain(t.Name);
        }
    }

    private static async Task<string> KcatAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process? p;
        try
        {
            p = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kcat is not installed: run `make setup`", e);
        }

        using (p)
        {
            var stdout = p!.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            p.ExitCode.Should().Be(0, await stderr);
            return await stdout;
        }
    }

    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Random.Shared.Next(20000, 60000);
            var listeners = new List<TcpListener>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var l = new TcpListener(IPAddress.Loopback, first + i);
                    l.Start();
                    listeners.Add(l);
                }

                return first;
            }
            catch (SocketException)
            {
                // taken: try another range
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        throw new InvalidOperationException("no free port range found");
    }

    [GeneratedRegex("bootstrap.servers=(\\S+)")]
    private static partial Regex BootstrapLine();
}
