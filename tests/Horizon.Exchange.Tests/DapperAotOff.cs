using Dapper;

// The storage suite's own SQL runs through plain Dapper (the JIT is there in tests); Dapper.AOT, whose analyzer
// reaches this project through the exchange's package, generates code only where the exchange enables it.
[module: DapperAot(false)]
