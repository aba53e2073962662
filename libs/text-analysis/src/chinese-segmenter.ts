import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let shared: Jieba | undefined;

/** jieba with its default dictionary, loaded once per process (about 100 ms). */
function segmenter(): Jieba {
  shared ??= Jieba.withDict(dict);
  return shared;
}

/**
 * Splits a run of Han characters into words in search mode: long words also yield their
 * dictionary sub-words, so "信用卡中心" is found by "信用卡" and by "中心".
 */
export function segmentChinese(run: string): string[] {
  return segmenter().cutForSearch(run, true);
}
