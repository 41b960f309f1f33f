import { readFileSync } from 'node:fs';

/** User and group names by id, from /etc/passwd and /etc/group (read again when asked to refresh). */
export class AccountNames {
  private users = new Map<number, string>();
  private groups = new Map<number, string>();

  constructor(
    private readonly passwdPath = '/etc/passwd',
    private readonly groupPath = '/etc/group',
  ) {
    this.refresh();
  }

  refresh(): void {
    this.users = readIds(this.passwdPath);
    this.groups = readIds(this.groupPath);
  }

  user(uid: number): string | undefined {
    return this.users.get(uid);
  }

  group(gid: number): string | undefined {
    return this.groups.get(gid);
  }
}

function readIds(path: string): Map<number, string> {
  const out = new Map<number, string>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out; // no such database on this host: names stay empty, ids are still reported
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && /^\d+$/.test(id) && !out.has(Number(id))) out.set(Number(id), name);
  }
  return out;
}
