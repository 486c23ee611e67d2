/**
 * Leftmost-longest, non-overlapping dictionary matching over a character trie.
 * Scanning left to right and taking the longest name that starts at each position is what reads
 * 衢江山农 as 衢江 + 山农 (not 江山), and 衢州市衢江区 as 衢州市 + 衢江区.
 * Cost: one array lookup per character, plus a short walk where a name starts.
 */

interface TrieNode<T> {
  next: Map<number, TrieNode<T>>;
  value: T | undefined;
}

export interface TrieMatch<T> {
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  text: string;
  value: T;
}

export interface NameTrie<T> {
  /** Every leftmost-longest match, in text order. */
  findAll(text: string): Array<TrieMatch<T>>;
  readonly size: number;
}

/**
 * Build a trie from `[name, value]` pairs; a later pair with the same name replaces the earlier one.
 * @example createNameTrie([['衢江', 1], ['江山', 2]]).findAll('衢江山农') // [{ text: '衢江', value: 1, … }]
 */
export function createNameTrie<T>(entries: Iterable<readonly [string, T]>): NameTrie<T> {
  const root: TrieNode<T> = { next: new Map(), value: undefined };
  // Most characters start no name: a flat table answers that faster than a Map lookup.
  const first: Array<TrieNode<T> | undefined> = new Array<TrieNode<T> | undefined>(0x10000).fill(undefined);
  let size = 0;
  for (const [name, value] of entries) {
    if (!name) continue;
    let node = root;
    for (let i = 0; i < name.length; i++) {
      const code = name.charCodeAt(i);
      let child = node.next.get(code);
      if (!child) {
        child = { next: new Map(), value: undefined };
        node.next.set(code, child);
      }
      node = child;
    }
    if (node.value === undefined) size++;
    node.value = value;
  }
  for (const [code, child] of root.next) first[code] = child;

  function findAll(text: string): Array<TrieMatch<T>> {
    const matches: Array<TrieMatch<T>> = [];
    let i = 0;
    while (i < text.length) {
      let node = first[text.charCodeAt(i)];
      let bestEnd = -1;
      let best: T | undefined;
      let j = i + 1;
      while (node) {
        if (node.value !== undefined) {
          bestEnd = j;
          best = node.value;
        }
        if (j >= text.length) break;
        node = node.next.get(text.charCodeAt(j));
        j++;
      }
      if (best !== undefined) {
        matches.push({ start: i, end: bestEnd, text: text.slice(i, bestEnd), value: best });
        i = bestEnd;
      } else {
        i++;
      }
    }
    return matches;
  }

  return { findAll, size };
}
