using NetTopologySuite.Geometries;
using SkiaSharp;

namespace BarrioSeguro.Geo.Printing;

/// <summary>
/// Draws a <see cref="FieldKit"/> as an A4 portrait PDF with a <see cref="MapStyle"/>: a cover with every sector, then per
/// sector a page with its map, route, figures, a QR code of the route's GPX and the start of its stop list, followed by
/// as many pages as the whole stop list, the notes and the street-by-street list need; then the cycle calendar. Every
/// text is fitted to its column or frame (cut with "…" or wrapped), never drawn past it. The PDF says it is in the kit's
/// language (/Lang es-PE) and carries each route's GPX as an attached file (<see cref="PdfUpdate"/>).
/// Takes data and a style, nothing else.
/// </summary>
public sealed class FieldKitRenderer(MapStyle style)
{
    // Where each attached GPX's name was printed, filled while drawing: the paperclip annotation goes there.
    private readonly Dictionary<PdfAttachment, PdfPlace> paperclips = new(ReferenceEqualityComparer.Instance);

    /// <summary>A4 in PDF points.</summary>
    public const float PageWidth = 595, PageHeight = 842;
    /// <summary>Every text stays this far (points) from the page's edges.</summary>
    public const float Margin = 32;
    /// <summary>The lowest baseline of body text: the footer lies below.</summary>
    private const float BodyBottom = PageHeight - 48;
    private const float Row = 12, Line = 10.5f;

    /// <summary>Where a sector page puts its map, in points from the top left of the page.</summary>
    public static readonly SKRect SectorMapRect = new(Margin, 88, PageWidth - Margin, 508);
    /// <summary>Where a sector page puts the QR code of the route's GPX.</summary>
    public static readonly SKRect QrRect = new(PageWidth - Margin - 140, 540, PageWidth - Margin, 680);
    /// <summary>Where the cover puts the overview map.</summary>
    public static readonly SKRect OverviewMapRect = new(Margin, 168, PageWidth - Margin, 548);

    /// <summary>The two columns of a continuation page.</summary>
    private static readonly SKRect[] ContinuationColumns =
    [
        new(Margin, 92, (PageWidth - 20) / 2, BodyBottom),
        new((PageWidth + 20) / 2, 92, PageWidth - Margin, BodyBottom),
    ];

    /// <summary>Writes the kit as a PDF to <paramref name="output"/>; returns its page count.</summary>
    public static int Render(FieldKit kit, MapStyle style, Stream output) => new FieldKitRenderer(style).Render(kit, output);

