/** Above this many cells (old lines × new lines in the changed middle) the diff is one block replacement. */
const MAX_CELLS = 4_000_000;

/**
 * A line diff of two texts in the `diff` "normal" format Wazuh shows for report_changes (`3c3`, `< old`, `---`,
 * `> new`, `5a6`, `7d6`). Common leading and trailing lines are skipped; the middle is diffed by longest common
 * subsequence, or replaced as one block when it is too large.
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
  const ops = (midA.length + 1) * (midB.length + 1) <= MAX_CELLS ? lcsOps(midA, midB) : [...midA.map(() => 'd' as const), ...midB.map(() => 'a' as const)];
  // Walk the operations, gathering runs of deletions/additions between equal lines into hunks.
  const out: string[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (k < ops.length) {
    if (ops[k] === '=') {
      i++;
      j++;
      k++;
      continue;
    }
    const fromI = i;
    const fromJ = j;
    while (k < ops.length && ops[k] !== '=') {
      if (ops[k] === 'd') i++;
      else j++;
      k++;
    }
    out.push(hunk(midA.slice(fromI, i), midB.slice(fromJ, j), start + fromI, start + fromJ));
  }
  return out.join('\n');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

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

function lcsOps(a: string[], b: string[]): Array<'=' | 'd' | 'a'> {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[i] === b[j] ? (table[(i + 1) * (m + 1) + j + 1] as number) + 1 : Math.max(table[(i + 1) * (m + 1) + j] as number, table[i * (m + 1) + j + 1] as number);
    }
  }
  const ops: Array<'=' | 'd' | 'a'> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push('=');
      i++;
      j++;
    } else if ((table[(i + 1) * (m + 1) + j] as number) >= (table[i * (m + 1) + j + 1] as number)) {
      ops.push('d');
      i++;
    } else {
      ops.push('a');
      j++;
    }
  }
  while (i++ < n) ops.push('d');
  while (j++ < m) ops.push('a');
  return ops;
}
