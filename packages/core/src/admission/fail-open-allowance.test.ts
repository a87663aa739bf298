import { describe, expect, it } from 'vitest';
import { FailOpenAllowance } from './fail-open-allowance';

describe('FailOpenAllowance', () => {
  it('admits up to the allowance while the store fails', () => {
    const allowance = new FailOpenAllowance(500);
    expect([allowance.take(210), allowance.take(210), allowance.take(210)]).toEqual([true, true, false]);
  });

  it('an answer to an operation begun after the last failure makes it whole again', () => {
    const allowance = new FailOpenAllowance(500);
    allowance.take(400);
    const epoch = allowance.epoch;
    allowance.storeAnswered(epoch);
    expect(allowance.take(400)).toBe(true);
  });

  it('an answer to an operation begun before a failure does not refill it', () => {
    const allowance = new FailOpenAllowance(500);
    const inFlight = allowance.epoch; // sent before the store went down…
    expect(allowance.take(210)).toBe(true);
    expect(allowance.take(210)).toBe(true);
    allowance.storeAnswered(inFlight); // …answered after the first failures were seen
    expect(allowance.take(210)).toBe(false);
  });

  it('a failed settle counts as a failure too', () => {
    const allowance = new FailOpenAllowance(500);
    const inFlight = allowance.epoch;
    allowance.storeFailed();
    expect(allowance.take(400)).toBe(true);
    allowance.storeAnswered(inFlight);
    expect(allowance.take(400)).toBe(false);
  });
});
