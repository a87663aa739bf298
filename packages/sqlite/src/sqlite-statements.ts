import type { Database, Statement } from 'better-sqlite3';
import type { UsageRecordRow } from './usage-record-row';

interface CounterParameters {
  budgetId: string;
  scope: string;
  period: string;
}

/** The rollup columns after the catalog model, the same in `model_rollups` and the older `rollups`. */
const ROLLUP_COLUMNS = `
  service, request_type AS requestType, user_id AS userId,
  project_id AS projectId, cost, requests, input_tokens AS inputTokens,
  cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens,
  output_tokens AS outputTokens, reasoning_tokens AS reasoningTokens,
  audio_milliseconds AS audioMilliseconds, characters, images, pages,
  estimated_requests AS estimatedRequests`;

// A record written before the catalog model had a column of its own has the catalog id as its model.
const RECORD_COLUMNS = `
  request_id AS requestId, timestamp, day, provider, model, served_model AS servedModel,
  coalesce(catalog_model, model) AS catalogModel, service, request_type AS requestType,
  user_id AS userId, project_id AS projectId, tags, cost, reserved, overrun, estimated,
  price_source AS priceSource, input_tokens AS inputTokens, cache_read_tokens AS cacheReadTokens,
  cache_write_tokens AS cacheWriteTokens, output_tokens AS outputTokens,
  reasoning_tokens AS reasoningTokens, audio_milliseconds AS audioMilliseconds, characters, images, pages,
  raw_usage AS rawUsage`;

