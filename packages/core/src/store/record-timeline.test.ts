import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRecordPositions, RecordTimeline } from './record-timeline';
import type { UsageRecord } from './store-contract';

const T0 = Date.UTC(2026, 10, 1);

function recordAt(requestId: string, offset: number): UsageRecord {
  return { requestId, timestamp: T0 + offset } as UsageRecord;
}

describe('RecordTimeline', () => {
  it('pages in time order however adds and reads interleave, records of one millisecond by request id', () => {
    const step = fc.oneof(
      fc.record({ add: fc.tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.integer({ min: 0, max: 3 })) }),
      fc.record({ read: fc.integer({ min: 1, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const timeline = new RecordTimeline();
        const added = new Map<string, UsageRecord>();
        for (const item of steps) {
          if ('add' in item) {
            const [requestId, offset] = item.add;
            if (added.has(requestId)) continue;
            const record = recordAt(requestId, offset);
            added.set(requestId, record);
            timeline.add(record);
          } else {
            const expected = [...added.values()].sort(compareRecordPositions).slice(0, item.read);
            expect(timeline.page({ limit: item.read })).toEqual(expected);
          }
        }
        const all = [...added.values()].sort(compareRecordPositions);
        const first = all[0];
        if (first !== undefined)
          expect(timeline.page({ limit: all.length, after: first })).toEqual(all.slice(1));
      }),
    );
  });
});
