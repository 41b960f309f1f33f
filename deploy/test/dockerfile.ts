import { VigilError } from '@vigil/common';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages (FROM ... AS name) of instructions. Comments and blank lines are dropped. */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!pending && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (pending && /^\s*#/.test(line)) return;
    const piece = line.endsWith('\\') ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${piece.trim()}`, line: pending.line } : { text: piece.trim(), line: i + 1 };
    if (!line.endsWith('\\')) {
      const m = /^(\S+)\s*(.*)$/.exec(pending.text) as RegExpExecArray;
      instructions.push({ keyword: (m[1] as string).toUpperCase(), args: (m[2] as string).trim(), line: pending.line });
      pending = undefined;
    }
  });
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new VigilError('CONFIG_INVALID', `Dockerfile:${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ from: m[1] as string, name: m[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0) {
      args.push(ins);
    } else {
      (stages[stages.length - 1] as Stage).instructions.push(ins);
    }
  }
  return { args, stages };
}

/** A COPY instruction: flags (--from, --chown, ...), sources and destination. JSON form is accepted too. */
export function parseCopy(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)=(\S+)\s+/.exec(rest); m; m = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    flags[m[1] as string] = m[2] as string;
    rest = rest.slice(m[0].length);
  }
  const words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return { flags, sources: words.slice(0, -1), dest: words[words.length - 1] as string };
}

/** Instruction arguments in exec (JSON array) form, as for ENTRYPOINT and CMD. */
export function execForm(ins: Instruction | undefined): string[] {
  if (!ins) return [];
  if (!ins.args.startsWith('[')) throw new VigilError('CONFIG_INVALID', `Dockerfile:${ins.line}: ${ins.keyword} should use the exec (JSON) form`);
  return JSON.parse(ins.args) as string[];
}

/** ENV instructions in `KEY=value KEY2=value2` form. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '');
  }
  return env;
}

/** A .dockerignore matcher: `*`, `?`, `**`, and a pattern matching a directory excludes what is under it. */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((p) => {
      const body = p
        .replace(/^\/+/, '')
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return new RegExp(`^${body}(?:/.*)?$`);
    });
  return (path: string) => patterns.some((re) => re.test(path));
}
