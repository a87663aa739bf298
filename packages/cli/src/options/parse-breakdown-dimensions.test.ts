import { describe, expect, it } from 'vitest';
import { parseBreakdownDimensions } from './parse-breakdown-dimensions';

describe('parseBreakdownDimensions', () => {
  it('maps the short names to core dimensions, one breakdown each', () => {
    expect(parseBreakdownDimensions('provider,model,day,type,user,project')).toEqual([
      ['provider'],
      ['model'],
      ['day'],
      ['requestType'],
      ['userId'],
      ['projectId'],
    ]);
  });

  it('groups by several dimensions joined with +, and drops repeats', () => {
    expect(parseBreakdownDimensions('provider+model, provider+model,day')).toEqual([
      ['provider', 'model'],
      ['day'],
    ]);
  });

  it('refuses unknown and empty names', () => {
    expect(() => parseBreakdownDimensions('provider,colour')).toThrow(/unknown dimension "colour"/);
    expect(() => parseBreakdownDimensions('provider,,day')).toThrow(/comma-separated/);
  });
});
