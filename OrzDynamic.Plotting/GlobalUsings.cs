// The vocabulary of every chart file: OxyPlot's models, axes, series and annotations, and the Core data they draw.
global using System.Globalization;
global using OrzDynamic.Core.Aggregation;
global using OrzDynamic.Core.Probes;
global using OrzDynamic.Core.Results;
global using OrzDynamic.Metrics;
global using OxyPlot;
global using OxyPlot.Annotations;
global using OxyPlot.Axes;
global using OxyPlot.Series;
