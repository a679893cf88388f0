/**
 * BERT's BasicTokenizer: clean the text (drop NUL, U+FFFD and control characters; whitespace to spaces),
 * put spaces around CJK ideographs, split on whitespace, lower-case and strip accents (NFD, then drop
 * combining marks, category Mn) when `lowerCase`, and split every punctuation character into its own token
 * (ASCII symbols 33–47, 58–64, 91–96, 123–126 and Unicode categories P*).
 *
 * Reference: google-research/bert `tokenization.py` `BasicTokenizer`; huggingface/transformers
 * `BertTokenizer` (`do_lower_case=True`, `tokenize_chinese_chars=True`).
 * @example bertBasicTokens("Héllo, WORLD!") // ["hello", ",", "world", "!"]
 */
export function bertBasicTokens(text: string, options: { lowerCase?: boolean } = {}): string[] {
  const lowerCase = options.lowerCase ?? true;
  if (PRINTABLE_ASCII.test(text)) return asciiBasicTokens(lowerCase ? text.toLowerCase() : text);
  let cleaned = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0 || code === 0xfffd || isControl(char)) continue;
    if (isWhitespace(char)) cleaned += " ";
    else if (isCjk(code)) cleaned += ` ${char} `;
    else cleaned += char;
  }
  const tokens: string[] = [];
  for (let word of cleaned.split(" ")) {
    if (word === "") continue;
    if (lowerCase) word = stripAccents(word.toLowerCase());
    splitPunctuation(word, tokens);
  }
  return tokens;
}

const PRINTABLE_ASCII = /^[\x20-\x7e\t\n\r]*$/;

/** Fast path for printable ASCII text: the same result as the general path (no accents, controls or CJK to handle). */
function asciiBasicTokens(text: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      if (start >= 0) tokens.push(text.slice(start, index));
      start = -1;
    } else if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) {
      if (start >= 0) tokens.push(text.slice(start, index));
      tokens.push(text[index]!);
      start = -1;
    } else if (start < 0) start = index;
  }
  if (start >= 0) tokens.push(text.slice(start));
  return tokens;
}

const COMBINING_MARK = /\p{Mn}/gu;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function stripAccents(word: string): string {
  if (ASCII_ONLY.test(word)) return word;
  return word.normalize("NFD").replace(COMBINING_MARK, "");
}

function splitPunctuation(word: string, into: string[]): void {
  let start = 0;
  let index = 0;
  for (const char of word) {
    if (isPunctuation(char)) {
      if (index > start) into.push(word.slice(start, index));
      into.push(char);
      start = index + char.length;
    }
    index += char.length;
  }
  if (word.length > start) into.push(word.slice(start));
}

const UNICODE_PUNCTUATION = /^\p{P}$/u;
/** BERT's `_is_control`: `unicodedata.category(char).startswith("C")`, i.e. Cc, Cf, Cs, Co and unassigned Cn. */
const UNICODE_CONTROL = /^\p{C}$/u;
const UNICODE_SPACE = /^\p{Zs}$/u;

function isPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return code > 127 && UNICODE_PUNCTUATION.test(char);
}

function isWhitespace(char: string): boolean {
  // U+2028/U+2029 (Zl, Zp) are not BERT whitespace, but its whitespace_tokenize (Python str.split) splits on them.
  return char === " " || char === "\t" || char === "\n" || char === "\r" || char === "\u2028" || char === "\u2029" || (char.codePointAt(0)! > 127 && UNICODE_SPACE.test(char));
}

function isControl(char: string): boolean {
  if (char === "\t" || char === "\n" || char === "\r") return false;
  const code = char.codePointAt(0)!;
  return (code < 32 || code === 127 || code > 127) && UNICODE_CONTROL.test(char);
}

/** CJK Unified Ideographs blocks as BERT's `_is_chinese_char` lists them. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}
