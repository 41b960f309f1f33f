import { diffArrays } from 'diff';

/**
 * The work budget of one diff, in line comparisons: Myers' algorithm (jsdiff) costs about (old + new lines) × edits,
 * so the edit length it may explore is this budget over the size of the changed middle. Past it the middle is shown
 * as one block replacement, as a whole-file change would be.
 */
const MAX_WORK = 4_000_000;

/**
 * A line diff of two texts in the `diff` "normal" format Wazuh shows for report_changes (`3c3`, `< old`, `---`,
 * `> new`, `5a6`, `7d6`). Common leading and trailing lines are skipped; the middle is diffed by jsdiff (Myers),
 * or replaced as one block when it would take more than the work budget.
 */
export function textDiff(before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length === 0 && midB.length === 0) return '';
  const maxEditLength = Math.max(1, Math.floor(MAX_WORK / (midA.length + midB.length)));
  const changes = diffArrays(midA, midB, { maxEditLength }) ?? [
    { value: midA, count: midA.length, added: false, removed: true },
    { value: midB, count: midB.length, added: true, removed: false },
  ];
  // Walk the changes, gathering runs of removals/additions between common lines into hunks.
  const out: string[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (k < changes.length) {
    const change = changes[k] as (typeof changes)[number];
    if (!change.added && !change.removed) {
      i += change.value.length;
      j += change.value.length;
      k++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    for (; k < changes.length && ((changes[k]?.added ?? false) || (changes[k]?.removed ?? false)); k++) {
      const c = changes[k] as (typeof changes)[number];
      (c.removed ? removed : added).push(...c.value);
    }
    out.push(hunk(removed, added, start + i, start + j));
    i += removed.length;
    j += added.length;
  }
  return out.join('\n');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A line range in normal format: `N` for one line (or the line before, for none), `N,M` for several. */
function range(from: number, count: number): string {
  return count <= 1 ? String(from + (count === 1 ? 1 : 0)) : `${from + 1},${from + count}`;
}

function hunk(removed: string[], added: string[], atA: number, atB: number): string {
  const lines: string[] = [];
  if (removed.length > 0 && added.length > 0) lines.push(`${range(atA, removed.length)}c${range(atB, added.length)}`);
  else if (removed.length > 0) lines.push(`${range(atA, removed.length)}d${atB}`);
  else lines.push(`${atA}a${range(atB, added.length)}`);
  for (const l of removed) lines.push(`< ${l}`);
  if (removed.length > 0 && added.length > 0) lines.push('---');
  for (const l of added) lines.push(`> ${l}`);
  return lines.join('\n');
}
