import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerOfCgroup } from './cgroup-container.ts';
import { containerRecord, containerPayload } from './container-record.ts';
import { podOfContainer } from './pod-of-container.ts';
import { hasSysAdmin, mountedRuntimeSockets } from './process-privileges.ts';

const ID = '4f1c2b3a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a';
const OTHER = 'aa11bb22cc33dd44ee55ff6677889900aa11bb22cc33dd44ee55ff6677889900';
const UID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

/* /proc/<pid>/cgroup as nodes write it. */
const SYSTEMD_V2 = `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope\n`;
const CGROUPFS_V1 = [
  `12:pids:/kubepods/besteffort/pod${UID}/${ID}`,
  `11:memory:/kubepods/besteffort/pod${UID}/${ID}`,
  `1:name=systemd:/kubepods/besteffort/pod${UID}/${ID}`,
  '0::/',
].join('\n');
const GUARANTEED_CRIO = `0::/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/crio-${ID}.scope\n`;
const CRIO_CONMON = `0::/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/crio-conmon-${ID}.scope\n`;
const DOCKER_SYSTEMD = `0::/system.slice/docker-${ID}.scope\n`;
const DOCKER_CGROUPFS = `0::/docker/${ID}\n`;
const HOST = '0::/system.slice/kubelet.service\n';
const HOST_V1 = '12:pids:/user.slice/user-1000.slice/session-3.scope\n0::/user.slice/user-1000.slice/session-3.scope\n';

test('the container of a process from its cgroup: Kubernetes (systemd and cgroupfs drivers, containerd and CRI-O) and Docker', () => {
  assert.deepEqual(containerOfCgroup(SYSTEMD_V2), { id: ID, runtime: 'containerd', podUid: UID });
  assert.deepEqual(containerOfCgroup(CGROUPFS_V1), { id: ID, runtime: 'unknown', podUid: UID });
  assert.deepEqual(containerOfCgroup(GUARANTEED_CRIO), { id: ID, runtime: 'cri-o', podUid: UID });
  assert.deepEqual(containerOfCgroup(DOCKER_SYSTEMD), { id: ID, runtime: 'docker' });
  assert.deepEqual(containerOfCgroup(DOCKER_CGROUPFS), { id: ID, runtime: 'docker' });
});

test('processes of the host, a runtime monitor and unreadable text are in no container', () => {
  assert.equal(containerOfCgroup(HOST), undefined);
  assert.equal(containerOfCgroup(HOST_V1), undefined);
  assert.equal(containerOfCgroup(CRIO_CONMON), undefined);
  assert.equal(containerOfCgroup(''), undefined);
  assert.equal(containerOfCgroup('garbage\n'), undefined);
});

/* Names in /var/log/containers and /var/log/pods on a node. */
const CONTAINER_LOGS = [
  `coredns-7db6d8ff4d-x2x9q_kube-system_coredns-${OTHER}.log`,
  `api-7d9f6c5b4-k2l8m_shop_api-${ID}.log`,
  `api-7d9f6c5b4-k2l8m_shop_istio-proxy-${'b'.repeat(64)}.log`,
];
const POD_DIRS = [`kube-system_coredns-7db6d8ff4d-x2x9q_${'1'.repeat(8)}-1111-1111-1111-${'1'.repeat(12)}`, `shop_api-7d9f6c5b4-k2l8m_${UID}`];

test("the pod of a container: from the container's log link, else from the pod's log directory by uid", () => {
  assert.deepEqual(podOfContainer({ id: ID, runtime: 'containerd', podUid: UID }, CONTAINER_LOGS, POD_DIRS), {
    namespace: 'shop',
    pod: 'api-7d9f6c5b4-k2l8m',
    container: 'api',
    podUid: UID,
  });
  // A container whose log link is gone (or not yet there): the pod is still known from its uid.
  assert.deepEqual(podOfContainer({ id: 'c'.repeat(64), runtime: 'containerd', podUid: UID }, CONTAINER_LOGS, POD_DIRS), { namespace: 'shop', pod: 'api-7d9f6c5b4-k2l8m', podUid: UID });
  assert.equal(podOfContainer({ id: 'c'.repeat(64), runtime: 'docker' }, CONTAINER_LOGS, POD_DIRS), undefined, 'plain Docker: no pod');
  assert.equal(podOfContainer({ id: ID, runtime: 'containerd' }, ['not_a_valid-name.log', `x_y-${ID}.log`], []), undefined, 'malformed names are skipped');
});

