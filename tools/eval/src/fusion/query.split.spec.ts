import { describe, expect, it } from 'vitest';
import { splitOf } from './query.split.js';

describe('dev/test split', () => {
  it('puts about half the queries in each split, the same way every time', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `DEV_${i}_QUERY_0`);
    const dev = ids.filter((id) => splitOf(id) === 'dev').length;
    expect(dev).toBeGreaterThan(900);
    expect(dev).toBeLessThan(1100);
    expect(ids.map(splitOf)).toEqual(ids.map(splitOf));
  });

  it('splits Chinese and English ids alike', () => {
    expect(['dev', 'test']).toContain(splitOf('莱昂德罗·内托的国籍'));
    expect(['dev', 'test']).toContain(splitOf('tatqa-q-17'));
  });
});
