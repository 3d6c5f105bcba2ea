namespace ActorGateway.Simulation;

/// <summary>A PDP context the host defined with <c>+CGDCONT</c> (27.007 §10.1.1).</summary>
/// <param name="Cid">Context id (1..11).</param>
/// <param name="Type">PDP type: IP, IPV6, IPV4V6 or PPP.</param>
/// <param name="Apn">Access point name.</param>
public sealed record PdpContext(int Cid, string Type, string Apn);
