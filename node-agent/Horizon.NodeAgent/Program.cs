// Placeholder entry point: the node agent is built in issue #9. It says so and fails rather than pretend.
Console.Error.WriteLine("Horizon: the node agent is not implemented yet (issue #9).");
return 2;
