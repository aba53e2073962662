import { describe, expect, it } from 'vitest';
import { CIRCULAR, redactDeep } from './deep.redactor';

describe('redactDeep', () => {
  const ledgerRow = () => ({
    id: 42,
    query: '我的卡6222020012345671丢了，手机13800138000',
    createdAt: new Date('2026-01-15T08:00:00Z'),
    trace: {
      spans: [
        { name: 'retrieve', attributes: { 'user.email': 'zhang.san@example.com', hits: 3 } },
        { name: 'answer', events: [['note', 'ID 11010519491231002X']] },
      ],
    },
    amount: 'CNY 120,000.00',
    mobileAsNumber: 13800138000,
    timestamp: 1718000000000,
    flags: [true, null, undefined],
  });

  it('redacts every string in nested objects and arrays and keeps everything else', () => {
    expect(redactDeep(ledgerRow(), 'mask')).toEqual({
      id: 42,
      query: '我的卡************5671丢了，手机138****8000',
      createdAt: new Date('2026-01-15T08:00:00Z'),
      trace: {
        spans: [
          { name: 'retrieve', attributes: { 'user.email': 'z********@example.com', hits: 3 } },
          { name: 'answer', events: [['note', 'ID 110*************2X']] },
        ],
      },
      amount: 'CNY 120,000.00',
      mobileAsNumber: '138****8000',
      timestamp: 1718000000000,
      flags: [true, null, undefined],
    });
  });

  it('never changes its input', () => {
    const input = ledgerRow();
    const before = structuredClone(input);
    const output = redactDeep(input, 'hash', 'test-secret-0123456789') as typeof input;
    expect(input).toEqual(before);
    expect(output).not.toBe(input);
    expect(output.createdAt).not.toBe(input.createdAt);
    expect(output.trace.spans[0]!.attributes).not.toBe(input.trace.spans[0]!.attributes);
  });

  it('redacts object keys too', () => {
    expect(redactDeep({ balances: { '6222020012345671': 100 } }, 'mask')).toEqual({ balances: { '************5671': 100 } });
  });

  it('replaces a reference back to an ancestor with a marker and keeps shared references shared', () => {
    const shared = { phone: '13800138000' };
    const node: Record<string, unknown> = { name: 'root', left: shared, right: shared };
    node['self'] = node;
    const copy = redactDeep(node, 'mask') as Record<string, unknown>;
    expect(copy['self']).toBe(CIRCULAR);
    expect(copy['left']).toEqual({ phone: '138****8000' });
    expect(copy['left']).toBe(copy['right']);
    expect(() => JSON.stringify(copy)).not.toThrow();
  });

  it('walks nesting far deeper than the call stack allows', () => {
    let deep: unknown = 'mail me at zhang.san@example.com';
    for (let level = 0; level < 100_000; level++) deep = level % 2 === 0 ? { next: deep } : [deep];
    let copy = redactDeep(deep, 'mask');
    for (let level = 100_000 - 1; level >= 0; level--) copy = level % 2 === 0 ? (copy as { next: unknown }).next : (copy as unknown[])[0];
    expect(copy).toBe('mail me at z********@example.com');
  });

  it('keeps an error an error, with its message, stack, fields and cause redacted', () => {
    const cause = new Error('card 6222020012345671 declined');
    const error = Object.assign(new TypeError('lookup for 13800138000 failed', { cause }), { code: 'E_LOOKUP', customer: 'zhang.san@example.com' });
    const copy = redactDeep(error, 'mask') as TypeError & { code: string; customer: string };
    expect(copy).toBeInstanceOf(TypeError);
    expect(copy.message).toBe('lookup for 138****8000 failed');
    expect(copy.stack).toContain('lookup for 138****8000 failed');
    expect(copy.stack).not.toContain('13800138000');
    expect(copy.code).toBe('E_LOOKUP');
    expect(copy.customer).toBe('z********@example.com');
    expect((copy.cause as Error).message).toBe('card ************5671 declined');
    expect(Object.keys(copy)).toEqual(['code', 'customer']);
    expect(error.message).toBe('lookup for 13800138000 failed');
  });

  it('copies other objects as JSON would see them', () => {
    class Customer {
      constructor(readonly mobile: string) {}
    }
    const withToJson = { toJSON: () => 'card 6222020012345671' };
    expect(redactDeep({ customer: new Customer('13800138000'), note: withToJson }, 'mask')).toEqual({
      customer: { mobile: '138****8000' },
      note: 'card ************5671',
    });
  });

  it('copies without redacting under keep, and checks the hash secret before walking', () => {
    const input = { mobile: '13800138000', nested: { n: 13800138000 } };
    const copy = redactDeep(input, 'keep');
    expect(copy).toEqual(input);
    expect(copy).not.toBe(input);
    expect(() => redactDeep(input, 'hash')).toThrow(/secret/u);
  });

  it('redacts a bare string and passes other primitives through', () => {
    expect(redactDeep('13800138000', 'mask')).toBe('138****8000');
    expect(redactDeep(7, 'mask')).toBe(7);
    expect(redactDeep(null, 'mask')).toBeNull();
    expect(redactDeep(13800138000n, 'mask')).toBe('138****8000');
  });
});
