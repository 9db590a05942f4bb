// The `Exec` value of a Desktop Entry file, written and read per the Desktop Entry Specification ("The Exec key"):
// arguments with reserved characters go in double quotes, inside which `"`, `` ` ``, `$` and `\` take a backslash;
// a literal `%` is `%%` (else it reads as a field code); then the string escapes of the whole value apply (`\\`,
// `\n`, `\t`, `\r`), so a backslash inside quotes is four in the file.

const RESERVED = /[\s"'\\><~|&;$*?#()`]/;
const STRING_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r" };
const STRING_UNESCAPES: Record<string, string> = { "\\": "\\", n: "\n", t: "\t", r: "\r", s: " " };

function quoteArgument(argument: string): string {
  const quoted = argument === "" || RESERVED.test(argument) ? `"${argument.replace(/["`$\\]/g, "\\$&")}"` : argument;
  return quoted.replace(/%/g, "%%");
}

/** The Exec value, as it stands in the file, that runs `argv` (the program, then its arguments). */
export function formatExec(argv: readonly string[]): string {
  return argv.map(quoteArgument).join(" ").replace(/[\\\n\t\r]/g, (c) => STRING_ESCAPES[c]!);
}

/** The program and arguments an Exec value from a file runs; field codes other than `%%` are dropped. */
export function parseExec(value: string): string[] {
  const text = value.replace(/\\(.)/g, (_, c: string) => STRING_UNESCAPES[c] ?? `\\${c}`);
  const argv: string[] = [];
  let current: string | undefined; // undefined between arguments; "" is an empty quoted argument
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "%") {
      // `%%` is a literal percent sign; any other `%x` is a field code this app never writes.
      if (text[++i] === "%") current = (current ?? "") + "%";
    } else if (c === '"') {
      quoted = !quoted;
      current ??= "";
    } else if (quoted && c === "\\") {
      current += text[++i] ?? "";
    } else if (!quoted && /\s/.test(c)) {
      if (current !== undefined) argv.push(current);
      current = undefined;
    } else {
      current = (current ?? "") + c;
    }
  }
  if (current !== undefined) argv.push(current);
  return argv;
}
