import { describe, expect, it } from 'vitest';
import { redactJsonText } from './json-text.redactor';
import { personalDataRedactor } from './personal-data.redactor';

const mask = personalDataRedactor('mask');
const hash = personalDataRedactor('hash', 'test-secret-0123456789');

describe('redactJsonText', () => {
  it('redacts inside string literals, escapes included, and keeps the JSON valid', () => {
    const line = JSON.stringify({ msg: 'line one\n13800138000 said "hi"\tzhang.san@example.com', n: 1 });
    const parsed = JSON.parse(redactJsonText(line, hash)) as { msg: string; n: number };
    expect(parsed.msg).toMatch(/^line one\n\[mobile:[0-9a-f]{12}\] said "hi"\t\[email:[0-9a-f]{12}\]$/u);
    expect(parsed.n).toBe(1);
  });

  it('turns an integer that is personal data into a redacted string, exactly', () => {
    const line = '{"time":1718000000000,"mobile":13800138000,"card":6222020012345678903,"amount":120000.5}\n';
    expect(redactJsonText(line, mask)).toBe('{"time":1718000000000,"mobile":"138****8000","card":"***************8903","amount":120000.5}\n');
  });

  it('redacts keys and leaves lines without personal data byte for byte', () => {
    expect(redactJsonText('{"13800138000":true}', mask)).toBe('{"138****8000":true}');
    const plain = '{"level":30,"time":1718000000000,"pid":4242,"msg":"CNY 120,000.00 \\u00e9"}';
    expect(redactJsonText(plain, mask)).toBe(plain);
  });
});
