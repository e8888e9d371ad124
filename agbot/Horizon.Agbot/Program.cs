// Placeholder entry point: the agbot is built in issue #8. It says so and fails rather than pretend.
Console.Error.WriteLine("Horizon: the agbot is not implemented yet (issue #8).");
return 2;
