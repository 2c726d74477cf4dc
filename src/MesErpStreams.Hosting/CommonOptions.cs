using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using MesErpStreams.Kafka.Configuration;
using Microsoft.Extensions.Configuration;

namespace MesErpStreams.Hosting;

/// <summary>Options shared by every command that talks to Kafka, and their binding to <see cref="KafkaClientOptions"/>.</summary>
public static class CommonOptions
{
    /// <summary>Environment variable prefix for configuration (e.g. <c>MESERP_Kafka__Properties__sasl.password</c>).</summary>
    public const string EnvironmentPrefix = "MESERP_";

    /// <summary>Creates <c>--bootstrap-servers</c>.</summary>
    public static Option<string?> BootstrapServers() => new("--bootstrap-servers")
    {
        Description = "Kafka bootstrap servers (host:port,...). Default: Kafka:BootstrapServers from --config or MESERP_Kafka__BootstrapServers.",
    };

    /// <summary>Creates <c>--kafka-property</c> (repeatable <c>key=value</c>).</summary>
    public static Option<string[]> KafkaProperties()
    {
        var o = new Option<string[]>("--kafka-property")
        {
            Description = "Extra librdkafka property key=value for every client (repeatable). Put secrets in the environment instead (MESERP_Kafka__Properties__<key>).",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };
        o.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    r.AddError($"--kafka-property: '{token.Value}' is not key=value.");
                }
            }
        });
        return o;
    }

    /// <summary>Creates <c>--config</c> (a JSON configuration file).</summary>
    public static Option<FileInfo?> ConfigFile()
    {
        var o = new Option<FileInfo?>("--config") { Description = "JSON configuration file (sections Kafka, …). Environment variables MESERP_* override it." };
        o.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo?>() is { Exists: false } f)
            {
                r.AddError($"--config: file '{f.FullName}' does not exist.");
            }
        });
        return o;
    }

    /// <summary>Builds configuration: the optional file, then MESERP_* environment variables.</summary>
    public static IConfiguration BuildConfiguration(FileInfo? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddJsonFile(file.FullName, optional: false);
        }

        return builder.AddEnvironmentVariables(EnvironmentPrefix).Build();
    }

    /// <summary>
    /// Kafka client options from configuration with command-line values on top, validated.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public static KafkaClientOptions Kafka(IConfiguration configuration, string? bootstrapServers, IEnumerable<string>? properties)
    {
        var options = KafkaClientOptions.FromConfiguration(configuration);
        if (!string.IsNullOrWhiteSpace(bootstrapServers))
        {
            options.BootstrapServers = bootstrapServers;
        }

        foreach (var p in properties ?? [])
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            options.Properties[p[..eq].Trim()] = p[(eq + 1)..];
        }

        options.Validate();
        return options;
    }

    /// <summary>
    /// Makes the option parse its own value: a whole number in [<paramref name="min"/>, <paramref name="max"/>], else a
    /// parse error naming the option and the text given. (A validator reading the value would throw on a value that is
    /// not a number, an unhandled exception instead of a message.)
    /// </summary>
    public static Option<int> InRange(Option<int> option, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(option);
        var fallback = option.DefaultValueFactory;
        option.CustomParser = r => ParseValue(r, option.Name, fallback,
            t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null,
            $"between {min} and {max}");
        return option;
    }

    /// <summary>Creates an option taking a whole number in [<paramref name="min"/>, <paramref name="max"/>] (see <see cref="InRange"/>).</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) =>
        InRange(new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue }, min, max);

    /// <summary>
    /// Creates an option taking a number for which <paramref name="valid"/> holds, else a parse error naming the option,
    /// <paramref name="rule"/> (e.g. "a positive number") and the text given.
    /// </summary>
    public static Option<double> Number(string name, string description, double defaultValue, Func<double, bool> valid, string rule)
    {
        ArgumentNullException.ThrowIfNull(valid);
        return new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseValue(r, name, _ => defaultValue,
                t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && valid(v) ? v : null, rule),
        };
    }

    private static T ParseValue<T>(ArgumentResult r, string name, Func<ArgumentResult, T>? fallback, Func<string, T?> parse, string rule)
        where T : struct
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : null;
        if (text is not null)
        {
            if (parse(text) is { } value)
            {
                return value;
            }

            r.AddError($"{name} must be {rule} (got '{text}').");
        }

        return fallback is null ? default : fallback(r);
    }

    /// <summary>Creates <c>--duration</c>: how long to run (e.g. <c>60</c>, <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>00:01:30</c>).</summary>
    public static Option<TimeSpan?> Duration(string description) => new("--duration")
    {
        Description = description,
        CustomParser = r => ParseDuration(r, "--duration"),
    };

    /// <summary>
    /// A duration flag whose default is written the way it is typed (<c>Default 7d.</c>), not as a TimeSpan in help
    /// (<c>[default: 7.00:00:00]</c>, first plant trial). Read it with <see cref="DurationValue"/>, which supplies the
    /// default when the flag is not given.
    /// </summary>
    /// <param name="name">The flag.</param>
    /// <param name="description">What it means (the default is appended).</param>
    /// <param name="defaultText">The default as typed, e.g. <c>2m</c>.</param>
    /// <param name="parser">Parses a given value (default: a positive duration, <see cref="ParseDuration"/>).</param>
    public static Option<TimeSpan?> DurationWithDefault(string name, string description, string defaultText, Func<ArgumentResult, TimeSpan?>? parser = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(defaultText);
        var option = new Option<TimeSpan?>(name)
        {
            Description = $"{description} Default {defaultText}.",
            CustomParser = parser ?? (r => ParseDuration(r, name)),
        };
        DurationDefaults.Add(option, TryParseDuration(defaultText, out var v) ? v : throw new ArgumentException($"{name}: bad default '{defaultText}'", nameof(defaultText)));
        return option;
    }

    /// <summary>The value of a <see cref="DurationWithDefault"/> flag, or its default.</summary>
    public static TimeSpan DurationValue(ParseResult parse, Option<TimeSpan?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(option) ?? (DurationDefaults.TryGetValue(option, out var d) ? (TimeSpan)d : throw new ArgumentException($"{option.Name} was not made by DurationWithDefault", nameof(option)));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option<TimeSpan?>, object> DurationDefaults = [];

    /// <summary>Parses a duration token, adding a parse error that names the option when malformed.</summary>
    public static TimeSpan? ParseDuration(ArgumentResult r, string optionName)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Tokens.Count == 0)
        {
            return null;
        }

        var text = r.Tokens[0].Value.Trim();
        if (TryParseDuration(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        r.AddError($"{optionName}: '{text}' is not a positive duration (examples: 60, 90s, 5m, 1h, 00:01:30).");
        return null;
    }

    /// <summary>Parses <c>N</c> (seconds), <c>Nms</c>, <c>Ns</c>, <c>Nm</c>, <c>Nh</c>, <c>Nd</c> or a TimeSpan.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        (string number, double factorMs) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1d),
            _ when text.EndsWith('s') => (text[..^1], 1000d),
            _ when text.EndsWith('m') => (text[..^1], 60_000d),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000d),
            _ when text.EndsWith('d') => (text[..^1], 86_400_000d),
            _ when text.Contains(':', StringComparison.Ordinal) => (string.Empty, 0d),
            _ => (text, 1000d),
        };
        if (factorMs == 0)
        {
            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        if (double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && double.IsFinite(n) && n * factorMs < TimeSpan.MaxValue.TotalMilliseconds)
        {
            value = TimeSpan.FromMilliseconds(n * factorMs);
            return true;
        }

        return false;
    }
}
