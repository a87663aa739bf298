import { describe, expect, it } from 'vitest';
import { nearLimitWorkload } from './near-limit-workload';

describe('nearLimitWorkload', () => {
  it('is the same sequence every time, so every setting of a bench sees the same calls', () => {
    expect(nearLimitWorkload(50)).toEqual(nearLimitWorkload(50));
    expect(nearLimitWorkload(10)).toEqual(nearLimitWorkload(50).slice(0, 10));
  });

  it('mixes the four kinds of call, with output limits from 256 to 2,048 tokens', () => {
    const calls = nearLimitWorkload(300);
    expect(calls).toHaveLength(300);
    expect(new Set(calls.map((call) => call.kind))).toEqual(new Set(['ticket', 'summary', 'code', 'json']));
    expect(new Set(calls.map((call) => call.maxOutputTokens))).toEqual(new Set([256, 512, 1024, 2048]));
    for (const call of calls) {
      expect(call.system.length).toBeGreaterThan(0);
      expect(call.content.length).toBeGreaterThan(0);
    }
    const json = calls.find((call) => call.kind === 'json')!;
    expect(Array.isArray(JSON.parse(json.content))).toBe(true);
  });
});
