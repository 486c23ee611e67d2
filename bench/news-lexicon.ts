/**
 * The fixed part of the generated archive's language: the common words of a Chinese city paper
 * (departments, topics, verbs, products, events) and the character pools that names and new terms
 * are minted from. The growing part (new terms, people, firms) is minted by `archive-generator.ts`.
 */

const words = (text: string): readonly string[] => text.trim().split(/\s+/u);

export const TIME_PHRASES = words(`
  近日 日前 今年以来 近年来 前三季度 上半年 连日来 近期 本周 去年以来 今年前三季度 “十四五”以来 入秋以来 入夏以来
  年初以来 截至目前 当天 当日 春节前夕 国庆期间 最近 近段时间 今年1至9月 今年上半年 近一个月来 今年一季度`);

export const DEPARTMENTS = words(`
  发展改革局 农业农村局 经信局 教育局 卫生健康局 医疗保障局 公安局 交通运输局 文化广电旅游局 自然资源和规划局
  生态环境分局 市场监管局 住建局 商务局 人力社保局 民政局 司法局 应急管理局 水利局 统计局 税务局 总工会 团委 妇联
  科协 供销社 消防救援大队 交警大队 人民检察院 人民法院 纪委监委 委统战部 委组织部 委宣传部 委政法委 农商银行 融媒体中心
  人民医院 中医院 妇幼保健院 疾控中心 行政服务中心 大数据发展中心 投资促进中心 国资中心 退役军人事务局 残联 工商联 文联`);

export const TOPICS = words(`
  乡村振兴 共同富裕 营商环境 数字化改革 产业链 高质量发展 民生实事 基层治理 文明城市 生态环境 绿色发展 农文旅融合
  招商引资 项目建设 科技创新 人才引育 医共体 养老服务 托育服务 安全生产 防汛抗旱 森林防火 垃圾分类 未来社区 山海协作
  清廉建设 平安建设 矛盾纠纷化解 法治宣传 全民健身 文化礼堂 非遗传承 研学旅游 民宿经济 电商直播 公共服务 义务教育
  职业教育 新能源 新材料 集成电路 高端装备 生命健康 智能制造 现代农业 粮食安全 耕地保护 水环境治理 美丽乡村 城市更新
  老旧小区改造 交通治堵 停车难 一老一小 就业创业 技能培训 金融服务 普惠金融 文化惠民 全域旅游 四好农村路 饮用水安全
  地瓜经济 强村富民 村级集体经济 党建引领 志愿服务 移风易俗 家庭教育 食品安全 消费帮扶 低碳转型 碳达峰 林下经济`);

export const COMMON_NOUNS = words(`
  企业 项目 群众 村民 居民 干部 工作 服务 发展 建设 产业 市场 资金 政策 机制 平台 活动 问题 需求 基地 园区 学校
  医院 社区 乡镇 农户 游客 学生 老师 老人 孩子 家庭 岗位 收入 效益 成效 经验 品牌 特色 资源 优势 环境 设施 道路
  车辆 设备 技术 人才 团队 队伍 专家 订单 产品 产值 投资 税收 贷款 补助 保障 安全 质量 标准 流程 窗口 事项 材料`);

export const VERBS = words(`
  推进 深化 打造 培育 完善 健全 探索 实施 落实 拓展 提升 优化 强化 激活 夯实 做强 做优 擦亮 聚焦 统筹 加快 推动
  破解 守牢 压实 织密 畅通 盘活 赋能 融合 联动 集成 迭代 升级 扩面 提质 增效 引育 招引 护航 筑牢`);

export const PAST_VERBS = words(`
  完成 开展 建成 引进 培训 走访 排查 化解 解决 收集 签约 落地 发放 投入 新增 服务 接待 帮扶 受理 办结 吸纳 带动`);

export const ROLES = words(`
  负责人 党委书记 村党支部书记 总经理 主任 董事长 站长 校长 院长 技术员 志愿者 村民 所长 队长 副局长 局长 镇长 网格员
  调解员 驻村指导员 讲解员 农技专家 合伙人 店主 社长 项目经理 工程师 医生 护士 民警 辅警`);

export const SAY = words(`介绍 表示 说 告诉记者 坦言 感慨道 笑着说 直言 透露 算了一笔账`);

export const EVENTS = words(`
  比武 培训班 座谈会 推介会 文艺汇演 志愿服务活动 专项督查 义诊活动 宣讲活动 招聘会 运动会 农民丰收节 展销会 观摩会
  现场会 研讨会 签约仪式 开工仪式 启动仪式 演练 擂台赛 技能大赛 读书会 集市 音乐节 马拉松 开放日 夜市 路演 评审会`);

export const PRODUCTS = words(`
  茶叶 胡柚 椪柑 香柚 贡面 清水鱼 山茶油 土蜂蜜 高山蔬菜 红薯干 冬笋 猕猴桃 菊花 白茶 黄精 龙顶茶 铜钱柴 发糕 辣椒
  葡萄 杨梅 白莲 香菇 中蜂 稻米 芦笋 草莓 黑猪 湖羊 毛竹 油茶 木材 索面 麻糍 三头一掌 兔头 鸭头 鱼头`);

export const UNITS = words(`个 家 户 人 人次 件 项 场 条 批 所 处 名 位 套 台 亩 公里 吨 万元`);

export const ACTIVITIES = words(`
  上门走访 线上直播 入户宣传 结对帮扶 集中攻坚 现场办公 专题培训 联合执法 常态巡查 积分激励 以赛促学 以老带新
  组团服务 清单管理 闭环管理 一件事集成 数据共享 定期回访 错峰施工 预约服务 流动服务 夜间延时服务 示范引领 典型带动`);

