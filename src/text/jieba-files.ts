/**
 * Where jieba's data files are: the dictionary (`word frequency tag` a line) and the IDF table that
 * @node-rs/jieba ships. Readers of the word list (the layout repair, the gazetteer) use them without
 * loading jieba itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @example readFileSync(jiebaFiles().dict, 'utf8') */
export function jiebaFiles(): { dict: string; idf: string } {
  const dir = packageDir();
  return { dict: join(dir, 'dict.txt'), idf: join(dir, 'idf.txt') };
}

/** The installed jieba's version: part of the keys of caches that its dictionary and cut shape. */
export function jiebaVersion(): string {
  return (JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@node-rs/jieba'));
}
