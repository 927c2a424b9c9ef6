// Logging is the package's one dependency; loaders and checkers all log through it.
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Logging.Abstractions;
