using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;

namespace BarrioSeguro.Geo.Planning.Reports;

/// <summary>
/// "Why is this block in this sector" (barrio why, GET /api/plans/{planId}/blocks/{blockId}/why): its sector's centre and
/// the minutes from it, the next best sector, and what moving the block would do to balance and travel.
/// </summary>
/// <param name="Label">Its sector's label ("S1").</param>
/// <param name="Reasons">Notes (code, args, text in the request's language).</param>
public sealed record WhyHereReport(string Block, int Sector, string Label, double Workload, string Measure, SectorFromBlock Own,
    SectorFromBlock? NextBest, MoveEffect? IfMoved, IReadOnlyList<Note> Reasons, IReadOnlyList<WorkloadTerm> Weights)
{
    /// <summary>A sector whose centre is nearer than the next best's but lies across a barrier (null when none).</summary>
    public SectorFromBlock? Across { get; init; }

    public static WhyHereReport From(BlockExplanation e, IReadOnlyList<WorkloadTerm> weights) => new(
        e.Block, e.Own.Sector, SectorLabel.Of(e.Own.Sector), Math.Round(e.Workload, 4), e.Measure, Round(e.Own), e.NextBest is { } n ? Round(n) : null,
        e.IfMoved is { } m ? m with
        {
            FromDeviationPctBefore = Math.Round(m.FromDeviationPctBefore, 3), FromDeviationPctAfter = Math.Round(m.FromDeviationPctAfter, 3),
            ToDeviationPctBefore = Math.Round(m.ToDeviationPctBefore, 3), ToDeviationPctAfter = Math.Round(m.ToDeviationPctAfter, 3),
            MaxDeviationPctBefore = Math.Round(m.MaxDeviationPctBefore, 3), MaxDeviationPctAfter = Math.Round(m.MaxDeviationPctAfter, 3),
            WeightedMinutesBefore = Math.Round(m.WeightedMinutesBefore, 1), WeightedMinutesAfter = Math.Round(m.WeightedMinutesAfter, 1),
        } : null,
        e.Reasons, weights) { Across = e.Across is { } a ? Round(a) : null };

    private static SectorFromBlock Round(SectorFromBlock s) =>
        s with { CentreLon = Math.Round(s.CentreLon, 7), CentreLat = Math.Round(s.CentreLat, 7), Minutes = Math.Round(s.Minutes, 2) };
}
