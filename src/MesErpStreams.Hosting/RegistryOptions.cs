using System.CommandLine;
using MesErpStreams.SchemaRegistry;
using Microsoft.Extensions.Configuration;

namespace MesErpStreams.Hosting;

/// <summary>Schema registry connection options shared by commands (configuration section <c>SchemaRegistry</c>).</summary>
public static class RegistryOptions
{
    /// <summary>Creates <c>--schema-registry-url</c>.</summary>
    public static Option<string?> Url() => new("--schema-registry-url")
    {
        Description = "Confluent-compatible schema registry URL(s). Default: SchemaRegistry:Url from --config or MESERP_SchemaRegistry__Url. Basic auth: MESERP_SchemaRegistry__BasicAuthUserInfo=user:password.",
    };

    /// <summary>
    /// Registry client options from the <c>SchemaRegistry</c> section (Url, BasicAuthUserInfo, SslCaLocation, …) with
    /// the command-line URL on top, validated.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public static SchemaRegistryClientOptions Bind(IConfiguration configuration, string? url)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SchemaRegistryClientOptions();
        configuration.GetSection("SchemaRegistry").Bind(options);
        if (!string.IsNullOrWhiteSpace(url))
        {
            options.Url = url;
        }

        options.Validate();
        return options;
    }
}
