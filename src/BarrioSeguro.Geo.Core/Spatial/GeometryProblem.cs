using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>What is wrong with a geometry, and where (lon/lat), so that it can be shown on a map.</summary>
/// <param name="Kind">A stable machine-readable kind, e.g. "self-intersection".</param>
/// <param name="Message">A sentence for a person.</param>
/// <param name="Location">The place of the problem, when there is one.</param>
public sealed record GeometryProblem(string Kind, string Message, Coordinate? Location = null);
