import { type CommandFailedEvent, type MongoClient, MongoNetworkError } from 'mongodb';

/**
 * What a MongoDB client does when it gives up on a server that does not answer: a command failing
 * on the network, a connection check-out failing, a connection closed, the pool cleared, a
 * heartbeat failing. The client needs `monitorCommands: true` for the commands.
 */
export function watchDriverGiveUps(client: MongoClient): string[] {
  const giveUps: string[] = [];
  client.on('commandFailed', (event: CommandFailedEvent) => {
    // An error the server answered with is an answer, not the driver giving up.
    if (event.failure instanceof MongoNetworkError)
      giveUps.push(`commandFailed ${event.commandName}: ${event.failure.message}`);
  });
  client.on('connectionCheckOutFailed', (event) => giveUps.push(`connectionCheckOutFailed: ${event.reason}`));
  client.on('connectionClosed', (event) => giveUps.push(`connectionClosed: ${event.reason}`));
  client.on('connectionPoolCleared', () => giveUps.push('connectionPoolCleared'));
  client.on('serverHeartbeatFailed', (event) =>
    giveUps.push(`serverHeartbeatFailed: ${event.failure.message}`),
  );
  return giveUps;
}
