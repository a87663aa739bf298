// Smoke check of the test servers with the real Node driver; also shows what each server lacks.
//   mkdir -p /tmp/mongosmoke && cd /tmp/mongosmoke && npm i mongodb@7
//   node /work/main/packages/mongodb/test-server/smoke.mjs [java] [ferretdb] [secantusdb]
// `mongodb` is resolved from the current directory, so it needs no install inside the repo.
// Exits 1 if a "required" check fails; "info" checks only report what the server does.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startMongoTestServer } from './start-test-server.mjs';

const { MongoClient, Long, Decimal128 } = createRequire(join(process.cwd(), 'noop.js'))('mongodb');

const kinds = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['java', 'ferretdb'];
let failed = 0;

for (const kind of kinds) {
  const server = await startMongoTestServer({ kind });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    const db = client.db('smoke');
    await db.dropDatabase();
    console.log(`\n== ${kind} at ${server.uri}`);
    failed += await runChecks(kind, client, db);
  } finally {
    await client.close();
    await server.stop();
  }
}
console.log(failed === 0 ? '\nall required checks passed' : `\n${failed} required check(s) failed`);
process.exit(failed === 0 ? 0 : 1);

async function runChecks(kind, client, db) {
  let failures = 0;
  const check = async (level, name, fn) => {
    try {
      const detail = await fn();
      console.log(`  ok    ${level.padEnd(8)} ${name}${detail === undefined ? '' : `: ${detail}`}`);
    } catch (error) {
      if (level === 'required') failures++;
      const code =
        error.code === undefined ? '' : ` (code ${error.code}${error.codeName ? ` ${error.codeName}` : ''})`;
      console.log(
        `  ${level === 'required' ? 'FAIL' : 'no  '}  ${level.padEnd(8)} ${name}: ${error.message}${code}`,
      );
    }
  };
  const expect = (ok, message) => {
    if (!ok) throw new Error(message);
  };
  const budgets = db.collection('budgets');

  // The driver itself handshakes with isMaster unless the server answers helloOk.
  await check('required', 'isMaster / buildInfo', async () => {
    const hello = await db.admin().command({ isMaster: 1 });
    const info = await db.admin().command({ buildInfo: 1 });
    return `version ${info.version}, wire ${hello.minWireVersion}..${hello.maxWireVersion}, logicalSessionTimeoutMinutes ${hello.logicalSessionTimeoutMinutes}`;
  });

  await check('info', 'hello command', async () => {
    await db.admin().command({ hello: 1 });
  });

  await check('required', 'insertOne', async () => {
    await budgets.insertOne({ _id: 'b1', available: 100, spent: 0 });
  });

  await check('required', 'findOneAndUpdate with conditional filter and $inc', async () => {
    const filter = (n) => ({ _id: 'b1', available: { $gte: n } });
    const update = (n) => ({ $inc: { available: -n, spent: n } });
    const hit = await budgets.findOneAndUpdate(filter(30), update(30), { returnDocument: 'after' });
    expect(hit?.available === 70 && hit.spent === 30, `unexpected document ${JSON.stringify(hit)}`);
    const miss = await budgets.findOneAndUpdate(filter(71), update(71), { returnDocument: 'after' });
    expect(miss === null, `expected null, got ${JSON.stringify(miss)}`);
  });

  await check('required', 'duplicate _id gives error 11000', async () => {
    const error = await budgets.insertOne({ _id: 'b1' }).then(
      () => null,
      (e) => e,
    );
    expect(error?.code === 11000, `expected code 11000, got ${error?.code} ${error?.message}`);
  });

  await check('required', 'createIndex (unique, compound) and unique violation gives 11000', async () => {
    const ledger = db.collection('ledger');
    await ledger.createIndex({ budgetId: 1, requestId: 1 }, { unique: true, name: 'budget_request' });
    await ledger.insertOne({ budgetId: 'b1', requestId: 'r1', cost: 5 });
    const error = await ledger.insertOne({ budgetId: 'b1', requestId: 'r1', cost: 6 }).then(
      () => null,
      (e) => e,
    );
    expect(error?.code === 11000, `expected code 11000, got ${error?.code} ${error?.message}`);
    return (await ledger.indexes()).map((index) => index.name).join(', ');
  });

  await check('required', 'aggregate $match/$group', async () => {
    const events = db.collection('events');
    await events.insertMany([
      { budgetId: 'b1', cost: 5 },
      { budgetId: 'b1', cost: 7 },
      { budgetId: 'b2', cost: 11 },
    ]);
    const rows = await events
      .aggregate([
        { $match: { cost: { $gt: 0 } } },
        { $group: { _id: '$budgetId', total: { $sum: '$cost' } } },
      ])
      .toArray();
    const b1 = rows.find((row) => row._id === 'b1');
    expect(rows.length === 2 && b1?.total === 12, `unexpected ${JSON.stringify(rows)}`);
  });

  await check('info', '$group with two $sum accumulators', async () => {
    const rows = await db
      .collection('events')
      .aggregate([{ $group: { _id: '$budgetId', total: { $sum: '$cost' }, n: { $sum: 1 } } }])
      .toArray();
    const b1 = rows.find((row) => row._id === 'b1');
    expect(b1?.total === 12 && b1.n === 2, `got ${JSON.stringify(rows)}`);
  });

  await check('info', '$group with $max/$min/$avg', async () => {
    const rows = await db
      .collection('events')
      .aggregate([
        { $group: { _id: null, max: { $max: '$cost' }, min: { $min: '$cost' }, avg: { $avg: '$cost' } } },
      ])
      .toArray();
    expect(rows[0]?.max === 11 && rows[0].min === 5, `got ${JSON.stringify(rows)}`);
  });

  await check('required', 'bulkWrite ordered:false continues past a duplicate', async () => {
    const col = db.collection('bulk');
    const error = await col
      .bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 2 } } },
          { updateOne: { filter: { _id: 3 }, update: { $inc: { n: 1 } }, upsert: true } },
        ],
        { ordered: false },
      )
      .then(
        () => null,
        (e) => e,
      );
    expect(
      error?.code === 11000,
      `expected a bulk error with code 11000, got ${error?.code} ${error?.message}`,
    );
    expect(error.writeErrors?.length === 1, `expected 1 write error, got ${error.writeErrors?.length}`);
    const ids = (await col.find().sort({ _id: 1 }).toArray()).map((doc) => doc._id).join(',');
    expect(ids === '1,2,3', `expected documents 1,2,3, got ${ids}`);
  });

  await check('info', 'bulkWrite ordered:false reports insertedCount 2 (like mongod)', async () => {
    const col = db.collection('bulk2');
    const error = await col
      .bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 2 } } },
        ],
        { ordered: false },
      )
      .then(
        () => null,
        (e) => e,
      );
    expect(error?.result?.insertedCount === 2, `insertedCount ${error?.result?.insertedCount}`);
  });

  await check('info', 'duplicate key error carries keyValue', async () => {
    const error = await budgets.insertOne({ _id: 'b1' }).then(
      () => null,
      (e) => e,
    );
    expect(error?.keyValue !== undefined, `errmsg ${JSON.stringify(error?.errmsg ?? error?.message)}`);
  });

  // mongo-java-server serializes writes per collection; FerretDB v1 reads then writes without a transaction.
  const atomic = kind === 'java' ? 'required' : 'info';
  await check(
    atomic,
    '200 concurrent conditional findOneAndUpdate decrements never go below zero',
    async () => {
      const counters = db.collection('counters');
      await counters.insertOne({ _id: 'c', available: 150 });
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          counters.findOneAndUpdate({ _id: 'c', available: { $gte: 1 } }, { $inc: { available: -1 } }),
        ),
      );
      const won = results.filter((doc) => doc !== null).length;
      const { available } = await counters.findOne({ _id: 'c' });
      expect(won === 150 && available === 0, `succeeded ${won}, final available ${available}`);
      return `150 succeeded, 50 refused, final 0`;
    },
  );

  await check(atomic, '200 concurrent conditional updateOne decrements', async () => {
    const counters = db.collection('counters');
    await counters.insertOne({ _id: 'u', available: 150 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        counters.updateOne({ _id: 'u', available: { $gte: 1 } }, { $inc: { available: -1 } }),
      ),
    );
    const won = results.filter((result) => result.modifiedCount === 1).length;
    const { available } = await counters.findOne({ _id: 'u' });
    expect(won === 150 && available === 0, `modified ${won}, final available ${available}`);
  });

  await check(atomic, '200 concurrent plain $inc lose no update', async () => {
    const counters = db.collection('counters');
    await counters.insertOne({ _id: 'p', n: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () => counters.updateOne({ _id: 'p' }, { $inc: { n: 1 } })),
    );
    const { n } = await counters.findOne({ _id: 'p' });
    expect(n === 200, `final n ${n}`);
  });

  await check('info', 'updateOne upsert with $setOnInsert/$max', async () => {
    const col = db.collection('upserts');
    const update = { $setOnInsert: { created: 1 }, $max: { peak: 5 }, $inc: { hits: 1 } };
    await col.updateOne({ _id: 'u' }, update, { upsert: true });
    await col.updateOne({ _id: 'u' }, update, { upsert: true });
    const doc = await col.findOne({ _id: 'u' });
    expect(doc.hits === 2 && doc.peak === 5 && doc.created === 1, JSON.stringify(doc));
  });

  await check('info', 'findOneAndUpdate upsert returnDocument after', async () => {
    const doc = await db
      .collection('upserts')
      .findOneAndUpdate({ _id: 'v' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    expect(doc?.n === 1, JSON.stringify(doc));
  });

  // Markers: an effect upserted with { _id, applied: { $ne: id } } that was applied already.
  await check('required', 'upsert whose filter misses an existing _id gives 11000', async () => {
    const col = db.collection('markers');
    const mark = (id) =>
      col.updateOne(
        { _id: 'm', applied: { $ne: id } },
        { $inc: { n: 1 }, $push: { applied: { $each: [id], $slice: -2 } } },
        { upsert: true },
      );
    await mark('a');
    try {
      await mark('a');
    } catch (error) {
      expect(error.code === 11000, `code ${error.code}`);
      return;
    }
    throw new Error('no error');
  });

  await check('info', '$push with $each and $slice keeps the newest', async () => {
    const col = db.collection('markers');
    await col.updateOne(
      { _id: 's' },
      { $push: { applied: { $each: ['a', 'b', 'c'], $slice: -2 } } },
      { upsert: true },
    );
    const doc = await col.findOne({ _id: 's' });
    expect(JSON.stringify(doc.applied) === '["b","c"]', JSON.stringify(doc.applied));
  });

  await check('info', 'findOneAndUpdate with a projection', async () => {
    const doc = await db
      .collection('markers')
      .findOneAndUpdate(
        { _id: 'm' },
        { $inc: { n: 1 } },
        { returnDocument: 'after', projection: { applied: 0 } },
      );
    expect(doc && doc.applied === undefined, JSON.stringify(doc));
  });

  await check('info', 'bulkWrite ordered:false applies the updates after a failed upsert', async () => {
    const col = db.collection('markers');
    try {
      await col.bulkWrite(
        [
          {
            updateOne: {
              filter: { _id: 'm', applied: { $ne: 'a' } },
              update: { $inc: { n: 1 } },
              upsert: true,
            },
          },
          { updateOne: { filter: { _id: 'after' }, update: { $inc: { n: 1 } }, upsert: true } },
        ],
        { ordered: false },
      );
    } catch {}
    expect(
      (await col.countDocuments({ _id: 'after' })) === 1,
      'the update after the failed one was not applied',
    );
  });

  await check('info', '$inc on Int64 (Long)', async () => {
    const col = db.collection('money');
    await col.insertOne({ _id: 'long', micros: Long.fromString('9007199254740993') });
    await col.updateOne({ _id: 'long' }, { $inc: { micros: Long.fromNumber(-3) } });
    const doc = await col.findOne({ _id: 'long' }, { promoteLongs: false });
    expect(doc.micros?.toString() === '9007199254740990', `got ${doc.micros}`);
  });

  await check('info', '$inc on Decimal128', async () => {
    const col = db.collection('money');
    await col.insertOne({ _id: 'dec', amount: Decimal128.fromString('10.10') });
    await col.updateOne({ _id: 'dec' }, { $inc: { amount: Decimal128.fromString('-0.03') } });
    const doc = await col.findOne({ _id: 'dec' });
    expect(doc.amount?.toString() === '10.07', `got ${doc.amount}`);
  });

  await check('info', 'Decimal128 comparison in filter ($gte)', async () => {
    const doc = await db
      .collection('money')
      .findOne({ _id: 'dec', amount: { $gte: Decimal128.fromString('10') } });
    expect(doc !== null, 'no match');
  });

  await check('info', 'update with aggregation pipeline', async () => {
    const col = db.collection('pipeline');
    await col.insertOne({ _id: 1, a: 2, b: 3 });
    await col.updateOne({ _id: 1 }, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    const doc = await col.findOne({ _id: 1 });
    expect(doc.sum === 5, JSON.stringify(doc));
  });

  await check('info', '$expr in filter', async () => {
    const doc = await db.collection('pipeline').findOne({ $expr: { $gt: ['$b', '$a'] } });
    expect(doc?._id === 1, JSON.stringify(doc));
  });

  await check('info', 'TTL index creation', async () => {
    await db.collection('reservations').createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  });

  await check('info', "writeConcern { w: 'majority' }", async () => {
    await db.collection('wc').insertOne({ x: 1 }, { writeConcern: { w: 'majority', wtimeoutMS: 1000 } });
  });

  await check('info', 'countDocuments / estimatedDocumentCount / distinct', async () => {
    const events = db.collection('events');
    const counted = await events.countDocuments({ budgetId: 'b1' });
    const estimated = await events.estimatedDocumentCount();
    const ids = await events.distinct('budgetId');
    expect(counted === 2 && estimated === 3 && ids.length === 2, `${counted} ${estimated} ${ids}`);
  });

  await check('info', 'explicit session (no transaction)', async () => {
    await client.withSession((session) => db.collection('sessions').insertOne({ x: 1 }, { session }));
  });

  await check('info', 'transaction (real mongod needs a replica set too)', async () => {
    await client.withSession((session) =>
      session.withTransaction(() => db.collection('tx').insertOne({ x: 1 }, { session })),
    );
  });

  await check('info', 'change stream (watch)', async () => {
    const stream = db.collection('events').watch();
    try {
      await Promise.race([stream.tryNext(), new Promise((resolve) => setTimeout(resolve, 1000))]);
    } finally {
      await stream.close();
    }
  });

  await check('info', 'listCollections / drop collection', async () => {
    await db.collection('wc').drop();
    return `${(await db.listCollections().toArray()).length} collections left`;
  });

  return failures;
}
