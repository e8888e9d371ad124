namespace Horizon.NodeAgent.Registration;

/// <summary>
/// A registration the agent will not send to the exchange, with every problem in one sentence.
/// Its own type because an <see cref="ArgumentException"/> message gains the parameter name
/// and, in the trimmed agent, an untranslated resource key ("Arg_ParamName_Name").
/// </summary>
public sealed class RegistrationRejectedException(string message) : Exception(message);
