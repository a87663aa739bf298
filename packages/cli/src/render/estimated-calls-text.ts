import { formatCountOf } from './format-number';

/** What the text and HTML reports say of calls whose usage was rebuilt from local counts; shown only when there are some. */
export function estimatedCallsText(calls: number): string {
  return `${formatCountOf(calls, 'call')} ${calls === 1 ? 'was' : 'were'} recorded from local counts (estimated), not from the provider's usage`;
}
