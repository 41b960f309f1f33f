/** audit.log lines as auditd writes them, for the who-data and audit tests. */
export const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();

/** An event as auditd writes it to audit.log: a user (auid 1000) ran `sudo vi /etc/app.conf` as root. */
export function sudoViRecords(serial: number, path = '/etc/app.conf', cwd = '/home/alice'): string[] {
  const stamp = `audit(1732780800.123:${serial})`;
  return [
    `type=SYSCALL msg=${stamp}: arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=5581 a2=241 a3=1b6 items=2 ppid=4100 pid=4242 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="vi" exe="/usr/bin/vim.basic" subj=unconfined key="vigil_fim"`,
    `type=CWD msg=${stamp}: cwd="${cwd}"`,
    `type=PATH msg=${stamp}: item=0 name="/etc/" inode=131073 dev=08:01 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=PATH msg=${stamp}: item=1 name="${path}" inode=131999 dev=08:01 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=PROCTITLE msg=${stamp}: proctitle=${hex(`vi\u0000${path}`)}`,
    `type=EOE msg=${stamp}: `,
  ];
}

