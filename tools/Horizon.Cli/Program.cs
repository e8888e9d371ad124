// Placeholder entry point: the hzn CLI is built in issue #10. It says so and fails rather than pretend.
Console.Error.WriteLine("Horizon: the hzn CLI is not implemented yet (issue #10).");
return 2;
