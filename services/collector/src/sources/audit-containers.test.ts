import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type RawEvent } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { ContainerLookup } from '../adapters/container-lookup.ts';
import { SpoolStore } from '../adapters/spool-store.ts';
import { AuditLogSource } from './audit-log.ts';

const logger = createLogger({ level: 'silent' });
const cleanups: Array<() => void> = [];
after(() => cleanups.reverse().forEach((c) => c()));

const ID = '4f1c2b3a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a';
const PRIV = 'b'.repeat(64);
const UID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const UID2 = '11111111-2222-4333-8444-555555555555';

/** A node as the collector sees it: /proc with a host process and container processes, and the kubelet's log directories. */
function fixtureNode() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-node-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const proc = (pid: number, cgroup: string, capEff: string) => {
    mkdirSync(join(dir, 'proc', String(pid)), { recursive: true });
    writeFileSync(join(dir, 'proc', String(pid), 'cgroup'), cgroup);
    writeFileSync(join(dir, 'proc', String(pid), 'status'), `Name:\tsh\nPid:\t${pid}\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\n`);
  };
  proc(900, '0::/system.slice/ssh.service\n', '000001ffffffffff');
  proc(4242, `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope\n`, '00000000a80425fb');
  writeFileSync(join(dir, 'proc', '4242', 'mountinfo'), '1398 1203 0:312 / / rw,relatime - overlay overlay rw\n');
  proc(5151, `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID2.replaceAll('-', '_')}.slice/cri-containerd-${PRIV}.scope\n`, '000001ffffffffff');
  writeFileSync(join(dir, 'proc', '5151', 'mountinfo'), '1398 1203 0:312 / / rw,relatime - overlay overlay rw\n1410 1398 0:25 /containerd/containerd.sock /run/containerd/containerd.sock rw - tmpfs tmpfs rw\n');
  mkdirSync(join(dir, 'log', 'pods', `shop_api-7d9f6c5b4-k2l8m_${UID}`, 'api'), { recursive: true });
  mkdirSync(join(dir, 'log', 'pods', `tools_debug-node_${UID2}`, 'shell'), { recursive: true });
  mkdirSync(join(dir, 'log', 'containers'), { recursive: true });
  symlinkSync(`/var/log/pods/shop_api-7d9f6c5b4-k2l8m_${UID}/api/0.log`, join(dir, 'log', 'containers', `api-7d9f6c5b4-k2l8m_shop_api-${ID}.log`));
  const spool = new SpoolStore(join(dir, 'spool.db'), { id: 'a1', name: 'h1' }, 1 << 30);
  cleanups.push(() => spool.close());
  const lookup = new ContainerLookup({ procDir: join(dir, 'proc'), containerLogDir: join(dir, 'log', 'containers'), podLogDir: join(dir, 'log', 'pods') });
  return { dir, spool, lookup, events: () => spool.peek(10_000).map((e) => JSON.parse(e.data) as RawEvent) };
}

const execve = (serial: number, pid: number, ppid: number, exe: string, args: string[], tty = 'pts0') => {
  const stamp = `audit(1767607921.120:${serial})`;
  return [
    `type=SYSCALL msg=${stamp}: arch=c000003e syscall=59 success=yes exit=0 a0=55d1 a1=55d2 a2=55d3 a3=0 items=2 ppid=${ppid} pid=${pid} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=${tty} ses=4294967295 comm="${exe.split('/').pop()}" exe="${exe}" key="exec"`,
    `type=EXECVE msg=${stamp}: argc=${args.length} ${args.map((a, i) => `a${i}="${a}"`).join(' ')}`,
    `type=EOE msg=${stamp}: `,
  ].join('\n');
};

test("audited commands name the container and pod they ran in: from the process's cgroup, else its parent's; host processes are left alone", async () => {
  const node = fixtureNode();
  const log = join(node.dir, 'audit.log');
  writeFileSync(log, '');
  const source = new AuditLogSource({ path: log, spool: node.spool, logger, pollMs: 20, containers: node.lookup });
  await source.start();
  appendFileSync(
    log,
    [
      execve(1, 4242, 4200, '/bin/sh', ['sh']), // the shell of `kubectl exec -it api -- sh`, still running
      execve(2, 4300, 4242, '/usr/bin/id', ['id']), // a command it ran, gone already: its parent's container
      execve(3, 900, 1, '/usr/bin/ls', ['ls', '/root']), // the host
      execve(4, 5151, 5100, '/bin/bash', ['bash'], '(none)'), // a privileged pod whose container has no log link yet
      execve(5, 7777, 7776, '/bin/true', ['true']), // gone, and its parent too: nothing known
    ].join('\n') + '\n',
  );
  await waitFor(() => node.events().length === 5 || undefined, 5000, 'five audit events');
  await source.stop();
  const [shell, child, host, privileged, unknown] = node.events();
  const record = (e: RawEvent | undefined) => / type=VIGIL_CONTAINER .*$/.exec(e?.log ?? '')?.[0];
  assert.equal(
    record(shell),
    ` type=VIGIL_CONTAINER msg=audit(1767607921.120:1): container_id=${ID} runtime=containerd cap_sys_admin=no k8s_namespace="shop" k8s_pod="api-7d9f6c5b4-k2l8m" k8s_container="api" pod_uid=${UID}`,
  );
  assert.deepEqual((shell?.payload?.['audit'] as Record<string, unknown>)['container'], {
    id: ID,
    runtime: 'containerd',
    sys_admin: false,
    namespace: 'shop',
    pod: 'api-7d9f6c5b4-k2l8m',
    name: 'api',
    pod_uid: UID,
  });
  assert.match(record(child) ?? '', /k8s_pod="api-7d9f6c5b4-k2l8m"/);
  assert.equal(record(host), undefined);
  assert.equal((host?.payload?.['audit'] as Record<string, unknown>)['container'], undefined);
  assert.equal(record(privileged), ` type=VIGIL_CONTAINER msg=audit(1767607921.120:4): container_id=${PRIV} runtime=containerd cap_sys_admin=yes runtime_socket=/run/containerd/containerd.sock k8s_namespace="tools" k8s_pod="debug-node" pod_uid=${UID2}`);
  assert.equal(record(unknown), undefined);
});
