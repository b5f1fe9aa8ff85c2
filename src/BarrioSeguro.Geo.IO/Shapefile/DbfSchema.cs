using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Esri.Dbf.Fields;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// The DBF columns for a set of features: one per attribute (first-seen order), typed by <see cref="AttributeSchema"/>,
/// named by <see cref="DbfFieldNames"/>. DBF has no date-time type: such columns, and mixed ones, are text.
/// </summary>
internal sealed class DbfSchema
{
    /// <summary>The longest DBF character field, in bytes.</summary>
    public const int MaxCharacterBytes = 254;

    private readonly IReadOnlyList<(AttributeColumn Column, string Field)> _columns;

    private DbfSchema(IReadOnlyList<(AttributeColumn, string)> columns) => _columns = columns;

    /// <summary>The schema of columns already inferred.</summary>
    public static DbfSchema Of(IReadOnlyList<AttributeColumn> columns)
    {
        var names = DbfFieldNames.Make(columns.Select(c => c.Name).ToList());
        return new DbfSchema(columns.Select((c, i) => (c, names[i])).ToList());
    }

    /// <summary>Attribute name -> DBF field name.</summary>
    public IReadOnlyDictionary<string, string> FieldNames => _columns.ToDictionary(c => c.Column.Name, c => c.Field);

    /// <summary>New DBF field definitions (the NTS writer keeps per-record state in them, so never share them).</summary>
    public DbfField[] CreateFields() => _columns.Select(c => c.Column.Kind switch
    {
        // GDAL reads N fields up to 9 digits as Integer and wider ones as Integer64: size to the values.
        AttributeKind.Int32 => (DbfField)new DbfNumericInt32Field(c.Field, Math.Clamp(c.Column.MaxBytes, 9, 11)),
        // GDAL writes Integer64 as N(18) and reads N(10..18) back as Integer64 (N(19) as Real): 18 unless a value needs more.
        AttributeKind.Int64 => new DbfNumericInt64Field(c.Field, Math.Clamp(c.Column.MaxBytes, 18, 20)),
        AttributeKind.Double => new DbfNumericDoubleField(c.Field),
        AttributeKind.Bool => new DbfLogicalField(c.Field),
        AttributeKind.Date => new DbfDateField(c.Field),
        _ => new DbfCharacterField(c.Field, Math.Clamp(c.Column.MaxBytes, 1, MaxCharacterBytes)),
    }).ToArray();

    /// <summary>
    /// One line naming the attributes whose field names were cut or changed to fit 10 bytes
    /// ("field names cut to 10 bytes: districtUbigeo as districtUb, ..."), or null when all fit.
    /// </summary>
    public Note? RenamedNote()
    {
        var renamed = _columns.Where(c => c.Column.Name != c.Field).Select(c => $"{c.Column.Name} → {c.Field}").ToList();
        return renamed.Count == 0 ? null : Note.Of("io.fields_renamed", ("bytes", DbfFieldNames.MaxBytes), ("fields", renamed));
    }

    /// <summary>
    /// The feature's attributes renamed to field names and converted to the field types.
    /// Text longer than 254 bytes is cut at a character boundary, and each cut is a line in <paramref name="warnings"/>:
    /// "description of feature #12 (id 7) cut from 300 to 254 bytes" (#: position from 1 in the layer written).
    /// </summary>
    public AttributesTable Convert(IAttributesTable? attributes, int featureNumber, ICollection<Note> warnings)
    {
        var table = new AttributesTable();
        foreach (var (column, field) in _columns)
        {
            var value = attributes is not null && attributes.Exists(column.Name) ? attributes[column.Name] : null;
            table.Add(field, value is null ? null : column.Kind switch
            {
                AttributeKind.Int32 => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
                AttributeKind.Int64 => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                AttributeKind.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
                AttributeKind.Bool => (bool)value,
                AttributeKind.Date => AttributeSchema.AsDateTime(value).Date,
                _ => Cut(column.Name, AttributeSchema.AsText(value), attributes!, featureNumber, warnings),
            });
        }
        return table;
    }

    private static string Cut(string name, string text, IAttributesTable attributes, int featureNumber, ICollection<Note> warnings)
    {
        var cut = DbfFieldNames.Truncate(text, MaxCharacterBytes);
        if (cut.Length == text.Length) return text;
        var (before, after) = (System.Text.Encoding.UTF8.GetByteCount(text), System.Text.Encoding.UTF8.GetByteCount(cut));
        warnings.Add(attributes.Exists("id") && attributes["id"] is { } v
            ? Note.Of("io.text_cut_id", ("field", name), ("feature", featureNumber), ("id", AttributeSchema.AsText(v)), ("from", before), ("to", after), ("limit", MaxCharacterBytes))
            : Note.Of("io.text_cut", ("field", name), ("feature", featureNumber), ("from", before), ("to", after), ("limit", MaxCharacterBytes)));
        return cut;
    }
}
