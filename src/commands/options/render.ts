// --help text and README flag tables, generated from an option table (define.ts).
import type { OptionSpec, OptionTable } from './define.js';

const FLAG_COLUMN = 25; // "  --flag ARG" is padded to this, then two spaces
const TEXT_WIDTH = 49; // descriptions wrap at this width; the environment variable follows the first line

const flagText = (name: string, spec: OptionSpec): string => `--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
const envText = (spec: OptionSpec): string => (spec.env === undefined ? '' : spec.kind === 'boolean' ? `${spec.env}=true` : spec.env);

/** The default as help shows it: a value as is, words as "default: …"; switches show none. */
const helpDefault = (spec: OptionSpec, inline: boolean): string | undefined => {
  if (spec.kind === 'boolean') return undefined;
  if (spec.defaultText !== undefined) return inline ? spec.defaultText : `default: ${spec.defaultText}`;
  if (spec.default === undefined) return undefined;
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
};

/** Words wrapped into lines of at most `width` characters (a longer word gets a line of its own). */
const wrap = (text: string, width: number): string[] =>
  text.split(' ').reduce<string[]>((lines, word) => {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);

/** One option's help lines: flag, description (with its default), environment variable. */
function helpLines(name: string, spec: OptionSpec): string[] {
  const placeholder = spec.help.includes('{default}');
  const lines = wrap(placeholder ? spec.help.replace('{default}', helpDefault(spec, true) ?? '') : spec.help, TEXT_WIDTH);
  const shown = placeholder ? undefined : helpDefault(spec, false);
  if (shown !== undefined) {
    // the default stays in one piece: after the last line if it fits, else on a line of its own
    if (`${lines[lines.length - 1]} (${shown})`.length <= TEXT_WIDTH) lines[lines.length - 1] += ` (${shown})`;
    else lines.push(`(${shown})`);
  }
  const env = envText(spec);
  const first = `  ${flagText(name, spec).padEnd(FLAG_COLUMN - 2)}  ${env ? `${lines[0]!.padEnd(TEXT_WIDTH)} ${env}` : lines[0]}`;
  return [first, ...lines.slice(1).map((l) => `${' '.repeat(FLAG_COLUMN + 2)}${l}`)];
}

/** Help for every option, grouped under the groups' headings in the order given. */
export function renderHelp(table: OptionTable, groups: Readonly<Record<string, string>>): string {
  return Object.entries(groups)
    .flatMap(([group, heading]) => [heading, ...Object.entries(table).filter(([, s]) => s.group === group).flatMap(([n, s]) => helpLines(n, s))])
    .map((l) => `${l}\n`)
    .join('');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const code = (s: string): string => `\`${cell(s)}\``;

/** A Markdown table (Flag | Environment | Default | Meaning) of the options of some groups. */
export function renderReadmeTable(table: OptionTable, groups: readonly string[]): string {
  const rows = Object.entries(table)
    .filter(([, s]) => groups.includes(s.group))
    .sort(([, a], [, b]) => groups.indexOf(a.group) - groups.indexOf(b.group))
    .map(([name, spec]) => {
      const shown = spec.defaultText !== undefined
        ? cell(spec.defaultText)
        : spec.kind === 'boolean' ? 'off'
          : spec.default === undefined ? ''
            : code(Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default));
      const meaning = spec.doc ?? spec.help.replace(/ ?\(?\{default\}\)?/, '');
      return `| ${[code(flagText(name, spec)), envText(spec) ? code(envText(spec)) : '', shown, cell(meaning)].join(' | ')} |`.replace(/ {2}/g, ' ');
    });
  return ['| Flag | Environment | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

const BLOCK = /(<!-- options: ([a-z ,]+) -->)[\s\S]*?(<!-- \/options -->)/g;

/**
 * README.md with every generated block rewritten from the table. A block is
 * `<!-- options: group[,group] -->` … `<!-- /options -->`; the lines between are replaced.
 */
export function updateReadme(readme: string, table: OptionTable): string {
  return readme.replace(BLOCK, (_all, open: string, groups: string, close: string) =>
    `${open}\n${renderReadmeTable(table, groups.split(',').map((g) => g.trim()))}\n${close}`);
}
