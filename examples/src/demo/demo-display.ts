import {
  type AlertLevel,
  type BudgetAlert,
  type BudgetExceededError,
  type BudgetStatus,
  type CostStrategy,
  formatUsd,
} from '@tollgate/core';
import pc from 'picocolors';
import { colorLevel } from './level-colors';
import type { CallOutcome, DemoCall } from './demo-workload';

const PROGRESS_WIDTH = 72;

/**
 * What the demo prints while it runs: one line per notable event (a level reached, an
 * alert, a route moving to another model, the first clamp or refusal of a kind at each
 * level) and a progress mark for every other call.
 */
export class DemoDisplay {
  private level: AlertLevel = 'GREEN';
  private strategy: CostStrategy = 'QUALITY_FIRST';
  private progressColumn = 0;
  private readonly lastModelOfRoute = new Map<string, string>();
  private readonly modelsSeen = new Set<string>();
  private readonly shown = new Set<string>();
  readonly counts = { calls: 0, clamped: 0, refused: 0 };

  served(call: DemoCall, outcome: CallOutcome): void {
    this.counts.calls++;
    const previous = this.lastModelOfRoute.get(call.route);
    this.lastModelOfRoute.set(call.route, outcome.model);
    if (!this.modelsSeen.has(`${call.route}:${outcome.model}`)) {
      this.modelsSeen.add(`${call.route}:${outcome.model}`);
      // A route that alternates between providers shows each model once; a model chosen
      // for a reason (downgrade, strategy selector) shows as a move from the previous one.
      const move = previous !== undefined && outcome.reason ? `${previous} → ` : '';
      this.line(
        `  ${pc.cyan('→')} ${call.route.padEnd(10)} ${move}${pc.bold(outcome.model)}${this.reason(outcome)}`,
      );
    }
    if (outcome.clamp) {
      this.counts.clamped++;
      if (this.firstAtThisLevel(`clamp:${call.route}`)) {
        const { requested, granted } = outcome.clamp;
        this.line(
          `  ${pc.yellow('~ clamped')} ${call.route} on ${outcome.model}: max_tokens ${requested.toLocaleString('en-US')} requested → ${granted.toLocaleString('en-US')} granted, the largest reply the budget affords`,
        );
      } else this.mark(pc.yellow('~'));
      return;
    }
    this.mark(colorLevel(this.level, '.'));
  }

  refused(call: DemoCall, error: BudgetExceededError): void {
    this.counts.calls++;
    this.counts.refused++;
    if (this.firstAtThisLevel(`refusal:${call.route}`)) {
      this.line(`  ${pc.red('x refused')} ${call.route}: ${error.message}`);
    } else this.mark(pc.red('x'));
  }

  alert(alert: BudgetAlert): void {
    this.line(`  ${pc.bold('⚑ alert')} ${alert.severity}: ${alert.message}`);
  }

  levelReached(status: BudgetStatus, strategy: CostStrategy): void {
    this.level = status.alertLevel;
    const change = strategy === this.strategy ? strategy : `${this.strategy} → ${pc.bold(strategy)}`;
    this.strategy = strategy;
    this.line(
      `${colorLevel(status.alertLevel, `▲ ${status.alertLevel.padEnd(8)}`)} ${formatUsd(status.usedNano)} of ${formatUsd(status.limitNano)} used (${(status.usedRatio * 100).toFixed(1)}%) · strategy ${change}`,
    );
  }

  /** Ends the current progress line. */
  endProgress(): void {
    if (this.progressColumn > 0) process.stdout.write('\n');
    this.progressColumn = 0;
  }

  private reason(outcome: CallOutcome): string {
    return outcome.reason ? pc.dim(` (${outcome.reason})`) : '';
  }

  private firstAtThisLevel(kind: string): boolean {
    const key = `${this.level}:${kind}`;
    if (this.shown.has(key)) return false;
    this.shown.add(key);
    return true;
  }

  private mark(symbol: string): void {
    if (this.progressColumn === 0) process.stdout.write('  ');
    process.stdout.write(symbol);
    if (++this.progressColumn >= PROGRESS_WIDTH) this.endProgress();
  }

  private line(text: string): void {
    this.endProgress();
    console.log(text);
  }
}
