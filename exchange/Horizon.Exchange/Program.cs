// Placeholder entry point: the exchange is built in issue #4. It says so and fails rather than pretend.
Console.Error.WriteLine("Horizon: the exchange is not implemented yet (issue #4).");
return 2;
