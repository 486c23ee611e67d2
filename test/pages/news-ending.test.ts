import { describe, expect, it } from 'vitest';
import { endsWithCredit, isCreditLine, readEnding } from '../../src/pages/news-ending.js';
import { parsePage } from '../../src/pages/parse-page.js';

const LAST = '下一步，衢州市医保局将继续按照《意见》要求，不断扩大挂联医院覆盖面，以实际行动推动衢州市医保工作落深落实。';

describe('readEnding: how Chinese news ends', () => {
  it('takes （完） and a bracketed reporters\' credit off the last paragraph, names to authors', () => {
    const ending = readEnding(['新华社北京10月1日电 国庆招待会今天在人民大会堂举行。', `${LAST}（记者 张伟 李娜）（完）`]);
    expect(ending.body).toEqual(['新华社北京10月1日电 国庆招待会今天在人民大会堂举行。', LAST]);
    expect(ending.credit).toBe('（记者 张伟 李娜） （完）');
    expect(ending.authors).toEqual(['张伟', '李娜']);
    expect(ending.photographers).toEqual([]);
  });

  it('reads a site\'s credit in brackets, a 来源/作者 line and a 责任编辑 line', () => {
    expect(readEnding([`${LAST}(南方网郭雪营)`])).toMatchObject({ body: [LAST], credit: '(南方网郭雪营)', authors: [] });
    const lines = readEnding([LAST, '来源：中安在线 作者：陈海宾', '责任编辑：王小明']);
    expect(lines).toEqual({ body: [LAST], credit: '来源：中安在线 作者：陈海宾 责任编辑：王小明', authors: ['陈海宾'], photographers: [], origin: '中安在线' });
  });

  it('reads reporters and correspondents on a line, and photographers\' 摄 credits', () => {
    expect(readEnding([LAST, '记者 张伟 通讯员 李娜']).authors).toEqual(['张伟', '李娜']);
    expect(readEnding([LAST, '新华社记者杨冠宇摄'])).toMatchObject({ body: [LAST], photographers: ['杨冠宇'], authors: [] });
    expect(readEnding([LAST, '本报记者 刘洋 摄']).photographers).toEqual(['刘洋']);
    expect(readEnding([LAST, '（联系电话：0570-3021234）'])).toMatchObject({ body: [LAST], credit: '（联系电话：0570-3021234）' });
  });

  it('leaves the body alone when the end is not a credit', () => {
    for (const paragraphs of [
      [`${LAST}（注：数据截至10月底）`],
      ['此致', '敬礼！'],
      ['会议强调，要坚持以人民为中心（一）'],
      ['他说：“我们会继续努力（完成任务）”'],
      ['张三 李四'],
    ]) {
      expect(readEnding(paragraphs), paragraphs.join('|')).toMatchObject({ body: paragraphs, credit: null });
    }
  });

  it('never takes the only paragraph away, and keeps a credit that does not follow a whole sentence', () => {
    expect(readEnding(['（完）']).body).toEqual(['（完）']);
    expect(readEnding(['记者正在现场（记者 张伟）']).body).toEqual(['记者正在现场（记者 张伟）']);
  });

  it('knows credit lines and credit-closed paragraphs, as the layout repair asks', () => {
    expect(isCreditLine('责任编辑：王小明')).toBe(true);
    expect(isCreditLine('本报记者 刘洋 摄')).toBe(true);
    expect(isCreditLine('从“形融”到“心融”，星新社区居民的获得感')).toBe(false);
    expect(endsWithCredit(`${LAST}（记者 张伟）（完）`)).toBe(true);
    expect(endsWithCredit('星新社区居民的获得感（')).toBe(false);
  });
});

describe('parsePage with endings', () => {
  const page = [
    '# 推进医保服务 保障人民健康',
    '江洁 王一凡',
    '近日，衢州市医疗保障局出台《衢州市医保局助力医疗领域高质量发展若干意见》，推进医保服务成为衢州市营商环境的闪亮名片。',
    `${LAST}（记者 张伟）（完）`,
    '# 开放大学新鲜事',
    '郑晨',
    '学生把菜卖给老师，学校还支持这事！听闻这件“稀奇事”，笔者前往一探究竟。',
    '来源：衢州日报 作者：李娜',
    '责任编辑：何平',
    '# 学技术 提能力',
    '近日，龙游县公安局组织开展派出所最小作战单元“红蓝对抗”比武。',
    '本报记者 刘洋 摄',
  ].join('\n\n');
  const parsed = parsePage(page, 'endings.txt');
  const [medical, university, drill] = parsed.items;

  it('moves credits to the item, keeps the byline first, and raises no warning', () => {
    expect(parsed.report.warnings).toEqual([]);
    expect(medical).toMatchObject({ authors: ['江洁', '王一凡', '张伟'], credit: '（记者 张伟） （完）', origin: null });
    expect(medical!.paragraphs[1]).toBe(LAST);
    expect(university).toMatchObject({ authors: ['郑晨', '李娜'], credit: '来源：衢州日报 作者：李娜 责任编辑：何平', origin: '衢州日报' });
    expect(university!.paragraphs).toEqual(['学生把菜卖给老师，学校还支持这事！听闻这件“稀奇事”，笔者前往一探究竟。']);
    expect(drill).toMatchObject({ photographers: ['刘洋'], paragraphs: ['近日，龙游县公安局组织开展派出所最小作战单元“红蓝对抗”比武。'] });
  });

  it('leaves credit and origin out of items that have none', () => {
    const plain = parsePage('# 标题\n\n正文第一段。\n\n正文第二段。', 'plain.txt').items[0]!;
    expect(plain.credit).toBeUndefined();
    expect(plain.origin).toBeUndefined();
  });
});
