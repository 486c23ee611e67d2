/**
 * The normalised form of a topic query, so `停车场 江山`, `江山  停车场` and `江山 停车场` are one topic.
 * Search terms are ANDed, so their order does not matter; a quoted phrase stays one term.
 */

/** Longest topic a reader can subscribe to, in characters. */
export const MAX_TOPIC_CHARS = 100;

/**
 * @example topicKey('停车场　江山') === topicKey('江山 停车场') // true
 */
export function topicKey(query: string): string {
  const text = query
    .normalize('NFKC')
    .replace(/[“”„‟«»「」『』]/g, '"')
    .toLowerCase()
    .trim();
  const terms: string[] = [];
  const pattern = /-?"[^"]*"?|\S+/g;
  for (const match of text.matchAll(pattern)) {
    const term = match[0].replace(/\s+/g, ' ');
    if (term !== '' && term !== '-' && term !== '""' && term !== '-""') terms.push(term);
  }
  return [...new Set(terms)].sort().join(' ');
}
