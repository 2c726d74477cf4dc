using System.Net;
using MesErpStreams.Harness;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Cli.IntegrationTests;

/// <summary>A wrong schema registry URL stops every role at start, naming it (first plant trial, issue 26).</summary>
public sealed class RegistryCheckTests
{
    [Theory]
    [InlineData("process")]
    [InlineData("sink")]
    [InlineData("edge publish")]
    public async Task A_wrong_registry_url_stops_the_role_at_start_naming_the_url(string role)
    {
        // What broke: `meserp process` with a wrong --schema-registry-url answered ready for 70 s and then failed on its
        // first record. Here the URL answers HTTP, but not as a registry (404 on /subjects).
        using var notARegistry = new HttpListener();
        var port = LoopbackPorts.Free();
        var url = $"http://127.0.0.1:{port}/";
        notARegistry.Prefixes.Add(url);
        notARegistry.Start();
        _ = Task.Run(async () =>
        {
            while (notARegistry.IsListening)
            {
                var ctx = await notARegistry.GetContextAsync();
                ctx.Response.StatusCode = 404;
                ctx.Response.Close();
            }
        });

        string[] args = [.. role.Split(' '), .. role == "edge publish" ? new[] { "-" } : [], "--bootstrap-servers", "127.0.0.1:9", "--schema-registry-url", url];
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), args);

        exit.Should().Be(2, stderr);
        stderr.Should().Contain($"schema registry {url} answered HTTP 404").And.Contain("--schema-registry-url");
    }
}
