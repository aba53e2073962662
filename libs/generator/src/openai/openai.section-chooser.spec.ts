import { describe, expect, it } from 'vitest';
import { parsePicks } from './openai.section-chooser';

describe('reading the model’s choice of parts', () => {
  it('takes the listed numbers in the order named, once each', () => {
    expect(parsePicks('3, 7, 3', 10)).toEqual([3, 7]);
    expect(parsePicks('Relevant parts: 2 and 5.', 6)).toEqual([2, 5]);
  });

  it('ignores numbers that name no listed part', () => {
    expect(parsePicks('12, 4', 5)).toEqual([4]);
  });

  it('reads 0 as “none is relevant”, and anything without a number as unreadable', () => {
    expect(parsePicks('0', 5)).toEqual([]);
    expect(parsePicks('第二编 合同', 5)).toBeNull();
    expect(parsePicks('', 5)).toBeNull();
  });
});
