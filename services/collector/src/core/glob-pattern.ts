/** Whether a path contains glob characters (`*`, `?`, `[`). */
export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** One path segment's glob (`*`, `?`, `[abc]`, `[!abc]`) as an anchored regex; `*` never crosses a `/`. */
export function globSegmentRegExp(segment: string): RegExp {
  let out = '^';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = segment.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${out}$`);
}
