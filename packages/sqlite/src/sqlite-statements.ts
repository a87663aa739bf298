import type { Database, Statement } from 'better-sqlite3';
import type { UsageRecordRow } from './usage-record-row';

interface CounterParameters {
  budgetId: string;
  scope: string;
  period: string;
}

const ROLLUP_COLUMNS = `
  day, provider, model, service, request_type AS requestType, user_id AS userId,
  project_id AS projectId, cost, requests, input_tokens AS inputTokens,
  cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens,
  output_tokens AS outputTokens, reasoning_tokens AS reasoningTokens,
  audio_milliseconds AS audioMilliseconds, characters, images, pages,
  estimated_requests AS estimatedRequests`;

const RECORD_COLUMNS = `
  request_id AS requestId, timestamp, day, provider, model, service, request_type AS requestType,
  user_id AS userId, project_id AS projectId, tags, cost, reserved, overrun, estimated,
  price_source AS priceSource, input_tokens AS inputTokens, cache_read_tokens AS cacheReadTokens,
  cache_write_tokens AS cacheWriteTokens, output_tokens AS outputTokens,
  reasoning_tokens AS reasoningTokens, audio_milliseconds AS audioMilliseconds, characters, images, pages`;

/** Every statement the store runs, prepared once when the store opens. */
export function prepareSqliteStatements(database: Database): SqliteStatements {
  return {
    selectCounter: database.prepare(
      'SELECT committed, reserved FROM counters WHERE budget_id = @budgetId AND scope = @scope AND period = @period',
    ),
    addReservedToCounter: database.prepare(`
      INSERT INTO counters (budget_id, scope, period, committed, reserved, period_end)
      VALUES (@budgetId, @scope, @period, 0, @amount, @periodEnd)
      ON CONFLICT (budget_id, scope, period) DO UPDATE SET
        reserved = reserved + excluded.reserved, period_end = excluded.period_end`),
    addCommittedToCounter: database.prepare(`
      INSERT INTO counters (budget_id, scope, period, committed, reserved)
      VALUES (@budgetId, @scope, @period, @cost, 0)
      ON CONFLICT (budget_id, scope, period) DO UPDATE SET committed = committed + excluded.committed`),
    addDailySpend: database.prepare(`
      INSERT INTO daily_spend (budget_id, scope, day, cost) VALUES (@budgetId, @scope, @day, @cost)
      ON CONFLICT (budget_id, scope, day) DO UPDATE SET cost = cost + excluded.cost`),
    selectDailySpend: database.prepare(`
      SELECT day, cost FROM daily_spend
      WHERE budget_id = ? AND scope = ? AND day BETWEEN ? AND ? ORDER BY day`),

    selectReservation: database.prepare(
      'SELECT expires_at AS expiresAt FROM reservations WHERE reservation_id = ?',
    ),
    insertReservation: database.prepare(
      'INSERT INTO reservations (reservation_id, amount, expires_at) VALUES (?, ?, ?)',
    ),
    linkReservationToCounter: database.prepare(`
      INSERT OR IGNORE INTO reservation_counters (reservation_id, budget_id, scope, period)
      VALUES (@reservationId, @budgetId, @scope, @period)`),
    // Deleting with RETURNING is what makes a release happen exactly once: only the
    // transaction that removes the row gets its amount back.
    deleteReservation: database.prepare('DELETE FROM reservations WHERE reservation_id = ? RETURNING amount'),
    deleteExpiredReservations: database.prepare(
      'DELETE FROM reservations WHERE expires_at <= ? RETURNING reservation_id AS reservationId, amount',
    ),
    hasExpiredReservation: database.prepare(
      'SELECT 1 AS found FROM reservations WHERE expires_at <= ? LIMIT 1',
    ),
    subtractReservedFromCounters: database.prepare(`
      UPDATE counters SET reserved = reserved - @amount
      WHERE (budget_id, scope, period) IN (
        SELECT budget_id, scope, period FROM reservation_counters WHERE reservation_id = @reservationId)`),
    unlinkReservation: database.prepare('DELETE FROM reservation_counters WHERE reservation_id = ?'),

    insertRecord: database.prepare(`
      INSERT OR IGNORE INTO usage_records (
        request_id, timestamp, day, provider, model, service, request_type, user_id, project_id, tags,
        cost, reserved, overrun, estimated, price_source, input_tokens, cache_read_tokens,
        cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds, characters, images, pages)
      VALUES (
        @requestId, @timestamp, @day, @provider, @model, @service, @requestType, @userId, @projectId, @tags,
        @cost, @reserved, @overrun, @estimated, @priceSource, @inputTokens, @cacheReadTokens,
        @cacheWriteTokens, @outputTokens, @reasoningTokens, @audioMilliseconds, @characters, @images, @pages)`),
    selectRecord: database.prepare(`SELECT ${RECORD_COLUMNS} FROM usage_records WHERE request_id = ?`),

    addToRollup: database.prepare(`
      INSERT INTO rollups (
        day, provider, model, service, request_type, user_id, project_id, cost, requests, input_tokens,
        cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds,
        characters, images, pages, estimated_requests)
      VALUES (
        @day, @provider, @model, @service, @requestType, coalesce(@userId, ''), coalesce(@projectId, ''),
        @cost, 1, @inputTokens, @cacheReadTokens, @cacheWriteTokens, @outputTokens, @reasoningTokens,
        @audioMilliseconds, @characters, @images, @pages, @estimated)
      ON CONFLICT (day, provider, model, service, request_type, user_id, project_id) DO UPDATE SET
        cost = cost + excluded.cost,
        requests = requests + 1,
        input_tokens = input_tokens + excluded.input_tokens,
        cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
        cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
        output_tokens = output_tokens + excluded.output_tokens,
        reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
        audio_milliseconds = audio_milliseconds + excluded.audio_milliseconds,
        characters = characters + excluded.characters,
        images = images + excluded.images,
        pages = pages + excluded.pages,
        estimated_requests = estimated_requests + excluded.estimated_requests`),
    // One statement for every combination of filters: a NULL filter matches everything,
    // and the day range still walks the primary key.
    selectRollups: database.prepare(`
      SELECT ${ROLLUP_COLUMNS} FROM rollups
      WHERE day BETWEEN @fromDay AND @toDay
        AND (@provider IS NULL OR provider = @provider)
        AND (@model IS NULL OR model = @model)
        AND (@service IS NULL OR service = @service)
        AND (@requestType IS NULL OR request_type = @requestType)
        AND (@userId IS NULL OR user_id = @userId)
        AND (@projectId IS NULL OR project_id = @projectId)
      ORDER BY day`),
  };
}

