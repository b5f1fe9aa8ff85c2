using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO.Tests.Support;

public static class Features
{
    /// <summary>New features with the same attributes, coordinates moved to UTM 17S.</summary>
    public static List<IFeature> InUtm17S(FeatureSet set) =>
        set.Features.Select(f => (IFeature)new Feature(Crs.Transform(f.Geometry, set.Epsg, 32717), f.Attributes)).ToList();
}
