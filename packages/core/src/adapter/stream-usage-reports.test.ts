import { describe, expect, it } from 'vitest';
import { StreamUsageReports } from './stream-usage-reports';
import { readUsageBlock, type UsageLimits } from './usage-block-reader';

const convert = (block: unknown, limits?: UsageLimits) =>
  readUsageBlock(block, limits, (fields, read) => ({
    inputTokens: read.count(fields.input, 'input', { required: true }),
    outputTokens: read.count(fields.output, 'output', { required: true }),
  }));

function reports(...steps: ({ usage: unknown } | 'output')[]): StreamUsageReports {
  const stream = new StreamUsageReports(convert, { contextWindow: 1_000 });
  for (const step of steps) {
    if (step === 'output') stream.output();
    else stream.report(step.usage);
  }
  return stream;
}

describe('StreamUsageReports', () => {
  it('has no verdict when the stream reported no usage', () => {
    expect(reports('output', 'output').verdict()).toBeUndefined();
  });

  it('takes the last of running totals that only grow', () => {
    const stream = reports('output', { usage: { input: 9, output: 1 } }, 'output', {
      usage: { input: 9, output: 2 },
    });
    expect(stream.verdict()?.usage?.output.total).toBe(2);
    expect(stream.block).toEqual({ input: 9, output: 2 });
  });

  it('takes a usage reported twice alike', () => {
    expect(
      reports('output', { usage: { input: 9, output: 2 } }, { usage: { input: 9, output: 2 } }).verdict()
        ?.usage,
    ).toBeDefined();
  });

  it('does not trust a count that goes down', () => {
    expect(
      reports('output', { usage: { input: 9, output: 64 } }, { usage: { input: 9, output: 10 } }).verdict(),
    ).toEqual({
      problem: 'a usage in the stream reports fewer output tokens than the one before',
    });
  });

  it('does not trust a usage that came before output it does not count', () => {
    expect(reports({ usage: { input: 9, output: 0 } }, 'output', 'output').verdict()).toEqual({
      problem: 'the usage came before output it does not count',
    });
  });

  it('is tainted by one malformed report, even when a later one is well-formed', () => {
    expect(
      reports('output', { usage: { input: -1, output: 1 } }, { usage: { input: 9, output: 2 } }).verdict(),
    ).toEqual({
      problem: 'a usage in the stream: input is negative',
    });
  });

  it('holds each report to the context window', () => {
    expect(reports('output', { usage: { input: 1_001, output: 1 } }).verdict()?.problem).toBe(
      "a usage in the stream: input is beyond the model's context window (1000 tokens)",
    );
  });
});
