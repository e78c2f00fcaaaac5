import { pinyin } from 'pinyin-pro';

// What Chinese users make passwords of, for the strength estimate: zxcvbn-ts knows English
// words and names, not 「woaini1314」, 「zhangwei1988」 or the pinyin of a department's name.
// Names and words are kept in Chinese here and turned into pinyin once, when the estimator is
// built (platform/passwords.ts).

/** Passwords and fragments that lists of leaked Chinese passwords are full of. */
const COMMON = [
  'woaini',
  'woaini1314',
  'woaini520',
  '5201314',
  '1314520',
  'iloveyou',
  'qq123456',
  'a123456',
  'aa123456',
  'abc123456',
  'qwe123456',
  'wodemima',
  'mima',
  'mimamima',
  'zhanghao',
  'nihao',
  'haoren',
  'kuaile',
  'xingfu',
  'pingan',
  'zhongguo',
  'china',
  'beijing',
  'shanghai',
  'shenzhen',
  'guangzhou',
  'hangzhou',
  'nanjing',
  'suzhou',
  'tianjin',
  'chongqing',
  'wuhan',
  'chengdu',
  'admin',
  'huawei',
  'xiaomi',
  'baidu',
  'taobao',
  'alibaba',
  'tencent',
  'weixin',
  'zhifubao',
  // Placeholder names every Chinese textbook and form uses.
  'zhangsan',
  'lisi',
  'wangwu',
  'zhaoliu',
  'lilei',
  'hanmeimei',
  'xiaoming',
  'xiaohong',
];

/** Words of the company and of this software, written as people type them in pinyin. */
const WORK_WORDS = [
  '公司',
  '经理',
  '总经理',
  '部门',
  '销售',
  '销售部',
  '业务',
  '业务员',
  '客户',
  '档案',
  '档案室',
  '财务',
  '财务部',
  '质量',
  '质量部',
  '品质',
  '品质部',
  '生产',
  '生产部',
  '采购',
  '采购部',
  '研发',
  '工程',
  '工程部',
  '技术',
  '行政',
  '人事',
  '管理员',
  '审计',
  '密码',
  '我爱你',
];

/** The most frequent surnames and full names in China (national name statistics). */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const FULL_NAMES = [
  '张伟',
  '王伟',
  '王芳',
  '李伟',
  '李娜',
  '张敏',
  '李静',
  '王静',
  '刘伟',
  '王秀英',
  '张丽',
  '李秀英',
  '王丽',
  '张静',
  '张秀英',
  '李强',
  '王敏',
  '李敏',
  '王磊',
  '刘洋',
  '王艳',
  '王勇',
  '李军',
  '张勇',
  '李杰',
  '张杰',
  '张磊',
  '王强',
  '李娟',
  '王军',
  '张艳',
  '张涛',
  '王涛',
  '李艳',
  '王超',
  '李明',
  '李勇',
  '王娟',
  '刘杰',
  '刘敏',
  '李霞',
  '李丽',
  '张军',
  '王杰',
  '张强',
  '王秀兰',
  '王刚',
  '王平',
  '刘芳',
  '张燕',
  '刘艳',
  '刘军',
  '李平',
  '王辉',
  '王燕',
  '陈静',
  '刘勇',
  '李玲',
  '李桂英',
  '王丹',
  '李刚',
  '李丹',
  '李萍',
  '王鹏',
  '刘涛',
  '陈伟',
  '张华',
  '刘静',
  '李涛',
  '王桂英',
  '张秀兰',
  '李红',
  '李超',
  '刘丽',
  '张桂英',
  '王玉兰',
  '李燕',
  '张鹏',
  '李秀兰',
  '张超',
  '王玲',
  '张玲',
  '李华',
  '王飞',
  '张玉兰',
  '王桂兰',
  '王英',
  '刘强',
  '陈秀英',
  '李英',
  '李辉',
  '李梅',
  '陈勇',
  '王鑫',
  '李芳',
  '张桂兰',
  '李波',
  '杨勇',
  '王霞',
  '李桂兰',
  '王斌',
  '李鹏',
  '张平',
  '张莉',
  '张辉',
  '张宇',
  '刘娟',
  '李斌',
  '王浩',
  '陈杰',
  '王凯',
  '陈丽',
  '陈敏',
  '王秀珍',
  '李玉兰',
  '刘秀英',
  '王萍',
  '张波',
];

/** Pinyin without tones, syllables joined: 「李业务」 → `liyewu`. */
export function toPinyin(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
}

const HAN = /\p{Script=Han}/u;

/**
 * The forms a person's Chinese name takes in a password: the whole name in pinyin, the given
 * name, the surname followed by the given name's initials and all initials (李业务 → liyewu,
 * yewu, lyw); the words an attacker tries first for that person.
 */
export function pinyinForms(name: string): string[] {
  if (!HAN.test(name)) return [];
  const syllables = pinyin(name.replace(/\s/g, ''), { toneType: 'none', type: 'array' }).map((s) =>
    s.toLowerCase(),
  );
  const [surname = '', ...given] = syllables;
  const forms = new Set([
    syllables.join(''),
    given.join(''),
    surname + given.map((s) => s[0]).join(''),
    syllables.map((s) => s[0]).join(''),
  ]);
  return [...forms].filter((f) => f.length >= 3);
}

/** The dictionary of Chinese passwords, names and work words, in pinyin (built on first use). */
export function chineseDictionary(): string[] {
  const words = new Set(COMMON);
  for (const w of WORK_WORDS) words.add(toPinyin(w));
  // One-syllable words like li or wu would match inside any password; longer ones tell.
  for (const s of SURNAMES) if (toPinyin(s).length >= 3) words.add(toPinyin(s));
  for (const n of FULL_NAMES) for (const f of pinyinForms(n)) words.add(f);
  return [...words];
}
