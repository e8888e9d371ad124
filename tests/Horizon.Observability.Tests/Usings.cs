global using Horizon.Testing;
global using Xunit;
