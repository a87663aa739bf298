import type { RollupDimension } from '@tollgate/core';
import { InvalidArgumentError } from 'commander';

/** The names `--by` accepts, short ones first, and core's dimension each stands for. */
const DIMENSION_NAMES: ReadonlyMap<string, RollupDimension> = new Map([
  ['provider', 'provider'],
  ['model', 'model'],
  ['catalog-model', 'catalogModel'],
  ['catalogModel', 'catalogModel'],
  ['service', 'service'],
  ['day', 'day'],
  ['type', 'requestType'],
  ['request-type', 'requestType'],
  ['requestType', 'requestType'],
  ['user', 'userId'],
  ['userId', 'userId'],
  ['project', 'projectId'],
  ['projectId', 'projectId'],
]);

export const DEFAULT_BREAKDOWNS = 'provider,model,type,day';
export const DIMENSION_HELP = 'provider, model, catalog-model, service, day, type, user, project';

/**
 * `provider,model,day` → one breakdown each; `provider+model` → one breakdown grouped by
 * both together. Each name is checked; a repeated breakdown is shown once.
 */
export function parseBreakdownDimensions(value: string): RollupDimension[][] {
  const breakdowns: RollupDimension[][] = [];
  const seen = new Set<string>();
  for (const item of value.split(',')) {
    const names = item.split('+').map((name) => name.trim());
    if (names.some((name) => name === ''))
      throw new InvalidArgumentError(`expected a comma-separated list of ${DIMENSION_HELP}.`);
    const dimensions: RollupDimension[] = [];
    for (const name of names) {
      const dimension = DIMENSION_NAMES.get(name);
      if (!dimension) throw new InvalidArgumentError(`unknown dimension "${name}" (use ${DIMENSION_HELP}).`);
      if (!dimensions.includes(dimension)) dimensions.push(dimension);
    }
    const id = dimensions.join('+');
    if (seen.has(id)) continue;
    seen.add(id);
    breakdowns.push(dimensions);
  }
  return breakdowns;
}
