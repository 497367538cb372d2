// Names (of members, teams, competitions, judges and rubric criteria) hold no control
// characters: the server's rule (server/input/text_rules.py), checked as a form is sent, so that the
// message comes in the page's language. Letters of any script and emoji are welcome.

const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
const LINE_BREAKS = "\n\r\u0085\u2028\u2029\u000b\u000c";

function kind(char) {
  const code = char.codePointAt(0);
  if (LINE_BREAKS.includes(char)) return "lineBreak";
  if (char === "\t") return "tab";
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return "direction";
  if (code >= 0xd800 && code <= 0xdfff) return "broken";
  return "control";
}

/** Why `text` cannot be a name, as a string key and its values ({char, position}), or null. */
export function nameProblem(text) {
  const found = CONTROL.exec(text);
  if (!found) return null;
  const char = found[0];
  const code = char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
  const position = Array.from(text.slice(0, found.index)).length + 1;
  return { key: `name.${kind(char)}`, vars: { char: `U+${code}`, position } };
}
