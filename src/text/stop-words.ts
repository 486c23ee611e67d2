/**
 * Chinese function words: particles, pronouns, conjunctions, prepositions and auxiliaries that
 * carry no topic on their own. Kept short on purpose: a content word here would become
 * unsearchable, while a missing function word only costs a little ranking noise.
 */
const FUNCTION_WORDS = new Set(
  (
    // particles and auxiliaries
    '的 地 得 之 了 着 过 吗 呢 吧 啊 呀 嘛 哦 哈 么 所 似的 而已 罢了 ' +
    // copulas and very common verbs of no topic
    '是 为 有 在 乃 ' +
    // conjunctions
    '和 与 及 以及 并 并且 而 而且 或 或者 或是 还是 且 但 但是 却 然而 则 即 即使 虽然 虽 因为 因此 所以 于是 如果 若 假如 不但 不仅 而是 既 又 也 还 就 才 都 亦 ' +
    // prepositions
    '把 被 对 对于 关于 从 自 自从 向 往 以 于 由 将 给 让 比 跟 同 按 按照 依 依照 据 根据 通过 随着 经过 为了 除了 ' +
    // pronouns and determiners
    '我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己 这 那 这个 那个 这些 那些 这样 那样 这里 那里 此 其 其中 该 各 每 某 本 ' +
    // counters and fillers that stand alone after segmentation
    '个 等 等等 之一 一个 一些 一种 一样 什么 怎么 如何 哪 哪些 ' +
    // adverbs of degree and negation that never make a topic
    '很 更 最 太 非常 不 没 没有 已 已经 曾 正 正在 将要 会 能 可 可以 要 应 应该'
  ).split(/\s+/),
);

/**
 * True for words that should not match or rank on their own: Chinese function words (的 了 和 是
 * 在 等 与 及 …), punctuation and symbols, and whitespace. Expects a normalised word (see
 * `createNormalizer`); the empty string counts as a stop word.
 *
 * @example
 * isStopWord('的'); // true
 * isStopWord('，'); // true
 * isStopWord('医保'); // false
 */
export function isStopWord(word: string): boolean {
  return FUNCTION_WORDS.has(word) || PUNCTUATION_OR_SPACE.test(word);
}

/** Empty, or only punctuation, symbols (incl. emoji), whitespace and invisible format characters. */
const PUNCTUATION_OR_SPACE = /^[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]*$/u;
