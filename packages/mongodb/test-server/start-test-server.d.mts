export type MongoTestServerKind = 'java' | 'ferretdb' | 'secantusdb';

export interface MongoTestServer {
  /** `mongodb://127.0.0.1:<port>/` */
  uri: string;
  kind: MongoTestServerKind;
  port: number;
  /** Stops the server and waits for it to exit; safe to call more than once. */
  stop(): Promise<void>;
}

export function startMongoTestServer(options?: {
  kind?: MongoTestServerKind;
  timeoutMs?: number;
}): Promise<MongoTestServer>;
