using System.IO.Compression;
using System.Text;

namespace BarrioSeguro.Geo.Cli.Tests.Hostile;

/// <summary>
/// A corpus of hostile files, built at test time in a folder: each with the words its refusal must contain.
/// </summary>
public static class HostileFiles
{
    public sealed record Case(string Name, string File, string Reason)
    {
        public override string ToString() => Name;
    }

    private static string Polygon(string ring, string extra = "") =>
        $$$"""{"type":"FeatureCollection",{{{extra}}}"features":[{"type":"Feature","properties":{"name":"Hostil"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}]}""";

    /// <summary>The names of the cases, for [MemberData].</summary>
    public static IEnumerable<object[]> Names() => Builders.Keys.Select(k => new object[] { k });

    /// <summary>Writes the file of one case into <paramref name="folder"/>.</summary>
    public static Case Build(string name, string folder) => Builders[name](folder);

    private static readonly Dictionary<string, Func<string, Case>> Builders = new()
    {
        ["truncated"] = f => Write(f, "truncated.geojson", Polygon("[[-79.07,-8.03],[-79.06,-8.03],[-79.06,-8.02],[-79.07,-8.03]]")[..70], "malformed GeoJSON"),
        ["deep nesting"] = f => Write(f, "deep.geojson", new string('[', 100_000) + new string(']', 100_000), "malformed GeoJSON"),
        ["invalid UTF-8"] = f => WriteBytes(f, "utf8.geojson",
            [.. Encoding.UTF8.GetBytes(Polygon("[[-79.07,-8.03],[-79.06,-8.03],[-79.06,-8.02],[-79.07,-8.03]]").Replace("Hostil", "Hostil \u0001")).Select(b => b == 1 ? (byte)0xFF : b)],
            "UTF-8"),
        ["crs named by a number"] = f => Write(f, "crs.geojson",
            Polygon("[[-79.07,-8.03],[-79.06,-8.03],[-79.06,-8.02],[-79.07,-8.03]]", "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":4326}},"), "crs"),
        ["coordinate 1e400"] = f => Write(f, "infinite.geojson", Polygon("[[1e400,-8.03],[-79.06,-8.03],[-79.06,-8.02],[1e400,-8.03]]"), "finite"),
        ["coordinate 1e308"] = f => Write(f, "huge.geojson", Polygon("[[1e308,-8.03],[-79.06,-8.03],[-79.06,-8.02],[1e308,-8.03]]"), "longitude and latitude"),
        ["UTM metres without a CRS"] = f => Write(f, "utm.geojson",
            Polygon("[[718000,9110000],[719000,9110000],[719000,9111000],[718000,9110000]]"), "projected metres"),
        ["swapped axes"] = f => Write(f, "swapped.geojson", Polygon("[[-8.03,-79.07],[-8.03,-79.06],[-8.02,-79.06],[-8.03,-79.07]]"), "swapped"),
        ["a million vertices"] = f => Write(f, "million.geojson",
            Polygon("[" + string.Concat(Enumerable.Repeat("[-79.07,-8.03],", 1_000_000)) + "[-79.07,-8.03]]"), "at most 50,000"),
        ["zip slip"] = f => Zip(f, "slip.zip", zip => Entry(zip, "../../evil.shp", [1, 2, 3]), "outside the folder"),
        ["too many zip entries"] = f => Zip(f, "entries.zip", zip => { for (var i = 0; i < 201; i++) Entry(zip, $"f{i}.txt", [0]); }, "at most 200"),
        ["zip bomb"] = f => Zip(f, "bomb.zip", zip =>
        {
            // 1 GiB and 1 MiB of zeros: a few MB on disk, refused from the sizes its directory declares.
            var entry = zip.CreateEntry("bomb.shp", CompressionLevel.Fastest);
            using var s = entry.Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 1025; i++) s.Write(zeros);
        }, "at most 1,024 MiB"),
        ["lying shapefile header"] = f =>
        {
            // A .shp whose header claims a file far longer than it is, with a .dbf claiming five records it lacks.
            var shp = new byte[100];
            BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(9994)).CopyTo(shp, 0);
            BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(int.MaxValue)).CopyTo(shp, 24);
            BitConverter.GetBytes(1000).CopyTo(shp, 28);
            BitConverter.GetBytes(5).CopyTo(shp, 32);
            var dbf = new byte[33];
            dbf[0] = 3;
            BitConverter.GetBytes(5).CopyTo(dbf, 4);
            BitConverter.GetBytes((short)33).CopyTo(dbf, 8);
            dbf[32] = 0x0D;
            return Zip(f, "lying.zip", zip => { Entry(zip, "lying.shp", shp); Entry(zip, "lying.shx", shp); Entry(zip, "lying.dbf", dbf); }, "not a readable shapefile");
        },
        ["a DBF declaring a million records"] = f =>
        {
            var shp = new byte[100];
            BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(9994)).CopyTo(shp, 0);
            BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(50)).CopyTo(shp, 24);
            BitConverter.GetBytes(1000).CopyTo(shp, 28);
            BitConverter.GetBytes(5).CopyTo(shp, 32);
            var dbf = new byte[33];
            dbf[0] = 3;
            BitConverter.GetBytes(1_000_000).CopyTo(dbf, 4);
            BitConverter.GetBytes((short)33).CopyTo(dbf, 8);
            dbf[32] = 0x0D;
            return Zip(f, "million.zip", zip => { Entry(zip, "million.shp", shp); Entry(zip, "million.shx", shp); Entry(zip, "million.dbf", dbf); }, "at most 200,000");
        },
    };

    private static Case Write(string folder, string file, string text, string reason) =>
        WriteBytes(folder, file, Encoding.UTF8.GetBytes(text), reason);

    private static Case WriteBytes(string folder, string file, byte[] bytes, string reason)
    {
        var path = Path.Combine(folder, file);
        File.WriteAllBytes(path, bytes);
        return new Case(file, path, reason);
    }

    private static Case Zip(string folder, string file, Action<ZipArchive> fill, string reason)
    {
        var path = Path.Combine(folder, file);
        using (var stream = File.Create(path))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            fill(zip);
        return new Case(file, path, reason);
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name).Open();
        s.Write(bytes);
    }
}
