/**
 * What FIM knows about one file at one moment: the attributes the configured checks ask for. Absent attributes
 * were not checked. Hashes are lowercase hex; an empty hash means the file was too large to hash.
 */
export interface FileState {
  path: string;
  size?: number;
  /** Permission bits and file type bits (st_mode). */
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  /** Modification time in seconds since the epoch. */
  mtime?: number;
  inode?: number;
  md5?: string;
  sha1?: string;
  sha256?: string;
}

/** Attribute names as Wazuh writes them in `changed_attributes`, in Wazuh's order. */
export const CHANGED_ATTRIBUTE_NAMES = [
  ['size', 'size'],
  ['mode', 'permission'],
  ['uid', 'uid'],
  ['uname', 'user_name'],
  ['gid', 'gid'],
  ['gname', 'group_name'],
  ['mtime', 'mtime'],
  ['inode', 'inode'],
  ['md5', 'md5'],
  ['sha1', 'sha1'],
  ['sha256', 'sha256'],
] as const satisfies ReadonlyArray<readonly [keyof FileState, string]>;

/** `rw-r--r--` (with s/S, t/T for setuid, setgid and sticky), as in Wazuh's `perm_after`. */
export function permString(mode: number): string {
  const bit = (mask: number, c: string) => (mode & mask ? c : '-');
  const special = (exec: number, flag: number, on: string, off: string) => (mode & flag ? (mode & exec ? on : off) : mode & exec ? 'x' : '-');
  return (
    bit(0o400, 'r') + bit(0o200, 'w') + special(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + special(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + special(0o001, 0o1000, 't', 'T')
  );
}

/** Local time as `YYYY-MM-DDTHH:MM:SS±hhmm`, the way Wazuh alerts carry mtimes. */
export function formatMtime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}
