import pc from 'picocolors';
import type { ExampleContext } from './run';

/**
 * A MongoDB to use: `MONGODB_URI` when set, else the repository's throwaway test server
 * (built by `bash .ci/install-mongo-test-servers`), else undefined with a message saying so.
 */
export async function mongodbServer(context: ExampleContext): Promise<string | undefined> {
  if (process.env.MONGODB_URI) {
    console.log(pc.dim('MongoDB: MONGODB_URI'));
    return process.env.MONGODB_URI;
  }
  const { startMongoTestServer } = await import('../../packages/mongodb/test-server/start-test-server.mjs');
  try {
    const server = await startMongoTestServer();
    context.onClose(() => server.stop());
    console.log(
      pc.dim(`MongoDB: a throwaway test server at ${server.uri} (set MONGODB_URI to use your own)`),
    );
    return server.uri;
  } catch (error) {
    console.log(
      pc.yellow(
        'This example needs a MongoDB: set MONGODB_URI, or build the test server once with\n' +
          '  bash .ci/install-mongo-test-servers\n' +
          `(${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      ),
    );
    return undefined;
  }
}
