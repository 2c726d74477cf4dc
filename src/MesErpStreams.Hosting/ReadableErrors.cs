using System.Text.Json;

namespace MesErpStreams.Hosting;

/// <summary>
/// Error messages for people, not for .NET developers (first plant trial): which field, what value, what was
/// expected; no type names (<c>could not be converted to MesErpStreams.Contracts.Mes.ProductionConfirmation</c>), no
/// parameter names (<c>(Parameter 'mesEvent')</c>), no zero-based <c>LineNumber: 0 | BytePositionInLine: 12</c>.
/// </summary>
public static class ReadableErrors
{
    /// <summary>A JSON input's error: the field (from the JSON path) and what was wrong with it.</summary>
    public static string Json(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var field = e.Path is { Length: > 2 } p ? p[2..] : null;
        var message = e.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var at = message.IndexOf("including:", StringComparison.Ordinal);
            var names = at < 0 ? string.Empty : message[(at + "including:".Length)..].Split(" Path:", 2)[0].Trim().TrimEnd('.');
            return $"missing required field(s): {names}";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return field is null ? "a value has the wrong type or format" : $"field {field}: the value has the wrong type or format";
        }

        message = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();
        return field is null ? message : $"field {field}: {message}";
    }

    /// <summary>An argument error's message without its <c>(Parameter '…')</c> suffix.</summary>
    public static string Argument(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        var at = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
