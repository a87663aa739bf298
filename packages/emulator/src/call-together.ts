import type { ResponseHold } from './response-hold.js';

/**
 * Starts `count` calls while `hold` keeps their responses back, and releases it once every call
 * is either waiting at the emulator or has ended without reaching it (refused by a budget gate,
 * say): all of them are in flight at the same moment, however slow the machine. Resolves to each
 * call's outcome, in order; a failed call is an outcome, never an unhandled rejection.
 */
export async function callTogether<T>(
  hold: ResponseHold,
  count: number,
  call: (index: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  let ended = 0;
  let allThere!: () => void;
  const together = new Promise<void>((resolve) => {
    allThere = resolve;
  });
  const check = () => {
    if (hold.waiting + ended >= count) allThere();
  };
  hold.onArrival = check;
  const end = () => {
    ended += 1;
    check();
  };
  const calls = Array.from({ length: count }, (_, index) => {
    const settled = call(index);
    settled.then(end, end);
    return settled;
  });
  const outcomes = Promise.allSettled(calls);
  check();
  await together;
  hold.release();
  return outcomes;
}
