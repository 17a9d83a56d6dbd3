using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;


namespace RiskStream.Testing;

/// <summary>Validates CAP messages against the OASIS CAP 1.2 schema shipped in schemas/cap.</summary>
public static class CapAssert
{
    /// <summary>The OASIS CAP 1.2 namespace.</summary>
    public const string CapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

    private static readonly XmlSchemaSet Schemas = Load();

    private static XmlSchemaSet Load()
    {
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(RepoPaths.Of("schemas", "cap", "CAP-v1.2.xsd"));
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    /// <summary>Errors of one document (empty when valid).</summary>
    public static IReadOnlyList<string> Errors(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }

        return errors;
    }

    public static XDocument Valid(string xml)
    {
        var errors = Errors(xml);
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + xml);
        return XDocument.Parse(xml);
    }

    public static string? Value(XDocument doc, string element) =>
        doc.Descendants(XName.Get(element, CapNamespace)).FirstOrDefault()?.Value;

    /// <summary>The text of every such element (a parameter's is its valueName followed by its value).</summary>
    public static IReadOnlyList<string> Values(XDocument doc, string element) =>
        doc.Descendants(XName.Get(element, CapNamespace)).Select(e => e.Value).ToArray();
}
