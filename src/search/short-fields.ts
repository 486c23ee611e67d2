/**
 * MiniSearch over the archive's short fields: each item's headline words, keywords and counties,
 * and the topics readers subscribe to. Small (a few dozen terms an item) and in memory, it answers
 * what the full-text archive is not built for: completions as a reader types (`医` → `医保`,
 * `医疗机构`), "did you mean" when a search finds nothing, and the items most related to one item.
 */
import MiniSearch from 'minisearch';

/** What the index holds of one item (the words are normalised). */
export interface ShortFieldDoc {
  id: string;
  /** The headline, normalised: two items with the same one are copies of one story. */
  title: string;
  titleWords: string[];
  keywords: string[];
  counties: string[];
}

/** A topic readers subscribe to: its words (normalised) and how many chats follow it. */
export interface FollowedTopic {
  words: string[];
  chats: number;
}

export interface ShortFieldIndex {
  /** Adds items, replacing any with the same id. */
  add(docs: readonly ShortFieldDoc[]): void;
  /** The topics readers follow, replacing the ones set before: their words complete and weigh by how many follow them. */
  setTopics(topics: readonly FollowedTopic[]): void;
  remove(ids: readonly string[]): void;
  /** Completions of what a reader is typing, best first. */
  complete(text: string, limit?: number): string[];
  /** Indexed words close to these words (none of them itself), best first. */
  closeWords(words: readonly string[], limit?: number): string[];
  /** The ids of the items closest to this one by headline and keywords (never itself or a copy of it). */
  related(id: string, limit?: number): string[];
  readonly size: number;
}

/** An item, or a followed topic (id `topic:…`, its words in `topics`, no headline). */
type StoredDoc = Omit<ShortFieldDoc, 'title'> & { title?: string; topics?: string[]; chats?: number };

const FIELDS = ['titleWords', 'keywords', 'counties', 'topics'] as const;

/**
 * MiniSearch's term tree (`_index`, a SearchableMap of term → field id → document → frequency) and
 * field ids, which closeWords reads: not public API, so checked when the index is made (a MiniSearch
 * that changed them fails every test that makes one).
 */
interface MiniSearchInternals {
  _index: {
    fuzzyGet(term: string, distance: number): Map<string, [Map<number, Map<number, number>>, number]>;
    get(term: string): Map<number, Map<number, number>> | undefined;
  };
  _fieldIds: Record<string, number>;
}
const TOPIC_ID = 'topic:';

