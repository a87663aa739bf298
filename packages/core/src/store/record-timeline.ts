import type { RecordPosition, RecordQuery, UsageRecord } from './store-contract';

/** Orders records by timestamp, then by request id: the order `readRecords` pages in. */
export function compareRecordPositions(a: RecordPosition, b: RecordPosition): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0;
}

/**
 * Records in time order, so that a page is a binary search and a walk of the page. A record is
 * always appended (a commit stays O(1)); one that arrived out of order (records of the same
 * millisecond have random ids) marks the timeline unsorted, and the next page sorts it first.
 */
export class RecordTimeline {
  private readonly records: UsageRecord[] = [];
  private sorted = true;

  add(record: UsageRecord): void {
    const records = this.records;
    const last = records[records.length - 1];
    if (last !== undefined && compareRecordPositions(last, record) > 0) this.sorted = false;
    records.push(record);
  }

  page(query: RecordQuery): UsageRecord[] {
    const records = this.records;
    if (!this.sorted) {
      // Mostly in order already: the sort walks the runs it finds.
      records.sort(compareRecordPositions);
      this.sorted = true;
    }
    let index = query.after === undefined ? 0 : this.firstAfter(query.after);
    if (query.from !== undefined) {
      const from = query.from;
      index = Math.max(
        index,
        this.firstIndexWhere((record) => record.timestamp >= from),
      );
    }
    const to = query.to ?? Number.POSITIVE_INFINITY;
    const filters = Object.entries(query.where ?? {}).filter(([, value]) => value !== undefined) as [
      keyof UsageRecord,
      string,
    ][];
    const page: UsageRecord[] = [];
    for (; index < records.length && page.length < query.limit; index++) {
      const record = records[index]!;
      if (record.timestamp >= to) break;
      if (filters.every(([field, value]) => (record[field] ?? '') === value)) page.push(record);
    }
    return page;
  }

  /** The index of the first record after a position. */
  private firstAfter(position: RecordPosition): number {
    return this.firstIndexWhere((record) => compareRecordPositions(record, position) > 0);
  }

  /** Binary search: the first index where `isAfter` holds (it holds from some index to the end). */
  private firstIndexWhere(isAfter: (record: UsageRecord) => boolean): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isAfter(this.records[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
