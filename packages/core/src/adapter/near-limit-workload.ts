import { seededRandom } from '../money/seeded-random';

/** One call of the near-limit workload: what the app asks, in a provider-neutral shape. */
export interface NearLimitCall {
  readonly kind: 'ticket' | 'summary' | 'code' | 'json';
  readonly system: string;
  readonly content: string;
  readonly maxOutputTokens: number;
}

const SEED = 20_261_206;

const PARAGRAPHS = [
  'Revenue grew 12% year over year to $48.2M, driven by the enterprise tier while self-serve revenue was flat. Gross margin fell from 71% to 68% because inference costs rose faster than prices.',
  'The support backlog halved after the new triage tool launched in September; first-response time is now under two hours for paying customers, and the satisfaction score rose to 4.6 out of 5.',
  'Churn among small customers rose to 3.1% a month after the price change in August. Interviews suggest that the new seat minimum, not the price itself, is what made teams of two or three leave.',
  'The company signed two multi-year contracts with public-sector customers, each above $2M in annual value, which require data residency in the EU and an audit trail of every administrative action.',
  'Hiring slowed: headcount grew from 412 to 421. Engineering kept its plan, while sales paused two open roles until the pipeline for the next quarter is clearer.',
  'Our incident on 14 October lasted 47 minutes: a configuration change disabled the cache in one region, the database saturated, and requests timed out until the change was rolled back.',
];
const CODE = `export async function settleInvoices(invoices, ledger) {
  const settled = [];
  for (const invoice of invoices) {
    if (invoice.status !== 'open') continue;
    const payment = await ledger.findPayment(invoice.id);
    if (payment && payment.amountCents >= invoice.totalCents) {
      await ledger.markPaid(invoice.id, payment.id);
      settled.push(invoice.id);
    }
  }
  return settled;
}
`;
const TICKETS = [
  'My invoice for November lists two seats, but we removed one on the third of the month. Can you explain the proration and send a corrected invoice?',
  'Since this morning the export to CSV fails with "timeout after 30s" for our largest project. Smaller projects work. Is there a limit we should know about?',
  'We would like to move from the monthly plan to the annual plan without losing the discount code we used when we signed up. Is that possible?',
];
const KINDS: readonly NearLimitCall['kind'][] = ['ticket', 'ticket', 'summary', 'summary', 'code', 'json'];
const OUTPUT_LIMITS = [256, 512, 1024, 1024, 2048];

/**
 * The near-limit benches' workload: `count` calls, the same sequence every time (seeded), a mix
 * of support tickets, documents to summarise, code to review and JSON to extract, with output
 * limits of 256 to 2,048 tokens. Each adapter's bench turns a call into its SDK's request.
 */
export function nearLimitWorkload(count: number): NearLimitCall[] {
  const next = seededRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const calls: NearLimitCall[] = [];
  for (let index = 0; index < count; index++) {
    const kind = pick(KINDS);
    const { system, content } = promptOf(kind, next, pick);
    calls.push({ kind, system, content, maxOutputTokens: pick(OUTPUT_LIMITS) });
  }
  return calls;
}

function promptOf(
  kind: NearLimitCall['kind'],
  next: () => number,
  pick: <T>(items: readonly T[]) => T,
): { system: string; content: string } {
  if (kind === 'ticket')
    return {
      system: 'You are a support assistant for a billing product. Answer briefly and politely.',
      content: pick(TICKETS),
    };
  if (kind === 'summary') {
    const paragraphs = 4 + Math.floor(next() * 60);
    return {
      system: 'Summarise the document for the board in five bullet points, then list the main risks.',
      content: Array.from({ length: paragraphs }, () => pick(PARAGRAPHS)).join('\n\n'),
    };
  }
  if (kind === 'code')
    return {
      system: 'Review this code: point out bugs, then suggest a simpler version.',
      content: CODE.repeat(1 + Math.floor(next() * 12)),
    };
  const records = 5 + Math.floor(next() * 80);
  return {
    system: 'Extract every amount, date and party from the records below as a JSON array.',
    content: JSON.stringify(
      Array.from({ length: records }, (_, record) => ({
        id: `inv_${1000 + record}`,
        customer: `Customer ${record % 17}`,
        totalCents: Math.floor(next() * 1_000_000),
        issuedAt: `2026-${String(1 + (record % 12)).padStart(2, '0')}-15`,
      })),
    ),
  };
}
