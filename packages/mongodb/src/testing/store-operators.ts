/**
 * Every operator `MongoStore` itself writes (filters, updates, upserts). Tests that watch the
 * commands it sends check each `$` key against this list: one outside it would have come from
 * an id, a tag or a query value.
 */
export const MONGO_STORE_OPERATORS: ReadonlySet<string> = new Set([
  '$inc',
  '$set',
  '$setOnInsert',
  '$push',
  '$each',
  '$slice',
  '$pullAll',
  '$all',
  '$lte',
  '$lt',
  '$gte',
  '$gt',
  '$or',
  '$and',
  '$exists',
  '$ne',
  '$nin',
  '$in',
]);
