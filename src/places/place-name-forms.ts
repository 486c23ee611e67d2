/**
 * How official division names (as the statistics bureau writes them) become the names people
 * write in a newspaper: 柯城区 → 柯城, 湖镇镇 → 湖镇, 汪周村委会 → 汪周村, 星新社区居民委员会 → 星新社区.
 * Pure string rules; which short forms are *safe to match* is decided by the gazetteer.
 */

/** The 55 minority nationalities, longest first so 布依 is not read as a prefix of something else. */
const ETHNIC_GROUPS = [
  '柯尔克孜', '乌孜别克', '维吾尔', '哈萨克', '达斡尔', '塔吉克', '俄罗斯', '鄂温克', '塔塔尔', '鄂伦春',
  '蒙古', '布依', '朝鲜', '土家', '哈尼', '傈僳', '拉祜', '东乡', '纳西', '景颇', '仫佬', '布朗', '撒拉',
  '毛南', '仡佬', '锡伯', '阿昌', '普米', '德昂', '保安', '裕固', '独龙', '赫哲', '门巴', '珞巴', '基诺',
  '高山', '回', '藏', '苗', '彝', '壮', '满', '侗', '瑶', '白', '傣', '黎', '佤', '畲', '水', '土', '怒', '京',
];
const ETHNIC = `(?:${ETHNIC_GROUPS.join('|')})族`;

/** 延边朝鲜族自治州 → 延边, 景宁畲族自治县 → 景宁, 沐尘畲族乡 → 沐尘. */
const AUTONOMOUS = new RegExp(`^(.+?)(?:${ETHNIC})+(?:自治州|自治县|自治旗|乡|镇|苏木)$`, 'u');

/** Names of zones rather than places: their stripped form (滨海新区 → 滨海新) means nothing. */
const ZONE = /(?:新区|开发区|园区|管理区|工业区|示范区|试验区|合作区|实验区|管委会|农场|林场|矿区|郊区)$/u;

/** 衢州市 → 衢州, 大兴安岭地区 → 大兴安岭, 阿拉善盟 → 阿拉善, 北京市 → 北京. Null if nothing of 2+ chars is left. */
export function cityShortName(name: string): string | null {
  const autonomous = AUTONOMOUS.exec(name);
  const short = autonomous ? autonomous[1]! : name.replace(/(?:市|地区|盟)$/u, '');
  return short.length >= 2 && short !== name ? short : null;
}

/** 柯城区 → 柯城, 江山市 → 江山, 开化县 → 开化, 景宁畲族自治县 → 景宁; zones and 1-char leftovers get none. */
export function countyShortName(name: string): string | null {
  if (ZONE.test(name)) return null;
  const autonomous = AUTONOMOUS.exec(name);
  const short = autonomous ? autonomous[1]! : name.replace(/(?:县|区|市|旗|特区|林区)$/u, '');
  return short.length >= 2 && short !== name ? short : null;
}

/** 池淮镇 → 池淮, 湖镇镇 → 湖镇, 府山街道 → 府山, 沐尘畲族乡 → 沐尘. Null for zones and 1-char leftovers. */
export function townShortName(name: string): string | null {
  if (ZONE.test(name)) return null;
  const autonomous = AUTONOMOUS.exec(name);
  const short = autonomous ? autonomous[1]! : name.replace(/(?:街道办事处|街道|民族乡|镇|乡|苏木)$/u, '');
  return short.length >= 2 && short !== name ? short : null;
}

export interface VillageNameForms {
  /** The name as a paper writes it: 汪周村, 星新社区, 缪家村. */
  name: string;
  /** Other forms seen in text: 缪家村村 for the committee 缪家村村委会. */
  aliases: string[];
}

/**
 * The committee's name without the committee: 汪周村委会 → 汪周村, 缪家村村民委员会 → 缪家村 (alias 缪家村村),
 * 上村村委会 → 上村村 (alias 上村),
 * 星新社区居民委员会 / 星新社区居委会 → 星新社区, 宝石街居委会 → 宝石街. Null if nothing is left.
 */
export function villageNameForms(official: string): VillageNameForms | null {
  const name = official.trim();
  let m = /^(.+?)社区(?:居民委员会|居委会|委员会)$/u.exec(name);
  if (m) return { name: `${m[1]}社区`, aliases: [] };
  m = /^(.+?)(?:村民委员会|村委会)$/u.exec(name);
  if (m) {
    const base = m[1]!;
    if (!base.endsWith('村')) return { name: `${base}村`, aliases: [] };
    // The village's own name ends in 村 (缪家村村委会, 上村村委会): papers write 缪家村, but 上村村 for a
    // 2-char name, which alone would read as an ordinary word.
    return base.length <= 2 ? { name: `${base}村`, aliases: [base] } : { name: base, aliases: [`${base}村`] };
  }
  m = /^(.+?)(?:居民委员会|居委会|委员会)$/u.exec(name);
  if (m) return { name: m[1]!, aliases: [] };
  return name ? { name, aliases: [] } : null;
}

/** The part of a village name before its 村/社区: 汪周村 → 汪周, 星新社区 → 星新. */
export function villageBaseName(name: string): string {
  return name.replace(/(?:社区|村)$/u, '');
}
