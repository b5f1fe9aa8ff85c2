using NetTopologySuite.Geometries;
using SkiaSharp;

namespace BarrioSeguro.Geo.Printing;

/// <summary>
/// Draws a <see cref="FieldKit"/> as an A4 portrait PDF with a <see cref="MapStyle"/>: a cover with every sector, then one
/// page per sector with its map, route, stops, figures and a QR code of the route's GPX. Takes data and a style, nothing else.
/// </summary>
public sealed class FieldKitRenderer(MapStyle style)
{
    /// <summary>A4 in PDF points.</summary>
    public const float PageWidth = 595, PageHeight = 842;
    private const float Margin = 32;

    /// <summary>Where a sector page puts its map, in points from the top left of the page.</summary>
    public static readonly SKRect SectorMapRect = new(Margin, 88, PageWidth - Margin, 508);
    /// <summary>Where a sector page puts the QR code of the route's GPX.</summary>
    public static readonly SKRect QrRect = new(PageWidth - Margin - 140, 540, PageWidth - Margin, 680);
    /// <summary>Where the cover puts the overview map.</summary>
    public static readonly SKRect OverviewMapRect = new(Margin, 168, PageWidth - Margin, 548);

    /// <summary>Writes the kit as a PDF to <paramref name="output"/>.</summary>
    public static void Render(FieldKit kit, MapStyle style, Stream output) => new FieldKitRenderer(style).Render(kit, output);

