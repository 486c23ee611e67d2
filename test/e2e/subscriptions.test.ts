/**
 * Subscriptions end to end: the bot as run-bot.ts wires it, a real database file, a watched seeds
 * folder, the emulator over HTTP (through a proxy that can refuse sends as Telegram would).
 */
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { waitFor, type BotMessage } from './harness.js';
import { blocked, tooManyRequests } from './subscriptions-fault-proxy.js';
import { startSubscriptionsHarness, type SubscriptionsHarness } from './subscriptions-harness.js';

const PAGE_A = `# 开化龙顶茶春茶开采

开化县齐溪镇的茶农昨日开始采摘今年第一批龙顶春茶，今年春茶产量预计比去年增加一成，茶企订单充足。

# 江山新建三个公共停车场

江山市在城区新建三个公共停车场，新增停车位六百多个，缓解老城区停车难问题。

# 柯城区举办读书节

柯城区第十届读书节开幕，市民可以在各个社区书屋借阅图书。
`;

// The same page edited: the tea story reworded (same headline), one new story.
const PAGE_A_EDITED = `# 开化龙顶茶春茶开采

开化县齐溪镇的茶农前天开始采摘今年第一批龙顶春茶，预计产量比去年增加一成以上，茶企订单充足。

# 开化根缘小镇开园迎客

开化根缘小镇昨日正式开园，首日接待游客两万多人次。

# 江山新建三个公共停车场

江山市在城区新建三个公共停车场，新增停车位六百多个，缓解老城区停车难问题。

# 柯城区举办读书节

柯城区第十届读书节开幕，市民可以在各个社区书屋借阅图书。
`;

const PAGE_B = `# 江山市区再添两处停车场

江山市区鹿溪路和江滨路再添两处公共停车场，停车位共三百个，本月起免费开放一小时。

# 衢州市图书馆延长开放时间

衢州市图书馆从下周起每晚开放到九点，方便上班族借书阅读。
`;

const PAGE_C = `# 常山胡柚迎来丰收

常山县胡柚种植基地迎来丰收，今年胡柚产量预计达到十四万吨，线上订单比去年翻番。
`;

