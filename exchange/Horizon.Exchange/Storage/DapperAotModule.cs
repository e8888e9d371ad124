using Dapper;

// Dapper.AOT replaces every Dapper call of this assembly at build time with generated code (C# interceptors),
// so rows are mapped without reflection or Reflection.Emit and the exchange can be published NativeAOT.
[module: DapperAot]