    public void Render(FieldKit kit, Stream output)
    {
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{kit.Text.Title}: {kit.Cover.Neighborhood} · {kit.Cover.PlanName}",
            Creator = "BarrioSeguro.Geo",
            Producer = "BarrioSeguro.Geo (SkiaSharp)",
            RasterDpi = 300,
        };
        using var doc = SKDocument.CreatePdf(output, metadata);
        var pages = 1 + kit.Sheets.Count;
        Cover(doc.BeginPage(PageWidth, PageHeight), kit, pages);
        doc.EndPage();
        for (var i = 0; i < kit.Sheets.Count; i++)
        {
            Sheet(doc.BeginPage(PageWidth, PageHeight), kit, kit.Sheets[i], i + 2, pages);
            doc.EndPage();
        }
        doc.Close();
    }

    // ---------------------------------------------------------------- pages

    private void Cover(SKCanvas c, FieldKit kit, int pages)
    {
        var t = kit.Text;
        var cover = kit.Cover;
        Text(c, t.Subtitle.ToUpper(t.Culture), Margin, 46, 9, style.Muted, bold: true);
        Text(c, t.Title, Margin, 74, 24, style.Ink, bold: true);
        Text(c, cover.Neighborhood, Margin, 104, 18, style.Ink, bold: true);
        var info = $"{t.Plan}: {cover.PlanName}   ·   {t.ShiftLabel}: {cover.Shift}   ·   {t.Printed}: {cover.Date}";
        Text(c, info, Margin, 124, 10, style.Ink);
        Text(c, t.Overview, Margin, 158, 10, style.Muted, bold: true);

        var map = OverviewMapRect;
        var extent = new Envelope();
        foreach (var s in cover.Sectors) extent.ExpandToInclude(s.Shape.EnvelopeInternal);
        if (!extent.IsNull)
        {
            var frame = new MapFrame(extent, map);
            c.Save();
            c.ClipRect(map);
            Streets(c, frame, kit.Streets);
            foreach (var s in cover.Sectors)
            {
                using var path = frame.PathOf(s.Shape);
                using var fill = Fill(style.SectorColor(s.Index).WithAlpha(110));
                c.DrawPath(path, fill);
                using var edge = Stroke(style.Ink, 1.2f);
                c.DrawPath(path, edge);
            }
            foreach (var s in cover.Sectors) Badge(c, frame, s, 11);
            c.Restore();
            NorthArrow(c, map);
            ScaleBar(c, frame, map);
        }
        using (var border = Stroke(style.Ink, 0.8f)) c.DrawRect(map, border);

        // Sector swatches under the map.
        var x = Margin;
        foreach (var s in cover.Sectors)
        {
            using var sw = Fill(style.SectorColor(s.Index));
            c.DrawRect(new SKRect(x, 558, x + 12, 570), sw);
            Text(c, $"{t.Sector} {s.Label}", x + 16, 568, 9, style.Ink);
            x += 80;
            if (x > PageWidth - Margin - 80) break;
        }

        var y = 598f;
        Text(c, t.PlanFigures, Margin, y, 11, style.Ink, bold: true);
        y += 6;
        y = FigureRows(c, cover.Figures, Margin, y, 250);

        var sy = 598f;
        var sx = 310f;
        Text(c, t.Staffing, sx, sy, 11, style.Ink, bold: true);
        sy += 16;
        foreach (var line in cover.Staffing)
            sy = Paragraph(c, "• " + line, sx, sy, PageWidth - Margin - sx, 8.5f, style.Ink) + 3;

        var ny = Math.Max(y, sy) + 14;
        if (cover.Notes.Count > 0 && ny < PageHeight - 80)
        {
            Text(c, t.Notes, Margin, ny, 11, style.Ink, bold: true);
            ny += 16;
            foreach (var note in cover.Notes.Take(6))
            {
                if (ny > PageHeight - 60) break;
                ny = Paragraph(c, "• " + note, Margin, ny, PageWidth - 2 * Margin, 8.5f, style.Ink) + 3;
            }
        }
        Footer(c, t, 1, pages);
    }

    private void Sheet(SKCanvas c, FieldKit kit, SectorSheet sheet, int page, int pages)
    {
        var t = kit.Text;
        var color = style.SectorColor(sheet.Sector.Index);

        // Header: the sector's colour and name, then where and when.
        var swatch = new SKRect(Margin, 32, Margin + 44, 76);
        using (var sw = Fill(color)) c.DrawRoundRect(swatch, 4, 4, sw);
        Text(c, sheet.Sector.Label, swatch.MidX, 61, 16, style.InkOn(color), bold: true, align: SKTextAlign.Center);
        Text(c, $"{t.Sector} {sheet.Sector.Label} · {t.Route}", Margin + 56, 52, 20, style.Ink, bold: true);
        Text(c, $"{kit.Cover.Neighborhood} · {t.Plan}: {kit.Cover.PlanName} · {t.ShiftLabel}: {kit.Cover.Shift} · {kit.Cover.Date}",
            Margin + 56, 70, 9.5f, style.Muted);

        var map = SectorMapRect;
        var extent = sheet.Sector.Shape.EnvelopeInternal.Copy();
        if (sheet.Route is { } r0) extent.ExpandToInclude(r0.Track.EnvelopeInternal);
        var frame = new MapFrame(extent, map);
        c.Save();
        c.ClipRect(map);
        using (var white = Fill(SKColors.White)) c.DrawRect(map, white);
        Streets(c, frame, kit.Streets);
        using (var path = frame.PathOf(sheet.Sector.Shape))
        {
            using var tint = Fill(color.WithAlpha((byte)(255 * style.FillAlpha)));
            c.DrawPath(path, tint);
            // Veil what lies outside the sector so the eye stays inside.
            using var outsideBuilder = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
            outsideBuilder.AddRect(map, SKPathDirection.Clockwise);
            outsideBuilder.AddPath(path, SKPathAddMode.Append);
            using var outside = outsideBuilder.Detach();
            using var veil = Fill(style.OutsideVeil);
            c.DrawPath(outside, veil);
            foreach (var n in sheet.Neighbours.Where(n => frame.Sees(n.Shape)))
            {
                using var np = frame.PathOf(n.Shape);
                using var ns = Stroke(style.SectorColor(n.Index).WithAlpha(200), 1f, dash: [4, 3]);
                c.DrawPath(np, ns);
            }
            using var halo = Stroke(SKColors.White, style.OutlineWidth + 2);
            c.DrawPath(path, halo);
            using var edge = Stroke(style.Outline, style.OutlineWidth, dash: [7, 3]);
            c.DrawPath(path, edge);
        }
        foreach (var n in sheet.Neighbours.Where(n => frame.Sees(n.Shape))) Badge(c, frame, n, 8, faded: true);
        if (sheet.Route is { } route)
        {
            Track(c, frame, route.Track, color);
            Stops(c, frame, route.Stops);
        }
        c.Restore();
        using (var border = Stroke(style.Ink, 0.8f)) c.DrawRect(map, border);
        NorthArrow(c, map);
        ScaleBar(c, frame, map);
        Legend(c, t, color, map.Bottom + 14);

        var y = 548f;
        var colWidth = QrRect.Left - Margin - 20;
        if (sheet.Route is not { } rt)
        {
            Text(c, t.NoRoute, Margin, y + 8, 14, style.Ink, bold: true);
            using var box = Stroke(style.Muted, 0.8f, dash: [3, 3]);
            c.DrawRect(QrRect, box);
            Paragraph(c, t.NoRoute, QrRect.Left + 8, QrRect.MidY - 6, QrRect.Width - 16, 8, style.Muted);
        }
        else
        {
            Text(c, t.Route, Margin, y, 11, style.Ink, bold: true);
            y = FigureRows(c, rt.Figures, Margin, y + 4, colWidth);
            y += 12;
            Text(c, $"{t.Stops} ({t.Arrive} h:mm {t.FromStart})", Margin, y, 11, style.Ink, bold: true);
            y += 14;
            var shown = 0;
            const int rows = 8;
            foreach (var s in rt.Stops.Take(rows))
            {
                var sy = y + shown * 12;
                StopDot(c, new SKPoint(Margin + 6, sy - 3), s.Number.ToString(t.Culture), 5.5f);
                Text(c, s.Arrive, Margin + 16, sy, 8.5f, style.Ink, bold: true);
                Text(c, Fit(s.Name, colWidth - 110, 8.5f), Margin + 100, sy, 8.5f, style.Ink);
                shown++;
            }
            y += shown * 12;
            if (rt.Stops.Count > shown) { Text(c, $"… +{rt.Stops.Count - shown}", Margin, y, 8.5f, style.Muted); y += 12; }
            if (rt.Stops.Count == 0) { Text(c, "—", Margin, y, 8.5f, style.Muted); y += 12; }
            if (rt.Notes.Count > 0)
            {
                y += 8;
                Text(c, t.Notes, Margin, y, 11, style.Ink, bold: true);
                y += 14;
                foreach (var note in rt.Notes)
                {
                    if (y > PageHeight - 60) break;
                    y = Paragraph(c, "• " + note, Margin, y, colWidth, 8, style.Ink) + 2;
                }
            }
            Qr(c, rt.GpxUrl, QrRect);
            var cy = Paragraph(c, t.ScanGpx, QrRect.Left, QrRect.Bottom + 12, QrRect.Width, 8, style.Ink, bold: true);
            Paragraph(c, rt.GpxUrl, QrRect.Left, cy + 2, QrRect.Width, 6.5f, style.Muted, breakAnywhere: true);
        }
        Footer(c, t, page, pages);
    }

    // ---------------------------------------------------------------- map layers

    private void Streets(SKCanvas c, MapFrame frame, IReadOnlyList<LineString> streets)
    {
        using var paint = Stroke(style.Street, style.StreetWidth);
        paint.StrokeCap = SKStrokeCap.Round;
        using var builder = new SKPathBuilder();
        foreach (var s in streets)
        {
            if (!frame.Sees(s) || s.NumPoints < 2) continue;
            builder.MoveTo(frame.ToPage(s.GetCoordinateN(0)));
            for (var i = 1; i < s.NumPoints; i++) builder.LineTo(frame.ToPage(s.GetCoordinateN(i)));
        }
        using var path = builder.Detach();
        c.DrawPath(path, paint);
    }

    private void Track(SKCanvas c, MapFrame frame, LineString track, SKColor color)
    {
        if (track.NumPoints < 2) return;
        using var path = frame.PathOf(track);
        var light = style.InkOn(color) == style.Ink;
        using var casing = Stroke(light ? style.Ink.WithAlpha(150) : style.RouteCasing, style.RouteWidth + 1.6f);
        casing.StrokeJoin = SKStrokeJoin.Round;
        casing.StrokeCap = SKStrokeCap.Round;
        c.DrawPath(path, casing);
        using var line = Stroke(color, style.RouteWidth);
        line.StrokeJoin = SKStrokeJoin.Round;
        line.StrokeCap = SKStrokeCap.Round;
        c.DrawPath(path, line);

        // A few direction arrows, evenly along the track.
        var cs = track.Coordinates;
        var total = track.Length;
        const int arrows = 9;
        var next = 1;
        var walked = 0.0;
        for (var i = 1; i < cs.Length && next <= arrows; i++)
        {
            var seg = cs[i - 1].Distance(cs[i]);
            while (next <= arrows && walked + seg >= total * next / (arrows + 1) && seg > 0)
            {
                var f = (total * next / (arrows + 1) - walked) / seg;
                var at = frame.ToPage(cs[i - 1].X + f * (cs[i].X - cs[i - 1].X), cs[i - 1].Y + f * (cs[i].Y - cs[i - 1].Y));
                var a = frame.ToPage(cs[i - 1]);
                var b = frame.ToPage(cs[i]);
                Arrow(c, at, MathF.Atan2(b.Y - a.Y, b.X - a.X), color);
                next++;
            }
            walked += seg;
        }
    }

    private void Arrow(SKCanvas c, SKPoint at, float angle, SKColor color)
    {
        using var path = Polygon(new(7, 0), new(-5, -5), new(-2, 0), new(-5, 5));
        c.Save();
        c.Translate(at);
        c.RotateRadians(angle);
        using var halo = Stroke(SKColors.White, 1.6f);
        halo.StrokeJoin = SKStrokeJoin.Round;
        c.DrawPath(path, halo);
        using var fill = Fill(style.InkOn(color) == style.Ink ? style.Ink : color);
        c.DrawPath(path, fill);
        c.Restore();
    }

    private void Stops(SKCanvas c, MapFrame frame, IReadOnlyList<RouteStopMark> stops)
    {
        // One marker per hot spot; its label lists the stops made there.
        foreach (var g in stops.GroupBy(s => (Math.Round(s.Place.X), Math.Round(s.Place.Y))))
        {
            var p = frame.ToPage(g.First().Place);
            using var ring = Stroke(style.Hotspot, 2f);
            using var glow = Fill(style.Hotspot.WithAlpha(60));
            c.DrawCircle(p, 13, glow);
            c.DrawCircle(p, 13, ring);
            StopDot(c, p, g.First().Number.ToString(), 7);
            // The name is in the stops table; the map names only the stops, to keep the streets readable.
            var text = string.Join(" · ", g.Select(s => s.Number));
            using var font = Font(7.5f, bold: true);
            var w = font.MeasureText(text);
            var box = new SKRect(p.X + 15, p.Y - 7, p.X + 19 + w, p.Y + 5);
            using var bg = Fill(SKColors.White.WithAlpha(225));
            c.DrawRoundRect(box, 2, 2, bg);
            Text(c, text, p.X + 17, p.Y + 2, 7.5f, style.Hotspot.WithAlpha(255), bold: true);
        }
    }

    private void StopDot(SKCanvas c, SKPoint p, string number, float radius)
    {
        using var fill = Fill(style.Hotspot);
        c.DrawCircle(p, radius, fill);
        using var edge = Stroke(SKColors.White, 1f);
        c.DrawCircle(p, radius, edge);
        Text(c, number, p.X, p.Y + radius * 0.45f, radius * 1.2f, SKColors.White, bold: true, align: SKTextAlign.Center);
    }

    private void Badge(SKCanvas c, MapFrame frame, SectorShape s, float size, bool faded = false)
    {
        var at = frame.ToPage(s.Shape.InteriorPoint.Coordinate);
        var color = style.SectorColor(s.Index);
        using var font = Font(size, bold: true);
        var w = font.MeasureText(s.Label) + size;
        var box = new SKRect(at.X - w / 2, at.Y - size * 0.9f, at.X + w / 2, at.Y + size * 0.6f);
        using var bg = Fill(faded ? color.WithAlpha(170) : color);
        c.DrawRoundRect(box, 3, 3, bg);
        using var edge = Stroke(SKColors.White, 1f);
        c.DrawRoundRect(box, 3, 3, edge);
        Text(c, s.Label, at.X, at.Y + size * 0.2f, size, style.InkOn(color), bold: true, align: SKTextAlign.Center);
    }

    private void NorthArrow(SKCanvas c, SKRect map)
    {
        var cx = map.Right - 22;
        var top = map.Top + 12;
        using var bg = Fill(SKColors.White.WithAlpha(230));
        c.DrawRoundRect(new SKRect(cx - 13, top - 4, cx + 13, top + 40), 3, 3, bg);
        using var left = Polygon(new(cx, top), new(cx - 8, top + 24), new(cx, top + 19));
        using var right = Polygon(new(cx, top), new(cx + 8, top + 24), new(cx, top + 19));
        using var ink = Fill(style.Ink);
        using var white = Fill(SKColors.White);
        using var edge = Stroke(style.Ink, 0.8f);
        c.DrawPath(left, ink);
        c.DrawPath(right, white);
        c.DrawPath(right, edge);
        Text(c, "N", cx, top + 35, 9, style.Ink, bold: true, align: SKTextAlign.Center);
    }

    private void ScaleBar(SKCanvas c, MapFrame frame, SKRect map)
    {
        // A round length near a quarter of the map's width, in four alternating parts.
        var target = map.Width / 4 * frame.MetresPerPoint;
        double[] nice = [20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000];
        var metres = nice.LastOrDefault(n => n <= target, nice[0]);
        var length = (float)(metres * frame.Scale);
        var x = map.Left + 12;
        var y = map.Bottom - 16;
        using var bg = Fill(SKColors.White.WithAlpha(230));
        c.DrawRoundRect(new SKRect(x - 6, y - 16, x + length + 40, y + 10), 3, 3, bg);
        using var ink = Fill(style.Ink);
        using var white = Fill(SKColors.White);
        using var edge = Stroke(style.Ink, 0.8f);
        var part = length / 4;
        for (var i = 0; i < 4; i++)
        {
            var r = new SKRect(x + i * part, y, x + (i + 1) * part, y + 5);
            c.DrawRect(r, i % 2 == 0 ? ink : white);
            c.DrawRect(r, edge);
        }
        Text(c, "0", x, y - 4, 7.5f, style.Ink, align: SKTextAlign.Center);
        Text(c, $"{metres / 2:0} ", x + length / 2, y - 4, 7.5f, style.Ink, align: SKTextAlign.Center);
        Text(c, metres >= 1000 ? $"{metres / 1000:0.#} km" : $"{metres:0} m", x + length, y - 4, 7.5f, style.Ink, bold: true);
    }

    private void Legend(SKCanvas c, FieldKitText t, SKColor color, float y)
    {
        var x = Margin;
        using (var s = Stroke(style.Street, 1.5f)) c.DrawLine(x, y - 3, x + 18, y - 3, s);
        Text(c, t.Streets, x + 22, y, 8, style.Ink);
        x += 34 + Measure(t.Streets, 8);
        using (var s = Stroke(style.Outline, style.OutlineWidth, dash: [7, 3])) c.DrawLine(x, y - 3, x + 18, y - 3, s);
        Text(c, t.Outline, x + 22, y, 8, style.Ink);
        x += 34 + Measure(t.Outline, 8);
        using (var s = Stroke(color, style.RouteWidth)) c.DrawLine(x, y - 3, x + 18, y - 3, s);
        Arrow(c, new SKPoint(x + 9, y - 3), 0, color);
        Text(c, t.Route, x + 22, y, 8, style.Ink);
        x += 34 + Measure(t.Route, 8);
        StopDot(c, new SKPoint(x + 6, y - 3), "1", 5.5f);
        Text(c, t.Hotspot, x + 16, y, 8, style.Ink);
    }

    // ---------------------------------------------------------------- text and boxes

    private float FigureRows(SKCanvas c, IReadOnlyList<(string Label, string Value)> rows, float x, float y, float width)
    {
        var top = y;
        var h = 15f;
        using var band = Fill(SKColor.Parse("#eef1f4"));
        for (var i = 0; i < rows.Count; i++)
        {
            var ry = top + i * h;
            if (i % 2 == 0) c.DrawRect(new SKRect(x, ry, x + width, ry + h), band);
            Text(c, rows[i].Label, x + 6, ry + 10.5f, 9, style.Ink);
            Text(c, rows[i].Value, x + width - 6, ry + 10.5f, 9.5f, style.Ink, bold: true, align: SKTextAlign.Right);
        }
        using var edge = Stroke(style.Muted, 0.6f);
        c.DrawRect(new SKRect(x, top, x + width, top + rows.Count * h), edge);
        return top + rows.Count * h;
    }

    private void Qr(SKCanvas c, string url, SKRect area)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCoder.QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes the 4-module quiet zone
        var n = matrix.Count;
        var module = Math.Min(area.Width, area.Height) / n;
        using var white = Fill(SKColors.White);
        c.DrawRect(area, white);
        using var dark = Fill(SKColors.Black);
        dark.IsAntialias = false;
        for (var row = 0; row < n; row++)
            for (var col = 0; col < n; col++)
                if (matrix[row][col])
                    c.DrawRect(new SKRect(area.Left + col * module, area.Top + row * module,
                        area.Left + (col + 1) * module, area.Top + (row + 1) * module), dark);
    }

    private void Footer(SKCanvas c, FieldKitText t, int page, int pages)
    {
        using var rule = Stroke(style.Muted, 0.5f);
        c.DrawLine(Margin, PageHeight - 34, PageWidth - Margin, PageHeight - 34, rule);
        Text(c, t.Footer, Margin, PageHeight - 22, 7.5f, style.Muted);
        Text(c, $"{t.Page} {page}/{pages}", PageWidth - Margin, PageHeight - 22, 7.5f, style.Muted, align: SKTextAlign.Right);
    }

    /// <summary>Writes words into lines no wider than <paramref name="width"/>; returns the baseline below the last line.</summary>
    private float Paragraph(SKCanvas c, string text, float x, float y, float width, float size, SKColor color, bool bold = false, bool breakAnywhere = false)
    {
        using var font = Font(size, bold);
        var lines = new List<string>();
        var line = "";
        IEnumerable<string> pieces = breakAnywhere ? text.Select(ch => ch.ToString()) : text.Split(' ');
        foreach (var piece in pieces)
        {
            var candidate = line.Length == 0 ? piece : breakAnywhere ? line + piece : line + " " + piece;
            if (line.Length > 0 && font.MeasureText(candidate) > width)
            {
                lines.Add(line);
                line = piece;
            }
            else line = candidate;
        }
        if (line.Length > 0) lines.Add(line);
        var lead = size * 1.3f;
        foreach (var l in lines)
        {
            y += lead - size * 0.3f;
            Text(c, l, x, y, size, color, bold);
            y += size * 0.3f;
        }
        return y;
    }

    private string Fit(string text, float width, float size)
    {
        using var font = Font(size, false);
        if (font.MeasureText(text) <= width) return text;
        while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
        return text + "…";
    }

    private float Measure(string text, float size)
    {
        using var font = Font(size, false);
        return font.MeasureText(text);
    }

    private void Text(SKCanvas c, string text, float x, float y, float size, SKColor color, bool bold = false, SKTextAlign align = SKTextAlign.Left)
    {
        using var font = Font(size, bold);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        c.DrawText(text, x, y, align, font, paint);
    }

    private SKFont Font(float size, bool bold) => new(bold ? style.Bold : style.Regular, size) { Subpixel = true };

    private static SKPath Polygon(params SKPoint[] points)
    {
        using var b = new SKPathBuilder();
        b.AddPoly(points, true);
        return b.Detach();
    }

    private static SKPaint Fill(SKColor color) => new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };

    private static SKPaint Stroke(SKColor color, float width, float[]? dash = null) => new()
    {
        Color = color, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width,
        PathEffect = dash is null ? null : SKPathEffect.CreateDash(dash, 0),
    };
}
