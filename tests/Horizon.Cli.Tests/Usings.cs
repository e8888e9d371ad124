global using Horizon.Testing.Exchange;
