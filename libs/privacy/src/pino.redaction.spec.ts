import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';
import { describe, expect, it } from 'vitest';
import { piiRedactingPinoOptions } from './pino.redaction';

const CARD = '6222020012345671';
const RESIDENT_ID = '11010519491231002X';
const MOBILE = '13800138000';
const EMAIL = 'zhang.san@example.com';

/** A pino destination that keeps every line in memory. */
function memoryStream(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter((line) => line !== '') };
}

/** Logs personal data every way a caller can hand it to pino. */
function logEverything(options: LoggerOptions, stream: Writable): void {
  const logger = pino({ ...options, level: 'trace', base: { service: 'bank-rag', operator: EMAIL } }, stream);
  const child = logger.child({ customerMobile: MOBILE });
  logger.info(`customer ${RESIDENT_ID} asked about card ${CARD}`);
  logger.info({ query: { text: `卡号${CARD}，手机${MOBILE}`, email: EMAIL }, mobileAsNumber: Number(MOBILE) }, 'query received');
  logger.warn('card %s for %s, mail %s', CARD, MOBILE, EMAIL);
  child.debug({ idCard: RESIDENT_ID }, 'child line');
  logger.error(new Error(`verification failed for ${RESIDENT_ID} / ${CARD}`));
  logger.error({ err: new Error(`cannot reach ${EMAIL}`, { cause: new Error(`mobile ${MOBILE}`) }) }, 'lookup failed');
}

describe('piiRedactingPinoOptions', () => {
  const cases = [
    ['mask', undefined],
    ['hash', 'test-secret-0123456789'],
  ] as const;

  it.each(cases)('keeps card, ID, mobile and e-mail out of every line of a real pino logger (%s)', (policy, secret) => {
    const { stream, lines } = memoryStream();
    logEverything(piiRedactingPinoOptions(policy, secret), stream);
    const written = lines();
    expect(written).toHaveLength(6);
    const text = written.join('\n');
    for (const secretValue of [CARD, RESIDENT_ID, MOBILE, EMAIL, '6222 0200', '138 0013']) expect(text).not.toContain(secretValue);
    for (const line of written) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('keeps the readable parts and the shape of the record when masking', () => {
    const { stream, lines } = memoryStream();
    logEverything(piiRedactingPinoOptions('mask'), stream);
    const [first, second, third, childLine, errorLine] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 30, service: 'bank-rag', operator: 'z********@example.com', msg: 'customer 110*************2X asked about card ************5671' });
    expect(second).toMatchObject({ msg: 'query received', query: { text: '卡号************5671，手机138****8000', email: 'z********@example.com' }, mobileAsNumber: '138****8000' });
    expect(third).toMatchObject({ level: 40, msg: 'card ************5671 for 138****8000, mail z********@example.com' });
    expect(childLine).toMatchObject({ level: 20, customerMobile: '138****8000', idCard: '110*************2X' });
    expect(errorLine).toMatchObject({ level: 50, msg: 'verification failed for 110*************2X / ************5671', err: { type: 'Error' } });
    expect(typeof first!['time']).toBe('number');
  });

  it('leaves lines alone under keep and checks the hash secret up front', () => {
    const { stream, lines } = memoryStream();
    pino(piiRedactingPinoOptions('keep'), stream).info(`mobile ${MOBILE}`);
    expect(lines()[0]).toContain(MOBILE);
    expect(() => piiRedactingPinoOptions('hash', 'too-short')).toThrow(/at least 16 characters/u);
  });
});
