/**
 * Sentence, headline and caption templates for the generated archive. `{slot}` names a filler of
 * `archive-generator.ts`; each template is one sentence without its final mark.
 * Slots that name the article's own subject ({town}, {village}, {term}, {person}, {org}) repeat
 * across its sentences, as a real report keeps returning to what it is about.
 */

export const BODY_TEMPLATES: readonly string[] = [
  '{time}，{dept}{verb}{topic}工作，通过{activity}、{activity}等方式，{goal}',
  '{time}，位于{county}{town}的{village}“{term}”里，{person2}正忙着整理{product}，{scene}',
  '“{quote}。”{org}{role}{person}{say}',
  '“{quote}，{quote2}。”{person2}{say}',
  '据统计，{time}，{town}{achievement}{money}，同比增长{pct}，{achievement}{num}{unit}',
  '{person}是{county}{town}人，{years}年来一直从事{product}{trade}，{bio}',
  '截至目前，{subject}已{past}{num}{unit}，{past}{money}，惠及群众{num}余人',
  '下一步，{subject}将继续{verb}{topic}，{verb}{topic}，{goal}',
  '为此，{subject}聚焦{topic}，一手抓{topic}，一手抓{topic}，先后启动“{newterm}”等{num}个重点项目',
  '{subject}通过{activity}、{activity}、{activity}等举措，{verb}{topic}，{goal}',
  '目前，{org}已入驻{village}附近的{newterm}，年产值{money}，提供就业岗位{num}多个',
  '今年以来，{county}坚持以{topic}为主线，{verb}“{term}”{topicNoun}，累计{past}{num}{unit}',
  '{time}，{dept}组织开展“{newterm}”{event}，{num}余名{roleGroup}参加',
  '在{village}，{person2}告诉笔者，过去{complaint}，如今{improvement}',
  '{org}是{county}{topic}领域的佼佼者，{newterm}是其今年刚刚投放市场的新产品，因具有成本低、品质高等优势，一经推出就得到市场认可',
  '{town}相关负责人{person2}介绍，他们正全力推进{topic}工作，让更多的{people}{goal2}',
  '从“{short1}”到“{short2}”，{village}{people}的获得感、幸福感、安全感不断增强',
  '{time}，{county}已经收集汇总群众反映的问题建议{num}件，其中已解决{num}件，力争{date}前全部完成',
  '{subject}建立“{newterm}”{topicNoun}，实行“{slogan}”，定期由{role}带队，深入一线开展{activity}',
  '{org}{role}{person}直言，{topic}成为当地{verb}{topic}亟待破解的瓶颈问题，这也是政府和企业共同面对的必答题',
  '{date}，{num}名{roleGroup}来到{town}{village}，围绕{topic}开展{event}，现场解答群众咨询{num}人次',
  '{county}是“中国{product}之乡”，近年来，当地紧紧围绕{topic}主线，借力“{newterm}”，将{product}打造成带富一方百姓的特色产业',
  '与此同时，{subject}还推出了{newterm}和{newterm}，{scene}',
  '数据显示，{time}，全市{achievement}{money}，其中{county}{achievement}{money}，占比{pct}',
  '{person2}的{product}店开在{town}老街上，{years}年间，从一间小铺子发展到{num}家门店，{scene}',
  '按照计划，{newterm}总投资{money}，占地面积{area}，建成后预计年产值可达{money}',
  '{subject}坚持问题导向，针对{complaint}的问题，{verb}{activity}，{goal}',
  '走进{village}，{sceneLong}',
  '“以前{complaint}，现在{improvement}。”{village}村民{person2}{say}',
  '{county}{dept}{role}{person}表示，将以{event}为契机，{verb}{topic}，{verb}{topic}，推动{topic}取得新突破',
];

