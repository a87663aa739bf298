import type { BudgetStore, ReserveRequest } from '@tollgate/core';

/** What the store itself answered to one reserve, and when (`performance.now()`). */
export interface ReserveAnswer {
  readonly outcome: 'admitted' | 'refused' | 'failed';
  readonly at: number;
}

/**
 * The store as the app uses it, with every reserve's own answer kept by reservation id: a test
 * can then tell from state whether the store admitted a call, whatever the gate answered.
 */
export function watchReserves(store: BudgetStore): {
  store: BudgetStore;
  answerTo(reservationId: string): ReserveAnswer | undefined;
} {
  const answers = new Map<string, ReserveAnswer>();
  const reserve = async (request: ReserveRequest) => {
    try {
      const result = await store.reserve(request);
      answers.set(request.reservationId, {
        outcome: result.ok ? 'admitted' : 'refused',
        at: performance.now(),
      });
      return result;
    } catch (error) {
      answers.set(request.reservationId, { outcome: 'failed', at: performance.now() });
      throw error;
    }
  };
  const watched = new Proxy(store, {
    get(target, property) {
      if (property === 'reserve') return reserve;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: watched, answerTo: (reservationId) => answers.get(reservationId) };
}
