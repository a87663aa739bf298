import type { CallContext } from '@tollgate/core';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { integerOption } from '../options/parse-integer';
import { renderBudgetStatusesText } from '../render/budget-statuses-text';
import { renderNoBudgetsText } from '../render/no-budgets-text';
import { budgetsJson } from '../report/budgets-json';
import { collectStatuses } from '../report/collect-statuses';
import { withLeaseHolds } from '../report/lease-holds-json';
import { statusesJson } from '../report/status-json';
import { type BudgetSession, type StoreOptions, withBudgetSession } from '../store/open-budget';
import { outputStyle, writeJson } from './output-style';
import { addStoreOptions } from './store-options';

interface StatusOptions extends StoreOptions {
  readonly json?: boolean;
  readonly user?: string;
  readonly project?: string;
  readonly tag?: string;
  readonly limit: number;
}

/** The days of spend `status` sums up when no budget is defined. */
const RECORDED_DAYS = 30;

export function registerStatusCommand(program: Command, io: CliIo): void {
  const command = program
    .command('status')
    .description(
      "each budget's alert level, used and remaining, days left and the projection for its period; every user, project or tag with spend for the budgets scoped to them",
    )
    .option('--json', 'print JSON (see the README for the shape)')
    .option('--user <id>', 'only the budgets that apply to this user (as the gate sees a call of theirs)')
    .option('--project <id>', 'only the budgets that apply to this project')
    .option('--tag <tag>', 'only the budgets that apply to a call with this tag')
    .option(
      '--limit <n>',
      'scope values shown per scoped budget in the terminal, the most used first (JSON lists all)',
      integerOption(1, 100_000),
      10,
    );
  addStoreOptions(command).action(async (options: StatusOptions, self: Command) => {
    const context = contextOf(options);
    await withBudgetSession(options, io, async (session) => {
      const { budget, storeLabel } = session;
      const statuses = await withLeaseHolds(
        budget,
        statusesJson(budget, await collectStatuses(session, context)),
      );
      const strategy = await budget.strategy(context);
      const budgets = budgetsJson(budget, session.budgets);
      if (options.json) {
        writeJson(io, {
          schemaVersion: 1,
          generatedAt: new Date(budget.now()).toISOString(),
          store: storeLabel,
          strategy,
          budgets,
          statuses,
        });
        return;
      }
      const { colors, width } = outputStyle(self, io);
      const generated = new Date(budget.now()).toISOString().slice(0, 16).replace('T', ' ');
      io.stdout.write(`${colors.dim(`${storeLabel} · ${generated} UTC · strategy ${strategy}`)}\n`);
      io.stdout.write(`${colors.dim(describeSource(session))}\n\n`);
      if (budgets.source === 'none') {
        const spend = await budget.breakdown({ by: ['provider'], days: RECORDED_DAYS });
        const recorded = { cost: spend.total.cost, requests: spend.total.requests, days: RECORDED_DAYS };
        io.stdout.write(`${renderNoBudgetsText(recorded, colors)}\n`);
        return;
      }
      const listed = context === undefined;
      const text = renderBudgetStatusesText(statuses, budgets, {
        colors,
        width,
        limit: options.limit,
        listed,
      });
      io.stdout.write(`${text || colors.dim('No budget applies to this context.')}\n`);
    });
  });
}

function contextOf(options: StatusOptions): CallContext | undefined {
  if (options.user === undefined && options.project === undefined && options.tag === undefined)
    return undefined;
  return {
    ...(options.user === undefined ? {} : { userId: options.user }),
    ...(options.project === undefined ? {} : { projectId: options.project }),
    ...(options.tag === undefined ? {} : { tags: [options.tag] }),
  };
}

/** Where the budgets shown come from, in one line. */
export function describeSource(session: BudgetSession): string {
  const { budgets } = session;
  if (budgets.source === 'config') return `budgets from ${session.configPath} (they override the store's)`;
  if (budgets.source === 'none') return 'no budgets defined';
  const latest = Math.max(...budgets.definedAt.values());
  return `budgets as the app saved them in the store, last on ${new Date(latest).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
