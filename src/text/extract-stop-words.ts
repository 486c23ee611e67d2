/**
 * The stop words of jieba's keyword extraction (cppjieba's `dict/stop_words.utf8`, MIT licence), the
 * entries of two characters or more: TF-IDF leaves them out of the candidates. Single characters
 * never count as keywords anyway.
 */
const EXTRACT_STOP_WORDS = new Set(
  (
    'the an that those this 一些 一何 一切 一则 一方面 一旦 一来 一样 一般 一转眼 万一 上下 不仅 不但 不光 不单 不只 不外乎 不如 不妨 不尽 ' +
    '不尽然 不得 不怕 不惟 不成 不拘 不料 不是 不比 不然 不特 不独 不管 不至于 不若 不论 不过 不问 与其 与其说 与否 与此同时 且不说 且说 两者 个别 为了 为什么 ' +
    '为何 为止 为此 为着 乃至 乃至于 之一 之所以 之类 乌乎 也好 也罢 二来 于是 于是乎 云云 云尔 人们 人家 什么 什么样 介于 仍旧 从此 从而 他人 他们 以上 以为 ' +
    '以便 以免 以及 以故 以期 以来 以至 以至于 以致 任何 任凭 似的 但凡 但是 何以 何况 何处 何时 余外 作为 你们 使得 例如 依据 依照 便于 俺们 倘使 倘或 倘然 ' +
    '倘若 假使 假如 假若 傥然 先不先 光是 全体 全部 关于 其一 其中 其二 其他 其余 其它 其次 具体地说 具体说来 兼之 再其次 再则 再有 再者 再者说 再说 况且 几时 ' +
    '凡是 凭借 出于 出来 分别 则甚 别人 别处 别是 别的 别管 别说 前后 前此 前者 加之 加以 即令 即使 即便 即如 即或 即若 又及 及其 及至 反之 反而 反过来 ' +
    '反过来说 受到 另一方面 另外 另悉 只当 只怕 只是 只有 只消 只要 只限 叮咚 可以 可是 可见 各个 各位 各种 各自 同时 后者 向使 向着 否则 吧哒 呜呼 呵呵 呼哧 ' +
    '咱们 哈哈 哎呀 哎哟 哪个 哪些 哪儿 哪天 哪年 哪怕 哪样 哪边 哪里 哼唷 唯有 啪达 啷当 喔唷 嗡嗡 嘎登 嘿嘿 因为 因了 因此 因着 因而 固然 在下 在于 基于 ' +
    '处在 多么 多少 大家 她们 如上 如上所述 如下 如何 如其 如同 如是 如果 如此 如若 始而 孰料 孰知 宁可 宁愿 宁肯 它们 对于 对待 对方 对比 尔后 尔尔 尚且 ' +
    '就是 就是了 就是说 就算 就要 尽管 尽管如此 岂但 已矣 巴巴 并且 并非 庶乎 庶几 开外 开始 归齐 当地 当然 当着 彼时 彼此 得了 怎么 怎么办 怎么样 怎奈 怎样 ' +
    '总之 总的来看 总的来说 总的说来 总而言之 恰恰相反 惟其 慢说 我们 或则 或是 或曰 或者 截至 所以 所在 所幸 所有 才能 打从 抑或 按照 换句话说 换言之 据此 接着 ' +
    '故此 故而 旁人 无宁 无论 既往 既是 既然 时候 是以 是的 替代 有些 有关 有及 有时 有的 朝着 本人 本地 本着 本身 来着 来自 来说 极了 果然 果真 某个 某些 ' +
    '某某 根据 正值 正如 正巧 正是 此地 此处 此外 此时 此次 此间 毋宁 每当 比及 比如 比方 没奈何 沿着 漫说 然则 然后 然而 照着 犹且 犹自 甚且 甚么 甚或 甚而 ' +
    '甚至 甚至于 用来 由于 由是 由此 由此可见 的确 的话 直到 相对而言 省得 眨眼 着呢 矣乎 矣哉 竟而 等到 等等 简言之 类如 紧接着 纵令 纵使 纵然 经过 结果 继之 ' +
    '继后 继而 综上所述 罢了 而且 而况 而后 而外 而已 而是 而言 能否 自个儿 自从 自各儿 自后 自家 自己 自打 自身 至于 至今 至若 般的 若夫 若是 若果 若非 ' +
    '莫不然 莫如 莫若 虽则 虽然 虽说 要不 要不是 要不然 要么 要是 譬喻 譬如 许多 设使 设或 设若 诚如 诚然 说来 诸位 诸如 谁人 谁料 谁知 贼死 赖以 起见 趁着 ' +
    '越是 较之 还是 还有 还要 这一来 这个 这么 这么些 这么样 这么点儿 这些 这会儿 这儿 这就是说 这时 这样 这次 这般 这边 这里 进而 连同 逐步 通过 遵循 遵照 ' +
    '那个 那么 那么些 那么样 那些 那会儿 那儿 那时 那样 那般 那边 那里 鄙人 鉴于 针对 除了 除外 除开 除此之外 除非 随后 随时 随着 难道说 非但 非徒 非特 非独 ' +
    '顺着 首先 to can could dare do did does may might would should must will ought shall need is ' +
    'am are about according after against all almost also although among and another any ' +
    'anything approximately as asked at back because before besides between both but by call ' +
    'called currently despite dr during each earlier eight even eventually every everything ' +
    'five for four from he her here his how however if in indeed instead it its just last like ' +
    'major many maybe meanwhile more moreover most mr mrs ms much my neither net never ' +
    'nevertheless nine no none not nothing now of on once one only or other our over partly ' +
    'perhaps prior regarding separately seven several she similarly since six so some somehow ' +
    'still such ten their then there therefore these they though three two under unless unlike ' +
    'until volume we what whatever whats when where which while why with without yesterday yet ' +
    'you your aboard above according to across afore agin along alongside amid amidst amongst ' +
    'anent around aslant astride athwart bar because of behind below beneath beside betwixt ' +
    'beyond circa down due to ere except inside into less mid midst minus near next nigh nigher ' +
    'nighest notwithstanding off on to onto out out of outside past pending per plus qua re ' +
    'round sans save through throughout thru till toward towards underneath unto up upon versus ' +
    'via vice within herself hers him himself itself me mine myself ours theirs them themselves ' +
    'us ourselves yours yourselves yourself \'\' *LRB* *RRB* <dquote> <ldquo> <lsquo> <rdquo> ' +
    '<rsquo> `` e.g., &quot; &ldquo; &rdquo; -RRB- -LRB- -- afterwards again alone already ' +
    'always amoungst amount anyhow anyone anyway anywhere be became become becomes becoming ' +
    'been beforehand being bill bottom cannot cant co computer con couldnt cry de describe ' +
    'detail done due eg either eleven else elsewhere empty enough etc ever everyone everywhere ' +
    'few fifteen fify fill find fire first former formerly forty found front full further get ' +
    'give go had has hasnt have hence hereafter hereby herein hereupon hundred ie inc interest ' +
    'keep latter latterly least ltd made mill mostly move name namely nobody noone nor nowhere ' +
    'often others otherwise own part please put rather same see seem seemed seeming seems ' +
    'serious show side sincere sixty someone something sometime sometimes somewhere system take ' +
    'than thence thereafter thereby therein thereupon thick thin third thus together too top ' +
    'twelve twenty un very was well were whence whenever whereafter whereas whereby wherein ' +
    'whereupon wherever whether whither who whoever whole whom whose'
  ).split(' '),
);

/** @example isExtractStopWord('与此同时') // true */
export function isExtractStopWord(word: string): boolean {
  return EXTRACT_STOP_WORDS.has(word);
}
