// Placeholder entry point: the switchboard service is built in issue #6. It says so and fails rather than pretend.
Console.Error.WriteLine("Horizon: the switchboard service is not implemented yet (issue #6).");
return 2;
