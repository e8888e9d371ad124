global using Horizon.Testing;
global using Horizon.Testing.EndToEnd;
global using Xunit;
global using Xunit.Abstractions;
