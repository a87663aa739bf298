import {
  type Admission,
  BudgetExceededError,
  type BudgetManager,
  type BudgetConfig,
  createUsage,
  type UserPrice,
} from '@tollgate/core';
import fc from 'fast-check';
import { expect } from 'vitest';

// Tenants are projects, each with two users, under one app budget:
//   app (global, never the limit) ⊃ per-project ⊃ per-user.
// A model per tenant sees only that tenant's own operations; after every operation of any
// tenant, every tenant's observed spend, holds, refusals and reports must equal its model.

export const NOW = Date.UTC(2026, 10, 29, 12);
export const TODAY = '2026-11-29';
const PROVIDER = 'tenant-test';
const MODEL = 'metered';
/** $1 per million tokens in and out: exactly 1,000 nano-USD a token, so the model can price a call. */
export const NANO_PER_TOKEN = 1_000;
export const PRICES: UserPrice[] = [
  { provider: PROVIDER, model: MODEL, prices: { inputPerMTok: 1, outputPerMTok: 1 } },
];
const PROJECT_LIMIT = 50_000_000;
const USER_LIMIT = 20_000_000;
export const TENANT_BUDGETS: BudgetConfig[] = [
  { id: 'app', limitUsd: 1_000, period: 'month', perCallCapsUsd: false },
  {
    id: 'per-project',
    limitUsd: PROJECT_LIMIT / 1e9,
    period: 'month',
    scope: 'project',
    perCallCapsUsd: false,
  },
  { id: 'per-user', limitUsd: USER_LIMIT / 1e9, period: 'day', scope: 'user', perCallCapsUsd: false },
];

export const TENANTS = 3;
export const USERS_PER_TENANT = 2;

export interface Tenant {
  readonly projectId: string;
  readonly userIds: readonly string[];
}

interface Counter {
  committed: number;
  reserved: number;
}

interface UserModel extends Counter {
  requests: number;
}

interface OpenCall {
  readonly user: number;
  readonly amount: number;
}

export interface TenantModel {
  readonly tenant: Tenant;
  readonly project: Counter;
  readonly users: UserModel[];
  readonly open: OpenCall[];
}

export interface Model {
  readonly tenants: TenantModel[];
  /** Operations run, and how many of them were gates the model expected to be refused. */
  operations: number;
  refusals: number;
}

export interface Real {
  /** Each tenant's budget: the same one for tenants that share a store, or one each. */
  readonly budgets: readonly BudgetManager[];
  /** Each tenant's admissions still open, in the same order as its model's `open`. */
  readonly admissions: Admission[][];
  requestIds: number;
}

export function initialModel(tenants: readonly Tenant[]): Model {
  return {
    operations: 0,
    refusals: 0,
    tenants: tenants.map((tenant) => ({
      tenant,
      project: { committed: 0, reserved: 0 },
      users: tenant.userIds.map(() => ({ committed: 0, reserved: 0, requests: 0 })),
      open: [],
    })),
  };
}

/** Ids that collide in naive key schemes: separators, escapes, prototype names, "global", prefixes of each other. */
const trickyIds = fc.constantFrom(
  'a',
  'a|b',
  'a\\|b',
  'a\\',
  'a|',
  '|a',
  'A',
  'a ',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'valueOf',
  'u.1',
  'u$1',
  'user:a',
  'project:a',
  'global',
  'x:y',
  'a\\b',
  'ab',
);
const generatedIds = fc
  .string({ unit: fc.constantFrom(...'ab|\\.$:@ -_'), minLength: 1, maxLength: 8 })
  .filter((id) => !id.startsWith('$') && id.trim().length > 0);
const tenantId = fc.oneof(trickyIds, generatedIds);

/** Three tenants with distinct project ids and six distinct user ids (a user belongs to one project). */
export const tenantsArbitrary: fc.Arbitrary<Tenant[]> = fc
  .tuple(
    fc.uniqueArray(tenantId, { minLength: TENANTS, maxLength: TENANTS }),
    fc.uniqueArray(tenantId, {
      minLength: TENANTS * USERS_PER_TENANT,
      maxLength: TENANTS * USERS_PER_TENANT,
    }),
  )
  .map(([projects, users]) =>
    projects.map((projectId, index) => ({
      projectId,
      userIds: users.slice(index * USERS_PER_TENANT, (index + 1) * USERS_PER_TENANT),
    })),
  );

