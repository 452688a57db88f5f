/**
 * Every English string has a Traditional Chinese translation: same keys (plural forms per language), no
 * empty values, the same interpolation variables, and no Simplified-only characters slipping in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const LOCALES = path.resolve(__dirname, '../../../renderer/i18n/locales');
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function flatten(value: Json, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

function load(lang: string, ns: string): Map<string, string> {
  return flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${ns}.json`), 'utf8')) as Json);
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.-]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? '').sort();
}

/**
 * The keys a language needs for one English key: a plural key (`x_one`, `x_other`) needs the plural forms
 * of that language (Chinese has only `other`), any other key needs itself.
 */
function requiredKeys(enKey: string, lang: string): string[] {
  const m = PLURAL_SUFFIX.exec(enKey);
  if (!m) return [enKey];
  const base = enKey.slice(0, m.index);
  return new Intl.PluralRules(lang).resolvedOptions().pluralCategories.map((c) => `${base}_${c}`);
}

// Characters that exist only in Simplified Chinese (their Traditional forms are in parentheses):
// 设(設) 这(這) 个(個) 们(們) 连(連) 线(線) 钥(鑰) 储(儲) 删(刪) 载(載) 选(選) 择(擇) 开(開) 关(關) 显(顯)
// 认(認) 证(證) 误(誤) 错(錯) 务(務) 网(網) 络(絡) 书(書) 请(請) 输(輸) 时(時) 间(間) 对(對) 话(話)
// 闭(閉) 从(從) 为(為) 无(無) 录(錄) 应(應) 该(該) 发(發) 见(見) 换(換) 检(檢) 启(啟) 动(動) 态(態)
// 码(碼) 标(標) 头(頭) 称(稱) 类(類) 础(礎) 测(測) 试(試) 读(讀) 写(寫) 还(還) 后(後) 经(經) 么(麼)
const SIMPLIFIED_ONLY = /[设这个们连线钥储删载选择开关显认证误错务网络书请输时间对话闭从为无录应该发见换检启动态码标头称类础测试读写还后经么]/;

const namespaces = fs
  .readdirSync(path.join(LOCALES, 'en'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('i18n completeness', () => {
  it('finds the English namespaces', () => {
    expect(namespaces).toEqual(expect.arrayContaining(['common', 'errors', 'settings', 'chat']));
  });

  describe.each(namespaces)('namespace %s', (ns) => {
    const en = load('en', ns);
    const zh = fs.existsSync(path.join(LOCALES, 'zh-TW', `${ns}.json`)) ? load('zh-TW', ns) : new Map<string, string>();

    it('has every English key in zh-TW', () => {
      const missing = [...en.keys()].flatMap((k) => requiredKeys(k, 'zh-TW')).filter((k) => !zh.has(k));
      expect(missing).toEqual([]);
    });

    it('has no empty zh-TW value', () => {
      const empty = [...zh.entries()].filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty).toEqual([]);
    });

    it('uses the same interpolation variables in zh-TW as in English', () => {
      const mismatched = [...en.entries()].flatMap(([k, v]) =>
        requiredKeys(k, 'zh-TW')
          .filter((zk) => zh.has(zk) && variables(zh.get(zk) ?? '').join() !== variables(v).join())
          // A language without a singular form may show the count where English says "one".
          .filter((zk) => !(PLURAL_SUFFIX.test(k) && variables(zh.get(zk) ?? '').filter((x) => x !== 'count').join() === variables(v).filter((x) => x !== 'count').join()))
          .map((zk) => `${zk}: en {${variables(v).join()}} zh-TW {${variables(zh.get(zk) ?? '').join()}}`),
      );
      expect(mismatched).toEqual([]);
    });

    it('is written in Traditional, not Simplified, Chinese', () => {
      const simplified = [...zh.entries()].filter(([, v]) => SIMPLIFIED_ONLY.test(v)).map(([k, v]) => `${k}: ${v}`);
      expect(simplified).toEqual([]);
    });
  });
});