export interface RollupParameters {
  fromDay: string;
  toDay: string;
  provider: string | null;
  model: string | null;
  service: string | null;
  requestType: string | null;
  userId: string | null;
  projectId: string | null;
}

type CounterState = { committed: number; reserved: number };

export interface SqliteStatements {
  selectCounter: Statement<CounterParameters, CounterState>;
  addReservedToCounter: Statement<CounterParameters & { amount: number; periodEnd: number }>;
  addCommittedToCounter: Statement<CounterParameters & { cost: number }>;
  addDailySpend: Statement<{ budgetId: string; scope: string; day: string; cost: number }>;
  selectDailySpend: Statement<[string, string, string, string], { day: string; cost: number }>;
  selectReservation: Statement<[string], { expiresAt: number }>;
  insertReservation: Statement<[string, number, number]>;
  linkReservationToCounter: Statement<CounterParameters & { reservationId: string }>;
  deleteReservation: Statement<[string], { amount: number }>;
  deleteExpiredReservations: Statement<[number], { reservationId: string; amount: number }>;
  hasExpiredReservation: Statement<[number], { found: number }>;
  subtractReservedFromCounters: Statement<{ reservationId: string; amount: number }>;
  unlinkReservation: Statement<[string]>;
  insertRecord: Statement<UsageRecordRow>;
  selectRecord: Statement<[string], UsageRecordRow>;
  addToRollup: Statement<UsageRecordRow>;
  selectRollups: Statement<RollupParameters, Record<string, string | number>>;
}
