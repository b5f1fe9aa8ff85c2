using System.Runtime.CompilerServices;

// LocalPostgisServer.Abandon: the tests play a crashed owner with it.
[assembly: InternalsVisibleTo("BarrioSeguro.Geo.Data.Tests")]
