using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.SchemaRegistry.UnitTests;

/// <summary>TLS settings: a private CA from ssl.ca.location, and the explicit opt-out.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("meserp-tls-");
    private WebApplication? app;
    private string caFile = "";
    private string url = "";

    public async Task InitializeAsync()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=meserp test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        var serverCert = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);

        caFile = Path.Combine(dir.FullName, "ca.pem");
        await File.WriteAllTextAsync(caFile, ca.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serverCert)));
        app = builder.Build();
        app.Run(c => c.Response.WriteAsync("""{"schema":"\"long\""}"""));
        await app.StartAsync();
        url = app.Urls.First();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Registry_certificate_signed_by_the_configured_CA_is_trusted()
    {
        url.Should().StartWith("https://127.0.0.1:");
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = url, SslCaLocation = caFile, MaxRetries = 0 });
        (await client.GetSchemaAsync(1)).Should().Be("\"long\"");
    }

    [Fact]
    public async Task Registry_certificate_from_an_unknown_CA_is_refused()
    {
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = url, MaxRetries = 0 });
        var e = (await FluentActions.Awaiting(() => client.GetSchemaAsync(1)).Should().ThrowAsync<SchemaRegistryException>()).Which;
        e.StatusCode.Should().BeNull();
    }

    [Fact]
    public async Task Verification_can_be_switched_off_explicitly()
    {
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = url, EnableSslCertificateVerification = false, MaxRetries = 0 });
        (await client.GetSchemaAsync(1)).Should().Be("\"long\"");
    }
}