let h: SubscriptionsHarness;
const text = (m: BotMessage | undefined) => parseTelegramHtml(m!.text);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await startSubscriptionsHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('subscriptions over HTTP against the emulator', () => {
  it('the first start marks the whole archive as seen and queues nothing', () => {
    const seen = h.service.sqlite!.db.prepare('SELECT COUNT(*) AS n FROM seen_items').get() as { n: number };
    expect(seen.n).toBe(h.service.news.stats.items);
    expect(h.service.sqlite!.outbox.counts()).toMatchObject({ pending: 0, sending: 0, sent: 0 });
    expect(h.logs.entries().some((e) => e.msg === 'subscriptions database created (new file)')).toBe(true);
  });

  it('/subscribe answers with how many articles match now, refuses duplicates and empty topics, in the reader’s language', async () => {
    const user = h.client(201);
    expect(text((await user.command('/subscribe'))[0])).toContain('请在 /subscribe 后面写上要订阅的话题，例如：\n/subscribe 开化');
    expect(text((await user.command('/subscribe 开化'))[0])).toBe(
      '已订阅“开化”。现在有 3 篇相关文章（发送 /search 开化 查看）。\n有新文章时我会立即推送给你。',
    );
    expect(text((await user.command('/subscribe  开化 '))[0])).toBe('你已经订阅了“开化”。发送 /subscriptions 查看全部订阅。');
    expect(text((await user.command('/subscribe ？？'))[0])).toContain('里没有可以搜索的词');
    const english = h.client(202, { languageCode: 'en' });
    expect(text((await english.command('/subscribe 医保'))[0])).toBe(
      'Subscribed to “医保”. 1 article(s) match now (/search 医保).\nI will send new articles as soon as they appear.',
    );
    // Old articles that match are counted, never pushed as new.
    await pause(300);
    expect(user.messages()).toHaveLength(4);
    expect(english.messages()).toHaveLength(1);
  });

  it('/subscriptions lists topics with a button each; pressing one removes it and edits the list; /unsubscribe 词 too', async () => {
    const user = h.client(203);
    await user.command('/subscribe 开化');
    await user.command('/subscribe 停车场 江山');
    const [list] = await user.command('/subscriptions');
    expect(text(list)).toBe('你的订阅（2/20）：\n1. 开化\n2. 停车场 江山\n\n点下面的按钮取消对应的订阅；也可以发送 /unsubscribe 话题。');
    expect(list!.buttons.map((b) => b.text)).toEqual(['✕ 开化', '✕ 停车场 江山']);
    await user.press(list!, list!.buttons[1]!.data);
    const edited = await user.waitForEdit(list!);
    expect(text(edited)).toContain('你的订阅（1/20）：\n1. 开化');
    expect(edited.buttons.map((b) => b.text)).toEqual(['✕ 开化']);
    expect(text((await user.command('/unsubscribe 开化'))[0])).toBe('已取消订阅“开化”。');
    expect(text((await user.command('/unsubscribe 开化'))[0])).toBe('你没有订阅“开化”。发送 /subscriptions 查看全部订阅。');
    expect(text((await user.command('/unsubscribe'))[0])).toBe('你还没有订阅任何话题。例如：/subscribe 开化');
  });

  it('a new page in the watched folder: matching subscribers get one push with a read button, others nothing; an edited page re-sends nothing', async () => {
    const kaihua = h.client(211);
    const parking = h.client(212);
    const other = h.client(213);
    await kaihua.command('/subscribe 开化');
    await parking.command('/subscribe 停车场 江山');
    await other.command('/subscribe 医保');

    h.writePage('001_new.txt', PAGE_A);
    const [push] = (await kaihua.waitForMessages(2, 8000)).slice(1);
    const pushText = text(push);
    expect(pushText.split('\n').slice(0, 4)).toEqual(['订阅的新文章（1 篇）', '', '话题“开化”', '']);
    expect(pushText).toContain('1. 开化龙顶茶春茶开采\n开化县 · 未注明日期\n开化县齐溪镇的茶农昨日开始采摘');
    expect(push!.buttons).toHaveLength(1);
    const [parkingPush] = (await parking.waitForMessages(2, 8000)).slice(1);
    expect(text(parkingPush)).toContain('江山新建三个公共停车场');
    expect(text(parkingPush)).not.toContain('开化龙顶茶');

    // The read button opens the article.
    await kaihua.press(push!, push!.buttons[0]!.data);
    const [article] = (await kaihua.waitForMessages(3)).slice(2);
    expect(text(article).startsWith('开化龙顶茶春茶开采')).toBe(true);

    h.writePage('001_new.txt', PAGE_A_EDITED);
    const [second] = (await kaihua.waitForMessages(4, 8000)).slice(3);
    expect(text(second)).toContain('开化根缘小镇开园迎客');
    expect(text(second)).not.toContain('龙顶茶');
    await pause(500);
    expect(kaihua.messages()).toHaveLength(4);
    expect(parking.messages()).toHaveLength(2); // its story did not change
    expect(other.messages()).toHaveLength(1); // only the /subscribe answer
  });

  it('/settings: buttons switch to a daily digest at a time and edit the panel; typed times are checked', async () => {
    const user = h.client(221);
    const [panel] = await user.command('/settings');
    expect(text(panel)).toBe('推送方式：即时推送\n状态：正常推送\n\n点按钮更改；也可以发送 /settings 时间 07:30 设定每日摘要的时间。');
    expect(panel!.buttons.map((b) => b.text)).toEqual(['✓ 即时推送', '每日摘要', '07:00', '08:00', '12:00', '18:00', '21:00', '暂停推送']);
    await user.press(panel!, panel!.buttons.find((b) => b.text === '08:00')!.data);
    const edited = await user.waitForEdit(panel!);
    expect(text(edited)).toContain('已保存。每天 08:00 发送摘要。\n\n推送方式：每日摘要（每天 08:00，Asia/Shanghai）');
    expect(edited.buttons.map((b) => b.text)).toContain('✓ 08:00');
    expect(text((await user.command('/settings 时间 25:00'))[0])).toBe('“时间 25:00”不是有效的时间，请用 24 小时制，例如：/settings 时间 07:30');
    expect(text((await user.command('/settings 时间 07:30'))[0])).toContain('已保存。每天 07:30 发送摘要。');
    expect(text((await user.command('/settings 随便'))[0])).toContain('用法：/settings 即时');
    expect(h.service.sqlite!.store.getSettings(221)).toMatchObject({ mode: 'daily', digestTime: '07:30', paused: false });
  });

  it('held items: the daily digest comes at its time on the schedule clock, /digest sends on demand, resume sends what waited', async () => {
    const daily = h.client(231);
    const onDemand = h.client(232);
    const paused = h.client(233);
    await daily.command('/subscribe 停车场 江山');
    await daily.command('/settings 时间 07:30');
    await onDemand.command('/subscribe 图书馆');
    await onDemand.command('/settings 每日');
    await paused.command('/subscribe 图书馆');
    await paused.command('/settings 暂停');
    expect(text((await onDemand.command('/digest'))[0])).toBe('自上次摘要以来没有新文章。');

    h.writePage('002_more.txt', PAGE_B);
    await waitFor(() => (h.service.sqlite!.store.pendingItems(233).length > 0 ? true : null), 8000, 'items held for the paused chat');
    await pause(300);
    expect(daily.messages()).toHaveLength(2);
    expect(onDemand.messages()).toHaveLength(3);
    expect(paused.messages()).toHaveLength(2);

    // On demand: the digest itself is the answer. Asked before the schedule clock moves: the clock
    // goes to the next 07:30, which passes this chat's own digest time (08:00) whenever the test
    // runs between 07:30 and 08:00 Shanghai time, and that digest would take the item first.
    await onDemand.command('/digest');
    expect(text(onDemand.messages().at(-1))).toContain('订阅摘要：1 篇新文章\n\n话题“图书馆”\n\n1. 衢州市图书馆延长开放时间');

    // The digest time, in Asia/Shanghai, after now: a minute before it nothing, just after it the digest.
    const at = new Cron('30 7 * * *', { timezone: 'Asia/Shanghai' }).nextRun(new Date())!.getTime();
    h.scheduleClock.time = at - 60_000;
    await pause(200);
    expect(daily.messages()).toHaveLength(2);
    h.scheduleClock.time = at + 1000;
    const [digest] = (await daily.waitForMessages(3, 5000)).slice(2);
    const digestText = text(digest);
    expect(digestText).toContain('订阅摘要：1 篇新文章\n\n话题“停车场 江山”\n\n1. 江山市区再添两处停车场\n江山市 · 未注明日期');
    expect(digest!.buttons).toHaveLength(1);
    expect(text((await daily.command('/digest'))[0])).toBe('自上次摘要以来没有新文章。');

    const replies = await paused.command('/settings 恢复', 3);
    expect(text(replies[0])).toContain('已保存。新文章会立即推送。');
    const texts = replies.map(text);
    expect(texts).toContain('之前存着的 1 篇新文章马上发给你。');
    expect(texts.some((t) => t.includes('衢州市图书馆延长开放时间'))).toBe(true);
  });

  it('/export gives the subscriptions as text when documents fail (the emulator has no sendDocument); /import takes them back, reports skips and the 20-topic limit', async () => {
    const from = h.client(241);
    await from.command('/subscribe 开化');
    await from.command('/subscribe 停车场 江山');
    const [notice, json] = await from.command('/export', 2);
    expect(text(notice)).toContain('文件发送失败，下面是订阅内容的文字版');
    const exported = text(json);
    expect(JSON.parse(exported)).toMatchObject({ format: 'quzhou-news-bot/subscriptions', topics: [{ query: '开化' }, { query: '停车场 江山' }] });

    const to = h.client(242);
    expect(text((await to.command(`/import ${exported}`))[0])).toBe('已导入 2 个话题：开化、停车场 江山\n推送设置也已按文件更新。');
    expect(text((await to.command(`/import ${exported}`))[0])).toBe('没有导入新的话题。\n跳过 2 个：开化（已订阅）、停车场 江山（已订阅）\n推送设置也已按文件更新。');
    expect(text((await to.command('/import'))[0])).toContain('请把 /export 导出的文件发给我');
    expect(text((await to.command('/import {"hello": 1}'))[0])).toBe('这不是本机器人的订阅文件。请发送 /export 导出的文件。');
    expect(text((await to.command('/import 你好'))[0])).toContain('读不懂这个文件');
    const many = { format: 'quzhou-news-bot/subscriptions', version: 1, topics: Array.from({ length: 20 }, (_, i) => `话题${i}`) };
    const [limited] = await to.command(`/import ${JSON.stringify(many)}`);
    expect(text(limited)).toMatch(/^已导入 18 个话题：话题0、.*\n跳过 2 个：话题18（超过 20 个上限）、话题19（超过 20 个上限）$/);
    expect(text((await to.command('/subscribe 医保'))[0])).toBe('最多可以订阅 20 个话题。请先用 /unsubscribe 取消一些。');
    expect(h.service.sqlite!.store.listTopics(242)).toHaveLength(20);
  });

  it('a 429 is waited out (retry_after honoured) and a 403 deactivates the chat with the reason; nothing is lost or sent twice', async () => {
    const slowed = h.client(251);
    const gone = h.client(252);
    await slowed.command('/subscribe 胡柚');
    await gone.command('/subscribe 胡柚');
    let refused = 0;
    const from = h.proxy.sends.length;
    h.proxy.rule = (chatId) => (chatId === 251 && refused++ < 2 ? tooManyRequests(1) : chatId === 252 ? blocked() : null);

    h.writePage('003_pomelo.txt', PAGE_C);
    const [push] = (await slowed.waitForMessages(2, 10_000)).slice(1);
    expect(text(push)).toContain('常山胡柚迎来丰收');
    const attempts = h.proxy.sends.slice(from).filter((s) => s.chatId === 251);
    expect(attempts.map((s) => s.refused)).toEqual([429, 429, null]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(990);

    await waitFor(() => (h.service.sqlite!.store.getChat(252)?.active === false ? true : null), 5000, 'chat 252 deactivated');
    expect(h.service.sqlite!.store.getChat(252)?.deactivatedReason).toBe('Forbidden: bot was blocked by the user');
    const rows = h.service.sqlite!.db.prepare("SELECT state, last_error FROM outbox WHERE chat_id = 252").all() as Array<{ state: string; last_error: string }>;
    expect(rows).toEqual([{ state: 'cancelled', last_error: 'chat deactivated: Forbidden: bot was blocked by the user' }]);
    h.proxy.rule = null;
    await pause(300);
    expect(slowed.messages()).toHaveLength(2);
    expect(gone.messages()).toHaveLength(1); // its /subscribe answer only
    expect(h.proxy.sends.slice(from).filter((s) => s.chatId === 252)).toHaveLength(1); // no retry to a chat that blocked the bot

    // Talking to the bot again makes the chat active again; its topics were kept.
    await gone.command('/subscriptions');
    expect(h.service.sqlite!.store.getChat(252)?.active).toBe(true);
    expect(h.service.sqlite!.store.listTopics(252).map((t) => t.query)).toEqual(['胡柚']);
  });
});
