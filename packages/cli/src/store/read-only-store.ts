import {
  type BudgetStore,
  type CommitResult,
  ForwardingStore,
  type ReserveResult,
  TollgateError,
} from '@tollgate/core';

/**
 * The store as the command uses it: for reading. A budget manager saves its definitions on first
 * use (and makes the counters of budgets new to the store); through this view that does nothing, so the command never replaces the app's budgets
 * with the ones it was given (a config file) and never moves their `definedAt`. Anything else that
 * would write fails.
 */
class ReadOnlyStore extends ForwardingStore {
  override reserve(): Promise<ReserveResult> {
    return refuse();
  }

  override commit(): Promise<CommitResult> {
    return refuse();
  }

  override release(): Promise<void> {
    return refuse();
  }

  override saveBudgets(): Promise<void> {
    return Promise.resolve();
  }

  /** A config's budget the app never ran is shown with what it leaves out, not given it in the store. */
  override seedCounter(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

function refuse(): Promise<never> {
  return Promise.reject(new TollgateError('The tollgate command only reads the store.'));
}

export function readOnlyStore(store: BudgetStore): BudgetStore {
  return new ReadOnlyStore(store);
}
