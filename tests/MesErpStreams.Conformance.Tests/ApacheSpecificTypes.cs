using System.CodeDom.Compiler;
using System.Reflection;
using MesErpStreams.Contracts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MesErpStreams.Conformance.Tests;

/// <summary>
/// Apache.Avro specific record classes for every schema in <c>schemas/</c>, generated at test time with Apache's own
/// <c>Avro.CodeGen</c> (CodeDom → C# text) and compiled in memory with Roslyn; nothing generated is committed.
/// Shared types (Quantity, TraceContext, ErpCommandType) are inlined in several schemas, so CodeGen emits them once
/// per schema; the copies are identical (the contracts' shared-type check guarantees it) and all but the first are
/// dropped before compiling.
/// </summary>
internal static class ApacheSpecificTypes
{
    private static readonly Lazy<Assembly> Compiled = new(Compile);

    /// <summary>The compiled assembly, loaded in the default context so Apache's <c>ObjectCreator</c> finds its types by schema name.</summary>
    public static Assembly Assembly => Compiled.Value;

    /// <summary>The generated class (or enum) of an Avro full name, e.g. <c>com.meserp.mes.ProductionConfirmation</c>.</summary>
    public static Type For(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

    private static Assembly Compile()
    {
        var generator = new global::Avro.CodeGen();
        foreach (var file in ContractSchemas.Files)
        {
            generator.AddSchema(ContractSchemas.GetJson(file));
        }

        var unit = generator.GenerateCode();
        using var provider = new Microsoft.CSharp.CSharpCodeProvider();
        using var source = new StringWriter();
        provider.GenerateCodeFromCompileUnit(unit, source, new CodeGeneratorOptions { BracingStyle = "C" });

        var tree = CSharpSyntaxTree.ParseText(source.ToString());
        var root = tree.GetRoot();
        var duplicates = root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>()
            .GroupBy(t => FullName(t), StringComparer.Ordinal)
            .SelectMany(g => g.Skip(1))
            .ToList();
        tree = tree.WithRootAndOptions(root.RemoveNodes(duplicates, SyntaxRemoveOptions.KeepNoTrivia)!, tree.Options);

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(global::Avro.Schema).Assembly.Location));
        var compilation = CSharpCompilation.Create("ApacheAvroGenerated", [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("global::Avro.CodeGen output does not compile:\n"
                + string.Join('\n', result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        }

        return Assembly.Load(image.ToArray());
    }

    private static string FullName(BaseTypeDeclarationSyntax type) =>
        type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name + "." + type.Identifier.Text;
}
