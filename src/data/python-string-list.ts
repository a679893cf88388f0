/**
 * Parses the text of a Python/numpy list of strings as `repr()` prints it, e.g.
 * `['first sentence.'\n 'it\'s "second".']` or `["it's", 'b']`, into the strings. Commas between items are
 * optional (numpy omits them). Escapes: `\\`, `\'`, `\"`, `\n`, `\t`, `\r`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`.
 * Returns undefined when the text is not such a list.
 *
 * Reference: Python Language Reference, 2.4.1 "String and Bytes literals".
 * @example parsePythonStringList("['a b' 'c\\'d']") // ["a b", "c'd"]
 */
export function parsePythonStringList(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return undefined;
  const items: string[] = [];
  let position = 1;
  const end = trimmed.length - 1;
  while (position < end) {
    const char = trimmed[position]!;
    if (char === "'" || char === '"') {
      let value = "";
      position++;
      while (position < end && trimmed[position] !== char) {
        if (trimmed[position] === "\\") {
          const escape = trimmed[position + 1]!;
          const hexLength = escape === "x" ? 2 : escape === "u" ? 4 : escape === "U" ? 8 : 0;
          if (hexLength > 0) {
            value += String.fromCodePoint(parseInt(trimmed.slice(position + 2, position + 2 + hexLength), 16));
            position += 2 + hexLength;
            continue;
          }
          value += escape === "n" ? "\n" : escape === "t" ? "\t" : escape === "r" ? "\r" : escape;
          position += 2;
          continue;
        }
        value += trimmed[position];
        position++;
      }
      if (position >= end) return undefined;
      items.push(value);
      position++;
    } else if (char === "," || /\s/.test(char)) {
      position++;
    } else {
      return undefined;
    }
  }
  return items;
}
