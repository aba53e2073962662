import { describe, expect, it } from 'vitest';
import { NormalizedText } from './normalized.text';

describe('NormalizedText', () => {
  it('leaves ASCII and Chinese as they are, with offsets unchanged', () => {
    const normalized = NormalizedText.of('卡号 6222 ok');
    expect(normalized.text).toBe('卡号 6222 ok');
    expect(normalized.toOriginal(3, 7)).toEqual({ start: 3, end: 7 });
  });

  it('folds full-width forms and maps spans back to the original', () => {
    const original = '手机：１３８，ok';
    const normalized = NormalizedText.of(original);
    expect(normalized.text).toBe('手机:138,ok');
    expect(normalized.toOriginal(3, 6)).toEqual({ start: 3, end: 6 });
    expect(normalized.toOriginal(7, 9)).toEqual({ start: 7, end: 9 });
  });

  it('maps through surrogate pairs and forms that expand', () => {
    const original = '😀㍱𝟏2';
    const normalized = NormalizedText.of(original);
    expect(normalized.text).toBe('😀hPa12');
    expect(normalized.toOriginal(5, 7)).toEqual({ start: 3, end: 6 });
    expect(normalized.toOriginal(3, 4)).toEqual({ start: 2, end: 3 });
    expect(normalized.toOriginal(0, 2)).toEqual({ start: 0, end: 2 });
  });
});
