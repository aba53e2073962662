import { describe, expect, it } from 'vitest';
import { answerFound } from './answer.match.js';

describe('gold answer matching', () => {
  it('finds a Chinese answer inside a cited passage', () => {
    expect(answerFound('莱昂德罗·内托是一名巴西足球运动员。', ['巴西'])).toBe(true);
    expect(answerFound('莱昂德罗·内托是一名足球运动员。', ['巴西'])).toBe(false);
  });

  it('matches across full-width digits, case and spacing', () => {
    expect(answerFound('19回歸年約等於２３５朔望月', ['235朔望月'])).toBe(true);
    expect(answerFound('The Bank of  China opened', ['bank of china'])).toBe(true);
  });

  it('accepts any of several gold answers and ignores empty ones', () => {
    expect(answerFound('about 235 lunar months', ['', '235', '235朔望月'])).toBe(true);
    expect(answerFound('anything', [''])).toBe(false);
  });
});