    /// <summary>Writes the kit as a PDF to <paramref name="output"/>; returns its page count.</summary>
    public int Render(FieldKit kit, Stream output)
    {
        // First where everything goes, so the footer can say "page 3/9"; then the drawing.
        var pages = new List<Action<SKCanvas, int, int>>();
        paperclips.Clear();
        pages.AddRange(CoverPages(kit));
        foreach (var sheet in kit.Sheets) pages.AddRange(SheetPages(kit, sheet));
        if (kit.Calendar is { } calendar) pages.AddRange(CalendarPages(kit, calendar));

        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{kit.Text.Title}: {kit.Cover.Neighborhood} · {kit.Cover.PlanName}",
            Creator = "BarrioSeguro.Geo",
            Producer = "BarrioSeguro.Geo (SkiaSharp)",
            RasterDpi = 300,
        };
        using var skia = new MemoryStream();
        using (var doc = SKDocument.CreatePdf(skia, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                pages[i](doc.BeginPage(PageWidth, PageHeight), i + 1, pages.Count);
                doc.EndPage();
            }
            doc.Close();
        }
        // Each GPX in the document's list of attachments, and as a paperclip beside its name on the sector's page.
        var attachments = kit.Sheets.Select(s => s.Route?.Gpx).OfType<PdfAttachment>()
            .Select(a => paperclips.TryGetValue(a, out var place) ? a with { Place = place } : a).ToList();
        output.Write(PdfUpdate.Apply(skia.ToArray(), kit.Text.Culture.Name, attachments));
        return pages.Count;
    }

    // ---------------------------------------------------------------- pages

    private IEnumerable<Action<SKCanvas, int, int>> CoverPages(FieldKit kit)
    {
        var t = kit.Text;
        var cover = kit.Cover;
        var swatchRows = SwatchRows(cover.Sectors);
        var lower = 598f + (swatchRows - 1) * 16;
        var flow = new Flow([new SKRect(310, lower - 11, PageWidth - Margin, BodyBottom)], ContinuationColumns);
        if (cover.Staffing.Count > 0)
        {
            Heading(flow, t.Staffing);
            foreach (var line in cover.Staffing) Paragraph(flow, "• " + line, 8.5f, style.Ink);
            flow.Space(8);
        }
        if (cover.Notes.Count > 0)
        {
            Heading(flow, t.Notes);
            foreach (var note in cover.Notes) Paragraph(flow, "• " + note, 8.5f, style.Ink);
        }
        yield return (c, page, pages) =>
        {
            Cover(c, kit, lower);
            flow.Draw(0, c);
            Footer(c, t, page, pages);
        };
        for (var i = 1; i < flow.Pages; i++)
        {
            var n = i;
            yield return (c, page, pages) =>
            {
                ContinuationHeader(c, t, $"{t.Title} · {t.Continued}", $"{cover.Neighborhood} · {t.Plan}: {cover.PlanName}");
                flow.Draw(n, c);
                Footer(c, t, page, pages);
            };
        }
    }

    private void Cover(SKCanvas c, FieldKit kit, float lower)
    {
        var t = kit.Text;
        var cover = kit.Cover;
        var width = PageWidth - 2 * Margin;
        Text(c, Fit(t.Subtitle.ToUpper(t.Culture), width, 9, bold: true), Margin, 46, 9, style.Muted, bold: true);
        Text(c, Fit(t.Title, width, 24, bold: true), Margin, 74, 24, style.Ink, bold: true);
        Text(c, Fit(cover.Neighborhood, width, 18, bold: true), Margin, 104, 18, style.Ink, bold: true);
        Text(c, Fit($"{t.Plan}: {cover.PlanName}", width, 10), Margin, 122, 10, style.Ink);
        Text(c, Fit($"{t.ShiftLabel}: {cover.Shift}   ·   {t.Printed}: {cover.Date}", width, 10), Margin, 137, 10, style.Ink);
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

        // Sector swatches under the map, on as many lines as they need.
        var x = Margin;
        var y = 558f;
        foreach (var s in cover.Sectors)
        {
            if (x > PageWidth - Margin - 80) { x = Margin; y += 16; }
            using var sw = Fill(style.SectorColor(s.Index));
            c.DrawRect(new SKRect(x, y, x + 12, y + 12), sw);
            Text(c, Fit($"{t.Sector} {s.Label}", 60, 9), x + 16, y + 10, 9, style.Ink);
            x += 80;
        }

        Text(c, t.PlanFigures, Margin, lower, 11, style.Ink, bold: true);
        FigureRows(c, cover.Figures, Margin, lower + 6, 250);
    }

    private static int SwatchRows(IReadOnlyList<SectorShape> sectors)
    {
        var perRow = (int)((PageWidth - 2 * Margin - 80) / 80) + 1;
        return Math.Max(1, (sectors.Count + perRow - 1) / perRow);
    }

    private IEnumerable<Action<SKCanvas, int, int>> SheetPages(FieldKit kit, SectorSheet sheet)
    {
        var t = kit.Text;
        var colWidth = QrRect.Left - Margin - 20;
        var flow = new Flow([], ContinuationColumns);
        if (sheet.Route is { } rt)
        {
            var top = 548 + 4 + rt.Figures.Count * 15f + 20;
            flow = new Flow([new SKRect(Margin, top - 11, Margin + colWidth, BodyBottom)], ContinuationColumns);
            Heading(flow, t.StopsHeading);
            foreach (var s in rt.Stops) StopRow(flow, s, t);
            if (rt.Stops.Count == 0) flow.Add(Row, (c, box) => Text(c, "—", box.Left, box.Top + 9, 8.5f, style.Muted));
            if (rt.RulesMissed.Count > 0)
            {
                flow.Space(8);
                Heading(flow, t.RulesMissed);
                foreach (var line in rt.RulesMissed) Paragraph(flow, "• " + line, 8, style.Ink);
            }
            if (rt.Notes.Count > 0)
            {
                flow.Space(8);
                Heading(flow, t.Notes);
                foreach (var note in rt.Notes) Paragraph(flow, "• " + note, 8, style.Ink);
            }
            if (rt.Legs.Count > 0)
            {
                flow.Space(8);
                Heading(flow, t.StreetByStreet);
                for (var i = 0; i < rt.Legs.Count; i++)
                {
                    var text = $"{i + 1}. {rt.Legs[i]}";
                    flow.Add(Row, (c, box) => Text(c, Fit(text, box.Width, 8), box.Left, box.Top + 9, 8, style.Ink));
                }
            }
        }
        var title = $"{t.Sector} {sheet.Sector.Label} · {t.Route}";
        var info = $"{kit.Cover.Neighborhood} · {t.Plan}: {kit.Cover.PlanName} · {t.ShiftLabel}: {kit.Cover.Shift} · {kit.Cover.Date}";
        yield return (c, page, pages) =>
        {
            if (Sheet(c, kit, sheet, title, info) is { } clip && sheet.Route?.Gpx is { } gpx)
                paperclips[gpx] = new PdfPlace(page - 1, clip.Left, clip.Top, clip.Right, clip.Bottom);
            flow.Draw(0, c);
            Footer(c, t, page, pages);
        };
        for (var i = 1; i < flow.Pages; i++)
        {
            var n = i;
            yield return (c, page, pages) =>
            {
                SectorHeader(c, sheet, $"{title} ({t.Continued})", info);
                flow.Draw(n, c);
                Footer(c, t, page, pages);
            };
        }
    }

    private void SectorHeader(SKCanvas c, SectorSheet sheet, string title, string info)
    {
        var color = style.SectorColor(sheet.Sector.Index);
        var swatch = new SKRect(Margin, 32, Margin + 44, 76);
        using (var sw = Fill(color)) c.DrawRoundRect(swatch, 4, 4, sw);
        Text(c, Fit(sheet.Sector.Label, 40, 16, bold: true), swatch.MidX, 61, 16, style.InkOn(color), bold: true, align: SKTextAlign.Center);
        var width = PageWidth - Margin - (Margin + 56);
        Text(c, Fit(title, width, 20, bold: true), Margin + 56, 52, 20, style.Ink, bold: true);
        Text(c, Fit(info, width, 9.5f), Margin + 56, 70, 9.5f, style.Muted);
    }

    private void ContinuationHeader(SKCanvas c, FieldKitText t, string title, string info)
    {
        var width = PageWidth - 2 * Margin;
        Text(c, Fit(title, width, 16, bold: true), Margin, 52, 16, style.Ink, bold: true);
        Text(c, Fit(info, width, 9.5f), Margin, 70, 9.5f, style.Muted);
    }

    /// <summary>Draws a sector's first page; returns where the paperclip of its attached GPX goes, if it has one.</summary>
    private SKRect? Sheet(SKCanvas c, FieldKit kit, SectorSheet sheet, string title, string info)
    {
        var t = kit.Text;
        var color = style.SectorColor(sheet.Sector.Index);
        SectorHeader(c, sheet, title, info);

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
            Text(c, Fit(t.NoRoute, colWidth, 14, bold: true), Margin, y + 8, 14, style.Ink, bold: true);
            using var box = Stroke(style.Muted, 0.8f, dash: [3, 3]);
            c.DrawRect(QrRect, box);
            Paragraph(c, t.NoRoute, QrRect.Left + 8, QrRect.MidY - 6, QrRect.Width - 16, 8, style.Muted, maxY: QrRect.Bottom - 4);
            return null;
        }
        Text(c, t.Route, Margin, y, 11, style.Ink, bold: true);
        FigureRows(c, rt.Figures, Margin, y + 4, colWidth);

        float cy;
        if (rt.GpxUrl is { } url)
        {
            Qr(c, url, QrRect);
            cy = Paragraph(c, t.ScanGpx, QrRect.Left, QrRect.Bottom + 12, QrRect.Width, 8, style.Ink, bold: true, maxY: BodyBottom);
            cy = Paragraph(c, url, QrRect.Left, cy + 2, QrRect.Width, 6.5f, style.Muted, breakAnywhere: true, maxY: BodyBottom);
        }
        else
        {
            using var box = Stroke(style.Muted, 0.8f, dash: [3, 3]);
            c.DrawRect(QrRect, box);
            Paragraph(c, kit.LinkNote ?? t.NoPublicAddress, QrRect.Left + 6, QrRect.Top + 4, QrRect.Width - 12, 8, style.Ink, maxY: QrRect.Bottom - 4);
            cy = QrRect.Bottom + 4;
        }
        if (rt.Gpx is not { } gpx) return null;
        var clipTop = cy + 6;
        cy = Paragraph(c, t.AttachedGpx, QrRect.Left, cy + 6, QrRect.Width, 7.5f, style.Ink, bold: true, maxY: BodyBottom);
        Paragraph(c, gpx.FileName, QrRect.Left, cy + 1, QrRect.Width, 7, style.Muted, breakAnywhere: true, maxY: BodyBottom);
        // In the gap between the figures' column and the QR code's.
        return new SKRect(QrRect.Left - 18, clipTop, QrRect.Left - 4, clipTop + 18);
    }

    private IEnumerable<Action<SKCanvas, int, int>> CalendarPages(FieldKit kit, CalendarSheet calendar)
    {
        var t = kit.Text;
        var full = new SKRect(Margin, 92, PageWidth - Margin, BodyBottom);
        var flow = new Flow([full], [full]);
        foreach (var line in calendar.Summary) Paragraph(flow, line, 9, style.Ink);
        flow.Space(8);
        var columns = calendar.Columns.Count + 1;
        var dayWidth = 70f;
        var cellWidth = (full.Width - dayWidth) / Math.Max(1, calendar.Columns.Count);
        float X(int col) => col == 0 ? full.Left : full.Left + dayWidth + (col - 1) * cellWidth;
        float W(int col) => col == 0 ? dayWidth : cellWidth;
        void HeadRow() => flow.Add(16, (c, box) =>
        {
            using var band = Fill(SKColor.Parse("#dfe4e8"));
            c.DrawRect(box, band);
            for (var col = 0; col < columns; col++)
            {
                var head = col == 0 ? t.Day : calendar.Columns[col - 1];
                Text(c, Fit(head, W(col) - 8, 9, bold: true), X(col) + 4, box.Top + 11.5f, 9, style.Ink, bold: true);
            }
        }, keep: Row);
        HeadRow();
        foreach (var row in calendar.Rows)
        {
            var lines = Math.Max(1, row.Cells.Count == 0 ? 1 : row.Cells.Max(cell => cell.Count));
            var height = lines * Line + 6;
            var r = row;
            if (flow.WouldBreak(height)) { flow.Break(); HeadRow(); }
            flow.Add(height, (c, box) =>
            {
                using var rule = Stroke(style.Muted, 0.4f);
                c.DrawLine(box.Left, box.Bottom, box.Right, box.Bottom, rule);
                Text(c, Fit(r.Day, W(0) - 8, 8.5f, bold: true), X(0) + 4, box.Top + 11, 8.5f, style.Ink, bold: true);
                for (var col = 1; col < columns; col++)
                {
                    var cell = col - 1 < r.Cells.Count ? r.Cells[col - 1] : [];
                    for (var k = 0; k < cell.Count; k++)
                        Text(c, Fit(cell[k], W(col) - 8, 8), X(col) + 4, box.Top + 11 + k * Line, 8, style.Ink);
                }
            });
        }
        for (var i = 0; i < flow.Pages; i++)
        {
            var n = i;
            yield return (c, page, pages) =>
            {
                ContinuationHeader(c, t, n == 0 ? calendar.Title : $"{calendar.Title} ({t.Continued})",
                    $"{kit.Cover.Neighborhood} · {t.Plan}: {kit.Cover.PlanName}");
                flow.Draw(n, c);
                Footer(c, t, page, pages);
            };
        }
    }

    // ---------------------------------------------------------------- flowing text

    /// <summary>
    /// Rows laid out down columns: first the columns of the first page, then the columns of as many further pages as
    /// needed. A row never crosses a column's bottom; what does not fit goes to the next column.
    /// </summary>
    private sealed class Flow(IReadOnlyList<SKRect> first, IReadOnlyList<SKRect> next)
    {
        private readonly List<List<Action<SKCanvas>>> pages = [[]];
        private int page, column;
        private float y = first.Count > 0 ? first[0].Top : next[0].Top;
        private bool started = first.Count > 0;

        public int Pages => pages.Count;

        private SKRect Column => page == 0 && first.Count > 0 ? first[column] : next[column];

        /// <summary>The width of the column the next row goes in.</summary>
        public float Width { get { Ensure(); return Column.Width; } }

        public bool WouldBreak(float height) { Ensure(); return y + height > Column.Bottom; }

        public void Add(float height, Action<SKCanvas, SKRect> draw, float keep = 0)
        {
            Ensure();
            if (y + height + keep > Column.Bottom && y > Column.Top) Break();
            var box = new SKRect(Column.Left, y, Column.Right, y + height);
            pages[page].Add(c => draw(c, box));
            y += height;
        }

        public void Space(float height)
        {
            Ensure();
            if (y > Column.Top) y = Math.Min(y + height, Column.Bottom);
        }

        /// <summary>On to the next column (or page).</summary>
        public void Break()
        {
            var columns = page == 0 && first.Count > 0 ? first.Count : next.Count;
            if (column + 1 < columns) column++;
            else
            {
                page++;
                column = 0;
                pages.Add([]);
            }
            y = Column.Top;
        }

        // A first page without columns: the flow starts on the next page.
        private void Ensure()
        {
            if (started) return;
            started = true;
            page = 1;
            pages.Add([]);
            y = next[0].Top;
        }

        public void Draw(int index, SKCanvas c)
        {
            foreach (var op in pages[index]) op(c);
        }
    }

    private void Heading(Flow flow, string text) =>
        flow.Add(16, (c, box) => Text(c, Fit(text, box.Width, 10.5f, bold: true), box.Left, box.Top + 12, 10.5f, style.Ink, bold: true), keep: Row);

    private void StopRow(Flow flow, RouteStopMark s, FieldKitText t) => flow.Add(Row, (c, box) =>
    {
        var baseline = box.Top + 9;
        StopDot(c, new SKPoint(box.Left + 6, baseline - 3), s.Number.ToString(t.Culture), 5.5f);
        Text(c, Fit(s.Arrive, 80, 8.5f, bold: true), box.Left + 16, baseline, 8.5f, style.Ink, bold: true);
        Text(c, Fit(s.Name, box.Width - 100, 8.5f), box.Left + 100, baseline, 8.5f, style.Ink);
    });

    /// <summary>Words wrapped to each column's width, a row per line; a word wider than the column is cut anywhere.</summary>
    private void Paragraph(Flow flow, string text, float size, SKColor color)
    {
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var (line, after) = Wrap(rest, flow.Width, size, false, breakAnywhere: false);
            rest = after;
            flow.Add(size * 1.3f, (c, box) => Text(c, line, box.Left, box.Top + size, size, color));
        }
    }

    /// <summary>The longest start of <paramref name="text"/> that fits <paramref name="width"/>, and what is left.</summary>
    private (string Line, string Left) Wrap(string text, float width, float size, bool bold, bool breakAnywhere)
    {
        using var font = Font(size, bold);
        if (font.MeasureText(text) <= width) return (text, "");
        if (!breakAnywhere)
        {
            var cut = -1;
            for (var i = text.IndexOf(' '); i > 0; i = text.IndexOf(' ', i + 1))
            {
                if (font.MeasureText(text[..i]) > width) break;
                cut = i;
            }
            if (cut > 0) return (text[..cut], text[(cut + 1)..].TrimStart());
        }
        var n = 1;
        while (n < text.Length && font.MeasureText(text[..(n + 1)]) <= width) n++;
        return (text[..n], text[n..].TrimStart());
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
            if (!frame.Page.Contains(p)) continue;
            using var ring = Stroke(style.Hotspot, 2f);
            using var glow = Fill(style.Hotspot.WithAlpha(60));
            c.DrawCircle(p, 13, glow);
            c.DrawCircle(p, 13, ring);
            StopDot(c, p, g.First().Number.ToString(), 7);
            // The name is in the stops table; the map names only the stops, to keep the streets readable. The label goes
            // right of the marker, or left of it near the frame's right edge, and always inside the frame.
            var text = string.Join(" · ", g.Select(s => s.Number));
            using var font = Font(7.5f, bold: true);
            var w = font.MeasureText(text);
            var left = p.X + 15 + w + 4 > frame.Page.Right - 2 ? p.X - 19 - w : p.X + 15;
            var top = Math.Clamp(p.Y - 7, frame.Page.Top + 2, frame.Page.Bottom - 14);
            var box = new SKRect(left, top, left + w + 4, top + 12);
            if (box.Left < frame.Page.Left + 2 || w + 4 > frame.Page.Width - 4) continue;
            using var bg = Fill(SKColors.White.WithAlpha(225));
            c.DrawRoundRect(box, 2, 2, bg);
            Text(c, text, box.Left + 2, box.Top + 9, 7.5f, style.Hotspot.WithAlpha(255), bold: true);
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
        // At the sector's interior point, moved inside the frame when it would cross it; left out when that point is outside.
        var at = frame.ToPage(s.Shape.InteriorPoint.Coordinate);
        if (!frame.Page.Contains(at)) return;
        var color = style.SectorColor(s.Index);
        using var font = Font(size, bold: true);
        var w = font.MeasureText(s.Label) + size;
        var inner = SKRect.Inflate(frame.Page, -2, -2);
        if (w > inner.Width) return;
        var x = Math.Clamp(at.X, inner.Left + w / 2, inner.Right - w / 2);
        var y = Math.Clamp(at.Y, inner.Top + size * 0.9f, inner.Bottom - size * 0.6f);
        var box = new SKRect(x - w / 2, y - size * 0.9f, x + w / 2, y + size * 0.6f);
        using var bg = Fill(faded ? color.WithAlpha(170) : color);
        c.DrawRoundRect(box, 3, 3, bg);
        using var edge = Stroke(SKColors.White, 1f);
        c.DrawRoundRect(box, 3, 3, edge);
        Text(c, s.Label, x, y + size * 0.2f, size, style.InkOn(color), bold: true, align: SKTextAlign.Center);
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
            var value = Fit(rows[i].Value, width / 2 - 8, 9.5f, bold: true);
            Text(c, Fit(rows[i].Label, width - 18 - Measure(value, 9.5f, bold: true), 9), x + 6, ry + 10.5f, 9, style.Ink);
            Text(c, value, x + width - 6, ry + 10.5f, 9.5f, style.Ink, bold: true, align: SKTextAlign.Right);
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

    /// <summary>Writes words into lines no wider than <paramref name="width"/>, down to <paramref name="maxY"/> (the last
    /// line that fits ends in "…" when text is left); returns the baseline below the last line.</summary>
    private float Paragraph(SKCanvas c, string text, float x, float y, float width, float size, SKColor color, bool bold = false,
        bool breakAnywhere = false, float maxY = BodyBottom)
    {
        var lead = size * 1.3f;
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var (line, after) = Wrap(rest, width, size, bold, breakAnywhere);
            if (y + lead - size * 0.3f > maxY) break;
            var last = after.Length > 0 && y + 2 * lead - size * 0.3f > maxY;
            y += lead - size * 0.3f;
            Text(c, last ? Fit(line + " " + after, width, size, bold) : line, x, y, size, color, bold);
            y += size * 0.3f;
            rest = last ? "" : after;
        }
        return y;
    }

    /// <summary>The text, cut with "…" when it is wider than <paramref name="width"/>.</summary>
    private string Fit(string text, float width, float size, bool bold = false)
    {
        using var font = Font(size, bold);
        if (font.MeasureText(text) <= width) return text;
        while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
        return text.TrimEnd() + "…";
    }

    private float Measure(string text, float size, bool bold = false)
    {
        using var font = Font(size, bold);
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
