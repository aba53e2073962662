import { toTenantId } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { filterKey } from './filter-key';
import { idFilter, searchFilter } from './milvus.filter';

const tenantId = toTenantId('bank-a');
const vector = new Float32Array(2);

describe('Milvus filters', () => {
  it('filters by tenant alone for an administrator without a collection', () => {
    expect(searchFilter({ scope: { tenantId, groups: 'all' }, vector, topK: 5 })).toBe('tenant == "bank-a"');
  });

  it('filters collection and groups by digest, so their text never reaches the expression', () => {
    const filter = searchFilter({ scope: { tenantId, groups: ['*', 'a "b" \\'] }, collection: 'x" or true', vector, topK: 5 });
    expect(filter).toBe(`tenant == "bank-a" and collection_key == "${filterKey('c', 'x" or true')}" and array_contains_any(acl_keys, ["${filterKey('g', '*')}", "${filterKey('g', 'a "b" \\')}"])`);
  });

  it('escapes chunk ids in a delete, and names the tenant', () => {
    expect(idFilter(['a"b@1#0', 'c\\d\n@1#0'])).toBe('chunk_id in ["a\\"b@1#0", "c\\\\d\\n@1#0"]');
  });

  it('keeps the kinds of digest apart', () => {
    expect(filterKey('c', 'x')).not.toBe(filterKey('g', 'x'));
    expect(filterKey('g', 'x')).toMatch(/^g[0-9a-f]{24}$/);
  });
});
