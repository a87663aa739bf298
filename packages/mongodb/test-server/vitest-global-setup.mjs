// Vitest globalSetup: tests read the server with `inject('mongodbUri')`.
// MONGODB_URI set: use that server (e.g. a real mongod). Otherwise start one here:
// MONGODB_TEST_SERVER=ferretdb picks FerretDB, =secantusdb SecantusDB; the default is mongo-java-server.
import { startMongoTestServer } from './start-test-server.mjs';

export default async function setup(project) {
  if (process.env.MONGODB_URI) {
    project.provide('mongodbUri', process.env.MONGODB_URI);
    return;
  }
  const server = await startMongoTestServer({ kind: process.env.MONGODB_TEST_SERVER ?? 'java' });
  project.provide('mongodbUri', server.uri);
  return () => server.stop();
}
