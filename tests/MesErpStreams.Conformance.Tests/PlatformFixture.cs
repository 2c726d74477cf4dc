using MesErpStreams.TestUtils;
using CSR = Confluent.SchemaRegistry;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// An embedded cluster with the topic catalog and the embedded registry holding every contract schema, our registry
/// client, and Confluent's <c>CachedSchemaRegistryClient</c> on the same registry.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public EmbeddedPlatform Platform { get; private set; } = null!;

    public CSR.CachedSchemaRegistryClient Confluent { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await EmbeddedPlatform.StartAsync();
        Confluent = new CSR.CachedSchemaRegistryClient(new CSR.SchemaRegistryConfig { Url = Platform.RegistryUrl });
        Http = new HttpClient { BaseAddress = new Uri(Platform.RegistryUrl.TrimEnd('/') + "/") };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Confluent.Dispose();
        await Platform.DisposeAsync();
    }

    /// <summary>A subject no other test uses.</summary>
    public static string UniqueSubject(string what) => $"conformance-{what}-{Guid.NewGuid():N}-value";
}