test('CAP_SYS_ADMIN in the effective set', () => {
  assert.equal(hasSysAdmin('Name:\tsh\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n'), true, 'privileged');
  assert.equal(hasSysAdmin('CapEff:\t00000000a80425fb\n'), false, "the runtime's default set");
  assert.equal(hasSysAdmin('CapEff:\t0000000000200000\n'), true, 'SYS_ADMIN alone');
  assert.equal(hasSysAdmin('Name: x\n'), false);
});

test('runtime sockets mounted into a container, from its mountinfo', () => {
  const mountinfo = [
    '1398 1203 0:312 / / rw,relatime master:412 - overlay overlay rw,lowerdir=/var/lib/containerd/l1,upperdir=/var/lib/containerd/u1,workdir=/var/lib/containerd/w1',
    '1399 1398 0:314 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
    '1410 1398 0:25 /containerd/containerd.sock /run/containerd/containerd.sock rw,nosuid,nodev - tmpfs tmpfs rw,size=812340k,mode=755',
    '1411 1398 0:25 /docker.sock /var/run/docker.sock rw,nosuid,nodev - tmpfs tmpfs rw',
    '1412 1398 8:1 /var/lib/kubelet/pods/0f9e/volumes/kubernetes.io~empty-dir/cache /cache rw,relatime - ext4 /dev/sda1 rw',
  ].join('\n');
  assert.deepEqual(mountedRuntimeSockets(mountinfo), ['/run/containerd/containerd.sock', '/var/run/docker.sock']);
  assert.deepEqual(mountedRuntimeSockets('1 0 8:1 /run/containerd /host\\040run rw - ext4 /dev/sda1 rw\n'), [], 'a directory is not the socket');
  assert.deepEqual(mountedRuntimeSockets(mountinfo.split('\n').slice(0, 2).join('\n')), []);
});

test('the facts as an audit record and as payload', () => {
  const facts = { container: { id: ID, runtime: 'containerd' as const, podUid: UID }, pod: { namespace: 'shop', pod: 'api-7d9f6c5b4-k2l8m', container: 'api', podUid: UID }, sysAdmin: false };
  assert.equal(
    containerRecord('1767607921.120:4711', facts),
    `type=VIGIL_CONTAINER msg=audit(1767607921.120:4711): container_id=${ID} runtime=containerd cap_sys_admin=no k8s_namespace="shop" k8s_pod="api-7d9f6c5b4-k2l8m" k8s_container="api" pod_uid=${UID}`,
  );
  assert.deepEqual(containerPayload(facts), { id: ID, runtime: 'containerd', sys_admin: false, namespace: 'shop', pod: 'api-7d9f6c5b4-k2l8m', name: 'api', pod_uid: UID });
  assert.equal(containerRecord('1.0:1', { container: { id: ID, runtime: 'docker' }, sysAdmin: true }), `type=VIGIL_CONTAINER msg=audit(1.0:1): container_id=${ID} runtime=docker cap_sys_admin=yes`);
  const socket = { container: { id: ID, runtime: 'docker' as const }, sysAdmin: false, runtimeSockets: ['/var/run/docker.sock'] };
  assert.equal(containerRecord('1.0:1', socket), `type=VIGIL_CONTAINER msg=audit(1.0:1): container_id=${ID} runtime=docker cap_sys_admin=no runtime_socket=/var/run/docker.sock`);
  assert.deepEqual(containerPayload(socket), { id: ID, runtime: 'docker', sys_admin: false, runtime_sockets: ['/var/run/docker.sock'] });
});
