/** What makes a container process dangerous to its node, read from its /proc files (the text only; the adapter reads). */

/** Whether a process has CAP_SYS_ADMIN in its effective set (the `CapEff:` line of /proc/<pid>/status): in a container, privileged or close to it. */
export function hasSysAdmin(statusText: string): boolean {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  if (!m) return false;
  return (BigInt(`0x${m[1]}`) & (1n << 21n)) !== 0n;
}

const RUNTIME_SOCKET = /(?:^|\/)(?:docker|containerd|crio|podman|cri-dockerd)\.sock$/;

/**
 * The container runtime sockets mounted into a process's mount namespace (its /proc/<pid>/mountinfo): a bind mount
 * whose source (field 4) or mount point (field 5) is docker.sock, containerd.sock, crio.sock, ... Whoever can use
 * one can start a privileged container on the node. Returns the mount points.
 */
export function mountedRuntimeSockets(mountinfoText: string): string[] {
  const found: string[] = [];
  for (const line of mountinfoText.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 5) continue;
    const root = unescapeMount(fields[3] as string);
    const point = unescapeMount(fields[4] as string);
    if ((RUNTIME_SOCKET.test(root) || RUNTIME_SOCKET.test(point)) && !found.includes(point)) found.push(point);
  }
  return found;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