/** The rollup filters: a NULL filter matches everything, so one statement serves every combination. */
const ROLLUP_FILTERS = `
  AND (@provider IS NULL OR provider = @provider)
  AND (@model IS NULL OR model = @model)
  AND (@service IS NULL OR service = @service)
  AND (@requestType IS NULL OR request_type = @requestType)
  AND (@userId IS NULL OR user_id = @userId)
  AND (@projectId IS NULL OR project_id = @projectId)`;

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
    seedCounter: database.prepare(`
      INSERT INTO counters (budget_id, scope, period, committed, reserved, period_end)
      VALUES (@budgetId, @scope, @period, @committed, 0, @periodEnd)
      ON CONFLICT (budget_id, scope, period) DO NOTHING`),
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
    // The holds on one counter. No index leads from a counter to its reservations (one more
    // index to write on every reserve and release): this walks the reservations not given back
    // yet (their links, or their expiry index), never history, since both tables lose a
    // reservation's rows when it is committed, released or reclaimed.
    selectHoldsOnCounter: database.prepare(`
      SELECT reservations.reservation_id AS reservationId, amount, expires_at AS expiresAt
      FROM reservation_counters JOIN reservations USING (reservation_id)
      WHERE budget_id = @budgetId AND scope = @scope AND period = @period AND expires_at > @now
      ORDER BY reservation_counters.reservation_id`),

    insertRecord: database.prepare(`
      INSERT OR IGNORE INTO usage_records (
        request_id, timestamp, day, provider, model, served_model, catalog_model, service, request_type,
        user_id, project_id, tags,
        cost, reserved, overrun, estimated, price_source, input_tokens, cache_read_tokens,
        cache_write_tokens, output_tokens, reasoning_tokens, audio_milliseconds, characters, images, pages,
        raw_usage)
      VALUES (
        @requestId, @timestamp, @day, @provider, @model, @servedModel, @catalogModel, @service, @requestType,
        @userId, @projectId, @tags,
        @cost, @reserved, @overrun, @estimated, @priceSource, @inputTokens, @cacheReadTokens,
        @cacheWriteTokens, @outputTokens, @reasoningTokens, @audioMilliseconds, @characters, @images, @pages,
        @rawUsage)`),
    selectRecord: database.prepare(`SELECT ${RECORD_COLUMNS} FROM usage_records WHERE request_id = ?`),
    // Walks the (timestamp, request_id) index from the position: a page reads its own rows (and
    // those its filters skip), never the history before it.
    selectRecords: database.prepare(`
      SELECT ${RECORD_COLUMNS} FROM usage_records
      WHERE (timestamp, request_id) > (@afterTimestamp, @afterRequestId) AND timestamp < @to
        ${ROLLUP_FILTERS}
        AND (@catalogModel IS NULL OR coalesce(catalog_model, model) = @catalogModel)
      ORDER BY timestamp, request_id
      LIMIT @limit`),

    addToRollup: database.prepare(`
      INSERT INTO model_rollups (
        day, provider, model, catalog_model, service, request_type, user_id, project_id, cost, requests,
        input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
        audio_milliseconds, characters, images, pages, estimated_requests)
      VALUES (
        @day, @provider, @model, @catalogModel, @service, @requestType, coalesce(@userId, ''),
        coalesce(@projectId, ''), @cost, 1, @inputTokens, @cacheReadTokens, @cacheWriteTokens,
        @outputTokens, @reasoningTokens, @audioMilliseconds, @characters, @images, @pages, @estimated)
      ON CONFLICT (day, provider, model, catalog_model, service, request_type, user_id, project_id) DO UPDATE SET
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
    // One statement for every combination of filters; each day range walks a primary key. Rows
    // of the schema-1 table (history, or a process of the previous version still writing) count
    // with their model as their catalog model.
    selectRollups: database.prepare(`
      SELECT day, provider, model, catalog_model AS catalogModel, ${ROLLUP_COLUMNS} FROM model_rollups
      WHERE day BETWEEN @fromDay AND @toDay ${ROLLUP_FILTERS}
        AND (@catalogModel IS NULL OR catalog_model = @catalogModel)
      UNION ALL
      SELECT day, provider, model, model AS catalogModel, ${ROLLUP_COLUMNS} FROM rollups
      WHERE day BETWEEN @fromDay AND @toDay ${ROLLUP_FILTERS}
        AND (@catalogModel IS NULL OR model = @catalogModel)
      ORDER BY day`),

    // A page of one budget's counters in one period, in scope order. Named: on a small table the
    // planner prefers the primary key, which walks every period of the budget.
    selectCountersOfPeriod: database.prepare(`
      SELECT budget_id AS budgetId, scope, period, committed, reserved
      FROM counters INDEXED BY counters_by_period
      WHERE budget_id = @budgetId AND period = @period AND scope > @afterScope AND committed > 0
      ORDER BY scope
      LIMIT @limit`),

    upsertBudget: database.prepare(`
      INSERT INTO budgets (budget_id, definition, defined_at) VALUES (@id, @definition, @definedAt)
      ON CONFLICT (budget_id) DO UPDATE SET definition = excluded.definition, defined_at = excluded.defined_at`),
    selectBudgets: database.prepare(
      'SELECT definition, defined_at AS definedAt FROM budgets ORDER BY budget_id',
    ),
  };
}

/** Exact-match filters of rollups and records; null matches everything. */
export interface FilterParameters {
  provider: string | null;
  model: string | null;
  catalogModel: string | null;
  service: string | null;
  requestType: string | null;
  userId: string | null;
  projectId: string | null;
}

export interface RollupParameters extends FilterParameters {
  fromDay: string;
  toDay: string;
}

export interface RecordParameters extends FilterParameters {
  afterTimestamp: number;
  afterRequestId: string;
  to: number;
  limit: number;
}

export interface CounterListParameters {
  budgetId: string;
  period: string;
  afterScope: string;
  limit: number;
}

type CounterState = { committed: number; reserved: number };

export interface SqliteStatements {
  selectCounter: Statement<CounterParameters, CounterState>;
  addReservedToCounter: Statement<CounterParameters & { amount: number; periodEnd: number }>;
  addCommittedToCounter: Statement<CounterParameters & { cost: number }>;
  seedCounter: Statement<CounterParameters & { committed: number; periodEnd: number }>;
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
  selectHoldsOnCounter: Statement<
    CounterParameters & { now: number },
    { reservationId: string; amount: number; expiresAt: number }
  >;
  insertRecord: Statement<UsageRecordRow>;
  selectRecord: Statement<[string], UsageRecordRow>;
  selectRecords: Statement<RecordParameters, UsageRecordRow>;
  addToRollup: Statement<UsageRecordRow>;
  selectRollups: Statement<RollupParameters, Record<string, string | number>>;
  selectCountersOfPeriod: Statement<
    CounterListParameters,
    CounterParameters & { committed: number; reserved: number }
  >;
  upsertBudget: Statement<{ id: string; definition: string; definedAt: number }>;
  selectBudgets: Statement<[], { definition: string; definedAt: number }>;
}