export const QUOTES: readonly string[] = [
  '今年公司可以节省{money}的成本，我们准备继续加大投资力度',
  '{product}的品质上去了，价格也跟着涨，一斤能多卖{num}元',
  '项目将在近期投入使用，届时{people}办事将更加方便',
  '客户反响挺好，产品供不应求',
  '我们要把{topic}这件事办好办实，让{people}真正得到实惠',
  '这里离我家就{num}分钟路程，活儿又相对轻松，一个月能赚{num}多块',
  '有了{newterm}，我们心里更有底了',
  '对未解决的问题，已编制任务书、路线图、时间表，明确责任和时间节点',
  '下一步，我们还要在{topic}上多下功夫',
  '{topic}关键在人，我们会持续引进和培养专业人才',
];

export const SCENES: readonly string[] = [
  '缝纫机运转的声音不绝于耳',
  '现场塔吊林立，工人们正抢抓晴好天气加快施工',
  '一排排新建的厂房整齐划一',
  '前来咨询的群众络绎不绝',
  '游客们三五成群，拍照打卡',
  '车间里机器轰鸣，一派繁忙景象',
  '田间地头处处是忙碌的身影',
  '老人们围坐在一起，听志愿者讲解政策',
  '孩子们的欢声笑语在校园里回荡',
  '直播间里，主播正向网友推介当地特产',
];

export const COMPLAINTS: readonly string[] = [
  '进出村需要爬山乘船', '停车难、交通拥堵', '办事要跑好几个部门', '农产品卖不出去', '村里没有像样的活动场地',
  '老人看病要坐一个多小时的车', '污水横流、垃圾乱堆', '企业融资难、融资贵', '年轻人都外出打工', '道路坑坑洼洼',
];

export const IMPROVEMENTS: readonly string[] = [
  '在家门口就能上班', '出门就是柏油路', '一次就能办成', '订单多得做不过来', '村里环境越来越好',
  '家门口就有医生', '每月能多收入{num}00多元', '年轻人纷纷回乡创业', '游客越来越多', '村集体经济收入突破{money}',
];

export const BIOS: readonly string[] = [
  '凭借着过硬的手艺，成了远近闻名的致富带头人',
  '先后带动{num}户村民增收致富',
  '被评为“全国技能能手”',
  '他的{newterm}已经申请了{num}项专利',
  '她坚持每天记录{product}的生长情况',
];

export const SLOGANS: readonly string[] = [
  '周一联络、一月一协商', '一事一议、一村一策', '小事不出村、大事不出镇', '马上办、网上办、就近办', '一表清、一网通',
  '清单化管理、项目化推进', '常规事项立即约、一般事项定期约', '群众点单、部门接单',
];

export const ROLE_GROUPS: readonly string[] = ['党员干部', '志愿者', '青年', '民警', '医护人员', '企业代表', '村民代表', '教师', '学生', '网格员'];

export const PEOPLE: readonly string[] = ['居民', '村民', '群众', '游客', '企业', '老人', '家长', '学生', '职工', '农户'];

export const HEADLINE_TEMPLATES: readonly string[] = [
  '{topic}{tail}',
  '{short}{topic}{tail}',
  '“{term}”{tail}',
  '{villageOrTown}：{topic}{tail}',
  '{verb}{topic} {verb}{topic}',
  '{product}产业{tail}',
  '{short}{product}{tail}',
  '{event}{tail}',
  '{topic} {short}{tail}',
  '“{term}”助力{topic}',
];

export const SUBHEADLINE_TEMPLATES: readonly string[] = [
  '{time}{town}{achievement}超{money}',
  '{county}{verb}{topic}工作综述',
  '{village}打造“{term}”的探索与实践',
  '{time}{county}{past}{num}{unit}',
];

export const CAPTION_TEMPLATES: readonly string[] = [
  '{time}，{county}{dept}组织开展{event}。图为{roleGroup}正在{activity}',
  '{time}，{town}{village}的{people}在{newterm}里{scene2}',
  '{county}重视{product}产业人才培养，依托{newterm}大力培育年轻{product}人。图为{person}正在指导徒弟',
  '为进一步{verb}{topic}，{time}，{dept}组织开展“{newterm}”{event}',
  '{time}，{village}的{product}迎来丰收，农户们忙着采摘、分拣',
];

export const CAPTION_HEADINGS: readonly string[] = ['学技术 提能力', '丰收季', '{product}飘香', '{event}', '家门口的{topic}', '{short}掠影'];