/** @example const index = createShortFieldIndex(); index.add(docs); index.complete('医') // ['医保', …] */
export function createShortFieldIndex(): ShortFieldIndex {
  const search = new MiniSearch<StoredDoc>({
    fields: [...FIELDS],
    // The fields are word lists already cut by jieba and normalised.
    extractField: (doc, field) => {
      const value = doc[field as keyof StoredDoc];
      return Array.isArray(value) ? value.join(' ') : value === undefined ? '' : String(value);
    },
    tokenize: (text) => text.split(' ').filter((w) => w !== ''),
    processTerm: (term) => term,
    // Entries leave through `remove`, at once. `discard` would leave them to a vacuum that walks the
    // tree across timers and throws when a page update changes the tree under it (MiniSearch 7.2).
    autoVacuum: false,
    searchOptions: {
      boost: { titleWords: 2, keywords: 1.5, counties: 0.5, topics: 2 },
      // A topic weighs as much as the items of its chats would: followed by many, suggested first.
      boostDocument: (id) => (String(id).startsWith(TOPIC_ID) ? Math.log2(1 + (topicDocs.get(String(id))?.chats ?? 1)) : 1),
    },
  });
  const internals = search as unknown as Partial<MiniSearchInternals>;
  if (typeof internals._index?.fuzzyGet !== 'function' || typeof internals._index.get !== 'function' || internals._fieldIds?.['topics'] === undefined) {
    throw new Error('short fields: this MiniSearch has no _index.fuzzyGet, _index.get or _fieldIds (see MiniSearchInternals)');
  }
  const terms = internals._index;
  const topicsField = internals._fieldIds['topics'];
  const docs = new Map<string, ShortFieldDoc>();
  /** The followed topics as added, by id: `remove` needs them, and their chats weigh them. */
  const topicDocs = new Map<string, StoredDoc>();
  /**
   * Every character any indexed word has held, a bit per code point (never cleared: a character
   * that is no longer there only costs the walk that finds nothing). A word with more characters
   * outside it than the edits allowed has no close term, since each such character costs an edit:
   * a query of unknown characters skips the walk (1-4 ms a word at 50,000 items).
   */
  const seenChars = new Uint32Array(0x110000 >>> 5);
  const see = (words: readonly string[] | undefined) => {
    for (const word of words ?? []) {
      for (const char of word) {
        const code = char.codePointAt(0)!;
        seenChars[code >>> 5]! |= 1 << (code & 31);
      }
    }
  };
  const unseen = (word: string): number => {
    let count = 0;
    for (const char of word) {
      const code = char.codePointAt(0)!;
      if ((seenChars[code >>> 5]! & (1 << (code & 31))) === 0) count++;
    }
    return count;
  };
  /** How many items (not followed topics) a term's postings hold. */
  const itemsHolding = (fields: Map<number, Map<number, number>>): number => {
    let items = 0;
    for (const [field, holders] of fields) if (field !== topicsField) items += holders.size;
    return items;
  };

  const remove = (id: string) => {
    const doc = docs.get(id);
    if (!doc) return;
    // `remove` needs the document as it was added: the map keeps it.
    search.remove(doc);
    docs.delete(id);
  };

  return {
    add(list) {
      // The last version of an id wins.
      const fresh = new Map(list.map((doc) => [doc.id, doc]));
      for (const id of fresh.keys()) remove(id);
      for (const doc of fresh.values()) {
        docs.set(doc.id, doc);
        see(doc.titleWords);
        see(doc.keywords);
        see(doc.counties);
      }
      search.addAll([...fresh.values()]);
    },
    remove(ids) {
      for (const id of ids) remove(id);
    },
    setTopics(topics) {
      for (const doc of topicDocs.values()) search.remove(doc);
      topicDocs.clear();
      const fresh: StoredDoc[] = [];
      for (const topic of topics) {
        const words = topic.words.filter((w) => w !== '' && !/\s/.test(w));
        const id = `${TOPIC_ID}${words.join(' ')}`;
        if (words.length === 0 || topicDocs.has(id)) continue;
        const doc: StoredDoc = { id, titleWords: [], keywords: [], counties: [], topics: words, chats: topic.chats };
        see(words);
        topicDocs.set(id, doc);
        fresh.push(doc);
      }
      search.addAll(fresh);
    },
    complete(text, limit = 8) {
      const typed = text.trim();
      if (typed === '' || /\s/.test(typed)) return [];
      // Each indexed word that starts with what was typed, by the score of the items holding it
      // (MiniSearch's autoSuggest would join an item's matching words into one suggestion), plus
      // the weight of the followed topics holding it. A word of topics only finds nothing: never offered.
      const scores = new Map<string, number>();
      const followed = new Map<string, number>();
      for (const hit of search.search(typed, { prefix: true, fuzzy: false, fields: [...FIELDS] })) {
        const into = String(hit.id).startsWith(TOPIC_ID) ? followed : scores;
        for (const term of hit.terms) {
          if (term !== typed && term.startsWith(typed)) into.set(term, (into.get(term) ?? 0) + hit.score);
        }
      }
      for (const [term, score] of followed) if (scores.has(term)) scores.set(term, scores.get(term)! + score);
      return [...scores].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([term]) => term);
    },
    closeWords(words, limit = 5) {
      const asked = new Set(words);
      const scores = new Map<string, number>();
      for (const word of words) {
        // A word the items hold is no misspelling: what found nothing is the query around it
        // (`发展 -发展`), and the walk below for a short common word took 7 ms at 50,000 items.
        const own = terms.get(word);
        if (own && itemsHolding(own) > 0) continue;
        // One edit up to four characters (a suggestion shares three of a four-character word), two
        // for longer words. Two edits on a four-character word walked every word two characters
        // deep: 9 ms at 50,000 items, 48 ms at 200,000, for each query that found nothing.
        const fuzzy = [...word].length <= 4 ? 1 : 2;
        if (unseen(word) > fuzzy) continue;
        // The close terms straight from the term tree, weighed by how many items hold them: a
        // search scored every item holding any of them (20 ms for `发展` at 50,000 items).
        for (const [term, [fields, distance]] of terms.fuzzyGet(word, fuzzy)) {
          if (asked.has(term) || [...term].length < 2) continue;
          const items = itemsHolding(fields);
          // A word only followed topics hold would find nothing.
          if (items > 0) scores.set(term, Math.max(scores.get(term) ?? 0, items / (1 + distance)));
        }
      }
      return [...scores].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([term]) => term);
    },
    related(id, limit = 3) {
      const doc = docs.get(id);
      if (!doc) return [];
      const words = [...new Set([...doc.titleWords, ...doc.keywords])];
      if (words.length === 0) return [];
      const out: string[] = [];
      // Never the item itself, nor two copies of one story (the same headline).
      const titles = new Set([doc.title]);
      for (const hit of search.search({ combineWith: 'OR', queries: words })) {
        const other = docs.get(String(hit.id));
        if (!other || titles.has(other.title)) continue;
        titles.add(other.title);
        out.push(other.id);
        if (out.length === limit) break;
      }
      return out;
    },
    get size() {
      return docs.size;
    },
  };
}
