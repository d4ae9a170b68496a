/**
 * Is a PDF page's text layer worth keeping? Scanners' built-in OCR often drops every Vietnamese
 * diacritic ("Cong hoa xa hoi chu nghia") or writes mojibake (UTF-8 read as Windows-1252, or the
 * legacy TCVN3/VNI encodings shown as Latin-1). Such a layer is worse than none: search would miss
 * the page. A good layer (a digitally produced or signed copy) is kept and not recognized again.
 */

export type TextLayerVerdict =
  | { quality: 'good' }
  | { quality: 'none' }
  | { quality: 'poor'; reason: 'replacement' | 'mojibake' | 'diacriticsDropped' };

/** Fewer letters than this is no text layer to speak of (a stamp, a page number). */
const MIN_LETTERS = 20;

/** Letters of the Vietnamese alphabet that carry a mark (base letters and tones), lower case. */
const VIETNAMESE_MARKED = 'ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ';
const MARKED = new Set([...VIETNAMESE_MARKED, ...VIETNAMESE_MARKED.toUpperCase()]);

/**
 * Frequent Vietnamese words with their marks taken off. English shares a few of these spellings
 * (do, so, ten, to): they are left out, so an English page does not look like stripped Vietnamese.
 */
const STRIPPED_WORDS = new Set(
  (
    'cong hoa xa hoi chu nghia viet nam doc lap hanh phuc cua cac nguoi va duoc khong nay theo trong voi ' +
    'nhung mot ngay thang ho ten dia chi phuong tinh huyen quan don giay khai sinh dang ky thu tuc ma noi cu ' +
    'tru cho cap can bo dan toc quoc tich gioi nu que quan so dinh danh ca nhan de nghi kinh gui uy ban ' +
    'nhan xac nhan thuong tru tam tru chung minh thu ba con ong cha me vo chong truong hop ve viec da ' +
    'hien nay lam tai nhu sau co quan tu phap ket hon chet trich luc ban sao goc'
  ).split(' '),
);

/**
 * Characters that never occur in Vietnamese text but are what mojibake is made of: the Latin-1 and
 * Windows-1252 letters and symbols that UTF-8 bytes of Vietnamese letters decode to ("á»‡" for
 * "ệ", "Æ°" for "ư"), and the ones TCVN3 (ABC) and VNI text shows when read as Latin-1.
 */
const MOJIBAKE_CHARS = /[ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ»¼½¾¿¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º‡†‰‹›Œœ™€ƒ„]/gu;
/** U+FFFD (unknown glyph), private-use code points (unmapped font glyphs), C0/C1 control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const UNKNOWN_GLYPH = /[\uFFFD\uE000-\uF8FF\u0000-\u0008\u000E-\u001F\u007F-\u009F]/gu;

/** Judges the text of one page; `text` as extracted from the PDF, in any Unicode form. */
export function judgeTextLayer(text: string): TextLayerVerdict {
  const nfc = text.normalize('NFC');
  const letters = nfc.match(/\p{L}/gu)?.length ?? 0;
  const unknown = nfc.match(UNKNOWN_GLYPH)?.length ?? 0;
  if (letters < MIN_LETTERS) {
    // A few letters lost among unknown glyphs is still a broken layer, not an empty one.
    return unknown >= MIN_LETTERS ? { quality: 'poor', reason: 'replacement' } : { quality: 'none' };
  }
  if (unknown / (letters + unknown) > 0.02) return { quality: 'poor', reason: 'replacement' };
  const mojibake = nfc.match(MOJIBAKE_CHARS)?.length ?? 0;
  if (mojibake / letters > 0.02) return { quality: 'poor', reason: 'mojibake' };

  const marked = [...nfc].filter((char) => MARKED.has(char)).length;
  const words = nfc.toLowerCase().match(/\p{L}+/gu) ?? [];
  const stripped = words.filter((word) => STRIPPED_WORDS.has(word)).length;
  // Vietnamese prose marks about one letter in five; a layer with almost none whose words are
  // common Vietnamese words spelled bare lost its diacritics.
  if (marked / letters < 0.03 && words.length >= 5 && stripped / words.length > 0.2) {
    return { quality: 'poor', reason: 'diacriticsDropped' };
  }
  return { quality: 'good' };
}