/** The same project and user ids for every tenant: only separate stores keep such tenants apart. */
export const identicalTenantsArbitrary: fc.Arbitrary<Tenant[]> = tenantsArbitrary.map(([first]) =>
  Array.from({ length: TENANTS }, () => first!),
);

function contextOf(model: TenantModel, user: number) {
  return { projectId: model.tenant.projectId, userId: model.tenant.userIds[user]! };
}

function fits(counter: Counter, limit: number, amount: number): boolean {
  return counter.committed + counter.reserved + amount <= limit;
}

function nextRequestId(real: Real): string {
  real.requestIds += 1;
  return `call.${real.requestIds}`;
}

class GateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly tenant: number,
    readonly user: number,
    readonly inputTokens: number,
    readonly outputTokens: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const tenant = model.tenants[this.tenant]!;
    const amount = (this.inputTokens + this.outputTokens) * NANO_PER_TOKEN;
    const userModel = tenant.users[this.user]!;
    const admitted =
      amount === 0 || (fits(tenant.project, PROJECT_LIMIT, amount) && fits(userModel, USER_LIMIT, amount));
    const outcome = await real.budgets[this.tenant]!.gate({
      provider: PROVIDER,
      model: MODEL,
      inputTokens: this.inputTokens,
      maxOutputTokens: this.outputTokens,
      context: contextOf(tenant, this.user),
    }).catch((error: unknown) => error);
    if (!admitted) {
      expect(BudgetExceededError.isInstance(outcome), `${this} should be refused`).toBe(true);
      model.refusals += 1;
    } else {
      expect(BudgetExceededError.isInstance(outcome), `${this} should be admitted`).toBe(false);
      const admission = outcome as Admission;
      expect(admission.reservedNano).toBe(amount);
      real.admissions[this.tenant]!.push(admission);
      tenant.open.push({ user: this.user, amount });
      tenant.project.reserved += amount;
      userModel.reserved += amount;
    }
    await verifyEveryTenant(model, real);
  }
  toString = () => `gate(tenant ${this.tenant}, user ${this.user}, ${this.inputTokens}+${this.outputTokens})`;
}

class SettleCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly tenant: number,
    readonly pick: number,
    readonly inputTokens: number,
    readonly outputTokens: number,
  ) {}
  check = (model: Readonly<Model>) => model.tenants[this.tenant]!.open.length > 0;
  async run(model: Model, real: Real) {
    const tenant = model.tenants[this.tenant]!;
    const index = this.pick % tenant.open.length;
    const [call] = tenant.open.splice(index, 1);
    const [admission] = real.admissions[this.tenant]!.splice(index, 1);
    const cost = (this.inputTokens + this.outputTokens) * NANO_PER_TOKEN;
    const settled = await admission!.settle({
      usage: createUsage({ inputTokens: this.inputTokens, outputTokens: this.outputTokens }),
      requestId: nextRequestId(real),
    });
    expect(settled.record.cost).toBe(cost);
    const user = tenant.users[call!.user]!;
    tenant.project.reserved -= call!.amount;
    user.reserved -= call!.amount;
    tenant.project.committed += cost;
    user.committed += cost;
    user.requests += 1;
    await verifyEveryTenant(model, real);
  }
  toString = () => `settle(tenant ${this.tenant}, #${this.pick}, ${this.inputTokens}+${this.outputTokens})`;
}

class ReleaseCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly tenant: number,
    readonly pick: number,
  ) {}
  check = (model: Readonly<Model>) => model.tenants[this.tenant]!.open.length > 0;
  async run(model: Model, real: Real) {
    const tenant = model.tenants[this.tenant]!;
    const index = this.pick % tenant.open.length;
    const [call] = tenant.open.splice(index, 1);
    const [admission] = real.admissions[this.tenant]!.splice(index, 1);
    await admission!.release();
    tenant.project.reserved -= call!.amount;
    tenant.users[call!.user]!.reserved -= call!.amount;
    await verifyEveryTenant(model, real);
  }
  toString = () => `release(tenant ${this.tenant}, #${this.pick})`;
}

class RecordUsageCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly tenant: number,
    readonly user: number,
    readonly inputTokens: number,
    readonly outputTokens: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const tenant = model.tenants[this.tenant]!;
    const cost = (this.inputTokens + this.outputTokens) * NANO_PER_TOKEN;
    await real.budgets[this.tenant]!.recordUsage({
      provider: PROVIDER,
      model: MODEL,
      usage: { inputTokens: this.inputTokens, outputTokens: this.outputTokens },
      context: contextOf(tenant, this.user),
      requestId: nextRequestId(real),
    });
    const user = tenant.users[this.user]!;
    tenant.project.committed += cost;
    user.committed += cost;
    user.requests += 1;
    await verifyEveryTenant(model, real);
  }
  toString = () =>
    `recordUsage(tenant ${this.tenant}, user ${this.user}, ${this.inputTokens}+${this.outputTokens})`;
}

const tenantIndex = fc.nat(TENANTS - 1);
const userIndex = fc.nat(USERS_PER_TENANT - 1);
const tokens = fc.integer({ min: 0, max: 8_000 });

const gate = fc
  .tuple(tenantIndex, userIndex, tokens, tokens)
  .map(([t, u, i, o]) => new GateCommand(t, u, i, o));

/** Gates twice as often as the rest, so that settles and releases usually have a call to work on. */
export const tenantCommands: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
  gate,
  gate,
  fc.tuple(tenantIndex, fc.nat(), tokens, tokens).map(([t, p, i, o]) => new SettleCommand(t, p, i, o)),
  fc.tuple(tenantIndex, fc.nat()).map(([t, p]) => new ReleaseCommand(t, p)),
  fc.tuple(tenantIndex, userIndex, tokens, tokens).map(([t, u, i, o]) => new RecordUsageCommand(t, u, i, o)),
];

/**
 * Every tenant's state as the budget reports it, against that tenant's model: the per-user and
 * per-project counters (status), and the reports filtered to the tenant (breakdown `where`).
 */
export async function verifyEveryTenant(model: Model, real: Real): Promise<void> {
  model.operations += 1;
  const appCommitted = new Map<BudgetManager, number>();
  for (const [index, tenant] of model.tenants.entries()) {
    const budget = real.budgets[index]!;
    const label = `tenant ${index} (${JSON.stringify(tenant.tenant)})`;
    for (const [user, userModel] of tenant.users.entries()) {
      const statuses = await budget.status(contextOf(tenant, user));
      const nanoOf = (budgetId: string) => statuses.find((status) => status.budgetId === budgetId);
      expect(nanoOf('per-user'), `${label} user ${user}`).toMatchObject({
        usedNano: userModel.committed,
        reservedNano: userModel.reserved,
      });
      expect(nanoOf('per-project'), label).toMatchObject({
        usedNano: tenant.project.committed,
        reservedNano: tenant.project.reserved,
      });
      const byUser = await budget.breakdown({
        from: TODAY,
        to: TODAY,
        where: { userId: tenant.tenant.userIds[user]! },
      });
      expect(
        { cost: byUser.total.costNano, requests: byUser.total.requests },
        `${label} user ${user} breakdown`,
      ).toEqual({ cost: userModel.committed, requests: userModel.requests });
    }
    const byProject = await budget.breakdown({
      by: ['userId'],
      from: TODAY,
      to: TODAY,
      where: { projectId: tenant.tenant.projectId },
    });
    const expectedGroups = tenant.users
      .map((userModel, user) => ({ userId: tenant.tenant.userIds[user]!, ...userModel }))
      .filter((user) => user.requests > 0)
      .map((user) => ({ userId: user.userId, cost: user.committed, requests: user.requests }))
      .sort((a, b) => (a.userId < b.userId ? -1 : 1));
    const groups = byProject.groups
      .map((group) => ({ userId: group.key.userId, cost: group.costNano, requests: group.measures.requests }))
      .sort((a, b) => (a.userId! < b.userId! ? -1 : 1));
    expect(groups, `${label} project breakdown`).toEqual(expectedGroups);
    appCommitted.set(budget, (appCommitted.get(budget) ?? 0) + tenant.project.committed);
  }
  for (const [budget, committed] of appCommitted) {
    const [app] = await budget.status({});
    expect(app?.usedNano, 'the app budget is the sum of its tenants').toBe(committed);
  }
}
