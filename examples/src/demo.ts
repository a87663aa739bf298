import { relative, resolve } from 'node:path';
import { type AlertLevel, BudgetExceededError, createBudget } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import { SqliteStore } from '@tollgate/sqlite';
import pc from 'picocolors';
import { DEMO_BUDGETS, DEMO_MODELS } from './demo/demo-budgets';
import { demoClients } from './demo/demo-clients';
import { DemoDisplay } from './demo/demo-display';
import { prepareDemoFiles, REPOSITORY_ROOT } from './demo/demo-files';
import { printFinalReport } from './demo/demo-final-report';
import { CLI_PATH, writeHtmlReport } from './demo/demo-html-report';
import { type CallOutcome, demoRound } from './demo/demo-workload';
import { run } from './run';

/** Rounds the app keeps running once CRITICAL is reached, to show what still gets through. */
const ROUNDS_AT_CRITICAL = 2;
const MAX_ROUNDS = 200;

run(async (context) => {
  const startedAt = performance.now();
  const files = prepareDemoFiles(DEMO_BUDGETS);
  const display = new DemoDisplay();
  const budget = createBudget({
    store: new SqliteStore({ path: files.databasePath }),
    budgets: DEMO_BUDGETS,
    models: DEMO_MODELS,
    onAlert: (alert) => display.alert(alert),
  });
  context.onClose(() => budget.close());
  // Replies as long as each request allows, so that a clamped limit shows in the reply.
  const emulator = await startEmulator({ usage: { defaultOutputTokens: 100_000 } });
  context.onClose(() => emulator.close());
  const clients = demoClients(budget, emulator);

  console.log(pc.bold('tollgate demo: a helpdesk app on a $30 monthly budget'));
  console.log(
    pc.dim(
      `OpenAI, Anthropic, Mistral and Google Gen AI SDK clients and an AI SDK model against the local emulator; spend kept in ${files.databasePath}`,
    ),
  );
  console.log(pc.dim(`. a call served   ${pc.yellow('~')} clamped   ${pc.red('x')} refused\n`));

  let level: AlertLevel = 'GREEN';
  display.levelReached((await budget.status())[0]!, await budget.strategy());
  let roundsAtCritical = 0;
  for (let round = 0; round < MAX_ROUNDS && roundsAtCritical < ROUNDS_AT_CRITICAL; round++) {
    for (const call of demoRound(round, clients, budget)) {
      let outcome: CallOutcome | BudgetExceededError;
      try {
        outcome = await budget.withContext({ userId: call.userId, requestType: call.route }, call.run);
      } catch (error) {
        if (!BudgetExceededError.isInstance(error)) throw error;
        outcome = error;
      }
      // The level line comes first, so that the call that crossed a threshold is shown under it.
      const [status] = await budget.status();
      if (status!.alertLevel !== level) {
        level = status!.alertLevel;
        display.levelReached(status!, await budget.strategy());
      }
      if (BudgetExceededError.isInstance(outcome)) display.refused(call, outcome);
      else display.served(call, outcome);
    }
    // The emulator keeps every request it received; the demo does not need them.
    emulator.requests.length = 0;
    if (level === 'CRITICAL') roundsAtCritical++;
  }
  display.endProgress();
  const { calls, clamped, refused } = display.counts;
  console.log(
    pc.dim(`\n${calls} calls: ${calls - refused} served (${clamped} of them clamped), ${refused} refused`),
  );

  await printFinalReport(budget);
  const htmlReport = writeHtmlReport(files);
  if (htmlReport) console.log(`\nHTML report: ${htmlReport}`);
  console.log(pc.dim(`\nSpend kept in ${files.databasePath}; budgets in ${files.configPath}.`));
  if (htmlReport && resolve(files.directory) === resolve(REPOSITORY_ROOT)) {
    console.log(
      pc.dim(`See it again from the repository root: node ${relative(REPOSITORY_ROOT, CLI_PATH)} status`),
    );
  }
  console.log(pc.dim(`Done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`));
});
