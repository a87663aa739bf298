import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BudgetConfig, PriceOptions, UserPrice } from '@tollgate/core';
import { usageError } from '../cli-error';

/**
 * Budget limits are not in the store (the app defines them in code), so the command
 * reads them from a JSON file: `{ "budgets": [...], "reportTimeZone": "...", "prices": [...] }`.
 * Each field goes to `createBudget`, which validates it.
 */
export interface TollgateConfig {
  readonly budgets?: BudgetConfig[];
  readonly reportTimeZone?: string;
  /** The app's prices, or `{ entries, update }` as `createBudget` takes them (`update` tells `prices` where the cache file is). */
  readonly prices?: UserPrice[] | PriceOptions;
}

export interface LoadedConfig {
  readonly config: TollgateConfig;
  /** The file read, or undefined when none was given and the default does not exist. */
  readonly path: string | undefined;
}

/** Next to the default database. */
export const DEFAULT_CONFIG_PATH = '.tollgate/config.json';
const KNOWN_KEYS = new Set(['$schema', 'budgets', 'reportTimeZone', 'prices']);

export function loadConfig(file: string | undefined, cwd: string): LoadedConfig {
  const explicit = file !== undefined;
  const resolved = path.resolve(cwd, file ?? DEFAULT_CONFIG_PATH);
  if (!existsSync(resolved)) {
    if (explicit) throw usageError(`cannot read config ${file}: no such file`);
    return { config: {}, path: undefined };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolved, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw usageError(`invalid config ${resolved}: ${reason}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw usageError(`invalid config ${resolved}: must be a JSON object with "budgets"`);
  const unknown = Object.keys(parsed).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0)
    throw usageError(
      `invalid config ${resolved}: unknown field ${unknown.map((key) => `"${key}"`).join(', ')} (known: budgets, reportTimeZone, prices)`,
    );
  return { config: parsed as TollgateConfig, path: resolved };
}
