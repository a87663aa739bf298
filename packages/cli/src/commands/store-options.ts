import type { Command } from 'commander';
import { DEFAULT_CONFIG_PATH } from '../config/load-config';
import { integerOption } from '../options/parse-integer';
import { DEFAULT_STORE } from '../store/store-spec';

export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

/** `--store`, `--config` and `--connect-timeout`, for the commands that read spend. */
export function addStoreOptions(command: Command): Command {
  return command
    .option(
      '--store <store>',
      `where spend is kept: sqlite:PATH, a .db file path or a mongodb:// connection string (default: $TOLLGATE_STORE, else ${DEFAULT_STORE})`,
    )
    .option(
      '--config <file>',
      `budget definitions as JSON, instead of the ones the app saved in the store (default: $TOLLGATE_CONFIG, else ${DEFAULT_CONFIG_PATH} when it exists)`,
    )
    .option(
      '--connect-timeout <ms>',
      'how long to look for a MongoDB server',
      integerOption(100, 600_000),
      DEFAULT_CONNECT_TIMEOUT_MS,
    );
}
