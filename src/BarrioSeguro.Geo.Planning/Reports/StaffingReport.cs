using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Reports;

/// <summary>Officers on duty and units of one shift.</summary>
public sealed record ShiftStaffing(string Shift, int OfficersOnDuty, int Units);

/// <summary>
/// The staffing report: how many sectors each shift can staff, and the arithmetic in sentences a chief can check.
/// The same shape in the plan report, the CLI's report file and GET /api/contingents/{id}/staffing.
/// </summary>
public sealed record StaffingReport(int? ContingentId, int SectorsPerShift, IReadOnlyList<ShiftStaffing> PerShift, IReadOnlyList<Note> Explanation)
{
    public static StaffingReport From(Staffing s, int? contingentId = null) => new(
        contingentId, s.SectorsPerShift, s.PerShift.Select(p => new ShiftStaffing(p.Shift, p.OfficersOnDuty, p.Units)).ToList(), s.Explanation);
}
