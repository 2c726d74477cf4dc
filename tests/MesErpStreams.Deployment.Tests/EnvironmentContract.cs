using System.Collections;
using System.Reflection;
using MesErpStreams.ErpSimulator;
using MesErpStreams.Hosting;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.Sink;
using MesErpStreams.Sink.Erp;

namespace MesErpStreams.Deployment.Tests;

/// <summary>
/// Which environment variables each meserp command reads, derived from the code: the configuration sections it
/// binds (prefix <see cref="CommonOptions.EnvironmentPrefix"/>, <c>__</c> between sections, keys case-insensitive
/// like .NET configuration), the option classes' properties, and the named variables commands read directly.
/// </summary>
internal static class EnvironmentContract
{
    private const string Prefix = CommonOptions.EnvironmentPrefix;

    /// <summary>Null when <paramref name="command"/> reads <paramref name="name"/>; otherwise why not.</summary>
    /// <param name="command">Command path, e.g. <c>process</c>, <c>edge simulate</c>.</param>
    /// <param name="name">Environment variable name.</param>
    /// <param name="value">Its literal value, or null when it comes from a Secret (only the name is checked then).</param>
    public static string? Check(string command, string name, string? value)
    {
        if (name == "MESERP_DEBUG")
        {
            return null;
        }

        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return $"{name}: not a meserp setting (meserp reads only {Prefix}* variables)";
        }

        var sections = Sections(command);
        if (sections.Named.Contains(name))
        {
            return null;
        }

        var key = name[Prefix.Length..].Split("__");
        var section = key[0];
        if (sections.Bound.FirstOrDefault(b => string.Equals(b, section, StringComparison.OrdinalIgnoreCase)) is not { } bound)
        {
            return $"{name}: `meserp {command}` does not read configuration section '{section}' (it reads: {string.Join(", ", sections.Bound.DefaultIfEmpty("none"))}; variables: {string.Join(", ", sections.Named.DefaultIfEmpty("none"))})";
        }

        return bound switch
        {
            "Kafka" => CheckKafka(name, key, value),
            "SchemaRegistry" => CheckProperty(name, typeof(SchemaRegistryClientOptions), key, 1),
            "Sink" => CheckSink(name, key, value),
            _ => $"{name}: no rule for section {bound}",
        };
    }

    private static (string[] Bound, string[] Named) Sections(string command) => command.Split(' ')[0] switch
    {
        "process" or "edge" or "replay" or "run" => (["Kafka", "SchemaRegistry"], []),
        "topics" => (["Kafka"], []),
        "schemas" => (["SchemaRegistry"], []),
        "sink" => (["Kafka", "SchemaRegistry", "Sink"], [ErpSinkCommand.ErpTokenVariable, ErpSinkCommand.ErpClientSecretVariable]),
        "erp-sim" => ([], [ErpSimulatorCommand.TokenVariable, ErpSimulatorCommand.AdminTokenVariable]),
        _ => ([], []),
    };

    private static string? CheckKafka(string name, string[] key, string? value)
    {
        if (key.Length == 2 && Eq(key[1], "BootstrapServers"))
        {
            return null;
        }

        return key.Length == 3 && Eq(key[1], "Properties")
            ? CheckLibrdkafka(name, key[2], value)
            : $"{name}: the Kafka section has BootstrapServers and Properties__<librdkafka property> only";
    }

    private static string? CheckSink(string name, string[] key, string? value)
    {
        if (key.Length == 2 && Eq(key[1], "SchemaRegistryUrl"))
        {
            return null;
        }

        if (key.Length == 3 && (Eq(key[1], "Kafka") || Eq(key[1], "Consumer") || Eq(key[1], "Producer")))
        {
            return CheckLibrdkafka(name, key[2], value);
        }

        if (key.Length >= 2 && Eq(key[1], "Erp"))
        {
            return CheckProperty(name, typeof(HttpErpClientOptions), key, 2);
        }

        return CheckProperty(name, typeof(ErpSinkOptions), key, 1);
    }

    // key[index] must be a settable public property of type; list properties take one more index segment.
    private static string? CheckProperty(string name, Type type, string[] key, int index)
    {
        if (key.Length <= index)
        {
            return $"{name}: names a section, not a setting";
        }

        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => Eq(p.Name, key[index]) && p.CanWrite);
        if (property is null)
        {
            return $"{name}: {type.Name} has no settable property '{key[index]}'";
        }

        var isList = typeof(IList).IsAssignableFrom(property.PropertyType);
        var expected = isList ? index + 2 : index + 1;
        return key.Length == expected && (!isList || int.TryParse(key[^1], out _))
            ? null
            : $"{name}: {type.Name}.{property.Name} is {(isList ? "a list: add __<index>" : "a single value")}";
    }

    private static string? CheckLibrdkafka(string name, string property, string? value)
    {
        var (result, error) = Librdkafka.TrySet(property, value ?? "placeholder");
        return result switch
        {
            Librdkafka.ConfResult.Ok => null,
            Librdkafka.ConfResult.Invalid when value is null => null,
            Librdkafka.ConfResult.Unknown => $"{name}: librdkafka has no property '{property}' ({error})",
            _ => $"{name}: librdkafka rejects '{value}' for {property}: {error}",
        };
    }

    private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