export const GOALS = words(`
  让群众少跑腿 让企业有获得感 让村民腰包鼓起来 让老人安享晚年 让孩子就近入学 让游客留得住 让发展更有底气 让乡村更美丽
  让服务更有温度 让治理更加精细 让产业更有活力 让城市更加宜居 让家门口就业成为现实 让好产品卖出好价钱`);

export const ACHIEVEMENTS = words(`
  实现产值 完成投资 接待游客 带动就业 新增市场主体 实现销售额 完成固定资产投资 实现营业收入 增加村集体收入 发放贷款
  完成造林 新建改建道路 新增停车位 培训技能人才 引进高层次人才 办理业务 化解矛盾纠纷 开展巡查`);

export const HEADLINE_TAILS = words(`
  见实效 稳中有进 添活力 结硕果 再提速 显身手 正当时 有温度 跑出加速度 焕新颜 促共富 护平安 开新局 谱新篇 出新彩
  走在前 强基础 提质效 惠民生 暖人心 增后劲 展新貌 写新篇 聚合力 蹚新路 闯新路`);

export const TERM_SUFFIXES = words(`
  工坊 品牌 模式 机制 工程 行动 计划 产业园 示范区 合作社 农场 系统 小程序 服务站 驿站 学堂 联盟 基地 平台 技术 工艺
  材料 装备 专班 联合体 共富带 应用场景 服务圈 客厅 书房 食堂 讲堂 码 指数 e站 云仓 集市`);

export const INDUSTRY_WORDS = words(`
  硅业 新材料 生物科技 电子 机械 化工 纸业 食品 农业开发 文化旅游 建设工程 智能科技 新能源 医药 环保科技 物流 包装科技
  茶业 竹木 服饰 家居 汽车零部件 精密制造 数字科技 供应链管理 农产品`);

export const COMPANY_TYPES = words(`有限公司 股份有限公司 有限公司 集团有限公司 有限公司`);

export const CITY_PLACES = words(`
  衢州智造新城 衢州高铁新城 衢州经济技术开发区 衢州绿色产业集聚区 衢州市区 信安湖 府山公园 水亭门历史文化街区 南孔古城 衢州学院`);

/** Family names, common first (the generator picks them Zipf-like). */
export const SURNAMES = words(`
  王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 郑 梁 谢 宋 唐 许 韩 邓 冯 曹 彭 曾 肖 田 董 潘 袁 蔡 蒋 余
  于 杜 叶 程 魏 苏 吕 丁 任 卢 姚 沈 钟 姜 崔 谭 陆 范 汪 廖 石 金 韦 贾 夏 付 方 邹 熊 白 孟 秦 邱 侯 江 尹 薛 闫 段 雷
  龙 黎 史 陶 贺 毛 郝 顾 龚 邵 万 覃 武 钱 戴 严 欧阳 诸葛 祝 占 徐 华 应 童 项 郑 缪 鲁 柴 楼 翁 舒 傅 詹`);

export const GIVEN_NAME_CHARS = [...`
  伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏宇浩辉俊晨欣怡晓婷雪琳佳慧颖倩楠文斌波宁凯亮健翔
  飞鑫鸿博瑞轩睿哲昊宏志国建新春海燕梅娟荣林峰坤彬松柏云霖雯琦璐瑶茜蕾薇嘉怡悦涵梓萱锦程思远毅辉君秋虹凤莉
  琴蓉洁永成德贤良仁义礼智信忠孝安康乐福禄寿喜庆祥吉利昌盛兴旺发达勤俭朴实诚正清廉洪涛泽宇浩然皓天逸凡翰墨
  水玉土伟群勇翰毓俊楠茹虹琦征东秋媛远凤时佳侃爱奉广勤智辉洁一凡晨君梦`.replace(/\s+/gu, '')];

/** Characters new terms and firm names are minted from: common in names of things, rare in function words. */
export const STEM_CHARS = [...`
  华宁康益中昌盛达泰恒鑫源丰瑞祥宏信诚和润泽浩嘉佳德安永兴隆旺福鸿运通天元金银玉石山水林木竹茶花果稻麦
  江河湖海溪泉峰岭岩谷田园村乡镇城港湾桥路街巷坊苑庭阁楼台亭轩斋居堂馆院府宫殿寺庙塔门关口岛洲滩湾坪垄畈
  青红绿蓝白紫黄赤橙翠碧彩光明辉亮晶星月阳云雨雪霞虹风雷电春夏秋冬东西南北上下前后左右新古老大小高远长
  智慧数字云链芯微创科技网联融汇聚合优品臻选精工匠心诚信共享共富同心齐力众创先锋领航启航扬帆致远鼎立
  衢柯龙游常开化江山衢江九华航埠石梁沟溪华埠马金齐溪池淮桐村芳村球川辉埠青石招贤新昌廿八都峡口贺村双塔`.replace(/\s+/gu, '')];

/**
 * Characters that appear neither in generated text nor in the real news its bodies are taken from
 * (checked over ../shared/data/cctv-news-dev.jsonl): queries made of them must find nothing.
 */
export const ABSENT_QUERIES = words(`犰狳蜥蜴 饕餮蝙蝠 蜉蝣蟋蟀 鹈鹕鹧鸪 蝌蚪蚯蚓 鲶鳅貂鼬 鼹鼩貉鸸 鹋鸵鳕蚣 魑魍魉夔 螂鹉琥狳`);
