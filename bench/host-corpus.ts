/**
 * A synthetic corpus of the logs a Linux host or Kubernetes node produces, shared by the decoder and rule-engine
 * benchmarks: equal shares of sshd (failed/accepted/closed), sudo, PAM, kernel (iptables, usb), web access and
 * JSON (Suricata eve-like) lines, with varied hosts, addresses, users and ports.
 */
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
export const FAMILIES: Record<string, (i: number) => string> = {
  sshd: (i) =>
    [
      `Nov 28 10:00:00 host${i % 50} sshd[${1000 + (i % 9000)}]: Failed password for invalid user user${i % 500} from ${ip(i)} port ${1024 + (i % 60000)} ssh2`,
      `Nov 28 10:00:00 host${i % 50} sshd[${1000 + (i % 9000)}]: Accepted publickey for deploy from ${ip(i)} port ${1024 + (i % 60000)} ssh2: ED25519 SHA256:abc${i}`,
      `Nov 28 10:00:00 host${i % 50} sshd[${1000 + (i % 9000)}]: Connection closed by ${ip(i)} port ${1024 + (i % 60000)} [preauth]`,
    ][i % 3] as string,
  sudo: (i) => `Nov 28 10:00:00 host${i % 50} sudo:    alice${i % 20} : TTY=pts/${i % 9} ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart app${i % 7}`,
  pam: (i) =>
    [
      `Nov 28 10:00:00 host${i % 50} sshd[${i % 9000}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip(i)}  user=root`,
      `Nov 28 10:00:00 host${i % 50} su[${i % 9000}]: pam_unix(su:session): session opened for user root by bob(uid=${1000 + (i % 50)})`,
    ][i % 2] as string,
  kernel: (i) =>
    [
      `Nov 28 10:00:00 host${i % 50} kernel: [${i}.123456] IN=eth0 OUT= MAC=00:11:22:33:44:55 SRC=${ip(i)} DST=10.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=${i % 65535} DF PROTO=TCP SPT=${1024 + (i % 60000)} DPT=22 WINDOW=29200 RES=0x00 SYN URGP=0`,
      `Nov 28 10:00:00 host${i % 50} kernel: [${i}.654321] usb 1-1: new high-speed USB device number ${i % 100} using xhci_hcd`,
    ][i % 2] as string,
  web: (i) => `${ip(i)} - - [28/Nov/2026:10:00:00 +0000] "GET /app/item/${i % 1000}?q=${i} HTTP/1.1" ${[200, 404, 500, 302][i % 4]} ${512 + (i % 4096)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
  json: (i) =>
    JSON.stringify({
      timestamp: '2026-11-28T10:00:00.000000+0000',
      event_type: 'alert',
      src_ip: ip(i),
      src_port: 1024 + (i % 60000),
      dest_ip: '10.0.0.1',
      dest_port: 443,
      proto: 'TCP',
      alert: { action: 'allowed', signature_id: 2000000 + (i % 500), signature: 'ET SCAN test', severity: 2 },
      http: { hostname: `h${i % 20}.example`, url: `/x/${i}`, status: 200 },
    }),
};

export function corpus(perFamily: number): Array<{ family: string; line: string }> {
  const out: Array<{ family: string; line: string }> = [];
  for (let i = 0; i < perFamily; i++) for (const [family, make] of Object.entries(FAMILIES)) out.push({ family, line: make(i * 7919) });
  return out;
}

