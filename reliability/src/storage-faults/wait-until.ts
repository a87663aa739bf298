import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until `condition` holds. Only something that hangs reaches the limit: it turns a hang
 * into a failure that says what was awaited, instead of the test's timeout.
 */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const limit = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > limit) throw new Error(`gave up after ${limitMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
