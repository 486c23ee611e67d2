/** Simplified Chinese, the default catalogue. */
import { zhOperator } from './zh-operator.js';
import { zhSubscriptions } from './zh-subscriptions.js';
import type { Messages } from './messages.js';

function formatDate(isoDate: string | null): string {
  const match = isoDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate) : null;
  if (!match) return isoDate ?? '未注明日期';
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

export const zh: Messages = {
  language: 'zh',

  greeting: [
    '你好！我是衢州新闻助手。',
    '我读遍报纸的每一版，帮你搜索文章、看最新消息、按区县浏览，每篇都附两三句摘要。',
    '直接发送关键词就能搜索，也可以订阅话题，有新文章时我会告诉你。',
  ].join('\n'),
  helpTitle: '可用命令：',
  commands: [
    { command: 'search', description: '搜索文章', example: '/search 医保' },
    { command: 'latest', description: '最新文章', example: '/latest' },
    { command: 'county', description: '按区县浏览（柯城、衢江、龙游、江山、常山、开化）', example: '/county 开化' },
    { command: 'subscribe', description: '订阅话题，有新文章时推送', example: '/subscribe 停车场 江山' },
    { command: 'subscriptions', description: '查看我的订阅', example: '/subscriptions' },
    { command: 'unsubscribe', description: '取消订阅', example: '/unsubscribe' },
    { command: 'digest', description: '立即发送订阅摘要', example: '/digest' },
    { command: 'settings', description: '推送方式：即时或每日定时', example: '/settings' },
    { command: 'export', description: '导出订阅为文件', example: '/export' },
    { command: 'import', description: '从文件导入订阅', example: '/import' },
    { command: 'help', description: '查看帮助', example: '/help' },
  ],
  helpFooter:
    '小提示：直接发送文字就是搜索。多个词用空格分开；-词 排除；"…" 要求完整短语；加上区县名只看该区县，例如：停车场 江山。',

  problem: {
    'empty-query': () => '请在 /search 后面写上要找的词，例如：/search 医保\n也可以直接发送关键词。',
    'query-too-long': () => '搜索内容太长了，请用几个关键词，例如：/search 停车场 江山',
    'no-searchable-words': (p) =>
      `“${p.input}”里没有可以搜索的词（只有标点、表情或常用虚词）。请换个关键词，例如：/search 医保`,
    'page-out-of-range': (p) =>
      p.pageCount ? `没有这一页了，共 ${p.pageCount} 页。请重新搜索或从第一页看起。` : '没有这一页了，请重新搜索。',
    'unknown-article': () => '找不到这篇文章，它可能已被删除或更新。请用 /search 重新搜索。',
    'not-ready': () => '索引正在建立，请稍候再搜索；/latest 和 /county 已可用',
    'no-items': () => '目前还没有收录任何文章，请稍后再来。',
    'still-loading': (p) =>
      p.loading ? `稿件仍在载入（已载入 ${p.loading.pages} / ${p.loading.totalPages} 个版面），请稍候再试。` : '稿件仍在载入，请稍候再试。',
  },

  listTitle: (h) => {
    if (h.command === 'latest') return '最新文章';
    if (h.command === 'county') return `${h.county ?? h.query}的文章`;
    return h.county ? `搜索“${h.query}”（${h.county}）` : `搜索“${h.query}”`;
  },
  resultsHeader: (total, page, pageCount) => `找到 ${total} 篇，第 ${page}/${pageCount} 页`,
  stillLoading: (note) => `仍在载入较早的稿件（已载入 ${note.pages} / ${note.totalPages} 个版面）`,
  noResults: (query, county) =>
    county ? `在${county}没有找到与“${query}”相关的文章。` : `没有找到与“${query}”相关的文章。`,
  suggestionsLead: '试试这些词：',
  browseCountiesLead: '也可以按区县浏览：',

  countyListHeader: '按区县浏览：',
  unknownCounty: (name) => `没有叫“${name}”的区县。衢州的区县有：`,
  countyCount: (name, count) => `${name} ${count} 篇`,
  cityLevelCount: (count) => `城市要闻（全市）${count} 篇`,
  countyListFooter: '点下面的按钮，或发送 /county 名称，例如：/county 开化',

  unknownCommand: (command) => `没有 ${command} 这个命令。发送 /help 查看全部命令；直接发送文字就是搜索。`,
  rateLimited: '您发送得太快了，请稍等几秒再试。',
  expired: '这个结果已过期，请重新搜索',
  apology: '抱歉，出了点问题，请稍后再试。',
  inlineHint: (query) => (query ? `没有找到“${query}”` : '输入关键词搜索衢州新闻'),
  inlineHintDescription: '例如：医保、停车场、开化',

  labels: {
    previousPage: '上一页',
    nextPage: '下一页',
    readFull: '阅读全文',
    fullText: '全文',
    photographer: '摄',
    cityLevel: '城市要闻',
    cityWide: '全市',
    undated: '未注明日期',
    keywords: '关键词',
    summary: '摘要',
    author: '作者',
    photo: '图片新闻',
  },

  formatDate,
  byline: (authors) => `作者：${authors.join('、')}`,
  photoCredit: (photographers) => `${photographers.join(' ')} 摄`,
  readButton: (n, title) => `${n}. ${title}`,
  matchNote: (match) =>
    match === 'words' ? '没有完全一致的结果，以下稿件分别含有查询中的各个词：' : match === 'partial' ? '没有稿件含有全部查询词，以下稿件只含其中一部分：' : '没有完全一致的结果，以下是相近的结果（查询的字在文中相隔不远）：',
  relatedButton: '相关报道',
  relatedTitle: (title) => `与《${title}》相关的报道`,
  relatedNone: '暂无相关报道。',
  inlineCompletion: (word, count) => `搜索“${word}”（${count} 篇）`,
  articlePart: (part, parts) => `（续 ${part}/${parts}）`,
  listSeparator: '、',

  subscriptions: zhSubscriptions,
  operator: zhOperator,
};
