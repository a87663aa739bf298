import type { CommandStartedEvent } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { inspect, inspection } from './mongo-command-inspection';

// The inspector must see what it is there to see, or "0 violations" would prove nothing.
function violationsOf(command: Record<string, unknown>, supplied: string[] = [], hostile: string[] = []) {
  const found = inspection();
  const event = { commandName: Object.keys(command)[0], command } as unknown as CommandStartedEvent;
  inspect(event, new Set(supplied), new Set(hostile), found);
  return found.violations;
}

describe('the command inspector', () => {
  it('passes what MongoStore sends', () => {
    const update = {
      findAndModify: 'tg_counters',
      query: { _id: 'app|global|month:2026-11', used: { $lte: 10 }, 'holds.id': { $ne: 'r1' } },
      update: { $inc: { used: 5 }, $push: { holds: { id: 'r1', amount: 5, expiresAt: 1 } } },
      $db: 'tollgate',
      lsid: { id: 'session' },
    };
    expect(violationsOf(update, ['u.1'])).toEqual([]);
    expect(
      violationsOf({ find: 'tg_rollups', filter: { day: { $gte: 'a', $lte: 'b' }, userId: 'u.1' } }),
    ).toEqual([]);
    // A page of records, and of a budget's counters in one period, starts after the last one read.
    const records = {
      find: 'tg_usages',
      filter: {
        timestamp: { $gte: 1 },
        $and: [
          { $or: [{ timestamp: { $gt: 1 } }, { _id: { $gt: 'q.1' } }] },
          { $or: [{ catalogModel: 'gpt-4o' }, { catalogModel: { $exists: false }, model: 'gpt-4o' }] },
        ],
      },
      sort: { timestamp: 1, _id: 1 },
      hint: { timestamp: 1, _id: 1 },
    };
    expect(violationsOf(records)).toEqual([]);
    const counters = { find: 'tg_counters', filter: { budgetId: 'per-user', scope: { $gt: 'user:a' } } };
    expect(violationsOf(counters)).toEqual([]);
  });

  it('flags foreign operators, dotted keys, objects as ids, supplied keys and hostile values', () => {
    expect(violationsOf({ find: 'x', filter: { $where: 'sleep(1)' } })).toHaveLength(1);
    expect(violationsOf({ find: 'x', filter: { userId: { $regex: '' } } })).toHaveLength(2);
    expect(violationsOf({ find: 'x', filter: { 'a.b': 1 } })).toHaveLength(1);
    expect(violationsOf({ find: 'x', filter: { scope: { nested: 'x' } } })).toHaveLength(1);
    expect(violationsOf({ insert: 'x', documents: [{ _id: 'q', tags: [{ $ne: 1 }] }] })).toHaveLength(1);
    expect(violationsOf({ insert: 'x', documents: [{ 'u.1': 5 }] }, ['u.1'])).toHaveLength(2);
    expect(violationsOf({ insert: 'x', documents: [{ userId: 'evil' }] }, [], ['evil'])).toHaveLength(1);
  });
});
