import type { CallContext } from '@tollgate/core';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { renderStatusText } from '../render/status-text';
import { statusesJson } from '../report/status-json';
import { type StoreOptions, withBudgetSession } from '../store/open-budget';
import { outputStyle, writeJson } from './output-style';
import { addStoreOptions } from './store-options';

interface StatusOptions extends StoreOptions {
  readonly json?: boolean;
  readonly user?: string;
  readonly project?: string;
}

export function registerStatusCommand(program: Command, io: CliIo): void {
  const command = program
    .command('status')
    .description("each budget's alert level, used and remaining, days left and the projection for its period")
    .option('--json', 'print JSON (see the README for the shape)')
    .option('--user <id>', 'also show the budgets scoped to this user')
    .option('--project <id>', 'also show the budgets scoped to this project');
  addStoreOptions(command).action(async (options: StatusOptions, self: Command) => {
    const context: CallContext = {
      ...(options.user === undefined ? {} : { userId: options.user }),
      ...(options.project === undefined ? {} : { projectId: options.project }),
    };
    await withBudgetSession(options, io, async ({ budget, storeLabel }) => {
      const statuses = statusesJson(budget, await budget.status(context));
      const strategy = await budget.strategy(context);
      if (options.json) {
        writeJson(io, {
          schemaVersion: 1,
          generatedAt: new Date(budget.now()).toISOString(),
          store: storeLabel,
          strategy,
          statuses,
        });
        return;
      }
      const { colors, width } = outputStyle(self, io);
      const generated = new Date(budget.now()).toISOString().slice(0, 16).replace('T', ' ');
      io.stdout.write(`${colors.dim(`${storeLabel} · ${generated} UTC · strategy ${strategy}`)}\n\n`);
      io.stdout.write(`${renderStatusText(statuses, colors, width)}\n`);
    });
  });
}
