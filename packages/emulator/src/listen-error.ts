/** Why the emulator cannot listen, in one line: a port another process holds is named as such. */
export function listenErrorMessage(error: unknown, port: number, host: string): string {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE')
    return `tollgate-emulator: port ${port} on ${host} is already in use by another process (pick another with --port, or --port 0 for a free one)`;
  return `tollgate-emulator: cannot listen on ${host} port ${port}: ${error instanceof Error ? error.message : String(error)}`;
}
