import { type BudgetManager, type BudgetStore, createBudget } from '@tollgate/core';
import fc from 'fast-check';
import { BASE_SEED } from '../hostile-input/entry-point';
import {
  identicalTenantsArbitrary,
  initialModel,
  type Model,
  NOW,
  PRICES,
  type Real,
  TENANT_BUDGETS,
  tenantCommands,
  TENANTS,
  tenantsArbitrary,
} from './tenant-model';

export interface IsolationRun {
  /** Sequences run (fast-check runs). */
  sequences: number;
  /** Operations executed across all sequences, each followed by a check of every tenant. */
  operations: number;
  /** Gates refused because that tenant's own budget was spent (as its model predicted). */
  refusals: number;
}

/**
 * Runs random multi-tenant operation sequences and checks every tenant against its own model
 * after every operation; throws, with the shrunk sequence, on the first difference.
 *
 * `shared`: the tenants (distinct ids) share one budget on one fresh store per sequence.
 * `separate`: each tenant has its own budget on its own store, all with the same ids, so
 * only the stores' separation (a file, a database, a collection prefix) keeps them apart.
 */
export async function checkTenantIsolation(
  openStore: (sequence: number, tenant: number) => BudgetStore | Promise<BudgetStore>,
  options: { runs: number; maxCommands: number; stores: 'shared' | 'separate' },
): Promise<IsolationRun> {
  const run: IsolationRun = { sequences: 0, operations: 0, refusals: 0 };
  await fc.assert(
    fc.asyncProperty(
      options.stores === 'shared' ? tenantsArbitrary : identicalTenantsArbitrary,
      fc.commands(tenantCommands, { maxCommands: options.maxCommands, size: 'max' }),
      async (tenants, commands) => {
        run.sequences += 1;
        const open = async (tenant: number) =>
          createBudget({
            store: await openStore(run.sequences, tenant),
            budgets: TENANT_BUDGETS,
            prices: PRICES,
            clock: () => NOW,
          });
        const budgets: BudgetManager[] = [];
        if (options.stores === 'shared') budgets.push(...Array(TENANTS).fill(await open(0)));
        else for (let tenant = 0; tenant < TENANTS; tenant++) budgets.push(await open(tenant));
        let model: Model | undefined;
        try {
          await fc.asyncModelRun(() => {
            model = initialModel(tenants);
            const real: Real = { budgets, admissions: tenants.map(() => []), requestIds: 0 };
            return { model, real };
          }, commands);
        } finally {
          run.operations += model?.operations ?? 0;
          run.refusals += model?.refusals ?? 0;
          for (const budget of new Set(budgets)) await budget.close();
        }
      },
    ),
    { numRuns: options.runs, seed: BASE_SEED },
  );
  return run;
}
