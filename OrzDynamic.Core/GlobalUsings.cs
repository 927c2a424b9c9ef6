// The namespaces most of the library works in: invariant-culture text and JSON (results, manifests, configs), logging,
// TorchSharp tensors, the metrics package, and the model and results types every stage passes along.
global using System.Globalization;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Serialization;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Logging.Abstractions;
global using OrzDynamic.Core.Models;
global using OrzDynamic.Core.Results;
global using OrzDynamic.Metrics;
global using TorchSharp;
global using static TorchSharp.torch;
